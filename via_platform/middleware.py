"""Cross-cutting request handling: interface language and the Content-Security-Policy."""

from __future__ import annotations

from csp.constants import HEADER, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation


def request_language(request: HttpRequest) -> str:
    """The language this request is answered in: the person's choice, else Dutch."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _name in settings.LANGUAGES}
    return language if language in supported else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Dutch unless the person chose English with the language switcher.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language header on
    purpose: the platform speaks Dutch first, and a klantmanager on an English-language
    laptop should not land on an English interface they never asked for. URLs carry no
    language prefix, so the Dutch URLs are the only URLs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.get("Vary", "")
        if "Cookie" not in patch_vary:
            response["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict policy everywhere, except inline styles in the Wagtail admin.

    Wagtail's admin sets `style` attributes from its own JavaScript; the public site needs
    neither inline scripts nor inline styles. Wagtail's preview is shown in a frame of the
    editor: its views ask for `X-Frame-Options: SAMEORIGIN`, and only there may the page
    be framed, by the same origin (`frame-ancestors 'self'`; elsewhere 'none').
    """

    admin_prefixes = ("/admin/", "/django-admin/")

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        if self._is_preview(request, response):
            # Wagtail renders the preview through the whole middleware stack as a request
            # for the page's own URL, so it comes with the page's policy: the admin's
            # replaces it.
            response.headers.pop(HEADER, None)
        return super().process_response(request, response)

    def _is_preview(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        return (
            request.path_info.startswith(self.admin_prefixes)
            and response.get("X-Frame-Options") == "SAMEORIGIN"
        )

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(self.admin_prefixes):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
            if self._is_preview(request, response):
                parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
