"""bench.production's own parts, in-process and fast: the query-count middleware on a real
page, the floor app, the load driver against a stub server, and the table and target
checks on made-up figures. The benchmark itself (gunicorn, minutes of load) is not run.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import _load, floor
from bench.middleware import HEADER, QueryCountMiddleware
from bench.production import Figures, check_targets, exit_status, floor_rps, format_table

pytestmark = pytest.mark.integration


# The middleware and the settings ----------------------------------------------------


def test_bench_settings_only_add_the_query_counter():
    import bench.settings as bench_settings
    import via_platform.settings as platform_settings

    names = {n for n in dir(platform_settings) if n.isupper()} | {
        n for n in dir(bench_settings) if n.isupper()
    }
    different = {
        n for n in names if getattr(bench_settings, n, None) != getattr(platform_settings, n, None)
    }
    assert different == {"MIDDLEWARE"}
    assert bench_settings.MIDDLEWARE == [
        "bench.middleware.QueryCountMiddleware",
        *platform_settings.MIDDLEWARE,
    ]


def test_query_count_header_is_the_number_of_queries_the_request_ran(
    client, django_user_model, settings
):
    settings.MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    user = django_user_model.objects.create_user(email="lezer@voorbeeld.nl", password="x" * 12)
    client.force_login(user)  # the session and the user are read from the database

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/meldingen/")

    assert response.status_code == 200
    assert len(queries.captured_queries) >= 3
    assert int(response[HEADER]) == len(queries.captured_queries)


def test_query_counter_counts_only_inside_the_request(db):
    def view(request):
        with connection.cursor() as cursor:
            for _ in range(3):
                cursor.execute("SELECT 1")
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = QueryCountMiddleware(view)
    assert middleware(object())[HEADER] == "3"
    assert middleware(object())[HEADER] == "3"  # a fresh count per request
    with connection.cursor() as cursor:  # no wrapper is left behind
        cursor.execute("SELECT 1")
    assert connection.execute_wrappers == []


# The floor ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 68, 69, 6155, 100_000])
def test_floor_body_has_the_size_asked_for(size):
    assert len(floor.make_body(size)) == size


def test_floor_serves_its_body_from_memory(db, client, settings, monkeypatch):
    settings.ROOT_URLCONF = "bench.floor"
    settings.MIDDLEWARE = []
    monkeypatch.setattr(floor, "BODY", floor.make_body(6155))

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/any/path/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert len(response.content) == 6155
    assert queries.captured_queries == []


# The load driver ------------------------------------------------------------------------


class _Stub(BaseHTTPRequestHandler):
    """Pages with a CSRF form; POSTs recorded, answered with a redirect."""

    protocol_version = "HTTP/1.1"
    posts: list[dict] = []

    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server API)
        if self.path == "/broken/":
            self._send(503, b"down", [("X-Query-Count", "1")])
            return
        body = b'<form><input type="hidden" name="csrfmiddlewaretoken" value="tok123"></form>'
        self._send(
            200, body, [("X-Query-Count", "4"), ("Set-Cookie", "csrftoken=cookie123; Path=/")]
        )

    def do_POST(self):  # noqa: N802 (http.server API)
        data = self.rfile.read(int(self.headers["Content-Length"]))
        self.posts.append(
            {
                "path": self.path,
                "cookie": self.headers.get("Cookie", ""),
                "origin": self.headers.get("Origin", ""),
                "type": self.headers.get("Content-Type", ""),
                "data": data,
            }
        )
        self._send(302, b"", [("Location", "/done/"), ("X-Query-Count", "9")])


@pytest.fixture
def stub_server():
    _Stub.posts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _plan(port, *windows):
    return {
        "host": "127.0.0.1",
        "scheme": "https",
        "headers": {"X-Forwarded-Proto": "https"},
        "concurrency": 2,
        "duration": 0.3,
        "warmup": 0,
        "windows": [{"port": port, **window} for window in windows],
    }


def test_load_driver_measures_pages_and_paces_writes(stub_server):
    plan = _plan(
        stub_server,
        {"name": "page", "kind": "get", "path": "/p/"},
        {"name": "down", "kind": "get", "path": "/broken/"},
        {
            "name": "reply",
            "kind": "reply",
            "path": "/t/reageren/",
            "form_path": "/t/",
            "action": "/t/reageren/",
            # One member who may post twice a minute and posted 10 s ago: one post left.
            "users": [{"cookies": {"sessionid": "s1"}, "limit": 2, "recent_ages": [10]}],
        },
        {
            "name": "event",
            "kind": "event",
            "rows": ["register", "cancel"],
            "form_path": "/e/",
            "register": "/e/aanmelden/",
            "cancel": "/e/afmelden/",
            "occurrence": 7,
            "users": [{"cookies": {"sessionid": "s2"}}],
        },
    )
    rows = {row["name"]: row for row in _load.run_plan(json.loads(json.dumps(plan)), None)["rows"]}

    page = rows["page"]
    assert page["requests"] > 5 and page["statuses"] == {"200": page["requests"]}
    assert page["queries"] == 4 and page["errors"] == 0
    assert page["p50"] <= page["p95"] <= page["p99"]
    down = rows["down"]
    assert down["errors"] == down["server_errors"] == down["requests"] > 0

    reply = rows["reply"]
    assert reply["requests"] == 1 and reply["statuses"] == {"302": 1}
    assert reply["queries"] == 9 and reply["paced"] > 0
    post = next(p for p in _Stub.posts if p["path"] == "/t/reageren/")
    assert post["type"].startswith("multipart/form-data; boundary=")
    assert b'name="csrfmiddlewaretoken"\r\n\r\ntok123\r\n' in post["data"]
    assert "sessionid=s1" in post["cookie"] and "csrftoken=cookie123" in post["cookie"]
    assert post["origin"] == f"https://127.0.0.1:{stub_server}"

    assert rows["register"]["requests"] == rows["cancel"]["requests"] > 0
    registrations = [p for p in _Stub.posts if p["path"] == "/e/aanmelden/"]
    assert parse_qs(registrations[0]["data"].decode()) == {
        "csrfmiddlewaretoken": ["tok123"],
        "occurrence": ["7"],
    }


def test_load_driver_waits_for_an_allowance_used_up_before_the_run(stub_server, monkeypatch):
    monkeypatch.setattr(_load, "RATE_MARGIN", 0.0)
    window = {
        "name": "reply",
        "kind": "reply",
        "form_path": "/t/",
        "action": "/t/reageren/",
        "rate_window": 0.4,  # one post per 0.4 s, and one was just posted
        "users": [{"cookies": {"sessionid": "s1"}, "limit": 1, "recent_ages": [0.0]}],
    }
    (reply,) = _load.run_plan(_plan(stub_server, window), None)["rows"]
    assert reply["statuses"] == {"302": 1}  # waited for the first, paced the second out
    assert reply["paced"] > 0


def test_percentile_interpolates_between_ranks():
    values = [float(n) for n in range(1, 101)]
    assert _load.percentile(values, 0.5) == pytest.approx(50.5)
    assert _load.percentile(values, 0.95) == pytest.approx(95.05)
    assert _load.percentile([3.0], 0.99) == 3.0
    assert _load.percentile([], 0.5) is None


# The report ---------------------------------------------------------------------------


def _figures(**changes) -> list[Figures]:
    rows = {
        "floor (before)": Figures("floor (before)", 1000, 3, 5, 7, floor=True, requests=9),
        "floor (after)": Figures("floor (after)", 1200, 3, 5, 7, floor=True, requests=9),
        "home": Figures("home", 600, 20, 100, 120, queries=13, cached=True, requests=9),
        "agenda": Figures("agenda", 500, 30, 140, 160, queries=13, cached=True, requests=9),
        "topic": Figures("topic", 50, 90, 151, 170, queries=15, requests=9),
        "site search": Figures("site search", 40, 100, 180, 210, search=True, requests=9),
    }
    for name, values in changes.items():
        for key, value in values.items():
            setattr(rows[name], key, value)
    return list(rows.values())


def test_targets_on_made_up_figures():
    rows = _figures()
    assert floor_rps(rows) == 1100

    p95, cached, search = check_targets(rows)
    assert p95.passed is False
    assert "topic 151.0 ms" in " ".join(p95.details)
    assert "site search" not in " ".join(p95.details)  # search has its own target
    assert cached.passed is False  # agenda: 500 / 1100 = 0.45
    assert cached.details == ["home 0.55×", "agenda 0.45×"]
    assert search.passed is True

    p95, cached, search = check_targets(
        _figures(topic={"p95": 149.9}, agenda={"rps": 550}, **{"site search": {"p95": 200}})
    )
    assert (p95.passed, cached.passed, search.passed) == (True, True, False)


def test_targets_without_pages_are_not_passed():
    rows = [row for row in _figures() if row.floor]
    assert [target.passed for target in check_targets(rows)] == [None, None, None]


def test_table_shows_every_row_with_its_ratio_to_the_floor():
    table = format_table(_figures(home={"errors": 2}))
    lines = table.splitlines()
    assert lines[0].split() == [
        "page", "req/s", "×floor", "p50", "ms", "p95", "ms", "p99", "ms", "queries", "errors",
    ]  # fmt: skip
    home = next(line for line in lines if line.startswith("home"))
    assert home.split() == ["home", "600.0", "0.55", "20.0", "100.0", "120.0", "13.0", "2"]
    floor_row = next(line for line in lines if line.startswith("floor (before)"))
    assert floor_row.split()[2:5] == ["1000.0", "0.91", "3.0"]
    assert len(lines) == 2 + 6


def test_exit_status_is_non_zero_only_for_server_errors():
    assert exit_status(_figures(home={"errors": 3})) == 0
    assert exit_status(_figures(home={"errors": 3, "server_errors": 1})) == 1
