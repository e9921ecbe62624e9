"""Throughput per endpoint against /healthz (issue 20 part 2): ./cax bench --http [--duration 20] ...

``./cax bench --http`` starts a PostgreSQL cluster kept in ``var/bench-http/pg-SCALE`` (``pg_start``,
the launcher's code; the first run makes it, later runs reuse it and the data set it holds), runs
this script against it and stops the cluster. This script, all on 127.0.0.1:

1. sets the production settings of docs/deploy.md (``CAX_ENV=production``, a fresh secret key, behind
   a proxy that sends ``X-Forwarded-Proto: https``), as bench/load_mixed.py does;
2. migrates, and on the first run loads the official tree, the demo accounts and ``demo --scale
   national`` (~120,000 officers on every commune; ``--scale province``: the demo province's only),
   then ``VACUUM ANALYZE``; later runs find the mark of that load and skip it;
3. makes an API token for the ministry leader (``lanhdao.bo``) and one for the province leader
   (``lanhdao.tinh``), gives both a fresh password and logs both in through the login form;
4. starts gunicorn as docs/deploy.md does, with ``--workers`` sync workers (default 2);
5. runs wrk with ``bench/http_endpoints.lua`` on each endpoint alone: first on one connection (the
   time of one request with nothing queued), then with ``--connections`` for ``--duration`` s;
   /healthz first and again last (the machine's drift); every figure is also given as its ratio to
   the first /healthz run.

The endpoints: /healthz; the API's unit list (50 rows, national scope) and officer list (50 rows,
one province); the officer list page of that province (session); the national staffing dashboard,
warm (its figures cached after the first request, as every request after the first finds them).
The exit status is 1 when any request failed. Logs are kept under ``var/bench-http/runs/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_mixed import (  # noqa: E402
    CLIENT_TIMEOUT,
    HOST,
    Server,
    Tee,
    free_port,
    login,
    machine,
    production_env,
    wrk_result,
)

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "http_endpoints.lua"
MINISTRY_USER, PROVINCE_USER = "lanhdao.bo", "lanhdao.tinh"


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    user: str = ""  # whose token (api) or session (page); nobody's for /healthz
    page: bool = False


def endpoints(ministry_pk: int) -> list[Endpoint]:
    return [
        Endpoint("units API, 50 rows (ministry token)", "/api/v1/units?page_size=50", MINISTRY_USER),
        Endpoint("officers API, 50 rows (province token)", "/api/v1/officers?page_size=50", PROVINCE_USER),
        Endpoint("officers page (province session)", "/officers/", PROVINCE_USER, page=True),
        Endpoint("national staffing, warm (ministry session)", f"/staffing/{ministry_pk}/", MINISTRY_USER, page=True),
    ]


HEALTHZ = Endpoint("healthz", "/healthz")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var-dir", type=Path, required=True, help="var/bench-http (./cax passes it)")
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run (default 20)")
    parser.add_argument("--single", type=int, default=3, help="seconds on one connection first (default 3; 0: none)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--scale",
        choices=["province", "national"],
        default="national",
        help="officers: every commune (~120,000, the default) or the demo province only (faster to build)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="no server: N requests of each endpoint in this process (Django's test client, the production "
        "middleware) under cProfile; prints the queries per request and where the time goes",
    )
    parser.add_argument("--only", nargs="*", help="endpoints whose name contains one of these words (and /healthz)")
    return parser.parse_args()


# ---------------------------------------------------------------- data set


def load_once(args: argparse.Namespace, steps: dict[str, float]) -> None:
    """The data set, loaded once per kept cluster: the mark is written after the last step."""
    from django.core.management import call_command
    from django.db import connection

    from cax.accounts.demo import create_demo_accounts
    from cax.core.context import request_context

    mark = args.var_dir / f"pg-{args.scale}" / "loaded"
    if mark.exists():
        steps["data set"] = 0.0  # reused
        return

    def step(name, *command):
        started = time.perf_counter()
        call_command(*command, verbosity=0, stdout=io.StringIO())
        steps[name] = time.perf_counter() - started

    step("load_units", "load_units")
    with request_context():
        create_demo_accounts()
    step(f"demo --scale {args.scale}", "demo", "--scale", args.scale)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    steps["VACUUM ANALYZE"] = time.perf_counter() - started
    mark.write_text(f"{dt.datetime.now(dt.UTC).isoformat()} demo --scale {args.scale}\n")


def prepare(args: argparse.Namespace) -> dict:
    """Migrate, load (once), then a token and a fresh password for each of the two users."""
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cax.accounts.models import User
    from cax.accounts.services import token_create, user_set_password
    from cax.core.context import request_context
    from cax.deployment.models import Posting
    from cax.personnel.models import Officer
    from cax.units.models import Unit

    steps: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0, stdout=io.StringIO())
    steps["migrate"] = time.perf_counter() - started
    load_once(args, steps)
    users = {u.username: u for u in User.objects.filter(username__in=[MINISTRY_USER, PROVINCE_USER])}
    tokens, passwords = {}, {}
    with request_context():
        for name, user in users.items():
            # The password first: a new password revokes the user's tokens.
            passwords[name] = secrets.token_urlsafe(16)
            user_set_password(actor=None, user=user, password=passwords[name])
            tokens[name] = token_create(actor=None, user=user, name="bench --http")[1]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    counts = {
        "current units": Unit.objects.current().count(),
        "officers": Officer.objects.count(),
        "postings": Posting.objects.count(),
    }
    info = {
        "steps": steps,
        "pg_version": pg_version,
        "tokens": tokens,
        "passwords": passwords,
        "ministry_pk": users[MINISTRY_USER].unit_id,
        "counts": counts,
    }
    if not args.profile:
        connection.close()  # the server's workers open their own
    return info


# ---------------------------------------------------------------- wrk runs


@dataclass
class Run:
    endpoint: Endpoint
    result: dict
    single: dict | None
    load: float

    @property
    def rps(self) -> float:
        return self.result["requests"] / (self.result["duration_us"] / 1e6)

    @property
    def errors(self) -> int:
        r = self.result
        return r["non2xx"] + r["connect"] + r["read"] + r["write"] + r["timeout"]


def wrk(endpoint: Endpoint, headers: dict[str, str], seconds: int, connections: int, threads: int, port: int) -> dict:
    command = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--timeout", CLIENT_TIMEOUT, "-s", str(LUA), f"http://{HOST}:{port}"]
    env = {**os.environ, "BENCH_PATH": endpoint.path, "BENCH_NAME": endpoint.name, **headers}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    return wrk_result(endpoint.name, done)


def measured(endpoint: Endpoint, headers: dict, server: Server, args: argparse.Namespace) -> Run:
    single = None
    if args.single:
        single = wrk(endpoint, headers, args.single, 1, 1, server.port)
        server.drain()
    result = wrk(endpoint, headers, args.duration, args.connections, args.threads, server.port)
    server.drain()
    run = Run(endpoint, result, single, os.getloadavg()[0])
    alone = f", one connection p50 {single['p50_us'] / 1000:.1f} ms" if single else ""
    print(
        f"# {endpoint.name}: {run.rps:,.1f} req/s, p50 {result['p50_us'] / 1000:.1f} ms, "
        f"p99 {result['p99_us'] / 1000:.1f} ms{alone}, non-2xx {result['non2xx']} {result['statuses'] or ''}, "
        f"load {run.load:.2f}",
        flush=True,
    )
    if result["sample"]:
        print(f"#   first non-2xx: {result['sample'][:300]}")
    return run


def exercise(server: Server, info: dict, args: argparse.Namespace) -> list[Run]:
    port = server.port
    sessions = {name: login(port, name, password) for name, password in info["passwords"].items()}
    chosen = [e for e in endpoints(info["ministry_pk"]) if not args.only or any(w in e.name for w in args.only)]

    def headers(endpoint: Endpoint) -> dict[str, str]:
        if not endpoint.user:
            return {}
        if endpoint.page:
            return {"BENCH_COOKIE": sessions[endpoint.user]}
        return {"BENCH_AUTHORIZATION": f"Bearer {info['tokens'][endpoint.user]}"}

    # Each endpoint a few times first: a wrong path or permission fails here, and the dashboard's
    # figures are in the cache (warm) before it is measured.
    for endpoint in [HEALTHZ, *chosen]:
        smoke = wrk(endpoint, headers(endpoint), 2, 1, 1, port)
        if smoke["non2xx"] or smoke["requests"] == 0:
            raise SystemExit(f"{endpoint.name}: {smoke['statuses']} before any load:\n{smoke['sample']}")
    server.drain()
    print(
        f"# gunicorn: {args.workers} sync workers on {HOST}:{port}; wrk: {args.connections} connections, "
        f"{args.threads} threads, {args.duration} s per run (first {args.single} s on one connection)",
        flush=True,
    )
    runs = [measured(endpoint, headers(endpoint), server, args) for endpoint in [HEALTHZ, *chosen]]
    runs.append(measured(Endpoint("healthz (again)", "/healthz"), {}, server, args))
    return runs


# ---------------------------------------------------------------- in-process profile


def profile(info: dict, args: argparse.Namespace) -> None:
    """Each endpoint ``--profile`` times through the whole middleware stack, no server in between:
    the queries of one request, the milliseconds of one, and the functions that take them."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client

    from cax.accounts.models import User

    clients = {}
    for name in info["tokens"]:
        clients[name] = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="10.0.0.2", SERVER_NAME=HOST)
        clients[name].force_login(User.objects.get(username=name))
    anonymous = Client(HTTP_X_FORWARDED_PROTO="https", SERVER_NAME=HOST)
    chosen = [e for e in endpoints(info["ministry_pk"]) if not args.only or any(w in e.name for w in args.only)]
    for endpoint in [HEALTHZ, *chosen]:
        client = clients[endpoint.user] if endpoint.page else anonymous
        bearer = not endpoint.page and endpoint.user
        extra = {"HTTP_AUTHORIZATION": f"Bearer {info['tokens'][endpoint.user]}"} if bearer else {}
        client.get(endpoint.path, **extra)  # warm: caches, the dashboard's figures
        queries: list[tuple[float, str, object]] = []

        def record(execute, sql, params, many, context, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(((time.perf_counter() - started) * 1000, sql, params))

        with connection.execute_wrapper(record):
            response = client.get(endpoint.path, **extra)
        if response.status_code != 200:
            raise SystemExit(f"{endpoint.name}: HTTP {response.status_code}")
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(args.profile):
            client.get(endpoint.path, **extra)
        profiler.disable()
        per_request = (time.perf_counter() - started) / args.profile * 1000
        print(f"\n## {endpoint.name}: {per_request:.2f} ms per request (profiled), {len(queries)} queries")
        for ms, sql, _params in queries:
            print(f"#   {ms:.2f} ms {sql[:300]}")
        ms, sql, params = max(queries)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
            print("# the slowest:\n" + "\n".join(f"#     {row[0]}" for row in cursor.fetchall()))
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)


# ---------------------------------------------------------------- report


def print_table(runs: list[Run]) -> None:
    base = runs[0]
    print(
        "\n| endpoint | req/s | ÷ healthz | p50 ms | p99 ms | one connection p50 ms | errors | load |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for run in runs:
        r = run.result
        single = f"{run.single['p50_us'] / 1000:.2f}" if run.single else "–"
        print(
            f"| {run.endpoint.name} | {run.rps:,.1f} | **{run.rps / base.rps:.3f}** | {r['p50_us'] / 1000:.1f} | "
            f"{r['p99_us'] / 1000:.1f} | {single} | {run.errors} | {run.load:.2f} |"
        )


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk; ./cax bench --http installs it as root)")
    logs = args.var_dir / "runs" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    logs.mkdir(parents=True)
    sys.stdout = Tee(sys.stdout, (logs / "report.md").open("w"))
    server = None
    try:
        os.environ.update(production_env(args.var_dir))
        print(f"# {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        info = prepare(args)
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in info["steps"].items())
        print(f"# PostgreSQL {info['pg_version']}; data set: {info['counts']}\n# setup: {steps}", flush=True)
        if args.profile:
            profile(info, args)
            return 0
        server = Server(free_port(), logs, {**os.environ}, args.workers)
        server.start()
        runs = exercise(server, info, args)
        print_table(runs)
        print(f"\n# logs: {logs}")
        return 1 if any(run.errors for run in runs) else 0
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
