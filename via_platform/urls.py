import re
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import include, path, re_path, reverse
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import admin_guard
from cms import views as cms_views
from cms.visibility import PublicSitemap
from via_platform.accounts.urls import member_urlpatterns
from via_platform.health import healthz


def login_elsewhere(request):
    """Wagtail's and Django's own admin login forms know nothing of two-factor
    authentication: both send people to the platform's sign-in, with their `next`."""
    query = request.GET.urlencode()
    return HttpResponseRedirect(reverse("account_login") + (f"?{query}" if query else ""))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/login/", login_elsewhere),
    path("django-admin/login/", login_elsewhere),
    path("django-admin/", admin.site.urls),
    path("admin/", include(admin_guard.urlpatterns)),  # page views, for reachable pages
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("account/", include("via_platform.accounts.urls")),
    path("account/", include("allauth.urls")),
    path("leden/", include((member_urlpatterns, "members"))),
    path("taal/", set_language, name="set_language"),
    path("zoeken/", cms_views.search, name="search"),
    path("meldingen/", include("via_platform.notifications.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}, name="sitemap"),
    path("organisaties/", include("via_platform.organisations.urls")),
    path("agenda/", include("via_platform.events.urls")),  # .ics feeds; pages: Wagtail
    path("discussies/", include("via_platform.forums.urls")),  # discussions under pages
]

# Uploads that are public anyway: Wagtail's images and renditions, and profile photos
# (accounts.models.profile_photo_path). Never documents/: Wagtail serves documents
# through /documents/<id>/<filename>, where the permission hooks decide.
PUBLIC_MEDIA_FOLDERS = ("original_images", "images", "profielen")


def public_media_urlpatterns() -> list:
    """Serve the public media folders (development only). Each folder is its own
    document root, so a path with `..` cannot climb into another folder."""
    from django.views.static import serve

    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    return [
        re_path(
            rf"^{prefix}{folder}/(?P<path>.+)$",
            serve,
            {"document_root": Path(settings.MEDIA_ROOT) / folder},
        )
        for folder in PUBLIC_MEDIA_FOLDERS
    ]


if settings.DEBUG:
    urlpatterns += public_media_urlpatterns()

# Wagtail serves every other path from the page tree; keep this last.
urlpatterns += [path("", include(wagtail_urls))]
