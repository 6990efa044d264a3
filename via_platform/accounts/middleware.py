"""Send people who must use two-factor authentication to set it up first."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from via_platform.accounts.services import has_mfa, requires_mfa

# The tools that need it: the Wagtail and Django admins, and the coordinator pages that
# later apps register (see PROTECTED_PREFIXES.append in their AppConfig.ready()).
PROTECTED_PREFIXES = ["/admin/", "/django-admin/"]
CONTINUE_SESSION_KEY = "mfa_continue_to"


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith(tuple(PROTECTED_PREFIXES))
            and requires_mfa(user)
        ):
            if has_mfa(user):
                request.session.pop(CONTINUE_SESSION_KEY, None)
                return self.get_response(request)
            # Remembered so the 2FA pages can offer the way back once it is set up.
            request.session[CONTINUE_SESSION_KEY] = request.get_full_path()
            messages.warning(
                request,
                _(
                    "Your role requires two-factor authentication. Set it up first; "
                    "then you can continue to where you were going."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
