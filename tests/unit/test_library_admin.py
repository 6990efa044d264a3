"""Editors manage the kennisbank in the Wagtail admin: practices, the menukaart and the
collections open in the page editor, and the members-only rule holds there too."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.text import slugify
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from tests.conftest import enable_totp
from tests.library import library_index
from via_platform.accounts.models import User
from via_platform.communities.models import CommunityPage, ContentVisibility
from via_platform.library.models import CollectionPage, MenukaartPage, PracticePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(demo_site, settings) -> Client:
    person = User.objects.get(email="redacteur@voorbeeld.nl")
    enable_totp(person)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(person)
    return client


def test_every_kennisbank_page_type_opens_in_the_editor(editor):
    index = library_index()
    for model in (PracticePage, MenukaartPage, CollectionPage):
        existing = model.objects.child_of(index).live().first()
        assert existing is not None, f"the demo has a {model.__name__}"
        edit = editor.get(f"/admin/pages/{existing.pk}/edit/")
        assert edit.status_code == 200, model
        add = editor.get(f"/admin/pages/add/library/{model._meta.model_name}/{index.pk}/")
        assert add.status_code == 200, model


def _practice_form(title: str, communities: list[CommunityPage], members_only: bool) -> dict:
    data = {
        "title": title,
        "slug": slugify(title),
        "summary": "Een samenvatting.",
        "problem": rich_text("<p>Het knelpunt.</p>"),
        "approach": rich_text("<p>De aanpak.</p>"),
        "results": rich_text(""),
        "evidence_level": "praktijk",
        "documents": inline_formset([]),
        "links": inline_formset([]),
        "related": inline_formset([]),
        "comments": inline_formset([]),
    }
    if members_only:
        data["members_only"] = "on"
    return {**nested_form_data(data), "communities": [c.pk for c in communities]}


def test_members_only_needs_communities_that_keep_content_for_members(editor):
    index = library_index()
    public = CommunityPage.objects.filter(content_visibility=ContentVisibility.PUBLIC).first()
    private = CommunityPage.objects.filter(content_visibility=ContentVisibility.MEMBERS).first()
    url = f"/admin/pages/add/library/practicepage/{index.pk}/"

    refused = editor.post(url, _practice_form("Intervisie in het openbaar", [public], True))
    assert refused.status_code == 200
    assert "keep their content for members" in refused.content.decode()
    assert not Page.objects.filter(title="Intervisie in het openbaar").exists()

    accepted = editor.post(url, _practice_form("Intervisie voor leden", [private], True))
    assert accepted.status_code == 302, accepted.context["form"].errors
    saved = PracticePage.objects.get(title="Intervisie voor leden")
    assert saved.members_only and list(saved.communities.all()) == [private]
