"""The notification engine without a worker: services called as the tasks call them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from tests.notifying.apps import PRIVATE_GROUP
from via_platform.accounts.models import User
from via_platform.notifications import services
from via_platform.notifications.models import Delivery, DigestRun, Happening, Notification
from via_platform.notifications.registry import Category, Frequency

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return [
        User.objects.create_user(email=f"lid{i}@voorbeeld.nl", password="x", first_name=f"Lid{i}")
        for i in range(4)
    ]


@pytest.fixture
def private_group(people):
    group = Group.objects.create(name=PRIVATE_GROUP)
    group.user_set.add(*people[:2])
    return group


def record(kind="test.reply", audience=(), title="Hoe begeleid je statushouders?", target=None):
    happening = services.notify(
        kind, target=target, title=title, url="/netwerken/intervisie/", audience=audience
    )
    services.fan_out(happening.pk)
    return happening


def deliveries_for(person):
    return Delivery.objects.filter(recipient=person)


def test_notify_is_written_in_the_callers_transaction(people):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify("test.reply", target=None, title="x", url="/", audience=[people[0].pk])
        raise RuntimeError("the change failed")
    assert not Happening.objects.exists()


@pytest.mark.parametrize(
    ("frequency", "emails_now", "digest_pending"),
    [
        (Frequency.IMMEDIATE, 1, 0),
        (Frequency.DAILY, 0, 1),
        (Frequency.WEEKLY, 0, 1),
        (Frequency.OFF, 0, 0),
    ],
)
def test_each_preference_is_respected(people, frequency, emails_now, digest_pending):
    person = people[0]
    services.set_preference(person, Category.REPLIES, frequency)
    happening = record(audience=[person.pk])
    assert Notification.objects.filter(recipient=person, happening=happening).count() == 1
    for delivery in deliveries_for(person).filter(frequency=Frequency.IMMEDIATE):
        services.send_delivery(delivery.pk)
    assert len(mail.outbox) == emails_now
    pending_digest = deliveries_for(person).filter(
        frequency__in=[Frequency.DAILY, Frequency.WEEKLY], state="pending"
    )
    assert pending_digest.count() == digest_pending


def test_email_has_reason_unsubscribe_headers_and_the_recipients_language(people):
    dutch, english = people[0], people[1]
    english.preferred_language = "en"
    english.save()
    record(audience=[dutch.pk, english.pk])
    for delivery in Delivery.objects.all():
        assert services.send_delivery(delivery.pk) == "sent"
    by_person = {m.to[0]: m for m in mail.outbox}
    nl, en = by_person[dutch.email], by_person[english.email]
    assert "Je ontvangt dit omdat je meedoet aan “Hoe begeleid je statushouders?”" in nl.body
    assert "You get this because" in en.body
    for message in (nl, en):
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.extra_headers["List-Unsubscribe"].startswith("<http")
        assert "/meldingen/afmelden/" in message.extra_headers["List-Unsubscribe"]
        assert message.alternatives[0][1] == "text/html"
        assert "http://127.0.0.1:8000/netwerken/intervisie/" in message.body


def test_sending_twice_sends_once(people):
    record(audience=[people[0].pk])
    delivery = Delivery.objects.get()
    assert services.send_delivery(delivery.pk) == "sent"
    assert services.send_delivery(delivery.pk) == "gone"
    assert len(mail.outbox) == 1


def test_a_second_fan_out_adds_nothing_twice(people):
    happening = record(audience=[p.pk for p in people])
    # As if the first run died before marking the happening done.
    Happening.objects.filter(pk=happening.pk).update(fanout_state="pending")
    # A redelivered task finds the claim and leaves it alone …
    assert services.fan_out(happening.pk) == 0
    # … the sweeper, once the claim is stale, takes over; nothing is written twice.
    later = timezone.now() + timedelta(minutes=10)
    assert services.fan_out(happening.pk, reclaim_before=later) == 4
    assert Notification.objects.count() == 4
    assert Delivery.objects.count() == 4


def test_named_audience_is_resolved_at_fan_out_time(people):
    from via_platform.notifications.registry import register_audience

    register_audience(
        "test.first_names", lambda prefix: User.objects.filter(first_name__startswith=prefix)
    )
    happening = services.notify(
        "test.reply",
        target=None,
        title="x",
        url="/",
        audience=("test.first_names", {"prefix": "Lid1"}),
    )
    assert happening.audience == {"name": "test.first_names", "args": {"prefix": "Lid1"}}
    late = User.objects.create_user(email="laat@voorbeeld.nl", password="x", first_name="Lid10")
    services.fan_out(happening.pk)
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        people[1].pk,
        late.pk,
    }
    with pytest.raises(LookupError):
        services.notify("test.reply", target=None, title="x", url="/", audience=("nope", {}))


def test_the_actor_does_not_hear_about_their_own_action(people):
    happening = services.notify(
        "test.reply", target=None, title="x", url="/", audience=[p.pk for p in people],
        actor=people[0],
    )  # fmt: skip
    services.fan_out(happening.pk)
    assert not Notification.objects.filter(recipient=people[0]).exists()


def test_private_group_news_reaches_members_only(people, private_group):
    record("test.private_news", audience=[p.pk for p in people], target=private_group)
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        people[0].pk,
        people[1].pk,
    }


def test_who_lost_access_before_the_email_went_out_gets_nothing(people, private_group):
    for person in people[:2]:
        services.set_preference(person, Category.COMMUNITY_NEWS, Frequency.IMMEDIATE)
    record("test.private_news", audience=[p.pk for p in people], target=private_group)
    private_group.user_set.remove(people[1])
    for delivery in Delivery.objects.all():
        services.send_delivery(delivery.pk)
    assert [m.to for m in mail.outbox] == [[people[0].email]]
    assert Delivery.objects.get(recipient=people[1]).state == "skipped"


def test_community_digests_are_off_for_people_who_joined_nothing(people, private_group):
    record("test.private_news", audience=[p.pk for p in people], target=private_group)
    # In-app always; no email delivery at all without a membership and without a choice.
    assert Notification.objects.count() == 2
    assert not Delivery.objects.exists()


def test_digest_bundles_unseen_items_once_and_is_never_empty(people):
    person = people[0]
    services.set_preference(person, Category.REPLIES, Frequency.DAILY)
    first = record(audience=[person.pk], title="Eerste vraag")
    record(audience=[person.pk], title="Tweede vraag")
    record(audience=[person.pk], title="Al gelezen vraag")
    services.mark_read(person, Notification.objects.get(happening__title="Al gelezen vraag").pk)

    today = datetime(2026, 11, 26).date()
    assert services.send_digest(person.pk, Frequency.DAILY, today) == 2
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Eerste vraag" in body and "Tweede vraag" in body and "Al gelezen" not in body
    assert Delivery.objects.get(happening=first).digest == DigestRun.objects.get()

    # The same period again: nothing. A later period with nothing new: nothing.
    assert services.send_digest(person.pk, Frequency.DAILY, today) == 0
    assert services.send_digest(person.pk, Frequency.DAILY, today + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_digests_are_due_from_seven_in_the_persons_own_time_zone(people):
    amsterdam, lima = people[0], people[1]
    lima.time_zone = "America/Lima"
    lima.save()
    for person in (amsterdam, lima):
        services.set_preference(person, Category.REPLIES, Frequency.DAILY)
    record(audience=[amsterdam.pk, lima.pk])
    due = services.due_digests
    # 05:00 UTC: 06:00 in Amsterdam, midnight in Lima: nobody's digest is due yet.
    assert due(Frequency.DAILY, datetime(2026, 11, 26, 5, tzinfo=UTC)) == []
    today = datetime(2026, 11, 26).date()
    # 06:00 UTC is 07:00 in Amsterdam: due there, not yet in Lima (01:00).
    assert due(Frequency.DAILY, datetime(2026, 11, 26, 6, tzinfo=UTC)) == [(amsterdam.pk, today)]
    services.send_digest(amsterdam.pk, Frequency.DAILY, today)
    # 12:00 UTC is 07:00 in Lima; Amsterdam already had today's digest.
    assert due(Frequency.DAILY, datetime(2026, 11, 26, 12, tzinfo=UTC)) == [(lima.pk, today)]
    # An hour lost to a broker outage is caught up later the same day.
    assert due(Frequency.DAILY, datetime(2026, 11, 26, 15, tzinfo=UTC)) == [(lima.pk, today)]


def test_weekly_digests_belong_to_the_monday_of_their_week():
    monday = datetime(2026, 11, 23).date()
    assert services.digest_period(Frequency.WEEKLY, datetime(2026, 11, 23, 7, 0)) == monday
    assert services.digest_period(Frequency.WEEKLY, datetime(2026, 11, 26, 15, 0)) == monday
    assert services.digest_period(Frequency.WEEKLY, datetime(2026, 11, 23, 6, 59)) is None


def test_unsubscribe_works_once_without_login_and_only_for_its_kind(client, people):
    person = people[0]
    services.set_preference(person, Category.MENTIONS, Frequency.IMMEDIATE)
    record(audience=[person.pk])
    services.send_delivery(Delivery.objects.get().pk)
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>").split("8000", 1)[1]

    page = client.get(url)
    assert page.status_code == 200
    assert "Reacties op mij" in page.content.decode()
    assert (
        services.preferences_for(person)[Category.REPLIES] == Frequency.IMMEDIATE
    )  # GET changes nothing

    # RFC 8058 one-click: a POST without session or CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    done = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    prefs = services.preferences_for(person)
    assert prefs[Category.REPLIES] == Frequency.OFF
    assert prefs[Category.MENTIONS] == Frequency.IMMEDIATE

    again = csrf_client.post(url)
    assert again.status_code == 400
    assert "al gebruikt" in again.content.decode()
    assert client.get(url.replace("afmelden/", "afmelden/x")).status_code == 400


def test_failed_delivery_retries_then_fails_visibly_and_can_be_retried(people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    record(audience=[people[0].pk])
    delivery = Delivery.objects.get()
    assert services.send_delivery(delivery.pk) == "pending"
    assert services.send_delivery(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and "ConnectionRefusedError" in delivery.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.retry_failed(Delivery.objects.all()) == 1
    assert services.send_delivery(delivery.pk) == "sent"
    assert len(mail.outbox) == 1


def test_sweeper_requeues_only_what_is_stale(people):
    happening = services.notify(
        "test.reply", target=None, title="x", url="/", audience=[people[0].pk]
    )
    assert services.sweep()["happenings"] == 0
    later = happening.created_at + timedelta(minutes=10)
    assert services.sweep(now=later)["happenings"] == 1


def test_fan_out_to_ten_thousand_people_has_a_bounded_query_count(
    django_assert_max_num_queries, settings
):
    settings.NOTIFICATIONS_FANOUT_CHUNK = 1000
    User.objects.bulk_create(
        [User(email=f"massa{i}@voorbeeld.nl", password="!") for i in range(10_000)],
        batch_size=2000,
    )
    ids = list(User.objects.filter(email__startswith="massa").values_list("pk", flat=True))
    happening = services.notify("test.reply", target=None, title="x", url="/", audience=ids)
    # 10 chunks of 1,000: a handful of queries per chunk, none per person. SQLite caps a
    # query at 999 parameters, so Django splits each bulk insert into a few statements.
    bound = 80 if connection.vendor == "postgresql" else 250
    with django_assert_max_num_queries(bound):
        assert services.fan_out(happening.pk) == 10_000
    assert Notification.objects.count() == 10_000
    assert Delivery.objects.count() == 10_000


# The notification centre -------------------------------------------------------------


def test_notification_centre_lists_marks_read_and_links_to_the_target(client, people):
    person = people[0]
    record(audience=[person.pk], title="Verslag werkbezoek Rotterdam")
    record(audience=[person.pk], title="Nieuwe vraag over leerwerktrajecten")
    client.force_login(person)

    page = client.get("/meldingen/").content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert re.search(r"Meldingen\s*<span class=\"site-badge\">2<", header)
    assert "Verslag werkbezoek Rotterdam" in page and "Nieuwe vraag over leerwerktrajecten" in page

    notification = Notification.objects.get(happening__title="Verslag werkbezoek Rotterdam")
    response = client.post(f"/meldingen/{notification.pk}/open/")
    assert response.headers["Location"] == "/netwerken/intervisie/"
    assert services.unread_count(person) == 1

    client.post("/meldingen/alles-gelezen/")
    assert services.unread_count(person) == 0
    # Someone else's notification cannot be opened or read.
    client.force_login(people[1])
    assert client.post(f"/meldingen/{notification.pk}/open/").headers["Location"] == "/meldingen/"


def test_notification_centre_query_budget(client, people, django_assert_max_num_queries):
    for i in range(30):
        record(audience=[people[0].pk], title=f"Melding {i}")
    client.force_login(people[0])
    client.get("/meldingen/")
    with django_assert_max_num_queries(14):
        assert client.get("/meldingen/").status_code == 200


def test_preferences_page_saves_each_category(client, people):
    client.force_login(people[0])
    data = dict.fromkeys(Category.values, Frequency.WEEKLY)
    data[Category.MENTIONS] = Frequency.OFF
    assert client.post("/meldingen/instellingen/", data).status_code == 302
    prefs = services.preferences_for(people[0])
    assert prefs[Category.MENTIONS] == Frequency.OFF
    assert prefs[Category.REPLIES] == Frequency.WEEKLY


def test_notification_pages_need_a_login(client):
    assert client.get("/meldingen/").headers["Location"].startswith("/account/login/")
    assert client.get("/meldingen/instellingen/").headers["Location"].startswith("/account/login/")


def test_privacy_export_and_deletion_cover_notifications(people):
    from via_platform.accounts import privacy

    person = people[0]
    record(audience=[person.pk], title="Over mijn gegevens")
    data = privacy.export_user_data(person)
    assert data["notifications"]["notifications"][0]["title"] == "Over mijn gegevens"
    privacy.delete_account(person)
    assert not Notification.objects.filter(recipient=person).exists()
    assert not Delivery.objects.filter(recipient=person).exists()


def test_admins_see_failed_deliveries_and_retry_them(client, people, settings):
    from tests.conftest import enable_totp

    record(audience=[people[0].pk], title="Mislukte melding")
    Delivery.objects.update(state="failed", attempts=6, last_error="SMTPDataError: 554")
    admin = User.objects.create_superuser(email="beheer@example.org", password="x")
    enable_totp(admin)
    client.force_login(admin)
    listing = client.get("/django-admin/notifications/delivery/?state__exact=failed")
    assert listing.status_code == 200 and "Lid0" in listing.content.decode()
    happenings = client.get("/django-admin/notifications/happening/").content.decode()
    assert "Mislukte melding" in happenings
    response = client.post(
        "/django-admin/notifications/delivery/",
        {
            "action": "retry",
            "_selected_action": list(Delivery.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    assert Delivery.objects.get().state == "pending"
