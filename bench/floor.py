"""The benchmark's floor: a bare Django app whose one view returns, from memory, a body
as large as the platform's home page (BENCH_FLOOR_BYTES).

`python -m bench.production` serves it with gunicorn next to the platform, with the same
worker settings, and reports every page's throughput also as a ratio to this one: the
ratio holds when the machine is busy with something else, where absolute figures do
not. No middleware, no database, no templates: what is left is gunicorn, the WSGI
handler, URL resolving and the response.

    gunicorn bench.floor:application   (with DJANGO_SETTINGS_MODULE unset)
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import re_path

DEFAULT_BYTES = 20_000
FILLER = b"<p>Floor of the VIA Leernetwerken benchmark: a body from memory.</p>\n"


def make_body(size: int) -> bytes:
    """An HTML-ish body of exactly `size` bytes."""
    size = max(size, 0)
    return (FILLER * (size // len(FILLER) + 1))[:size]


BODY = make_body(int(os.environ.get("BENCH_FLOOR_BYTES") or DEFAULT_BYTES))


def floor(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"", floor)]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
    )

application = get_wsgi_application()
