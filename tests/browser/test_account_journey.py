"""A klantmanager joins, proves who they are, sets up 2FA, takes their data and leaves.

The verification mail is read from what the platform really sent over SMTP.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.conftest import totp_code, wait_for
from via_platform.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "fatima.elamrani@rotterdam.example"
PASSWORD = "Leerwerktraject-2026!"


def assert_accessible(page):
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == [], page.url


def log_in(page, email: str, password: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def confirm_password(page, password: str) -> None:
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Bevestig").click()
    page.wait_for_load_state()


def activate_totp(page, password: str) -> str:
    """From allauth's password check through the authenticator setup; returns the secret."""
    page.wait_for_url("**/account/reauthenticate/**")
    assert_accessible(page)
    confirm_password(page, password)
    page.wait_for_url("**/account/2fa/totp/activate/")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activeer").click()
    page.wait_for_url("**/account/2fa/recovery-codes/**")
    assert_accessible(page)
    return secret


def test_join_verify_profile_2fa_export_and_leave(demo_site, page, smtp_server):
    _controller, inbox = smtp_server

    # Sign up.
    page.goto("/account/signup/")
    assert_accessible(page)
    page.get_by_label("E-mail", exact=True).fill(EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (bevestigen)").fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken").click()
    page.wait_for_url("**/account/confirm-email/")
    assert_accessible(page)

    # The verification mail arrives over SMTP; its link confirms the address.
    body = wait_for(lambda: inbox.bodies_to(EMAIL), timeout=20)[0]
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", body).group(0)
    page.goto(urlsplit(link).path)
    assert_accessible(page)
    page.get_by_role("button", name="Bevestig").click()

    # Complete the profile.
    log_in(page, EMAIL, PASSWORD)
    page.goto("/account/profiel/")
    assert_accessible(page)
    page.get_by_label("Voornaam").fill("Fatima")
    page.get_by_label("Achternaam").fill("El Amrani")
    page.get_by_label(re.compile(r"^Functie")).select_option("klantmanager")
    page.get_by_label(re.compile(r"^Arbeidsmarktregio")).select_option(label="Rijnmond")
    page.get_by_label(re.compile(r"^Organisatie")).select_option(label="Gemeente Rotterdam")
    page.get_by_role("group", name="Wie ziet mijn naam?").get_by_label("Iedereen").check()
    page.get_by_role("button", name="Profiel opslaan").click()
    expect(page.get_by_text("Je profiel is opgeslagen")).to_be_visible()
    user = User.objects.get(email=EMAIL)
    assert user.get_full_name() == "Fatima El Amrani"
    assert user.profile.organisation.name == "Gemeente Rotterdam"

    # Turn on two-factor authentication with an authenticator app.
    page.goto("/account/2fa/")
    assert_accessible(page)
    page.goto("/account/2fa/totp/activate/")
    secret = activate_totp(page, PASSWORD)

    # Log out; logging in again asks for a code.
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, EMAIL, PASSWORD)
    page.wait_for_url("**/account/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code(secret, periods_ahead=1))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    # Download my data.
    page.goto("/account/privacy/")
    assert_accessible(page)
    page.get_by_label("Je wachtwoord").first.fill(PASSWORD)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download mijn gegevens").click()
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == EMAIL
    assert data["account"]["profile"]["organisation"] == "Gemeente Rotterdam"

    # Delete the account.
    delete = page.locator("form[action$='/verwijderen/']")
    delete.get_by_label("Je wachtwoord").fill("verkeerd")
    delete.get_by_role("checkbox").check()
    delete.get_by_role("button", name="Verwijder mijn account").click()
    expect(page.get_by_text("niet je huidige wachtwoord")).to_be_visible()
    assert_accessible(page)
    delete = page.locator("form[action$='/verwijderen/']")
    delete.get_by_label("Je wachtwoord").fill(PASSWORD)
    delete.get_by_role("checkbox").check()
    delete.get_by_role("button", name="Verwijder mijn account").click()
    expect(page.get_by_text("Je account is verwijderd")).to_be_visible()
    assert not User.objects.filter(email=EMAIL).exists()


def test_coordinator_without_2fa_is_led_to_set_it_up(demo_site, page):
    log_in(page, "coordinator@voorbeeld.nl", "leernetwerk-demo")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    page.goto("/admin/")
    # allauth asks for the password again before any security change.
    page.wait_for_url("**/account/reauthenticate/**")
    expect(page.get_by_text("tweestapsverificatie").first).to_be_visible()
    activate_totp(page, "leernetwerk-demo")
    # Once it is on, the way back to where they were going is offered.
    page.get_by_role("link", name="Ga verder waar je heen wilde").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("heading", level=1).count() >= 1


@pytest.mark.parametrize(
    "path",
    [
        "/account/password/reset/",
        "/account/email/",
        "/account/password/change/",
        "/account/profiel/",
        "/account/privacy/",
        "/organisaties/",
        "/organisaties/gemeente-rotterdam/",
        "/meldingen/",
        "/meldingen/instellingen/",
        "member-page",
    ],
)
def test_account_and_directory_pages_are_accessible(demo_site, page, path):
    log_in(page, "klantmanager@voorbeeld.nl", "leernetwerk-demo")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    if path == "member-page":
        path = f"/leden/{User.objects.get(email='klantmanager@voorbeeld.nl').pk}/"
    page.goto(path)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_notification_centre_journey(demo_site, page):
    """The demo klantmanager reads the welcome, which leads to the profile."""
    from via_platform.notifications import services
    from via_platform.notifications.models import Happening

    for happening in Happening.objects.filter(fanout_state="pending"):
        services.fan_out(happening.pk)
    log_in(page, "klantmanager@voorbeeld.nl", "leernetwerk-demo")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name=re.compile(r"Meldingen\s*1 ongelezen"))).to_be_visible()
    header.get_by_role("link", name=re.compile("Meldingen")).click()
    page.get_by_role("button", name=re.compile("Welkom")).click()
    page.wait_for_url("**/account/profiel/")
    assert page.get_by_role("banner").get_by_text("ongelezen").count() == 0


def test_unsubscribe_page_is_accessible_without_login(demo_site, page):
    from via_platform.notifications.registry import Category
    from via_platform.notifications.services import unsubscribe_token

    person = User.objects.get(email="werkgever@voorbeeld.nl")
    page.goto(f"/meldingen/afmelden/{unsubscribe_token(person.pk, Category.REPLIES, 'd1')}/")
    assert_accessible(page)
    page.get_by_role("button", name="Stop deze e-mails").click()
    expect(page.get_by_text("Gelukt")).to_be_visible()
    assert_accessible(page)
