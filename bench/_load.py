"""The load driver of `python -m bench.production`, run as a process of its own.

Standard library only, no Django: it reads a JSON plan on stdin, drives closed-loop
load with N concurrent keep-alive connections (one http.client connection per thread;
a server that closes the connection after each response, like gunicorn's sync worker,
makes it reconnect, and that connect is part of the measured time), and writes the
figures as JSON on stdout. Progress goes to stderr.

Each window measures one page for `duration` seconds after `warmup` seconds of the same
load that is not recorded. Kinds of window:

- get:   GET `path`; with `users`, thread i sends the cookies of users[i % len(users)];
- reply: a member GETs the topic page (the form and its CSRF token, not recorded) and
         POSTs the reply form as multipart/form-data, as a browser does. The forum allows
         each member a few posts a minute, so members are taken from a pool in order of
         when they may post again, and a thread waits (unrecorded) when nobody may;
- event: a user GETs the event page (not recorded), POSTs the registration form and then
         the cancel form, so places are never used up; two rows.

A POST that the platform answers with 200 instead of a redirect did not take effect
(the form came back, with an error such as the rate limit): counted as `rejected`.
"""

from __future__ import annotations

import heapq
import http.client
import json
import math
import queue
import re
import sys
import threading
import time
import uuid
from collections import Counter
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
QUERY_HEADER = "X-Query-Count"
CACHE_HEADER = "X-Page-Cache"  # cms.pagecache: hit or miss, when it is on
RATE_MARGIN = 1.5  # seconds added to the forum's one-minute window
TIMEOUT = 60


# Figures ----------------------------------------------------------------------------


def percentile(ordered: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default) on sorted values."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def is_error(status: int) -> bool:
    """Anything but 2xx and 3xx; 0 stands for no response at all."""
    return not 200 <= status < 400


class Row:
    """What one table row collects; threads add to it under a lock."""

    def __init__(self, name: str):
        self.name = name
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.queries: list[int] = []
        self.statuses: Counter = Counter()
        self.failures: Counter = Counter()  # why: no response, no form, …
        self.broken_flows = 0  # a write that never got to its POST (no form page)
        self.cache: Counter = Counter()  # X-Page-Cache values
        self.rejected = 0
        self.paced = 0.0  # seconds threads waited for a rate limit, summed
        self.last_end = 0.0

    def add(
        self, status: int, ms: float, ended: float, queries: int | None = None, cache: str = ""
    ) -> None:
        with self.lock:
            self.latencies.append(ms)
            self.statuses[status] += 1
            if queries is not None:
                self.queries.append(queries)
            if cache:
                self.cache[cache] += 1
            self.last_end = max(self.last_end, ended)

    def wait(self, seconds: float) -> None:
        with self.lock:
            self.paced += max(seconds, 0.0)

    def fail(self, reason: str, flow: bool = False) -> None:
        with self.lock:
            self.failures[reason] += 1
            self.broken_flows += flow

    def summary(self, seconds: float) -> dict:
        ordered = sorted(self.latencies)
        statuses = {str(code): n for code, n in sorted(self.statuses.items())}
        errors = sum(n for code, n in self.statuses.items() if is_error(code))
        return {
            "name": self.name,
            "requests": len(ordered),
            "seconds": round(seconds, 3),
            "rps": len(ordered) / seconds if seconds > 0 else 0.0,
            "p50": percentile(ordered, 0.50),
            "p95": percentile(ordered, 0.95),
            "p99": percentile(ordered, 0.99),
            "mean": sum(ordered) / len(ordered) if ordered else None,
            "queries": sum(self.queries) / len(self.queries) if self.queries else None,
            "statuses": statuses,
            "errors": errors + self.broken_flows,
            "server_errors": sum(n for code, n in self.statuses.items() if code >= 500),
            "rejected": self.rejected,
            "paced": round(self.paced, 3),
            "cache": dict(self.cache),
            "failures": dict(self.failures),
        }


# HTTP -------------------------------------------------------------------------------


class Browser:
    """One simulated person's cookies (a session, a CSRF token)."""

    def __init__(self, cookies: dict | None = None, **extra):
        self.cookies = dict(cookies or {})
        self.extra = extra

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def store(self, response: http.client.HTTPResponse) -> None:
        for line in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            try:
                jar.load(line)
            except Exception:  # noqa: S112 - a cookie we cannot parse is one we ignore
                continue
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] in ("0", 0):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


class Connection:
    """A keep-alive connection that reconnects when the server closed it."""

    def __init__(self, host: str, port: int, headers: dict):
        self.host, self.port, self.headers = host, port, headers
        self.conn: http.client.HTTPConnection | None = None
        self.used = False

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn, self.used = None, False

    def _once(self, method, path, body, headers):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            self.used = False
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        self.used = True
        if response.will_close:
            self.close()
        return response, data

    def request(self, method, path, browser=None, body=None, headers=None):
        """(status, response or None, body, milliseconds, monotonic end)."""
        all_headers = {**self.headers, **(headers or {})}
        if browser is not None and browser.cookies:
            all_headers["Cookie"] = browser.header()
        started = time.perf_counter()
        try:
            try:
                response, data = self._once(method, path, body, all_headers)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if not self.used:
                    raise
                # An idle keep-alive connection the server had closed: a browser retries.
                self.close()
                response, data = self._once(method, path, body, all_headers)
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            ended = time.perf_counter()
            return 0, exc, b"", (ended - started) * 1000, ended
        ended = time.perf_counter()
        if browser is not None:
            browser.store(response)
        return response.status, response, data, (ended - started) * 1000, ended


def query_count(response) -> int | None:
    value = (
        response.getheader(QUERY_HEADER) if isinstance(response, http.client.HTTPResponse) else None
    )
    return int(value) if value and value.isdigit() else None


def record(row: Row, result) -> None:
    status, response, _data, ms, ended = result
    if status == 0:
        row.fail(type(response).__name__)
        row.add(0, ms, ended)
        return
    row.add(status, ms, ended, query_count(response), response.getheader(CACHE_HEADER) or "")


def csrf_token(data: bytes) -> str | None:
    match = CSRF_RE.search(data)
    return match.group(1).decode() if match else None


def multipart(fields: dict) -> tuple[bytes, str]:
    boundary = f"----via-bench-{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


# Scenarios --------------------------------------------------------------------------


class Window:
    """One page (or one write flow) measured for a while by `concurrency` threads."""

    def __init__(self, spec: dict, plan: dict):
        self.spec = spec
        self.host = plan["host"]
        self.port = spec["port"]
        self.origin = f"{plan['scheme']}://{self.host}:{self.port}"
        self.headers = {**plan["headers"]}
        self.concurrency = plan["concurrency"]
        names = spec.get("rows") or [spec["name"]]
        self.rows = [Row(name) for name in names]
        self.browsers = [Browser(**user) for user in spec.get("users") or []]
        self.stop = threading.Event()
        self.deadline = 0.0

    def connection(self) -> Connection:
        return Connection(self.host, self.port, self.headers)

    def post_headers(self, referer_path: str, content_type: str) -> dict:
        return {
            "Content-Type": content_type,
            "Origin": self.origin,
            "Referer": f"{self.origin}{referer_path}",
        }

    def running(self) -> bool:
        return time.perf_counter() < self.deadline and not self.stop.is_set()

    # kind: get
    def get_loop(self, index: int) -> None:
        browser = None
        if self.browsers:  # a copy per thread: threads never share a cookie jar
            browser = Browser(self.browsers[index % len(self.browsers)].cookies)
        conn = self.connection()
        try:
            while self.running():
                record(self.rows[0], conn.request("GET", self.spec["path"], browser))
        finally:
            conn.close()

    # kind: reply
    def prepare_reply(self) -> None:
        self.heap: list[tuple[float, int]] = []
        self.heap_lock = threading.Condition()
        now = time.perf_counter()
        for i, browser in enumerate(self.browsers):
            limit = int(browser.extra.get("limit") or 1)
            recent = sorted(now - age for age in browser.extra.get("recent_ages", []))
            browser.extra["times"] = recent[-limit:]
            heapq.heappush(self.heap, (self.next_allowed(browser, now), i))

    def wait_for_first_post(self) -> None:
        """Posts of an earlier run may have used everyone's allowance: the window starts
        when the first member may post again (at most a minute later), so it measures
        posts, not waiting."""
        if not self.heap:
            return
        pause = self.heap[0][0] - time.perf_counter()
        if pause > 0:
            print(
                f"  {self.rows[0].name}: waiting {pause:.0f} s for the forum's rate limit "
                "(posts of the last minute)",
                file=sys.stderr,
                flush=True,
            )
            time.sleep(pause)

    def next_allowed(self, browser: Browser, now: float) -> float:
        limit = int(browser.extra.get("limit") or 1)
        times = browser.extra["times"]
        if len(times) < limit:
            return now
        return times[-limit] + self.spec.get("rate_window", 60) + RATE_MARGIN

    def reply_loop(self, index: int) -> None:
        row = self.rows[0]
        conn = self.connection()
        try:
            while self.running():
                with self.heap_lock:
                    while not self.heap and self.running():
                        self.heap_lock.wait(0.2)
                    if not self.heap:
                        return
                    when, i = heapq.heappop(self.heap)
                browser = self.browsers[i]
                try:
                    pause = when - time.perf_counter()
                    if pause > 0:
                        if when >= self.deadline:
                            row.wait(self.deadline - time.perf_counter())
                            return
                        self.stop.wait(pause)
                        row.wait(pause)
                    if not self.running():
                        return
                    self.reply_once(conn, browser, row)
                finally:
                    with self.heap_lock:
                        heapq.heappush(
                            self.heap, (self.next_allowed(browser, time.perf_counter()), i)
                        )
                        self.heap_lock.notify()
        finally:
            conn.close()

    def form_token(self, conn: Connection, browser: Browser, row: Row, what: str) -> str | None:
        """GET the page with the form, as a browser would; its CSRF token, or None
        (counted as a failure of `row`)."""
        status, response, data, _ms, _end = conn.request("GET", self.spec["form_path"], browser)
        token = csrf_token(data) if status == 200 else None
        if token is None:
            row.fail(f"{what} {status or type(response).__name__}", flow=True)
        return token

    def reply_once(self, conn: Connection, browser: Browser, row: Row) -> None:
        form_path = self.spec["form_path"]
        token = self.form_token(conn, browser, row, "form page")
        if token is None:
            return
        body, content_type = multipart(
            {
                "csrfmiddlewaretoken": token,
                "reply_to": "",
                "body": f"{self.spec.get('text', 'Benchmark reply')} ({uuid.uuid4().hex[:12]})",
            }
        )
        result = conn.request(
            "POST",
            self.spec["action"],
            browser,
            body=body,
            headers=self.post_headers(form_path, content_type),
        )
        browser.extra["times"].append(time.perf_counter())
        record(row, result)
        if result[0] == 200:
            with row.lock:
                row.rejected += 1

    # kind: event
    def prepare_event(self) -> None:
        self.pool: queue.Queue = queue.Queue()
        for browser in self.browsers:
            self.pool.put(browser)

    def event_loop(self, index: int) -> None:
        register, cancel = self.rows
        conn = self.connection()
        try:
            while self.running():
                try:
                    browser = self.pool.get(timeout=max(0.01, self.deadline - time.perf_counter()))
                except queue.Empty:
                    return
                try:
                    self.event_once(conn, browser, register, cancel)
                finally:
                    self.pool.put(browser)
        finally:
            conn.close()

    def event_once(self, conn: Connection, browser: Browser, register: Row, cancel: Row) -> None:
        page = self.spec["form_path"]
        token = self.form_token(conn, browser, register, "event page")
        if token is None:
            return
        form = urlencode({"csrfmiddlewaretoken": token, "occurrence": self.spec["occurrence"]})
        headers = self.post_headers(page, "application/x-www-form-urlencoded")
        result = conn.request("POST", self.spec["register"], browser, body=form, headers=headers)
        record(register, result)
        if result[0] == 200:
            with register.lock:
                register.rejected += 1
        # Always cancel what was just asked for, also after the deadline.
        record(
            cancel, conn.request("POST", self.spec["cancel"], browser, body=form, headers=headers)
        )

    # running a window
    def run(self, seconds: float) -> float:
        kind = self.spec["kind"]
        if kind == "reply":
            self.prepare_reply()
            self.wait_for_first_post()
        elif kind == "event":
            self.prepare_event()
        target = {"get": self.get_loop, "reply": self.reply_loop, "event": self.event_loop}[kind]
        threads = [
            threading.Thread(target=target, args=(i,), daemon=True) for i in range(self.concurrency)
        ]
        started = time.perf_counter()
        self.deadline = started + seconds
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.5)
        except KeyboardInterrupt:
            self.stop.set()
            raise
        last = max((row.last_end for row in self.rows), default=0.0)
        return max(self.deadline, last) - started


def run_plan(plan: dict, progress=sys.stderr) -> dict:
    results = []
    for spec in plan["windows"]:
        warmup = spec.get("warmup", plan.get("warmup", 0))
        if warmup > 0:
            Window(spec, plan).run(warmup)
        window = Window(spec, plan)
        seconds = window.run(spec.get("duration", plan["duration"]))
        for row in window.rows:
            summary = row.summary(seconds)
            results.append(summary)
            if progress is not None:
                p95 = summary["p95"]
                print(
                    f"  {row.name:<30}{summary['rps']:>9.1f} req/s   p95 "
                    f"{'-' if p95 is None else f'{p95:.1f}'} ms   errors {summary['errors']}",
                    file=progress,
                    flush=True,
                )
    return {"rows": results}


def main() -> int:
    plan = json.load(sys.stdin)
    try:
        results = run_plan(plan)
    except KeyboardInterrupt:
        return 130
    json.dump(results, sys.stdout)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
