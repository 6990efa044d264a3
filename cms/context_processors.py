"""What every public page's header and footer need, loaded once and only when used."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from cms.models import NavigationSettings


def _navigation(request):
    settings = NavigationSettings.load(request_or_site=request)
    return {
        "settings": settings,
        "main_menu": list(settings.main_menu_items.select_related("link_page")),
        "footer_links": list(settings.footer_links.select_related("link_page")),
    }


def site_chrome(request):
    return {"navigation": SimpleLazyObject(lambda: _navigation(request))}
