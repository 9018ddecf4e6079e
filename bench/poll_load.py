"""Load benchmark for a live poll: N phones join and answer one number question while the
projector polls its live panel every second.

    .venv/bin/python bench/poll_load.py --participants 500 [--json]
    scripts/with_postgres.sh .venv/bin/python bench/poll_load.py --participants 500 --json --database-url env

What it does, all on 127.0.0.1 and bounded in time (--hard-timeout, default 120 s):

1. A fresh database: a temporary SQLite file, or with --database-url a new PostgreSQL
   database (random name) created on the server in that URL and dropped afterwards. The
   environment's DATABASE_URL is never used by itself: every child process (migrate, setup,
   server, final count) gets exactly the database chosen here.
2. `manage.py migrate`, then `manage.py shell -c` creates an organisation, a programme, a
   facilitator and a session with one open number question (0-8, step 0.5, results shown).
3. gunicorn `config.wsgi` on a free port (gthread, --workers/--threads, default 2 x 8).
4. Warm-up, then the baseline: --participants requests of GET /join/ (the join form, which
   touches no database) with --concurrency client threads.
5. The facilitator logs in (POST /accounts/login/ with CSRF); a projector thread loads the
   projector page and polls the live panel every second with If-None-Match.
6. Join phase: every phone (own cookie jar) GETs /join/<code>/. Vote phase (closed loop,
   like the baseline): every phone POSTs its answer like htmx does (CSRF token from
   hx-headers, HX-Request); votes not started within --vote-window seconds (10) are skipped
   and reported. vote_rps = votes completed / wall time of this phase; ratio = vote_rps /
   baseline_rps.
7. Paced phase (informative, --no-paced skips it), the load of a real room: every phone
   whose vote was confirmed changes its answer, spread evenly over --vote-window seconds,
   while every joined phone polls its question panel (/join/<code>/current/) every
   --phone-poll seconds (3, as participate.html) with If-None-Match. Open loop, latency from
   the scheduled moment: what a phone sees when 500 people answer within 10 s, rather than
   under 50 requests always in flight.
8. The server is stopped (its whole process group), PollAnswer rows are counted in the
   database (each phone has one row, however often it answered), and the results are
   printed (JSON with --json). CPU per request (gunicorn's process group, this client, the
   PostgreSQL backends of the benchmark database) and other_cpu_cores (CPU used meanwhile by
   anything else on the machine: > 0.1 means the numbers are disturbed) come from /proc.

Environment of the server (plain HTTP on loopback, see config/settings.py):
DEBUG=0 with a random SECRET_KEY and ALLOWED_HOSTS=127.0.0.1; ESTAFETTE_TESTING=1 so the
session/CSRF cookies are not Secure (a client on http:// would drop Secure cookies) and
static files use the plain storage (no collectstatic; no static files are requested);
note it also selects the fast MD5 password hasher, which only affects the one login.
SECURE_SSL_REDIRECT=0 and SECURE_HSTS_SECONDS=0 (no HTTPS on loopback).
RATE_LIMIT_JOIN_PER_IP / RATE_LIMIT_VOTE_PER_IP are raised to 1000000: every phone comes
from 127.0.0.1, which the per-IP limits would otherwise throttle. The per-token limits stay.
DATABASE_URL, SQLITE_PATH and CACHE_BACKEND of the calling environment are not passed on
(rate limits use the default per-process cache); CONN_MAX_AGE is pinned to its default 60.

Requests use http.client over one keep-alive connection per client thread (like a browser)
and an http.cookiejar.CookieJar per phone; only the standard library is used besides
psycopg (already in the venv) for creating and dropping the PostgreSQL database.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import http.cookiejar
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
MAX_PARTICIPANTS = 2000
REQUEST_TIMEOUT = 15.0
PROJECTOR_INTERVAL = 1.0
PACED_THREADS = 100  # open loop: enough threads that the client does not hold requests back
RATE_LIMIT = "1000000"
USERNAME = "bench-facilitator"
CSRF_HEADER_RE = re.compile(r"""hx-headers='\{"X-CSRFToken": "([^"]+)"\}'""")
CSRF_FIELD_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ETAG_RE = re.compile(r'data-etag="([^"]*)"')
VOTE_URL_RE = re.compile(r'action="(/join/[^/"]+/q/\d+/)"')

SETUP_CODE = """
import json, os
from django.contrib.auth import get_user_model
from programmes.models import Membership, Organisation, Programme, Role
from workshops.models import DesignSession, PollQuestion, QuestionKind, QuestionState

organisation = Organisation.objects.create(name="Benchmark")
programme = Programme.objects.create(organisation=organisation, title="Benchmark", slug="benchmark")
user = get_user_model().objects.create_user(os.environ["BENCH_USERNAME"], password=os.environ["BENCH_PASSWORD"])
Membership.objects.create(user=user, programme=programme, role=Role.FACILITATOR)
session = DesignSession.objects.create(programme=programme, title="Benchmark session")
question = PollQuestion.objects.create(
    session=session, order=1, kind=QuestionKind.NUMBER, prompt="Hours per week?",
    minimum=0, maximum=8, step="0.5", state=QuestionState.OPEN, results_visible=True,
)
session.current_question = question
session.save(update_fields=["current_question"])
print("BENCH " + json.dumps({"slug": programme.slug, "session": session.pk, "question": question.pk,
                             "code": session.join_code}))
"""

COUNT_CODE = """
import json
from workshops.models import Participant, PollAnswer
print("BENCH " + json.dumps({"answers": PollAnswer.objects.count(), "participants": Participant.objects.count()}))
"""


class BenchTimeout(Exception):
    """The whole run took longer than --hard-timeout."""


class BenchError(Exception):
    """Setting up the run failed (server did not start, setup script failed, ...)."""


# --- HTTP client --------------------------------------------------------------------------

_local = threading.local()


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str
    ms: float


class Browser:
    """One phone or projector: its own cookie jar. Requests go over the calling thread's
    keep-alive connection (reconnecting once when the server closed an idle one)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.jar = http.cookiejar.CookieJar()

    def _connection(self) -> tuple[http.client.HTTPConnection, bool]:
        conn = getattr(_local, "conn", None)
        if conn is not None and getattr(_local, "port", None) == self.port:
            return conn, True
        conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        _local.conn, _local.port = conn, self.port
        return conn, False

    @staticmethod
    def _drop_connection() -> None:
        conn = getattr(_local, "conn", None)
        if conn is not None:
            conn.close()
        _local.conn = None

    def request(
        self, method: str, path: str, *, form: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(f"http://{HOST}:{self.port}{path}", data=body, method=method)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        self.jar.add_cookie_header(request)
        sent_headers = dict(request.header_items())
        start = time.perf_counter()
        for attempt in range(2):
            conn, reused = self._connection()
            try:
                conn.request(method, path, body=body, headers=sent_headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._drop_connection()
                if reused and attempt == 0:
                    continue  # the server closed an idle keep-alive connection: retry once
                raise
            except Exception:
                self._drop_connection()
                raise
            if response.will_close:
                self._drop_connection()
            self.jar.extract_cookies(response, request)
            ms = (time.perf_counter() - start) * 1000
            return Response(response.status, response.headers, data.decode("utf-8", "replace"), ms)
        raise AssertionError("unreachable")


def ok_status(status: int) -> bool:
    return 200 <= status < 400


# --- measurements -------------------------------------------------------------------------


@dataclass
class PhaseResult:
    sent: int = 0
    ok: int = 0
    errors: int = 0
    skipped: int = 0
    latencies: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    db_cpu_s: float = 0.0  # PostgreSQL backends; SQLite runs inside the server
    other_cores: float = 0.0  # CPU cores used by other processes on the machine meanwhile
    parts: dict[str, PhaseResult] = field(default_factory=dict)  # per kind of request, when mixed

    def record(self, outcome: str, ms: float, value: object) -> None:
        if outcome == "skipped":
            self.skipped += 1
            return
        self.sent += 1
        if outcome == "ok":
            self.ok += 1
            self.latencies.append(ms)
        else:
            self.add_error(str(value))

    def part(self, kind: str) -> PhaseResult:
        return self.parts.get(kind) or PhaseResult()

    def add_error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(text)

    @property
    def rps(self) -> float:
        return self.ok / self.wall_s if self.wall_s > 0 else 0.0

    def cpu_ms(self, seconds: float) -> float:
        """CPU milliseconds per request sent."""
        return round(seconds / self.sent * 1000, 2) if self.sent else 0.0


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _proc_stat(path: Path) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name: state, ppid, pgrp, ..., utime (11), stime (12)."""
    try:
        return path.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def group_cpu_seconds(pgid: int | None) -> float:
    """CPU time (user + system) of the live processes in process group `pgid` (Linux /proc; 0.0 elsewhere)."""
    if pgid is None:
        return 0.0
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _proc_stat(stat)
        if fields and int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    fields = _proc_stat(Path(f"/proc/{pid}/stat"))
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if fields else 0.0


def machine_busy_seconds() -> float:
    """CPU time (all CPUs, everything but idle and iowait) since boot, from /proc/stat; 0.0 elsewhere."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds of the server's process group, of this client, of the PostgreSQL backends
    serving the benchmark database, and of the whole machine (Linux /proc)."""

    def __init__(self, server_pgid: int | None = None, database: PostgresDatabase | None = None) -> None:
        self.server_pgid, self.database = server_pgid, database

    def snapshot(self) -> dict:
        return {
            "server": group_cpu_seconds(self.server_pgid),
            "client": time.process_time(),
            "db": self.database.backend_cpu() if self.database else {},
            "busy": machine_busy_seconds(),
        }

    @staticmethod
    def spent(before: dict, after: dict) -> dict[str, float]:
        spent = {key: after[key] - before[key] for key in ("server", "client", "busy")}
        spent["db"] = sum(seconds - before["db"].get(pid, 0.0) for pid, seconds in after["db"].items())
        return spent


def run_phase(
    count: int,
    concurrency: int,
    task,
    stop: threading.Event,
    meter: CpuMeter | None = None,
    schedule: list[float] | None = None,
    kinds: list[str] | None = None,
) -> PhaseResult:
    """Run task(i) for i in range(count) on `concurrency` threads.

    Closed loop (schedule None): as fast as the threads go; latency is the request's time.
    Open loop: task i starts schedule[i] seconds after the start (ascending), and its latency
    runs from that scheduled moment, so a server that falls behind is not hidden.
    task returns ("ok", None) / ("error", text) / ("skipped", None); with `kinds`, each
    outcome is also recorded in result.parts[kinds[i]]. The wall time runs from the first
    submit to the last completion."""
    result = PhaseResult()
    lock = threading.Lock()

    def wrapped(index: int) -> None:
        began = time.perf_counter()
        if schedule is not None:
            began = start + schedule[index]
            stop.wait(max(0.0, began - time.perf_counter()))
        if stop.is_set():
            outcome, value = "skipped", None
        else:
            try:
                outcome, value = task(index)
            except Exception as exc:
                outcome, value = "error", f"{type(exc).__name__}: {exc}"
        ms = (time.perf_counter() - began) * 1000
        with lock:
            result.record(outcome, ms, value)
            if kinds is not None:
                result.parts.setdefault(kinds[index], PhaseResult()).record(outcome, ms, value)

    executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="phone")
    meter = meter or CpuMeter()
    before = meter.snapshot()
    start = time.perf_counter()
    try:
        futures = [executor.submit(wrapped, index) for index in range(count)]
        for future in futures:
            future.result()
    finally:
        result.wall_s = time.perf_counter() - start
        spent = CpuMeter.spent(before, meter.snapshot())
        result.server_cpu_s, result.client_cpu_s, result.db_cpu_s = spent["server"], spent["client"], spent["db"]
        others = spent["busy"] - spent["server"] - spent["client"] - spent["db"]
        result.other_cores = max(0.0, others) / max(result.wall_s, 1e-9)
        executor.shutdown(wait=False, cancel_futures=True)
    return result


@dataclass
class Phone:
    browser: Browser
    vote_path: str = ""
    csrf: str = ""
    etag: str = ""  # of the question panel, which the phone polls


class Projector(threading.Thread):
    """The facilitator's projector: polls the live panel every second with If-None-Match."""

    def __init__(self, browser: Browser, live_path: str, etag: str) -> None:
        super().__init__(name="projector", daemon=True)
        self.browser, self.live_path, self.etag = browser, live_path, etag
        self.stop_event = threading.Event()
        self.polls = self.not_modified = self.errors = 0
        self.latencies: list[float] = []

    def run(self) -> None:
        while not self.stop_event.is_set():
            started = time.monotonic()
            headers = {"HX-Request": "true"}
            if self.etag:
                headers["If-None-Match"] = self.etag
            self.polls += 1
            try:
                response = self.browser.request("GET", self.live_path, headers=headers)
            except Exception:
                self.errors += 1
            else:
                self.latencies.append(response.ms)
                if response.status == 304:
                    self.not_modified += 1
                elif response.status == 200:
                    self.etag = response.headers.get("ETag", self.etag)
                else:
                    self.errors += 1
            self.stop_event.wait(max(0.0, PROJECTOR_INTERVAL - (time.monotonic() - started)))

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=REQUEST_TIMEOUT + 1)


# --- database, setup and server -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class PostgresDatabase:
    """A new database with a random name on the server of `admin_url`, dropped on close."""

    def __init__(self, admin_url: str) -> None:
        import psycopg  # only needed for PostgreSQL runs

        self.psycopg = psycopg
        self.admin_url = admin_url
        self.name = f"estafette_bench_{secrets.token_hex(4)}"
        parts = urllib.parse.urlsplit(admin_url)
        if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
            raise BenchError(f"--database-url must be a postgres:// URL, not {parts.scheme}://")
        if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
            raise BenchError("--database-url must point at a server on loopback (127.0.0.1)")
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(self.name)))

    def drop(self) -> None:
        sql = self.psycopg.sql
        with self.psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.name],
            )
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(self.name)))

    def backend_cpu(self) -> dict[int, float]:
        """CPU seconds so far of each backend connected to the benchmark database (same machine)."""
        with self.psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as conn:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.name]).fetchall()
        return {pid: process_cpu_seconds(pid) for (pid,) in rows}


def child_env(database_url: str | None, sqlite_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "CACHE_BACKEND"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "ESTAFETTE_TESTING": "1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "RATE_LIMIT_JOIN_PER_IP": RATE_LIMIT,
            "RATE_LIMIT_VOTE_PER_IP": RATE_LIMIT,
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "60",  # the settings' default, pinned: persistent connections
            "PYTHONUNBUFFERED": "1",
            "BENCH_USERNAME": USERNAME,
            "BENCH_PASSWORD": secrets.token_urlsafe(16),
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["SQLITE_PATH"] = str(sqlite_path)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 60) -> str:
    completed = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise BenchError(f"manage.py {args[0]} failed:\n{completed.stderr[-2000:]}")
    return completed.stdout


def shell_json(env: dict[str, str], code: str) -> dict:
    output = manage(env, "shell", "-v", "0", "-c", code)
    for line in reversed(output.splitlines()):
        if line.startswith("BENCH "):
            return json.loads(line.removeprefix("BENCH "))
    raise BenchError(f"no result from manage.py shell:\n{output[-2000:]}")


class Server:
    """gunicorn in its own process group, so stopping it stops every worker."""

    def __init__(self, env: dict[str, str], port: int, workers: int, threads: int, log: Path) -> None:
        self.port, self.log = port, log
        self.command = [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--keep-alive",
            "5",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
        ]
        with log.open("wb") as output:  # gunicorn's and Django's log lines (LOG_LEVEL=WARNING)
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/join/")
                status = conn.getresponse().status
                conn.close()
            except OSError:
                time.sleep(0.1)
                continue
            if status == 200:
                return
            raise BenchError(f"GET /join/ answered {status} while starting:\n{self.log_tail()}")
        raise BenchError(f"gunicorn did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=8)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


# --- the scenario -------------------------------------------------------------------------


def login(port: int, password: str, slug: str, session_pk: int) -> tuple[Browser, str, str]:
    """Log the facilitator in and open the projector: (browser, live panel path, ETag)."""
    browser = Browser(port)
    page = browser.request("GET", "/accounts/login/")
    match = CSRF_FIELD_RE.search(page.body)
    if page.status != 200 or not match:
        raise BenchError(f"login page: status {page.status}, CSRF token {'found' if match else 'missing'}")
    form = {"username": USERNAME, "password": password, "csrfmiddlewaretoken": match.group(1), "next": ""}
    response = browser.request("POST", "/accounts/login/", form=form)
    if response.status != 302:
        raise BenchError(f"login failed: status {response.status}")
    projector_path = f"/p/{slug}/sessions/{session_pk}/projector/"
    page = browser.request("GET", projector_path)
    if page.status != 200:
        raise BenchError(f"projector page: status {page.status}")
    etag = ETAG_RE.search(page.body)  # the attribute holds the quotes HTML-escaped
    return browser, f"{projector_path}live/", html.unescape(etag.group(1)) if etag else ""


def answer_text(index: int) -> str:
    """A valid answer 0-8 in steps of 0.5; every other phone types a Dutch decimal comma."""
    value = (index * 7 % 17) / 2  # deterministic spread over 0, 0.5, ..., 8
    text = f"{value:g}"
    return text.replace(".", ",") if index % 2 else text


def scenario(
    args: argparse.Namespace,
    server: Server,
    database: PostgresDatabase | None,
    setup: dict,
    password: str,
    stop: threading.Event,
) -> dict:
    n, concurrency, port = args.participants, args.concurrency, server.port
    meter = CpuMeter(server.process.pid, database)
    loadavg = os.getloadavg()[0]  # other work on the machine skews every number

    def get_join_form(_index: int) -> tuple[str, object]:
        response = Browser(port).request("GET", "/join/")
        if response.status != 200:
            return "error", f"GET /join/: {response.status}"
        return "ok", None

    run_phase(min(n, 4 * concurrency), concurrency, get_join_form, stop)  # warm-up, not measured
    baseline = run_phase(n, concurrency, get_join_form, stop, meter)

    browser, live_path, etag = login(port, password, setup["slug"], setup["session"])
    projector = Projector(browser, live_path, etag)
    projector.start()
    phones = [Phone(Browser(port)) for _ in range(n)]
    try:

        def join(index: int) -> tuple[str, object]:
            phone = phones[index]
            response = phone.browser.request("GET", f"/join/{setup['code']}/")
            if not ok_status(response.status):
                return "error", f"join: {response.status}"
            csrf, vote = CSRF_HEADER_RE.search(response.body), VOTE_URL_RE.search(response.body)
            if not (csrf and vote):
                return "error", "join: no CSRF token or vote form in the page"
            phone.csrf, phone.vote_path = csrf.group(1), vote.group(1)
            etag = ETAG_RE.search(response.body)
            phone.etag = html.unescape(etag.group(1)) if etag else ""
            return "ok", None

        joins = run_phase(n, concurrency, join, stop, meter)

        joined = [phone for phone in phones if phone.vote_path]
        deadline = time.monotonic() + args.vote_window
        confirmed: set[int] = set()

        def send_vote(phone: Phone, value: str) -> tuple[str, object]:
            response = phone.browser.request(
                "POST",
                phone.vote_path,
                form={"csrfmiddlewaretoken": phone.csrf, "value": value},
                headers={"X-CSRFToken": phone.csrf, "HX-Request": "true"},
            )
            if not ok_status(response.status):
                return "error", f"vote: {response.status}"
            if "alert-success" not in response.body:
                return "ok", "not confirmed"
            return "ok", None

        def vote(index: int) -> tuple[str, object]:
            if time.monotonic() > deadline:
                return "skipped", None
            outcome, detail = send_vote(joined[index], answer_text(index))
            if outcome == "ok" and detail is None:
                confirmed.add(index)
            return outcome, detail

        votes = run_phase(len(joined), concurrency, vote, stop, meter)

        # Paced, the load of a real room: every phone whose vote was confirmed changes its
        # answer, spread evenly over the vote window (N / window votes per second), while every
        # joined phone polls its question panel every --phone-poll seconds with If-None-Match
        # (staggered), as participate.html does with hx-trigger="every 3s".
        revoters = [joined[index] for index in sorted(confirmed)]
        poll_path = f"/join/{setup['code']}/current/"
        not_modified = 0
        not_modified_lock = threading.Lock()

        def poll(phone: Phone) -> tuple[str, object]:
            nonlocal not_modified
            headers = {"HX-Request": "true"}
            if phone.etag:
                headers["If-None-Match"] = phone.etag
            response = phone.browser.request("GET", poll_path, headers=headers)
            if response.status == 304:
                with not_modified_lock:
                    not_modified += 1
            elif response.status == 200:
                phone.etag = response.headers.get("ETag", phone.etag)
            else:
                return "error", f"phone poll: {response.status}"
            return "ok", None

        window = args.vote_window
        plan: list[tuple[float, str, Callable[[], tuple[str, object]]]] = []
        if args.paced:
            for index, phone in enumerate(revoters):
                plan.append((index * window / len(revoters), "vote", partial(send_vote, phone, answer_text(index + 1))))
            if args.phone_poll > 0:
                for index, phone in enumerate(joined):
                    at = index / len(joined) * args.phone_poll
                    while at < window:
                        plan.append((at, "poll", partial(poll, phone)))
                        at += args.phone_poll
        plan.sort(key=lambda item: item[0])
        paced = PhaseResult()
        if plan:
            paced = run_phase(
                len(plan),
                PACED_THREADS,
                lambda index: plan[index][2](),
                stop,
                meter,
                schedule=[item[0] for item in plan],
                kinds=[item[1] for item in plan],
            )
    finally:
        projector.stop()
    return {
        "baseline": baseline,
        "joins": joins,
        "votes": votes,
        "confirmed": len(confirmed),
        "paced": paced,
        "phone_poll_304": not_modified,
        "projector": projector,
        "loadavg": loadavg,
    }


def run(args: argparse.Namespace) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="estafette-bench-"))
    database: PostgresDatabase | None = None
    server: Server | None = None
    stop = threading.Event()
    try:
        if args.database_url:
            database = PostgresDatabase(args.database_url)
        env = child_env(database.url if database else None, tmp / "bench.sqlite3")
        manage(env, "migrate", "--noinput", "-v", "0", timeout=90)
        setup = shell_json(env, SETUP_CODE)
        port = free_port()
        server = Server(env, port, args.workers, args.threads, tmp / "gunicorn.log")
        server.wait_ready()
        try:
            measured = scenario(args, server, database, setup, env["BENCH_PASSWORD"], stop)
        finally:
            stop.set()
            server.stop()
        measured["server_log"] = server.log_tail()
        stored = shell_json(env, COUNT_CODE)
    finally:
        signal.alarm(0)  # the clean-up below is bounded by its own timeouts
        stop.set()
        if server is not None:
            server.stop()
        if database is not None:
            database.drop()
        shutil.rmtree(tmp, ignore_errors=True)
    return report(args, measured, stored)


def result_errors(measured: dict) -> int:
    phases = ("baseline", "joins", "votes", "paced")
    return sum(measured[name].errors for name in phases) + measured["projector"].errors


def report(args: argparse.Namespace, measured: dict, stored: dict) -> dict:
    baseline, joins, votes, paced = measured["baseline"], measured["joins"], measured["votes"], measured["paced"]
    revotes, polls = paced.part("vote"), paced.part("poll")
    projector: Projector = measured["projector"]
    vote_rps = votes.rps
    ratio = vote_rps / baseline.rps if baseline.rps else 0.0
    result = {
        "participants": args.participants,
        "votes_sent": votes.sent,
        "votes_stored": stored["answers"],
        "errors": joins.errors + votes.errors + revotes.errors,
        "vote_p50_ms": round(percentile(votes.latencies, 0.50), 1),
        "vote_p95_ms": round(percentile(votes.latencies, 0.95), 1),
        "vote_rps": round(vote_rps, 1),
        "baseline_rps": round(baseline.rps, 1),
        "ratio": round(ratio, 3),
        "server_workers": args.workers,
        "server_threads": args.threads,
        "database": "postgresql" if args.database_url else "sqlite",
        "projector_polls": projector.polls,
        "projector_304": projector.not_modified,
        "projector_errors": projector.errors,
        "projector_p95_ms": round(percentile(projector.latencies, 0.95), 1),
        "concurrency": args.concurrency,
        "participants_stored": stored["participants"],
        "join_errors": joins.errors,
        "join_p50_ms": round(percentile(joins.latencies, 0.50), 1),
        "join_p95_ms": round(percentile(joins.latencies, 0.95), 1),
        "join_rps": round(joins.rps, 1),
        "vote_errors": votes.errors,
        "votes_confirmed": measured["confirmed"],
        "votes_skipped": votes.skipped,
        "vote_max_ms": round(max(votes.latencies, default=0.0), 1),
        "vote_phase_s": round(votes.wall_s, 3),
        "vote_server_cpu_ms": votes.cpu_ms(votes.server_cpu_s),
        "vote_client_cpu_ms": votes.cpu_ms(votes.client_cpu_s),
        "vote_db_cpu_ms": votes.cpu_ms(votes.db_cpu_s),
        "baseline_server_cpu_ms": baseline.cpu_ms(baseline.server_cpu_s),
        "baseline_client_cpu_ms": baseline.cpu_ms(baseline.client_cpu_s),
        "paced_votes": revotes.sent,
        "paced_rate": round(revotes.sent / args.vote_window, 1),
        "paced_errors": revotes.errors,
        "paced_p50_ms": round(percentile(revotes.latencies, 0.50), 1),
        "paced_p95_ms": round(percentile(revotes.latencies, 0.95), 1),
        "phone_polls": polls.sent,
        "phone_poll_rate": round(polls.sent / args.vote_window, 1),
        "phone_poll_304": measured["phone_poll_304"],
        "phone_poll_errors": polls.errors,
        "phone_poll_p50_ms": round(percentile(polls.latencies, 0.50), 1),
        "phone_poll_p95_ms": round(percentile(polls.latencies, 0.95), 1),
        # CPU cores the server (and PostgreSQL) kept busy during the paced phase, of os.cpu_count()
        "paced_server_cores": round((paced.server_cpu_s + paced.db_cpu_s) / paced.wall_s, 2) if paced.wall_s else 0.0,
        "baseline_errors": baseline.errors,
        "baseline_p50_ms": round(percentile(baseline.latencies, 0.50), 1),
        "baseline_p95_ms": round(percentile(baseline.latencies, 0.95), 1),
        "server_log_tail": measured["server_log"][-1000:] if result_errors(measured) else "",
        "error_samples": (joins.error_samples + votes.error_samples + paced.error_samples + baseline.error_samples)[:5],
        "loadavg_1m_before": round(measured["loadavg"], 2),
        # > 0.1: something else ran on the machine during the measured phases; rerun when quiet
        "other_cpu_cores": round(max(baseline.other_cores, joins.other_cores, votes.other_cores, paced.other_cores), 2),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    result["target_met"] = (
        result["errors"] + result["phone_poll_errors"] + result["projector_errors"] == 0
        and result["votes_stored"] == result["votes_sent"]
        and result["vote_p95_ms"] < 100
        and result["ratio"] >= 0.5
    )
    return result


def summary(result: dict) -> str:
    return "\n".join(
        [
            f"Estafette poll load: {result['participants']} phones, {result['database']}, gunicorn "
            f"{result['server_workers']} workers x {result['server_threads']} threads, "
            f"{result['concurrency']} client threads",
            f"  joins:     {result['participants_stored']} stored, p50 {result['join_p50_ms']} ms, "
            f"p95 {result['join_p95_ms']} ms, {result['join_rps']} req/s, {result['join_errors']} errors",
            f"  votes:     {result['votes_sent']} sent, {result['votes_stored']} stored, "
            f"{result['votes_skipped']} skipped, {result['vote_errors']} errors, in {result['vote_phase_s']} s",
            f"  latency:   p50 {result['vote_p50_ms']} ms, p95 {result['vote_p95_ms']} ms, "
            f"max {result['vote_max_ms']} ms",
            f"  rate:      {result['vote_rps']} votes/s vs baseline GET /join/ {result['baseline_rps']} req/s "
            f"(p95 {result['baseline_p95_ms']} ms): ratio {result['ratio']}",
            f"  CPU per request (server / client / PostgreSQL): vote {result['vote_server_cpu_ms']} / "
            f"{result['vote_client_cpu_ms']} / {result['vote_db_cpu_ms']} ms, baseline "
            f"{result['baseline_server_cpu_ms']} / {result['baseline_client_cpu_ms']} ms",
            f"  paced:     {result['paced_votes']} changed answers at {result['paced_rate']}/s: "
            f"p50 {result['paced_p50_ms']} ms, p95 {result['paced_p95_ms']} ms, {result['paced_errors']} errors; "
            f"meanwhile {result['phone_polls']} phone polls at {result['phone_poll_rate']}/s "
            f"({result['phone_poll_304']} not modified): p50 {result['phone_poll_p50_ms']} ms, "
            f"p95 {result['phone_poll_p95_ms']} ms, {result['phone_poll_errors']} errors; "
            f"server busy {result['paced_server_cores']} of {result['cpus']} cores",
            f"  projector: {result['projector_polls']} polls, {result['projector_304']} not modified, "
            f"{result['projector_errors']} errors, p95 {result['projector_p95_ms']} ms",
            f"  other processes used up to {result['other_cpu_cores']} CPU cores meanwhile",
            f"  target (0 errors, all stored, p95 < 100 ms, ratio >= 0.5): "
            f"{'met' if result['target_met'] else 'missed'}",
            *(f"  error: {sample}" for sample in result["error_samples"]),
        ]
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=100, help=f"phones (1-{MAX_PARTICIPANTS}, default 100)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a postgres:// URL on 127.0.0.1 (a fresh database is created on that server and dropped afterwards), "
        "or 'env' for the DATABASE_URL in the environment (scripts/with_postgres.sh); default: a temporary SQLite file",
    )
    parser.add_argument("--concurrency", type=int, default=50, help="client threads (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker (default 8)")
    parser.add_argument("--vote-window", type=float, default=10.0, help="seconds the phones have to vote (10)")
    parser.add_argument(
        "--phone-poll",
        type=float,
        default=3.0,
        help="seconds between a phone's polls of its question panel in the paced phase (3, as the page; 0: none)",
    )
    parser.add_argument(
        "--no-paced",
        dest="paced",
        action="store_false",
        help="skip the paced phase (every phone changes its answer, spread over the vote window)",
    )
    parser.add_argument("--hard-timeout", type=int, default=120, help="seconds for the whole run (default 120)")
    args = parser.parse_args(argv)
    if args.database_url == "env":
        args.database_url = os.environ.get("DATABASE_URL", "")
    if args.database_url is not None and not args.database_url:
        # e.g. `with_postgres.sh ... --database-url "$DATABASE_URL"`: the calling shell expanded it, empty
        parser.error("--database-url is empty; use --database-url env under scripts/with_postgres.sh")
    if not 1 <= args.participants <= MAX_PARTICIPANTS:
        parser.error(f"--participants must be 1-{MAX_PARTICIPANTS}")
    if not 1 <= args.concurrency <= 200:
        parser.error("--concurrency must be 1-200")
    if not (1 <= args.workers <= 16 and 1 <= args.threads <= 64):
        parser.error("--workers must be 1-16 and --threads 1-64")
    if not 1 <= args.hard_timeout <= 600:
        parser.error("--hard-timeout must be 1-600")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def on_alarm(_signum, _frame) -> None:
        raise BenchTimeout(f"the run took longer than {args.hard_timeout} s")

    def on_term(_signum, _frame) -> None:
        raise BenchError("stopped by a signal")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_term)  # clean up (server, database) on kill too
    signal.signal(signal.SIGINT, on_term)
    signal.alarm(args.hard_timeout)
    try:
        result = run(args)
    except (BenchError, BenchTimeout, subprocess.TimeoutExpired) as exc:
        signal.alarm(0)
        print(f"poll_load: {exc}", file=sys.stderr)
        return 2
    finally:
        signal.alarm(0)
    print(json.dumps(result, indent=2) if args.json else summary(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
