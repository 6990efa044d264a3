"""Single sign-on through a gemeente's OpenID Connect identity provider, end to end.

A fake identity provider runs inside the test on 127.0.0.1 (discovery, authorize, token
with PKCE, userinfo, JWKS; RS256-signed ID tokens). Allauth talks to it over real HTTP;
the browser's hop to /authorize is made with `requests`, everything on our side with
Django's test client. SOCIALACCOUNT_PROVIDERS is built exactly as via_platform/settings.py
builds it when OIDC_ISSUER is set.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PROVIDER_ID = "gemeente"
BUTTON_LABEL = "Inloggen met Gemeente Voorbeeldstad"
UNVERIFIED_MESSAGE = (
    "Your organisation's login service has not confirmed your email address, "
    "so we cannot create an account with it. Sign up with your email address "
    "and a password instead."
)

User = get_user_model()


# ---------------------------------------------------------------------------
# The fake identity provider
# ---------------------------------------------------------------------------
def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class FakeIdP:
    """A minimal OpenID Connect provider: authorization code flow with PKCE (S256)."""

    client_id = "via-leernetwerken"
    client_secret = "geheim-van-de-gemeente"
    kid = "test-key-1"

    def __init__(self) -> None:
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.person = {
            "sub": f"ambtenaar-{uuid.uuid4().hex[:12]}",
            # A fresh address per test: allauth's rate limits live in the shared cache.
            "email": f"anna.{uuid.uuid4().hex[:8]}@voorbeeldstad.nl",
            "email_verified": True,
            "given_name": "Anna",
            "family_name": "de Vries",
        }
        self.codes: dict[str, dict] = {}  # code -> what the authorize request asked for
        self.access_tokens: dict[str, dict] = {}  # access token -> claims
        self.id_tokens: list[str] = []
        self.errors: list[str] = []  # protocol errors the IdP answered with 400/401
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _IdPHandler)
        self.server.idp = self
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "scopes_supported": ["openid", "profile", "email"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        claims = {
            **self.person,
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
        }
        if nonce:
            claims["nonce"] = nonce
        token = jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})
        self.id_tokens.append(token)
        return token


class _IdPHandler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    @property
    def idp(self) -> FakeIdP:
        return self.server.idp  # type: ignore[attr-defined]

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass  # keep pytest's output clean

    def _json(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, error: str) -> None:
        self.idp.errors.append(f"{self.command} {urlsplit(self.path).path}: {error}")
        self._json(status, {"error": error})

    def do_GET(self):  # noqa: N802 - the http.server API
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            self._json(200, self.idp.discovery())
        elif url.path == "/jwks":
            self._json(200, self.idp.jwks())
        elif url.path == "/authorize":
            self._authorize(query)
        elif url.path == "/userinfo":
            self._userinfo()
        else:
            self._error(404, "not_found")

    def do_POST(self):  # noqa: N802 - the http.server API
        if urlsplit(self.path).path != "/token":
            self._error(404, "not_found")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        self._token({key: values[0] for key, values in parse_qs(body).items()})

    def _authorize(self, query: dict) -> None:
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.idp.client_id:
            return self._error(400, "unauthorized_client")
        if not redirect_uri.startswith(("http://", "https://")):
            return self._error(400, "invalid_request: redirect_uri")
        if query.get("response_type") != "code" or "openid" not in query.get("scope", ""):
            return self._error(400, "invalid_request: response_type/scope")
        if not query.get("state"):
            return self._error(400, "invalid_request: state")
        if not query.get("code_challenge") or query.get("code_challenge_method") != "S256":
            return self._error(400, "invalid_request: PKCE S256 required")
        code = secrets.token_urlsafe(24)
        self.idp.codes[code] = {
            "redirect_uri": redirect_uri,
            "code_challenge": query["code_challenge"],
            "nonce": query.get("nonce"),
        }
        separator = "&" if "?" in redirect_uri else "?"
        location = f"{redirect_uri}{separator}{urlencode({'code': code, 'state': query['state']})}"
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _token(self, form: dict) -> None:
        if form.get("grant_type") != "authorization_code":
            return self._error(400, "unsupported_grant_type")
        if (form.get("client_id"), form.get("client_secret")) != (
            self.idp.client_id,
            self.idp.client_secret,
        ):
            return self._error(401, "invalid_client")
        grant = self.idp.codes.pop(form.get("code", ""), None)  # a code works only once
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return self._error(400, "invalid_grant")
        verifier = form.get("code_verifier", "")
        if (
            not verifier
            or _b64url(hashlib.sha256(verifier.encode()).digest()) != (grant["code_challenge"])
        ):
            return self._error(400, "invalid_grant: code_verifier")
        access_token = secrets.token_urlsafe(24)
        self.idp.access_tokens[access_token] = dict(self.idp.person)
        self._json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.idp.id_token(grant["nonce"]),
            },
        )

    def _userinfo(self) -> None:
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        claims = self.idp.access_tokens.get(token) if scheme == "Bearer" else None
        if claims is None:
            return self._error(401, "invalid_token")
        self._json(200, claims)


# ---------------------------------------------------------------------------
# Fixtures and the browser's part of the flow
# ---------------------------------------------------------------------------
@pytest.fixture
def idp(monkeypatch):
    # Allauth's server-to-server calls go straight to 127.0.0.1, never via a proxy.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = FakeIdP()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def oidc(settings, idp):
    """SOCIALACCOUNT_PROVIDERS as settings.py builds it for OIDC_ISSUER=<the fake IdP>."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": BUTTON_LABEL,
                    "client_id": idp.client_id,
                    "secret": idp.client_secret,
                    "settings": {"server_url": idp.issuer},
                }
            ],
        }
    }
    return idp


def login_url() -> str:
    return reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})


def callback_path() -> str:
    return reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER_ID})


def sign_in_with_sso(client, idp: FakeIdP):
    """Button → confirmation page → POST → IdP → callback; the callback's response."""
    confirmation = client.get(login_url())
    assert confirmation.status_code == 200
    assertContains(confirmation, 'method="post"')
    assertContains(confirmation, BUTTON_LABEL)

    to_idp = client.post(login_url())
    assert to_idp.status_code == 302
    authorize_url = to_idp["Location"]
    assert authorize_url.startswith(f"{idp.issuer}/authorize?")

    back = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    callback = back.headers["Location"]
    assert urlsplit(callback).path == callback_path()
    return client.get(callback)


def logged_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------
def test_first_sso_login_creates_a_verified_account_and_logs_in(client, oidc):
    response = sign_in_with_sso(client, oidc)

    assert oidc.errors == []
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(email=oidc.person["email"])
    assert logged_in_user_id(client) == str(user.pk)
    assert (user.first_name, user.last_name) == ("Anna", "de Vries")
    assert not user.has_usable_password()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (
        oidc.person["email"],
        True,
        True,
    )
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == (PROVIDER_ID, oidc.person["sub"])

    # The header now offers to sign out.
    with translation.override("nl"):
        sign_out = translation.gettext("Sign Out")
    assertContains(client.get(reverse("account_email")), sign_out)

    # Allauth trusts the ID token it fetched itself without checking the signature; make
    # sure the fake IdP's token and JWKS would pass that check anyway.
    claims = jwtkit.verify_and_decode(
        credential=oidc.id_tokens[-1],
        keys_url=f"{oidc.issuer}/jwks",
        issuer=oidc.issuer,
        audience=oidc.client_id,
        lookup_kid=jwtkit.lookup_kid_jwk,
    )
    assert claims["sub"] == oidc.person["sub"]


def test_second_sso_login_uses_the_same_account(client, oidc):
    sign_in_with_sso(client, oidc)
    first = User.objects.get(email=oidc.person["email"])
    client.logout()
    assert logged_in_user_id(client) is None

    response = sign_in_with_sso(client, oidc)

    assert oidc.errors == []
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(first.pk)
    assert User.objects.filter(email=oidc.person["email"]).count() == 1
    assert SocialAccount.objects.filter(uid=oidc.person["sub"]).count() == 1


@pytest.mark.parametrize("claim", [False, "false"])
def test_unverified_email_creates_no_account(client, oidc, claim):
    oidc.person["email_verified"] = claim

    response = sign_in_with_sso(client, oidc)

    assert oidc.errors == []
    assert response.status_code == 200  # allauth's "sign-up closed" page
    with translation.override("nl"):
        message = translation.gettext(UNVERIFIED_MESSAGE)
    assertContains(response, escape(message))
    assert logged_in_user_id(client) is None
    assert not User.objects.filter(email=oidc.person["email"]).exists()
    assert not SocialAccount.objects.exists()
    assert not EmailAddress.objects.filter(email=oidc.person["email"]).exists()


def test_existing_password_account_is_not_taken_over(client, oidc):
    existing = User.objects.create_user(
        email=oidc.person["email"], password="Een-lang-wachtwoord-1"
    )
    EmailAddress.objects.create(user=existing, email=existing.email, verified=True, primary=True)
    mail.outbox.clear()

    response = sign_in_with_sso(client, oidc)

    assert oidc.errors == []
    # Enumeration prevention: it looks like a verification mail went out; in fact the
    # owner of the address is told an account exists. Nobody is logged in or linked.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert logged_in_user_id(client) != str(existing.pk)
    assert logged_in_user_id(client) is None
    assert not SocialAccount.objects.exists()
    assert User.objects.filter(email=oidc.person["email"]).count() == 1
    assert [message.to for message in mail.outbox] == [[existing.email]]


def test_without_oidc_issuer_there_is_no_sso(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}  # what settings.py builds when OIDC_ISSUER is unset

    page = client.get(reverse("account_login"))

    assert page.status_code == 200
    assertNotContains(page, "/account/oidc/")
    with translation.override("nl"):
        assertNotContains(page, translation.gettext("Or use a third-party"))
    assert client.get(login_url()).status_code == 404
    assert client.post(login_url()).status_code == 404


def test_login_page_shows_the_configured_sso_button(client, oidc):
    page = client.get(reverse("account_login"))

    assert page.status_code == 200
    assertContains(
        page,
        f'<a class="utrecht-button-link utrecht-button-link--html-a '
        f'utrecht-button-link--secondary-action" href="{login_url()}?process=login">'
        f"{BUTTON_LABEL}</a>",
        html=True,
    )
    assertContains(page, BUTTON_LABEL, count=1)
