"""Completing a course with the real parts: broker, Celery worker, SMTP server.

The worker renders the certificate after the completion commits and the learner gets
the completion and certificate-ready emails, each exactly once, even when the render
task arrives a second time.
"""

from __future__ import annotations

import email
import io
import time
from datetime import timedelta
from email import policy
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from tests.conftest import wait_for
from tests.forums import person
from tests.learning import answers_for, course, lesson, quiz
from via_platform.learning import services, tasks
from via_platform.learning.models import Certificate, EnrolmentState
from via_platform.notifications import services as notifications
from via_platform.notifications.models import Delivery, Happening
from via_platform.organisations.models import Organisation

pytestmark = pytest.mark.integration


@pytest.fixture
def site(transactional_db):
    """transactional_db empties every table, Wagtail's locale, root and site included."""
    from cms.models import HomePage

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.first() or root.add_child(
        instance=HomePage(title="Home", slug="home-learning-worker")
    )
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


def received(inbox, address: str) -> list:
    return [
        email.message_from_bytes(envelope.content, policy=policy.default)
        for envelope in inbox.messages
        if address in envelope.rcpt_tos
    ]


def sent(kind: str, user) -> Delivery:
    return Delivery.objects.filter(
        happening__kind=kind, recipient=user, state=Delivery.State.SENT
    ).first()


def test_completing_a_course_has_the_worker_issue_the_certificate_and_mail_it_once(
    site, start_worker, smtp_server
):
    controller, inbox = smtp_server
    start_worker(EMAIL_URL=f"smtp://{controller.hostname}:{controller.port}")
    issuer = Organisation.objects.create(name="Gemeente Zwolle", slug="zwolle", kind="gemeente")
    page = course("Inclusief begeleiden", issuer=issuer)
    only = lesson(page, "Begeleiden op de werkvloer", quiz())
    learner = person("Özlem", "Çelik-Ünal")
    services.enrol(learner, page)
    services.submit_quiz(learner, only, only.quizzes()[0].id, answers_for(only))

    assert services.complete_lesson(learner, only).complete

    certificate = wait_for(
        lambda: Certificate.objects.filter(generated_at__isnull=False).first(), timeout=90
    )
    assert certificate.enrolment.state == EnrolmentState.COMPLETED
    text = PdfReader(io.BytesIO(bytes(certificate.pdf))).pages[0].extract_text()
    assert "Özlem Çelik-Ünal" in text and "Gemeente Zwolle" in text and certificate.code in text
    completed = wait_for(lambda: sent(services.COMPLETED, learner), timeout=60)
    ready = wait_for(lambda: sent(services.CERTIFICATE_READY, learner), timeout=60)
    wait_for(lambda: len(received(inbox, learner.email)) >= 3, timeout=30)  # and "enrolled"

    # The render task delivered again (acks_late after a worker crash) and the sweeper
    # going round: nothing is rendered, recorded or mailed twice.
    generated_at, pdf = certificate.generated_at, bytes(certificate.pdf)
    tasks.render_certificate.delay(certificate.pk)
    notifications.sweep(now=timezone.now() + timedelta(minutes=10))
    time.sleep(5)

    certificate.refresh_from_db()
    assert (certificate.generated_at, bytes(certificate.pdf)) == (generated_at, pdf)
    assert Happening.objects.filter(kind=services.CERTIFICATE_READY).count() == 1
    assert Happening.objects.filter(kind=services.COMPLETED).count() == 1
    messages = received(inbox, learner.email)
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname
    ids = sorted(message["Message-ID"] for message in messages)
    assert len(ids) == 3 and len(set(ids)) == 3
    by_id = {message["Message-ID"]: message for message in messages}
    for delivery in (completed, ready):
        assert f"<delivery-{delivery.pk}@{host}>" in by_id
    ready_mail = by_id[f"<delivery-{ready.pk}@{host}>"]
    body = ready_mail.get_body(preferencelist=("plain",)).get_content()
    assert f"/leren/certificaat/{certificate.code}/" in body
    assert page.title in ready_mail["Subject"]
