"""Count the SQL statements a request runs and return the count in a response header.

Uses `connection.execute_wrapper`, so it works with DEBUG off (production mode), unlike
`connection.queries`. Only bench/settings.py installs it; it is not part of the
platform.
"""

from __future__ import annotations

from contextlib import ExitStack

from django.db import connections

HEADER = "X-Query-Count"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
