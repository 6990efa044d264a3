"""Brute force and abuse: login, the second factor, password reset, sign-up, posting,
flagging and event registration each have a limit that holds across browsers and web
processes. Below the limit everything works; at the limit the person reads why (HTTP
429, or the form again with the message and what they typed) and nothing is stored.

Allauth keeps its counters in the default cache (Redis in production, a file cache
shared by every process otherwise); the forum and registration limits count rows in the
database under a lock on the person's row. Either is shared by all web processes, which
each test shows by reaching the limit in one browser and being refused in another.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.test import Client, RequestFactory

from tests.conftest import enable_totp, totp_code
from tests.forums import PASSWORD as FORUM_PASSWORD
from tests.forums import community, member, person
from via_platform.accounts.models import User
from via_platform.events.models import Registration
from via_platform.forums import services as forums
from via_platform.forums.models import Flag, FlagReason, Post, Topic

pytestmark = pytest.mark.django_db

PASSWORD = "Een-lang-wachtwoord-42"
TOO_MANY_LOGINS = "Too many failed login attempts"


def english() -> Client:
    """A fresh browser (its own cookies and session) reading the English interface."""
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


@pytest.fixture
def account(db):
    user = User.objects.create_user(email="sanne@voorbeeld.nl", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def signed_in(browser: Client) -> bool:
    return "_auth_user_id" in browser.session


def failed_logins_from_this_address() -> int:
    """Allauth's per-IP count of failed logins, read through a new connection to the
    configured default cache, as another web process would read it."""
    from allauth.core.internal.ratelimit import get_cache_key, parse_rates

    request = RequestFactory().post("/account/login/")  # from 127.0.0.1, as the tests
    rate = next(
        rate
        for rate in parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"])
        if rate.per == "ip"
    )
    key = get_cache_key(request, app="allauth.account", action="login_failed", rate=rate)
    return len(caches.create_connection("default").get(key, []))


def test_rate_limits_live_in_the_cache_every_web_process_shares(client, account):
    """Not in one process's memory: a new connection to the configured cache (as in
    another gunicorn worker) sees the counter, and the cache is a shared kind."""
    assert isinstance(caches["default"], (RedisCache, FileBasedCache))
    assert failed_logins_from_this_address() == 0
    client.post("/account/login/", {"login": account.email, "password": "fout"})
    client.post("/account/login/", {"login": "iemand@voorbeeld.nl", "password": "fout"})
    assert failed_logins_from_this_address() == 2
    # A right password does not count (allauth rolls its attempt back).
    client.post("/account/login/", {"login": account.email, "password": PASSWORD})
    assert failed_logins_from_this_address() == 2


# Login -------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_in_every_browser(account):
    for attempt in range(5):
        page = english().post("/account/login/", {"login": account.email, "password": "fout"})
        assert page.status_code == 200
        assert TOO_MANY_LOGINS not in page.content.decode(), attempt
    # A sixth browser (another process, another session) with the right password.
    browser = english()
    page = browser.post("/account/login/", {"login": account.email, "password": PASSWORD})
    html = page.content.decode()
    assert TOO_MANY_LOGINS in html
    assert f'value="{account.email}"' in html  # what they typed is still there
    assert not signed_in(browser)
    # Another account from the same address still gets in (the lock is per account here).
    other = User.objects.create_user(email="ander@voorbeeld.nl", password=PASSWORD)
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    browser = english()
    browser.post("/account/login/", {"login": other.email, "password": PASSWORD})
    assert signed_in(browser)


def test_ten_failures_from_one_address_stop_guessing_across_accounts(account):
    """Password spraying: one wrong guess each for many addresses, from one IP."""
    for n in range(10):
        page = english().post(
            "/account/login/", {"login": f"gok{n}@voorbeeld.nl", "password": "Zomer2026!"}
        )
        assert TOO_MANY_LOGINS not in page.content.decode(), n
    browser = english()
    page = browser.post("/account/login/", {"login": account.email, "password": PASSWORD})
    assert TOO_MANY_LOGINS in page.content.decode()
    assert not signed_in(browser)


# The second factor --------------------------------------------------------------------------


def password_step(account) -> Client:
    browser = english()
    response = browser.post("/account/login/", {"login": account.email, "password": PASSWORD})
    assert response.headers["Location"] == "/account/2fa/authenticate/"
    return browser


def test_five_wrong_codes_stop_the_second_factor_in_every_browser(account):
    secret = enable_totp(account)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    laptop, phone = password_step(account), password_step(account)
    for attempt in range(5):
        page = (laptop if attempt % 2 else phone).post(
            "/account/2fa/authenticate/", {"code": wrong}
        )
        assert page.status_code == 200
        assert "Incorrect code" in page.content.decode(), attempt
    browser = password_step(account)
    page = browser.post("/account/2fa/authenticate/", {"code": totp_code(secret)})
    assert page.status_code == 200
    assert TOO_MANY_LOGINS in page.content.decode()
    assert not signed_in(browser)


def test_a_right_code_below_the_limit_signs_in(account):
    secret = enable_totp(account)
    browser = password_step(account)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    for _ in range(4):
        browser.post("/account/2fa/authenticate/", {"code": wrong})
    response = browser.post("/account/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert signed_in(browser)


# Password reset and sign-up -----------------------------------------------------------------


def test_password_reset_mails_stop_after_five_a_minute_for_one_address(account):
    for n in range(5):
        response = english().post("/account/password/reset/", {"email": account.email})
        assert response.status_code == 302, n
    assert len(mail.outbox) == 5
    page = english().post("/account/password/reset/", {"email": account.email})
    assert page.status_code == 429
    assert "Too many attempts" in page.content.decode()
    assert len(mail.outbox) == 5  # no sixth mail in the person's inbox


def test_sign_up_stops_after_twenty_a_minute_from_one_address(db):
    for n in range(20):
        response = english().post(
            "/account/signup/",
            {"email": f"nieuw{n}@voorbeeld.nl", "password1": PASSWORD, "password2": PASSWORD},
        )
        assert response.status_code == 302, n
    page = english().post(
        "/account/signup/",
        {"email": "nummer21@voorbeeld.nl", "password1": PASSWORD, "password2": PASSWORD},
    )
    html = page.content.decode()
    assert page.status_code == 429
    assert "Too many attempts" in html and "wait a few minutes" in html
    assert User.objects.count() == 20
    assert not User.objects.filter(email="nummer21@voorbeeld.nl").exists()
    # In Dutch for Dutch visitors.
    dutch = Client().post("/account/signup/", {"email": "x@voorbeeld.nl"})
    assert dutch.status_code == 429
    assert '<html lang="nl"' in dutch.content.decode()


# Forum posting and flagging -----------------------------------------------------------------


@pytest.fixture
def forum(db):
    place = community("Netwerk Zwolle")
    author = member(place)
    topic = forums.start_topic(author, place, title="Werkproeven", body="Wie heeft ervaring?")
    return place, topic


def forum_browser(user) -> Client:
    browser = english()
    assert browser.login(email=user.email, password=FORUM_PASSWORD)
    return browser


def reply(browser: Client, topic: Topic, text: str):
    return browser.post(f"{forums.topic_url(topic)}reageren/", {"body": text})


def test_posting_stops_at_six_a_minute_across_browsers_and_keeps_the_text(forum):
    place, topic = forum
    writer = member(place)
    laptop, phone = forum_browser(writer), forum_browser(writer)
    for n in range(6):
        response = reply(laptop if n % 2 else phone, topic, f"Reactie nummer {n}.")
        assert response.status_code == 302, n
    page = reply(phone, topic, "De zevende reactie, <b>vet</b>.")
    html = page.content.decode()
    assert page.status_code == 200
    assert "You can post 6 messages a minute" in html
    assert "De zevende reactie, &lt;b&gt;vet&lt;/b&gt;." in html  # kept, in the textarea
    assert Post.objects.filter(author=writer).count() == 6


def test_new_members_may_post_two_messages_a_minute(forum):
    place, topic = forum
    newcomer = member(place, joined_days_ago=1)
    laptop, phone = forum_browser(newcomer), forum_browser(newcomer)
    assert reply(laptop, topic, "Hallo allemaal.").status_code == 302
    assert reply(phone, topic, "Nog een vraag.").status_code == 302
    page = reply(laptop, topic, "En nog een.")
    assert "You can post 2 messages a minute" in page.content.decode()
    assert Post.objects.filter(author=newcomer).count() == 2


def test_flagging_stops_at_ten_an_hour_across_browsers(forum):
    place, topic = forum
    reporter = member(place)
    posts = [
        forums.reply(member(place), topic, body=f"Bericht {n} met reclame.") for n in range(11)
    ]
    laptop, phone = forum_browser(reporter), forum_browser(reporter)
    url = forums.topic_url(topic)
    for n, post in enumerate(posts[:10]):
        browser = laptop if n % 2 else phone
        response = browser.post(
            f"{url}berichten/{post.pk}/melden/", {"reason": FlagReason.SPAM, "note": f"{n}"}
        )
        assert response.status_code == 302, n
    page = laptop.post(
        f"{url}berichten/{posts[10].pk}/melden/",
        {"reason": FlagReason.PRIVACY, "note": "Staat een BSN in."},
    )
    html = page.content.decode()
    assert "You have reported 10 messages in the last hour" in html
    assert "Staat een BSN in." in html
    assert Flag.objects.filter(reporter=reporter).count() == 10
    assert not Flag.objects.filter(post=posts[10]).exists()


# Event registration -------------------------------------------------------------------------


def test_registration_stops_at_twenty_dates_an_hour_and_keeps_the_answers(db):
    from tests.learning import event

    series = event(
        "Intervisie klantmanagers",
        days=2,
        recurrence="FREQ=WEEKLY;COUNT=22",
        ask_dietary=True,
        capacity=50,
    )
    dates = list(series.occurrences.order_by("start"))
    assert len(dates) == 22
    registrant = person()
    laptop, phone = forum_browser(registrant), forum_browser(registrant)
    url = f"{series.url}aanmelden/"
    for n, occurrence in enumerate(dates[:20]):
        browser = laptop if n % 2 else phone
        response = browser.post(
            url, {"occurrence": occurrence.pk, f"o{occurrence.pk}-dietary_needs": "vegetarisch"}
        )
        assert response.status_code == 302, n
    assert Registration.objects.filter(user=registrant).count() == 20
    # Asking again for a date one already has is harmless, also at the limit.
    again = laptop.post(url, {"occurrence": dates[0].pk})
    assert again.status_code == 302

    extra = dates[20]
    page = laptop.post(url, {"occurrence": extra.pk, f"o{extra.pk}-dietary_needs": "Halal, graag"})
    html = page.content.decode()
    assert page.status_code == 429
    assert "You registered for 20 dates in the last hour, the most we accept" in html
    assert re.search(rf'name="o{extra.pk}-dietary_needs"[^>]*value="Halal, graag"', html)
    assert Registration.objects.filter(user=registrant).count() == 20
    assert not Registration.objects.filter(occurrence=extra).exists()


def test_the_registration_limit_is_a_setting(db, settings):
    from tests.learning import event

    settings.EVENTS_REGISTRATIONS_PER_HOUR = 1
    first, second = event("Werkagenda VIA", days=3), event("Terugkomdag", days=4)
    registrant = person()
    browser = forum_browser(registrant)
    ok = browser.post(f"{first.url}aanmelden/", {"occurrence": first.occurrences.get().pk})
    assert ok.status_code == 302
    refused = browser.post(f"{second.url}aanmelden/", {"occurrence": second.occurrences.get().pk})
    assert refused.status_code == 429
    assert "You registered for 1 date in the last hour" in refused.content.decode()
    assert Registration.objects.filter(user=registrant).count() == 1
