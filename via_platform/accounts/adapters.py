"""Allauth adapters: where the platform's rules meet allauth's flows."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        return super().clean_email(email).strip().lower()

    def pre_login(self, request, user, **kwargs):
        # A new session key once the password is right, before the second factor is
        # asked: a key planted before login never holds the half-finished login. Django's
        # login() gives another new key when the person is fully signed in.
        request.session.cycle_key()
        return super().pre_login(request, user, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on through a gemeente's identity provider.

    Only a verified email claim may create an account; an existing account is never
    taken over by a matching address (the person links SSO from their settings).
    """

    def pre_social_login(self, request, sociallogin) -> None:
        # Allauth copies the IdP's `email_verified` claim as is. Only a real "true"
        # (some IdPs send a string) marks the address verified, never a truthy "false".
        for address in sociallogin.email_addresses:
            address.verified = str(address.verified).lower() == "true"
        super().pre_social_login(request, sociallogin)

    def is_open_for_signup(self, request, sociallogin) -> bool:
        # A new account only for an address the IdP vouches for. Otherwise allauth shows
        # its "sign-up closed" page; the message says why and what to do instead.
        if any(address.verified for address in sociallogin.email_addresses):
            return True
        from django.contrib import messages
        from django.utils.translation import gettext

        messages.error(
            request,
            gettext(
                "Your organisation's login service has not confirmed your email address, "
                "so we cannot create an account with it. Sign up with your email address "
                "and a password instead."
            ),
        )
        return False
