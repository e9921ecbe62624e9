"""What a sign-in costs a gunicorn worker in memory (issue 20.5): ./cax bench [--postgres] login_memory

bench/run.py calls ``run`` with its database (SQLite or the throwaway PostgreSQL cluster) migrated
and the official unit tree loaded. For each case this module starts the production server of
docs/deploy.md (``CAX_ENV=production``, gunicorn sync, behind the "proxy" headers, as
bench/load_mixed.py does) with ONE worker, so every request lands in the process it watches:

1. warm-up: the login form, /healthz and the pages of a province leader (a session made here,
   without hashing a password), round after round until a whole round raises the worker's peak
   resident memory (VmHWM in /proc/<pid>/status) by less than 256 KiB: the steady state;
2. one sign-in through the login form (GET the form, POST it) and the page it redirects to;
   VmHWM again: what the sign-in added above the steady state;
3. more sign-ins, timed; VmHWM and VmRSS at the end (does the worker give the memory back?).

Cases, in one run: Django's former Argon2 parameters (m=100 MiB, t=2, p=8: the baseline), CAX's
(settings CAX_ARGON2_*, by default m=12 MiB, t=3, p=1), OWASP's headline m=19 MiB, t=2, p=1, and
the first sign-in after the upgrade (a hash of the former parameters on the new server: verified
with them, then rehashed).
"""

from __future__ import annotations

import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from load_mixed import Server, free_port, login, request

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "bench-login"  # static files collected once, the servers' logs
USERNAME, PASSWORD = "bench-login", "Mat-khau-do-dang-nhap-2026"
FORMER = {"CAX_ARGON2_MEMORY_KIB": "102400", "CAX_ARGON2_TIME_COST": "2", "CAX_ARGON2_PARALLELISM": "8"}
# The OWASP cheat sheet's headline setting, measured beside CAX's for docs/decisions/0014.
OWASP_FIRST = {"CAX_ARGON2_MEMORY_KIB": "19456", "CAX_ARGON2_TIME_COST": "2", "CAX_ARGON2_PARALLELISM": "1"}
MB = 1000 * 1000
# A warm-up round that raises the worker's peak by less than this has reached the steady state.
STEADY_BYTES = 256 * 1024


@dataclass
class Case:
    name: str
    server_env: dict[str, str]  # the server's Argon2 settings (empty: CAX's, as configured)
    stored_hash: str  # the user's hash when the server starts
    steady: int = 0  # VmHWM after the warm-up, bytes
    first: int = 0  # VmHWM after one sign-in and its page
    last: int = 0  # VmHWM after every sign-in
    resident: int = 0  # VmRSS at the end
    first_ms: float = 0.0  # the first sign-in (GET the form + POST it)
    login_ms: float = 0.0  # median of the sign-ins after it
    warm_peaks: tuple[int, ...] = ()  # VmHWM after each warm-up round
    rehashed_to: str = ""  # the parameters of the user's hash after the first sign-in


def memory_of(pid: int) -> dict[str, int]:
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return {name: int(fields[name].split()[0]) * 1024 for name in ("VmHWM", "VmRSS")}


def worker_of(master: int) -> int:
    """The pid of the master's only worker (gunicorn --workers 1), from /proc."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                    return int(entry.name)
        time.sleep(0.2)
    raise SystemExit("gunicorn started no worker within 30 s")


def server_env(var_dir: Path, secret_key: str, argon2: dict[str, str]) -> dict[str, str]:
    """docs/deploy.md's cax.env on loopback, with this run's database."""
    from django.db import connection

    env = {k: v for k, v in os.environ.items() if k not in ("CAX_TESTING", "CAX_DEBUG")}
    env.update(
        CAX_ENV="production",
        CAX_SECRET_KEY=secret_key,
        CAX_VAR_DIR=str(var_dir),
        CAX_ALLOWED_HOSTS="127.0.0.1",
        CAX_SECURE_PROXY="1",
        CAX_TRUST_X_FORWARDED_FOR="1",
        DJANGO_SETTINGS_MODULE="cax.settings",
        PYTHONPATH=str(ROOT / "src"),
        **argon2,
    )
    if connection.vendor == "sqlite":  # the bench's own file, not the one under CAX_VAR_DIR
        env["CAX_SQLITE_PATH"] = str(connection.settings_dict["NAME"])
    return env


def collect_static(secret_key: str) -> bool:
    """Into var/bench-login/static, when a static source, settings.py or pyproject.toml (the
    packages' own files) is newer than the manifest: the production storage serves nothing
    without it, and a full collection takes 1–2 minutes. True when it collected."""
    manifest = WORK_DIR / "static" / "staticfiles.json"
    sources = [ROOT / "pyproject.toml", ROOT / "src" / "cax" / "settings.py"]
    sources += [path for path in (ROOT / "src").glob("**/static/**/*") if path.is_file()]
    if manifest.exists() and manifest.stat().st_mtime > max(path.stat().st_mtime for path in sources):
        return False
    env = server_env(WORK_DIR, secret_key, {})
    subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True
    )
    return True


def hash_with(argon2: dict[str, str]) -> str:
    """The bench password hashed by CAX's hasher with these CAX_ARGON2_* settings (empty: the
    configured ones), whatever the test settings of this process hash with."""
    from django.test import override_settings

    from cax.accounts.hashers import Argon2idPasswordHasher

    hasher = Argon2idPasswordHasher()
    with override_settings(**{name: int(value) for name, value in argon2.items()}):
        return hasher.encode(PASSWORD, hasher.salt())


def bench_user():
    from cax.accounts.models import User
    from cax.accounts.roles import Role
    from cax.accounts.services import user_create
    from cax.units.models import Unit

    province = Unit.objects.get(code="51", valid_to__isnull=True)
    user = User.objects.filter(username=USERNAME).first() or user_create(
        actor=None, username=USERNAME, full_name="Bench", role=Role.PROVINCE_LEADER, unit=province
    )
    return user, province


def session_cookie(user, secret_key: str) -> str:
    """A session of the server's key made in this process: the warm-up signs nobody in."""
    from django.test import Client, override_settings

    with override_settings(SECRET_KEY=secret_key):
        client = Client()
        client.force_login(user)
        return f"sessionid={client.cookies['sessionid'].value}"


def warm_up(port: int, pid: int, cookie: str, pages: list[str]) -> list[int]:
    """Rounds of the pages until one adds less than ``STEADY_BYTES`` to VmHWM (at most 12): the
    VmHWM after each round, the last being the steady state."""
    peaks = [memory_of(pid)["VmHWM"]]
    while len(peaks) < 2 or (peaks[-1] - peaks[-2] >= STEADY_BYTES and len(peaks) <= 12):
        for path in ("/healthz", "/accounts/login/"):
            request(port, "GET", path)
        for path in pages:
            status = request(port, "GET", path, {"Cookie": cookie})[0]
            if status != 200:
                raise SystemExit(f"warm-up GET {path}: HTTP {status}")
        peaks.append(memory_of(pid)["VmHWM"])
    return peaks[1:]


def measure(case: Case, user, pages: list[str], sign_ins: int) -> None:
    """Starts the server for ``case``, warms it, signs in ``sign_ins`` times, stops it."""
    from cax.accounts.models import User

    User.objects.filter(pk=user.pk).update(password=case.stored_hash)
    user.refresh_from_db()
    secret_key = secrets.token_urlsafe(64)
    var_dir = Path(tempfile.mkdtemp(prefix="cax-bench-login-"))
    (var_dir / "static").symlink_to(WORK_DIR / "static", target_is_directory=True)
    logs = WORK_DIR / "logs" / case.name.split()[0]
    logs.mkdir(parents=True, exist_ok=True)
    server = Server(free_port(), logs, server_env(var_dir, secret_key, case.server_env), workers=1)
    try:
        server.start()
        pid = worker_of(server.process.pid)
        case.warm_peaks = tuple(warm_up(server.port, pid, session_cookie(user, secret_key), pages))
        case.steady = case.warm_peaks[-1]
        started = time.perf_counter()
        cookie = login(server.port, USERNAME, PASSWORD)
        case.first_ms = (time.perf_counter() - started) * 1000
        if request(server.port, "GET", "/", {"Cookie": cookie})[0] != 200:
            raise SystemExit("the page after sign-in did not answer 200")
        case.first = memory_of(pid)["VmHWM"]
        case.rehashed_to = User.objects.get(pk=user.pk).password.split("$")[3]
        timings = []
        for _ in range(sign_ins):
            started = time.perf_counter()
            login(server.port, USERNAME, PASSWORD)
            timings.append((time.perf_counter() - started) * 1000)
        case.login_ms = statistics.median(timings)
        case.last, case.resident = memory_of(pid)["VmHWM"], memory_of(pid)["VmRSS"]
    finally:
        server.stop()
        shutil.rmtree(var_dir, ignore_errors=True)


def print_table(cases: list[Case]) -> None:
    base = cases[0]

    def added(case: Case) -> int:
        return case.first - case.steady

    print(
        "\n## login_memory (one gunicorn sync worker, production settings)\n"
        "| case | hash after 1st sign-in | steady VmHWM MB | 1st sign-in adds MB | × former | "
        "after all sign-ins adds MB | VmRSS at the end MB | 1st sign-in ms | later sign-ins ms (median) | × former |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for case in cases:
        print(
            f"| {case.name} | {case.rehashed_to} | {case.steady / MB:.1f} | {added(case) / MB:.1f} | "
            f"{added(case) / added(base):.2f} | {(case.last - case.steady) / MB:.1f} | {case.resident / MB:.1f} | "
            f"{case.first_ms:.0f} | {case.login_ms:.0f} | {case.login_ms / base.login_ms:.2f} |"
        )
    for case in cases:
        peaks = ", ".join(f"{peak / MB:.1f}" for peak in case.warm_peaks)
        print(f"# {case.name}: VmHWM after each warm-up round (MB): {peaks}")


def run(repeat: int) -> None:
    from django.conf import settings

    WORK_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if collect_static(secrets.token_urlsafe(64)):
        print(f"# static files collected in {time.perf_counter() - started:.0f} s")
    user, province = bench_user()
    pages = ["/", "/units/", f"/staffing/{province.pk}/", "/accounts/profile/"]
    former = hash_with(FORMER)  # what Django's Argon2PasswordHasher stored before issue 20.5
    ours = (
        f"m={settings.CAX_ARGON2_MEMORY_KIB} KiB, t={settings.CAX_ARGON2_TIME_COST}, "
        f"p={settings.CAX_ARGON2_PARALLELISM}"
    )
    cases = [
        Case("former: Django's m=102400 KiB, t=2, p=8 (baseline)", FORMER, former),
        Case(f"CAX: {ours}", {}, hash_with({})),
        Case("OWASP's first choice: m=19456 KiB, t=2, p=1", OWASP_FIRST, hash_with(OWASP_FIRST)),
        Case(f"upgrade: a former hash signing in on CAX's {ours}", {}, former),
    ]
    sign_ins = max(3, min(repeat, 10))
    print(f"# load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {sign_ins} timed sign-ins per case")
    for case in cases:
        measure(case, user, pages, sign_ins)
        print(f"# {case.name}: +{(case.first - case.steady) / MB:.1f} MB, {case.login_ms:.0f} ms", flush=True)
    print(f"# load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print_table(cases)
