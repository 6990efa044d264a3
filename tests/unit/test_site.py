"""The public site as an anonymous visitor and a member see it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Page, PageViewRestriction

from cms.models import ContentPage, HomePage
from tests.conftest import enable_totp
from workers.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_home_lists_the_sections_of_the_url_scheme(demo_site, client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for path in ("/netwerken/", "/kennisbank/", "/agenda/", "/leren/"):
        assert f'href="{path}"' in html
        assert client.get(path).status_code == 200
    assert client.get("/zoeken/").status_code == 200


def test_public_pages_carry_a_strict_content_security_policy(demo_site, client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_interface_is_dutch_by_default_even_for_an_english_browser(demo_site, client):
    response = client.get("/over-via/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "nl"
    assert '<html lang="nl"' in response.content.decode()


def test_language_switcher_sets_english_and_returns_to_the_page(demo_site, client):
    response = client.post("/taal/", {"language": "en", "next": "/over-via/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/over-via/"
    page = client.get("/over-via/")
    assert '<html lang="en"' in page.content.decode()
    assert page.headers["Content-Language"] == "en"


def test_switcher_refuses_to_redirect_off_site(demo_site, client):
    response = client.post("/taal/", {"language": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_unknown_page_is_a_dutch_404(demo_site, client):
    response = client.get("/bestaat-niet/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def _restricted_page(home: HomePage) -> ContentPage:
    secret = ContentPage(title="Besloten verslag intervisie", slug="besloten", intro="knelpunt")
    home.add_child(instance=secret)
    secret.save_revision().publish()
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.GROUPS
    ).groups.add(Group.objects.get(name="Redacteuren"))
    return secret


def test_search_finds_public_pages_but_never_restricted_or_draft_ones(demo_site, client):
    home = HomePage.objects.get()
    _restricted_page(home)
    draft = ContentPage(title="Concept knelpunt statushouders", slug="concept", live=False)
    home.add_child(instance=draft)

    html = client.get("/zoeken/", {"q": "statushouders"}).content.decode()
    assert "Lerende netwerken voor gemeenten" in html
    assert "Concept knelpunt" not in html
    assert "Besloten verslag" not in client.get("/zoeken/", {"q": "besloten"}).content.decode()


def test_search_keeps_the_query_and_says_when_nothing_was_found(demo_site, client):
    html = client.get("/zoeken/", {"q": "xyzzy-onvindbaar"}).content.decode()
    assert 'value="xyzzy-onvindbaar"' in html
    assert "Niets gevonden" in html


def test_sitemap_lists_public_pages_only(demo_site, client):
    _restricted_page(HomePage.objects.get())
    xml = client.get("/sitemap.xml").content.decode()
    assert "/over-via/</loc>" in xml
    assert "/netwerken/</loc>" in xml
    assert "besloten" not in xml


def test_home_page_query_budget(demo_site, client, django_assert_max_num_queries):
    client.get("/")  # warm Wagtail's site cache
    # The section list costs one query per section page type (networks, library,
    # agenda, learning), not per section.
    with django_assert_max_num_queries(13):
        assert client.get("/").status_code == 200


def test_healthz_reports_each_dependency(demo_site, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_is_503_when_the_broker_is_unreachable(client, monkeypatch):
    # Port 9 on loopback: nothing listens, so the connection is really refused.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:9/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_seed_demo_is_idempotent_and_creates_the_demo_accounts(demo_site, django_user_model):
    pages, users = Page.objects.count(), django_user_model.objects.count()
    call_command("seed_demo", stdout=__import__("io").StringIO())
    assert Page.objects.count() == pages
    assert django_user_model.objects.count() == users
    admin = django_user_model.objects.get(email="beheer@voorbeeld.nl")
    assert admin.is_superuser and admin.check_password("leernetwerk-demo")
    editor = django_user_model.objects.get(email="redacteur@voorbeeld.nl")
    assert editor.groups.filter(name="Redacteuren").exists() and not editor.is_superuser
    for email in ("coordinator", "klantmanager", "werkgever"):
        user = django_user_model.objects.get(email=f"{email}@voorbeeld.nl")
        assert user.check_password("leernetwerk-demo")


def test_seed_demo_refuses_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")


def test_admins_reach_wagtail_and_django_admin(demo_site, client, django_user_model):
    admin = django_user_model.objects.get(email="beheer@voorbeeld.nl")
    enable_totp(admin)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 200
    editor = django_user_model.objects.get(email="redacteur@voorbeeld.nl")
    enable_totp(editor)
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 302
