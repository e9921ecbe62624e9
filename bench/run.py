"""CAX benchmarks: ./cax bench [--postgres] [NAME ...]

Each benchmark prints median timings and their ratio to a baseline measured in the same run
(these machines are noisy: only ratios are comparable between runs). Results go to
docs/BENCHMARKS.md by hand, with the command, the data set and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cax.settings")
os.environ.setdefault("CAX_TESTING", "1")  # plain static storage: no collectstatic needed

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm caches and connections
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def setup_units():
    from cax.accounts.models import User
    from cax.accounts.roles import Role
    from cax.accounts.services import user_create
    from cax.units.models import Unit
    from cax.units.official import load_official_units

    call_command("migrate", verbosity=0)
    load_official_units()
    admin = User.objects.filter(username="bench-admin").first()
    if admin is None:
        admin = user_create(
            actor=None,
            username="bench-admin",
            full_name="Bench",
            role=Role.ADMINISTRATOR,
            unit=Unit.objects.get(code="BCA", valid_to__isnull=True),
        )
    return admin


def bench_units(repeat: int) -> list[tuple[str, float, int]]:
    """Unit pages on the official national tree against a bare COUNT(*) of units."""
    from cax.units.models import Unit

    admin = setup_units()
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    province = Unit.objects.get(code="51", valid_to__isnull=True)

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM units_unit WHERE valid_to IS NULL")
            cursor.fetchone()

    cases = {
        "baseline: SELECT COUNT(*) of open units": baseline,
        "GET /units/ (national list, 50 rows)": lambda: client.get("/units/"),
        "GET /units/?page_size=500": lambda: client.get("/units/", {"page_size": 500}),
        "GET /units/?q=dak ha (search)": lambda: client.get("/units/", {"q": "dak ha"}),
        f"GET /units/{province.pk}/ (province page)": lambda: client.get(f"/units/{province.pk}/"),
        "GET /api/v1/units?page_size=500": lambda: client.get("/api/v1/units", {"page_size": 500}),
        "GET /units/?format=xlsx (3,356 rows)": lambda: client.get("/units/", {"format": "xlsx"}),
    }
    return run_cases(cases, repeat)


def bench_load_units(repeat: int) -> list[tuple[str, float, int]]:
    """Re-running load_units on a loaded tree: the idempotent path ./cax up takes every time."""
    from cax.units.official import load_official_units

    setup_units()
    return [("load_units, tree already loaded", median_ms(load_official_units, repeat), 0)]


def setup_national() -> None:
    """The national picture (#4): every commune of today's tree, ~120,000 officers, their history."""
    from cax.personnel.models import Officer

    setup_units()
    if not Officer.objects.exists():
        started = time.perf_counter()
        call_command("demo", "--scale", "national")
        print(f"# national data generated in {time.perf_counter() - started:.0f} s")
    print(f"# officers={Officer.objects.count()}")


def bench_staffing(repeat: int) -> list[tuple[str, float, int]]:
    """Staffing dashboards at national scale against a bare count of open postings."""
    from django.utils import timezone

    from cax.deployment.models import Posting
    from cax.units.models import Unit

    admin = setup_units()
    setup_national()
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    root = Unit.objects.get(code="BCA", valid_to__isnull=True)
    province = Unit.objects.get(code="51", valid_to__isnull=True)
    today = timezone.localdate()
    from django.test import override_settings

    from cax.core import revision

    year_ago = {"as_of": (today.replace(year=today.year - 1)).strftime("%d/%m/%Y")}
    pages = {
        "national dashboard GET /staffing/<root>/": lambda: client.get(f"/staffing/{root.pk}/"),
        "province dashboard GET /staffing/<51>/": lambda: client.get(f"/staffing/{province.pk}/"),
        "province dashboard, as of a year ago": lambda: client.get(f"/staffing/{province.pk}/", year_ago),
        "API /api/v1/units/BCA/staffing": lambda: client.get("/api/v1/units/BCA/staffing"),
    }
    cases = {"baseline: COUNT(*) of open postings": lambda: Posting.objects.filter(end_date__isnull=True).count()}
    # Cold: every request computes the figures (the cost right after a write). Warm: figures cached
    # for the current data revision, the common case of leaders reading between writes.
    cases.update({f"{name} [cold]": fn for name, fn in pages.items()})
    with override_settings(CAX_FIGURES_CACHE_SIZE=0):
        cold = run_cases(cases, repeat)
    revision.clear()
    with override_settings(CAX_FIGURES_CACHE_SIZE=32):
        warm = run_cases({f"{name} [warm]": fn for name, fn in pages.items()}, repeat)
    return cold + warm


def bench_import_officers(repeat: int) -> list[tuple[str, float, int]]:
    """Importing 120,000 officers from CSV (new rows), against reading the same file."""
    import csv
    import io

    from cax.core.context import request_context
    from cax.core.imports import parse_table
    from cax.personnel.imports import OFFICER_COLUMNS, officers_import
    from cax.units.models import Unit

    setup_units()
    communes = list(Unit.objects.current().commune_level().values_list("code", flat=True))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(c.label) for c in OFFICER_COLUMNS])
    for i in range(120_000):
        writer.writerow(
            [
                f"9{i:07d}",
                f"Nguyễn Văn Thử {i}",
                "Nam",
                "15/03/1990",
                "Kinh",
                communes[i % len(communes)],
                "",
                "Thượng úy",
                "Đại học",
                "01/09/2012",
                "Có",
                "19/05/2016",
                "2",
                "Không",
                "",
                "Đang công tác",
                "Pháp luật" if i % 7 == 0 else "",
                "Xơ Đăng" if i % 11 == 0 else "",
            ]
        )
    content = buffer.getvalue().encode()

    def read():
        parse_table("officers.csv", content, OFFICER_COLUMNS)

    def dry_run():
        with request_context():
            officers_import(actor=None, filename="officers.csv", content=content, dry_run=True)

    # A dry run executes every write and rolls back, so it is the import's full cost.
    return run_cases(
        {
            "baseline: read and parse the 120,000-row CSV": read,
            "import 120,000 officers (all writes, rolled back)": dry_run,
        },
        max(1, repeat // 10),
    )


def run_cases(cases, repeat: int) -> list[tuple[str, float, int]]:
    results = []
    for name, fn in cases.items():
        queries: list[str] = []

        def count(execute, sql, params, many, context, sink=queries):
            sink.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = fn()
        status = getattr(response, "status_code", 200)
        if status != 200:
            raise SystemExit(f"{name}: HTTP {status}, a benchmark of an error page means nothing")
        results.append((name, median_ms(fn, repeat), len(queries)))
    return results


def bench_cases(repeat: int) -> list[tuple[str, float, int]]:
    """The register at 2,000,000 cases (#5): a province's overdue list, a commune's register."""
    from cax.accounts.models import User
    from cax.accounts.roles import Role
    from cax.accounts.services import user_create
    from cax.cases.models import Case
    from cax.units.models import Unit

    setup_units()
    missing = 2_000_000 - Case.objects.count()
    if missing > 0:
        started = time.perf_counter()
        call_command("demo_cases", "--count", str(missing))
        print(f"# {missing} cases generated in {time.perf_counter() - started:.0f} s")
    print(f"# cases={Case.objects.count()}")
    province = Unit.objects.get(code="51", valid_to__isnull=True)
    commune = Unit.objects.get(code="23500", valid_to__isnull=True)
    users = {}
    for name, role, unit in (
        ("bench-leader", Role.PROVINCE_LEADER, province),
        ("bench-chief", Role.COMMUNE_CHIEF, commune),
    ):
        users[name] = User.objects.filter(username=name).first() or user_create(
            actor=None, username=name, full_name=name, role=role, unit=unit
        )
    leader, chief = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    leader.force_login(users["bench-leader"])
    chief.force_login(users["bench-chief"])
    cases = {
        "baseline: COUNT(*) of open cases past due": lambda: Case.objects.filter(
            status__in=["received", "preliminary_check", "verifying", "extended", "resumed", "taken_up"],
            due_at__lt=timezone_now(),
        ).count(),
        "province overdue list GET /cases/unit/<51>/?overdue=on": lambda: leader.get(
            f"/cases/unit/{province.pk}/", {"overdue": "on"}
        ),
        "commune register GET /cases/unit/<23500>/": lambda: chief.get(f"/cases/unit/{commune.pk}/"),
        "commune register, search 'trom cap'": lambda: chief.get(f"/cases/unit/{commune.pk}/", {"q": "trom cap"}),
        "API /api/v1/cases?unit=51&overdue=true": lambda: leader.get(
            "/api/v1/cases", {"unit": "51", "overdue": "true"}
        ),
    }
    return run_cases(cases, repeat)


def timezone_now():
    from django.utils import timezone

    return timezone.now()


BENCHMARKS = {
    "units": bench_units,
    "load_units": bench_load_units,
    "staffing": bench_staffing,
    "import_officers": bench_import_officers,
    "cases": bench_cases,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", default=list(BENCHMARKS), choices=list(BENCHMARKS) + [[]])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print(
        f"# engine={connection.vendor} python={platform.python_version()} cpus={os.cpu_count()} "
        f"machine={platform.machine()} repeat={args.repeat}"
    )
    for name in args.names or BENCHMARKS:
        rows = BENCHMARKS[name](args.repeat)
        base = rows[0][1]
        print(f"\n## {name}\n| case | median ms | × baseline | queries |\n|---|---:|---:|---:|")
        for case, ms, queries in rows:
            print(f"| {case} | {ms:.2f} | {ms / base:.1f} | {queries} |")


if __name__ == "__main__":
    main()
