"""Settings for `python -m bench.production`: the platform's own settings, unchanged,
plus one middleware that reports the SQL statements each request ran (X-Query-Count).

Nothing else differs, so with DJANGO_ENV=production the benchmark measures the hardened
production configuration (DEBUG off, manifest static files, secure cookies, HTTPS
redirect, HSTS). The query counter is outermost, so it also counts the statements of
the session, authentication and message middleware.
"""

from via_platform.settings import *  # noqa: F403
from via_platform.settings import MIDDLEWARE

MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
