from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from cms.visibility import PublicSitemap
from via_platform.accounts.urls import member_urlpatterns
from via_platform.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
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
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; keep this last.
urlpatterns += [path("", include(wagtail_urls))]
