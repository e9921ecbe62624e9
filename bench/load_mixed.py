"""Load test under mixed traffic (issue 16 part 8): ./cax bench load [--duration 60] [--connections 64] ...

``./cax bench load`` starts a throwaway PostgreSQL cluster on loopback (``pg_start``, the same code
as ``./cax test``), runs this script against it and stops the cluster. This script does the rest,
all on 127.0.0.1, and removes what it made:

1. the production settings of docs/deploy.md (``CAX_ENV=production``, a fresh secret key, behind a
   proxy that sends ``X-Forwarded-Proto: https``) in a temporary ``CAX_VAR_DIR``;
2. migrate, collectstatic and the data set of ``./cax up`` (the official tree, the demo accounts,
   the demo province's cases, reports and programme) with the officers of ``demo --scale
   national`` (~120,000 on every commune; ``--scale province``: the demo province's only), then
   ``VACUUM ANALYZE``;
3. an API token for the commune officer (``canbo.xa``) and one for the province leader
   (``lanhdao.tinh``); the province leader's session through the login form, as a browser does;
4. gunicorn as in docs/deploy.md: sync workers, 2 × cores + 1 of them, ``--timeout 60``;
5. wrk with ``bench/load_mixed.lua``: a warm-up, then ``/healthz`` alone, then each endpoint alone,
   then the mix, then ``/healthz`` again, each with the same connections for the same time (the
   first /healthz run is the baseline: every figure is also given as its ratio to it; the last one
   shows how much the machine itself drifted meanwhile).

It prints one table (req/s, p50, p99, non-2xx and socket errors per run, ratios to /healthz), the
mix per endpoint from gunicorn's access log, and what the server and PostgreSQL logged as errors.
The exit status is 1 when any run had an error: the check is zero. Logs are kept under
``var/bench-load/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "load_mixed.lua"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
# What nginx adds in front of the app in production (docs/deploy.md, section 6).
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.2"}
SCENARIOS = ["officers", "units", "cases", "staffing", "overview", "report_save", "case_register"]
# wrk gives up on a request after this: nginx's proxy_read_timeout in docs/deploy.md.
CLIENT_TIMEOUT = "65s"
COMMUNE_OFFICER, PROVINCE_USER = "canbo.xa", "lanhdao.tinh"
STATIC_CACHE = ROOT / "var" / "bench-load" / "static"
SLOW_STATEMENT_MS = 250


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60, help="seconds per wrk run (default 60)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of the mix before measuring (default 5)")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers (default 2 × cores + 1)"
    )
    parser.add_argument(
        "--scale",
        choices=["province", "national"],
        default="national",
        help="officers: every commune (~120,000, the default) or the demo province only (faster to build)",
    )
    parser.add_argument("--cases", type=int, default=500, help="demo cases in the demo province (default 500)")
    parser.add_argument(
        "--only", nargs="*", choices=SCENARIOS + ["mix"], help="these runs only (after /healthz); default: all"
    )
    return parser.parse_args()


# ---------------------------------------------------------------- production settings and data


def production_env(var_dir: Path) -> dict[str, str]:
    """docs/deploy.md's /etc/cax/cax.env for one host on loopback (CAX_DB_* come from ./cax)."""
    if os.environ.get("CAX_DB") != "postgres":
        raise SystemExit("bench/load_mixed.py runs on PostgreSQL: start it with ./cax bench load")
    env = {
        "CAX_ENV": "production",
        "CAX_SECRET_KEY": secrets.token_urlsafe(64),
        "CAX_VAR_DIR": str(var_dir),
        "CAX_ALLOWED_HOSTS": HOST,
        "CAX_SECURE_PROXY": "1",
        "CAX_TRUST_X_FORWARDED_FOR": "1",
        "DJANGO_SETTINGS_MODULE": "cax.settings",
    }
    for name in ("CAX_TESTING", "CAX_DEBUG"):  # production never runs with test settings
        os.environ.pop(name, None)
    return env


def prepare(args: argparse.Namespace) -> dict:
    """Migrate and load the data set in this process, with the settings the server gets."""
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cax.accounts.demo import create_demo_accounts
    from cax.accounts.models import User
    from cax.accounts.services import token_create
    from cax.core.context import request_context

    steps: dict[str, float] = {}

    def step(name, *command):
        started = time.perf_counter()
        call_command(*command, verbosity=0, stdout=io.StringIO())  # the data set is summed up below
        steps[name] = time.perf_counter() - started

    step("migrate", "migrate", "--noinput")
    # ./cax collects the static files into var/bench-load/static only when they changed; the
    # run's CAX_VAR_DIR links to them (started by hand, without ./cax: collected here).
    STATIC_CACHE.mkdir(parents=True, exist_ok=True)
    (Path(os.environ["CAX_VAR_DIR"]) / "static").symlink_to(STATIC_CACHE, target_is_directory=True)
    if not (STATIC_CACHE / "staticfiles.json").exists():
        step("collectstatic", "collectstatic", "--noinput")
    step("load_units", "load_units")
    with request_context():
        passwords = {login.username: login.password for login in create_demo_accounts()}
    step(f"demo --scale {args.scale}", "demo", "--scale", args.scale)
    step(f"demo_cases --count {args.cases}", "demo_cases", "--unit", "51", "--count", str(args.cases))
    step("load_report_forms", "load_report_forms")
    step("demo_reports", "demo_reports", "--unit", "51")
    step("demo_programme", "demo_programme", "--unit", "51")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        # Statements slower than this go to the cluster's log, summed up after the runs.
        cursor.execute(f"ALTER SYSTEM SET log_min_duration_statement = {SLOW_STATEMENT_MS}")
        cursor.execute("SELECT pg_reload_conf()")
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    steps["VACUUM ANALYZE"] = time.perf_counter() - started
    with request_context():
        tokens = {
            name: token_create(actor=None, user=User.objects.get(username=name), name="load test")[1]
            for name in (COMMUNE_OFFICER, PROVINCE_USER)
        }
    users = {u.username: u for u in User.objects.select_related("unit__unit_type").filter(username__in=tokens)}
    info = {
        "steps": steps,
        "pg_version": pg_version,
        "tokens": tokens,
        "password": passwords[PROVINCE_USER],
        "province": users[PROVINCE_USER].unit,
        "commune": users[COMMUNE_OFFICER].unit,
        "counts": dataset_counts(),
    }
    connection.close()  # the server's workers open their own
    return info


def dataset_counts() -> dict[str, int]:
    from cax.cases.models import Case
    from cax.deployment.models import Posting
    from cax.personnel.models import Officer
    from cax.reports.models import Submission, Value
    from cax.units.models import Unit

    return {
        "current units": Unit.objects.current().count(),
        "officers": Officer.objects.count(),
        "postings": Posting.objects.count(),
        "cases": Case.objects.count(),
        "report submissions": Submission.objects.count(),
        "report values": Value.objects.count(),
    }


# ---------------------------------------------------------------- the server


@dataclass
class Server:
    port: int
    logs: Path
    env: dict[str, str]
    workers: int
    process: subprocess.Popen | None = None

    @property
    def access_log(self) -> Path:
        return self.logs / "access.log"

    @property
    def error_log(self) -> Path:
        return self.logs / "gunicorn.log"

    def start(self) -> None:
        # docs/deploy.md's ExecStart; the access log in a file (journald there) with the
        # fields this script reads back: method, path, status, microseconds.
        command = [
            str(GUNICORN),
            "cax.wsgi:application",
            "--pythonpath",
            "src",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "30",
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)s",
            "--error-logfile",
            str(self.error_log),
            # Not the default ~/.gunicorn/gunicorn.ctl, which another gunicorn on the host may hold.
            "--no-control-socket",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.error_log}")
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def drain(self) -> None:
        """Waits for the requests wrk left queued when it stopped: sync workers still answer
        them, and they must not slow down the next run. A /healthz call waits its turn behind
        them (the listen queue is first in, first out); then the access log must stay quiet."""
        request(self.port, "GET", "/healthz")
        size = -1
        while size != self.access_log.stat().st_size:
            size = self.access_log.stat().st_size
            time.sleep(1.0)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=40)  # TimeoutStopSec of the systemd unit
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def request(port: int, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    """(status, response headers, body text) of one call through the "proxy" headers."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        connection.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.msg, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def cookies_of(headers) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def login(port: int, username: str, password: str) -> str:
    """Logs in through the login form as a browser behind nginx does; returns the Cookie header."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    csrf = cookies_of(headers).get("csrftoken")
    if status != 200 or found is None or csrf is None:
        raise SystemExit(f"login page: HTTP {status}, no CSRF token")
    origin = f"https://{HOST}:{port}"
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": found[1]})
    status, headers, body = request(
        port,
        "POST",
        "/accounts/login/",
        {
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
        },
        form.encode(),
    )
    session = cookies_of(headers).get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"login as {username}: HTTP {status}, no session cookie:\n{body[:2000]}")
    return f"sessionid={session}"


def api_json(port: int, token: str, method: str, path: str, payload: dict | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps(payload).encode() if payload is not None else None
    status, _headers, text = request(port, method, path, headers, body)
    if not 200 <= status < 300:
        raise SystemExit(f"{method} {path}: HTTP {status}: {text[:2000]}")
    return json.loads(text)


def pages_of(port: int, token: str, path: str) -> int:
    first = api_json(port, token, "GET", path)
    return max(1, math.ceil(first["count"] / first["page_size"]))


def report_drafts(port: int, token: str, commune_code: str, type_code: str) -> str:
    """The commune's drafts of the current period of every form it reports (first save opens
    each draft), with the integer indicators typed by hand, as LOAD_REPORTS for the Lua script."""
    entries = []
    for form in api_json(port, token, "GET", "/api/v1/report-forms"):
        definition = api_json(port, token, "GET", f"/api/v1/report-forms/{form['code']}")
        if type_code not in definition["reporting_unit_types"]:
            continue
        codes = [
            item["indicator"]
            for section in definition["sections"]
            for item in section["items"]
            if item["value_type"] == "integer" and not item["prefill_source"]
        ]
        path = f"/api/v1/reports/{commune_code}/{form['code']}/{definition['period_key']}"
        saved = api_json(port, token, "PUT", path, {"values": {code: {"value": "1"} for code in codes}})
        if saved["field_errors"]:
            raise SystemExit(f"PUT {path}: field errors {saved['field_errors']}")
        entries.append(f"{path}|{','.join(codes)}")
    if not entries:
        raise SystemExit(f"the commune {commune_code} reports no form today")
    return ";".join(entries)


# ---------------------------------------------------------------- wrk runs


@dataclass
class Run:
    name: str
    result: dict
    log_lines: list[str] = field(default_factory=list)
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def rps(self) -> float:
        return self.result["requests"] / (self.result["duration_us"] / 1e6)

    @property
    def socket_errors(self) -> int:
        return sum(self.result[k] for k in ("connect", "read", "write", "timeout"))

    @property
    def errors(self) -> int:
        return self.result["non2xx"] + self.socket_errors


def wrk(scenario: str, seconds: int, connections: int, threads: int, port: int, lua_env: dict) -> dict:
    command = [
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        CLIENT_TIMEOUT,
        "-s",
        str(LUA),
        f"http://{HOST}:{port}",
    ]
    done = subprocess.run(
        # LOAD_RUN: new for every wrk process, whose threads count their requests from 1 again.
        command,
        env={**os.environ, **lua_env, "LOAD_SCENARIO": scenario, "LOAD_RUN": secrets.token_hex(6)},
        capture_output=True,
        text=True,
        check=False,
    )
    return wrk_result(scenario, done)


def wrk_result(label: str, done: subprocess.CompletedProcess) -> dict:
    """The LOADRESULT line a run's Lua ``done()`` printed, with the sample response before it."""
    found = re.search(r"^LOADRESULT (\{.*\})$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"wrk {label} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    result = json.loads(found[1])
    sample = re.search(r"^LOADSAMPLE (.*?)\nLOADRESULT ", done.stdout, re.MULTILINE | re.DOTALL)
    result["sample"] = sample[1][:2000] if sample else ""
    return result


def measured(name: str, server: Server, args: argparse.Namespace, lua_env: dict) -> Run:
    offset = server.access_log.stat().st_size if server.access_log.exists() else 0
    scenario = name.split()[0]  # "healthz (again)" runs the healthz scenario
    result = wrk(scenario, args.duration, args.connections, args.threads, server.port, lua_env)
    server.drain()
    with server.access_log.open() as log:
        log.seek(offset)
        lines = log.readlines()
    run = Run(name, result, lines, os.getloadavg())
    print(
        f"# {name}: {run.rps:.1f} req/s, p50 {result['p50_us'] / 1000:.1f} ms, p99 {result['p99_us'] / 1000:.1f} ms, "
        f"non-2xx {result['non2xx']}{' ' + str(result['statuses']) if result['statuses'] else ''}, "
        f"socket errors {run.socket_errors}, "
        f"load {run.load[0]:.2f}",
        flush=True,
    )
    return run


def endpoint_of(method: str, path: str) -> str:
    if path.startswith("/api/v1/cases"):
        return "case_register" if method == "POST" else "cases"
    prefixes = {
        "/healthz": "healthz",
        "/api/v1/officers": "officers",
        "/api/v1/units": "units",
        "/api/v1/reports/": "report_save",
        "/staffing/": "staffing",
        "/overview/": "overview",
    }
    return next((name for prefix, name in prefixes.items() if path.startswith(prefix)), "other")


# ---------------------------------------------------------------- report


def ms(us: float) -> str:
    return f"{us / 1000:,.1f}"


def answers(run: Run) -> dict[str, list[tuple[int, int]]]:
    """(status, microseconds in the worker) per endpoint, from gunicorn's access log of the run;
    outside a /healthz run, without the drain's own /healthz call."""
    by_endpoint: dict[str, list[tuple[int, int]]] = {}
    for line in run.log_lines:
        parts = line.split()
        if len(parts) != 4:
            continue
        method, path, status, micros = parts
        endpoint = endpoint_of(method, path)
        if endpoint != "healthz" or run.name.startswith("healthz"):
            by_endpoint.setdefault(endpoint, []).append((int(status), int(micros)))
    return by_endpoint


def percentiles(rows: list[tuple[int, int]]) -> tuple[float, float]:
    times = sorted(micros for _status, micros in rows)
    return statistics.median(times), times[min(len(times) - 1, math.ceil(len(times) * 0.99) - 1)]


def print_table(runs: list[Run]) -> None:
    base = runs[0]
    # worker: the time inside a gunicorn worker (access log), without the wait in the listen queue;
    # load: the 1-minute load average when the run ended (the machine may be shared).
    print(
        "\n| run | req/s | p50 ms | p99 ms | non-2xx | socket errors | req/s ÷ healthz | p99 ÷ healthz "
        "| worker p50 / p99 ms | load |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for run in runs:
        r = run.result
        sockets = f"{run.socket_errors}"
        if run.socket_errors:
            sockets += f" (connect {r['connect']}, read {r['read']}, write {r['write']}, timeout {r['timeout']})"
        non2xx = f"{r['non2xx']}" + (f" {r['statuses']}" if r["statuses"] else "")
        rows = [row for endpoint_rows in answers(run).values() for row in endpoint_rows]
        worker = "{} / {}".format(*map(ms, percentiles(rows))) if rows else "–"
        print(
            f"| {run.name} | {run.rps:,.1f} | {ms(r['p50_us'])} | {ms(r['p99_us'])} | {non2xx} | {sockets} | "
            f"{run.rps / base.rps:.3f} | {r['p99_us'] / base.result['p99_us']:.1f} | {worker} | {run.load[0]:.1f} |"
        )


def print_mix_breakdown(run: Run) -> None:
    """The mix per endpoint, from gunicorn's access log: share, statuses and the time inside the
    worker (without the wait in the listen queue, which wrk's latencies include)."""
    by_endpoint = answers(run)
    total = sum(len(v) for v in by_endpoint.values()) or 1
    print(
        f"\nThe mix per endpoint (gunicorn's access log, {total} answers; time in the worker):\n\n"
        "| endpoint | share | answers | non-2xx | worker p50 ms | worker p99 ms |\n|---|---:|---:|---:|---:|---:|"
    )
    for name in [*SCENARIOS, "other"]:
        rows = by_endpoint.get(name)
        if not rows:
            continue
        bad = sum(1 for status, _micros in rows if not 200 <= status < 300)
        p50, p99 = percentiles(rows)
        print(f"| {name} | {len(rows) / total:.0%} | {len(rows)} | {bad} | {ms(p50)} | {ms(p99)} |")


def print_server_errors(server: Server) -> None:
    """What gunicorn (worker timeouts, tracebacks) and PostgreSQL (locks, connections) logged."""
    sources = {"gunicorn": server.error_log}
    if os.environ.get("CAX_BENCH_PG_LOG"):
        sources["PostgreSQL"] = Path(os.environ["CAX_BENCH_PG_LOG"])
    pattern = re.compile(r"WORKER TIMEOUT|Traceback|\bERROR\b|FATAL|deadlock|could not|too many", re.IGNORECASE)
    for name, path in sources.items():
        lines = [line.rstrip() for line in path.read_text(errors="replace").splitlines() if pattern.search(line)]
        print(f"\n# {name} log: {len(lines)} error line(s)" + (":" if lines else ""))
        for line in lines[:20]:
            print(f"#   {line[:300]}")


def print_slow_statements() -> None:
    """The statements PostgreSQL logged as slower than SLOW_STATEMENT_MS, the slowest kinds first."""
    if not os.environ.get("CAX_BENCH_PG_LOG"):
        return
    found = re.findall(
        r"duration: ([\d.]+) ms\s+(?:statement|execute [^:]*): (.*)", Path(os.environ["CAX_BENCH_PG_LOG"]).read_text()
    )
    kinds: dict[str, list[float]] = {}
    for duration, sql in found:
        kinds.setdefault(re.sub(r"\d+", "N", sql)[:160], []).append(float(duration))
    print(f"\n# PostgreSQL: {len(found)} statement(s) over {SLOW_STATEMENT_MS} ms" + (":" if found else ""))
    for sql, durations in sorted(kinds.items(), key=lambda item: -sum(item[1]))[:8]:
        print(f"#   {len(durations)} × median {statistics.median(durations):.0f} ms, max {max(durations):.0f}: {sql}")


def machine() -> str:
    model = ""
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    found = re.search(r"^Model name:\s*(.+)$", lscpu, re.MULTILINE)
    if found:
        model = found[1].strip()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False).stdout.split("\n")[0]
    return (
        f"{os.cpu_count()} cores ({model}, {platform.machine()}), Python {platform.python_version()}, "
        f"{wrk_version.strip()}"
    )


# ---------------------------------------------------------------- main


class Tee:
    """stdout that is also written to the run's report.md beside its logs."""

    def __init__(self, *streams):
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk; ./cax bench load installs it as root)")
    logs = ROOT / "var" / "bench-load" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    logs.mkdir(parents=True)
    sys.stdout = Tee(sys.stdout, (logs / "report.md").open("w"))
    var_dir = Path(tempfile.mkdtemp(prefix="cax-load-"))
    server = None
    try:
        env = production_env(var_dir)
        os.environ.update(env)
        print(f"# {machine()}; load average {os.getloadavg()[0]:.2f}", flush=True)
        info = prepare(args)
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in info["steps"].items())
        print(f"# PostgreSQL {info['pg_version']}; data set: {info['counts']}\n# setup: {steps}", flush=True)
        server = Server(free_port(), logs, {**os.environ}, args.workers)
        server.start()
        runs = exercise(server, info, args)
        print_table(runs)
        for run in runs:
            if run.name == "mix":
                print_mix_breakdown(run)
        print_server_errors(server)
        print_slow_statements()
        print(f"\n# logs: {logs}")
        failed = [run.name for run in runs if run.errors]
        if failed:
            print(f"# FAILED: errors in {', '.join(failed)} (the check is 0 errors)")
            return 1
        return 0
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(var_dir, ignore_errors=True)


def exercise(server: Server, info: dict, args: argparse.Namespace) -> list[Run]:
    """Log in, find the pages and drafts, then the wrk runs: warm-up, /healthz, each endpoint, the mix."""
    port, tokens = server.port, info["tokens"]
    province, commune = info["province"], info["commune"]
    lua_env = {
        "LOAD_PROVINCE_TOKEN": tokens[PROVINCE_USER],
        "LOAD_COMMUNE_TOKEN": tokens[COMMUNE_OFFICER],
        "LOAD_SESSION_COOKIE": login(port, PROVINCE_USER, info["password"]),
        "LOAD_STAFFING_PATH": f"/staffing/{province.pk}/",
        "LOAD_OVERVIEW_PATH": f"/overview/{province.pk}/",
        "LOAD_PROVINCE_CODE": province.code,
        "LOAD_COMMUNE_CODE": commune.code,
        "LOAD_OFFICER_PAGES": str(pages_of(port, tokens[PROVINCE_USER], "/api/v1/officers")),
        "LOAD_UNIT_PAGES": str(pages_of(port, tokens[PROVINCE_USER], "/api/v1/units")),
        "LOAD_CASE_PAGES": str(pages_of(port, tokens[COMMUNE_OFFICER], "/api/v1/cases")),
        "LOAD_REPORTS": report_drafts(port, tokens[COMMUNE_OFFICER], commune.code, commune.unit_type.code),
    }
    print(
        f"# gunicorn: {args.workers} sync workers on {HOST}:{port}; wrk: {args.connections} connections, "
        f"{args.threads} threads, {args.duration} s per run",
        flush=True,
    )
    # Each request of every scenario once, one connection: a wrong path or permission fails here.
    for scenario in [*SCENARIOS, "healthz"]:
        smoke = wrk(scenario, 1, 1, 1, port, lua_env)
        if smoke["non2xx"] or smoke["requests"] == 0:
            raise SystemExit(f"{scenario}: {smoke['statuses']} before any load: {smoke}\n{smoke.get('sample', '')}")
    if args.warmup:
        wrk("mix", args.warmup, args.connections, args.threads, port, lua_env)
    server.drain()
    # /healthz again at the end: how much the machine itself drifted during the runs.
    names = ["healthz", *(args.only if args.only is not None else [*SCENARIOS, "mix"]), "healthz (again)"]
    return [measured(name, server, args, lua_env) for name in names]


if __name__ == "__main__":
    sys.exit(main())
