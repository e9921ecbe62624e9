"""The checks `./cax test` runs before the tests fail on a planted violation (issue 15.5).

Each test copies src/cax into a temporary folder, plants one violation in the copy, runs the real
check on it (import-linter with .importlinter, tools/check_selectors.py, mypy, ruff) and reads its
exit status and report. The copy is checked clean first, so a failure is the planted line's.
Nothing here touches a database: it runs once, on SQLite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="no database involved: once is enough",
)


@pytest.fixture
def copy(tmp_path) -> Path:
    """A copy of the source tree and the checks' configuration; returns its root."""
    shutil.copytree(REPO / "src" / "cax", tmp_path / "src" / "cax", ignore=shutil.ignore_patterns("__pycache__"))
    for name in (".importlinter", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    return tmp_path


def run(root: Path, *command: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}  # the copy, not the installed package
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return run(root, str(BIN / "lint-imports"), "--no-cache", "--no-logo")


def plant(root: Path, module: str, line: str) -> None:
    path = root / "src" / (module.replace(".", "/") + ".py")
    assert path.is_file(), path
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_copy_keeps_every_contract(copy):
    result = lint_imports(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract", "shown"),
    [
        (
            "cax.core.text",
            "from cax.cases import models as _planted  # noqa",
            "Layers",
            "cax.core.text -> cax.cases.models",
        ),
        (
            "cax.units.kinds",
            "from cax.accounts import models as _planted  # noqa",
            "Layers",
            "cax.units.kinds -> cax.accounts.models",
        ),
        (
            "cax.accounts.services",
            "from cax.reports import models as _planted  # noqa",
            "Layers",
            "cax.accounts.services -> cax.reports.models",
        ),
        (
            "cax.deployment.optimizer",
            "import django.db as _planted  # noqa",
            "The optimizer and the deadline calculator",
            "cax.deployment.optimizer -> django (l.",
        ),
        (
            "cax.cases.deadlines",
            "from cax.core import text as _planted  # noqa",
            "The optimizer and the deadline calculator",
            "cax.cases.deadlines -> cax.core.text",
        ),
        (
            "cax.cases.deadlines",
            "from cax.cases import models as _planted  # noqa",
            "The optimizer and the deadline calculator",
            "cax.cases.deadlines -> cax.cases.models",
        ),
        (
            "cax.reports.services",
            "from cax.cases import views as _planted  # noqa",
            "No app imports another app's views",
            "cax.reports.services -> cax.cases.views",
        ),
        (
            "cax.units.selectors",
            "from cax.personnel import imports as _planted  # noqa",
            "Selectors import no imports, views, API or management modules",
            "cax.units.selectors -> cax.personnel.imports",
        ),
    ],
)
def test_a_planted_import_breaks_its_contract(copy, module, line, contract, shown):
    plant(copy, module, line)
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken
    assert shown in broken


def check_selectors(root: Path) -> subprocess.CompletedProcess:
    return run(root, sys.executable, str(REPO / "tools" / "check_selectors.py"), str(root / "src" / "cax"))


def test_the_copys_selectors_read_only(copy):
    result = check_selectors(copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("def _planted(unit):\n    unit.save()", "_planted() calls .save(), a write"),
        ("def _planted():\n    Unit.objects.filter(pk=1).update(name='x')", "_planted() calls .update(), a write"),
        ("def _planted():\n    Unit.objects.bulk_create([])", "_planted() calls .bulk_create(), a write"),
        ("def _planted():\n    return Unit.objects.select_for_update()", "calls .select_for_update(), a write"),
        (
            "def _planted():\n    from django.db import transaction\n    with transaction.atomic():\n        pass",
            "_planted() opens a write transaction",
        ),
        (
            "def _planted(unit):\n    from cax.core.changelog import record_change\n    record_change(None, unit)",
            "_planted() writes the change log",
        ),
        (
            "def _planted():\n    from cax.units.services import unit_create\n    unit_create(actor=None, code='x')",
            "_planted() calls unit_create() of units/services.py, a service that writes",
        ),
        (
            "def _planted():\n    from cax.units import services\n    services.unit_create(actor=None, code='x')",
            "_planted() calls services.unit_create() of units/services.py, a service that writes",
        ),
    ],
)
def test_a_planted_write_in_a_selector_fails_the_check(copy, line, shown):
    plant(copy, "cax.units.selectors", line)
    result = check_selectors(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert shown in result.stdout


def test_a_read_only_helper_of_services_stays_allowed(copy):
    """reports.selectors uses services' bucket helpers today; a write behind one is caught."""
    services = copy / "src" / "cax" / "reports" / "services.py"
    text = services.read_text(encoding="utf-8")
    assert "\ndef bucket_of(" in text
    writer = "\ndef _now_writes():\n    X.save()\n\n"
    services.write_text(text + writer, encoding="utf-8")
    assert check_selectors(copy).returncode == 0  # a writing function that no selector reaches
    wrapper = "\ndef bucket_of(*args, **kwargs):\n    _now_writes()\n    return _bucket_of(*args, **kwargs)\n\n"
    services.write_text(text.replace("\ndef bucket_of(", wrapper + "\ndef _bucket_of(", 1) + writer, encoding="utf-8")
    result = check_selectors(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "calls bucket_of() of reports/services.py, a service that writes" in result.stdout


def test_a_planted_type_error_fails_mypy(copy):
    plant(copy, "cax.core.text", 'def _planted() -> int:\n    return "not a number"')
    result = run(copy, sys.executable, "-m", "mypy")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "src/cax/core/text.py" in result.stdout
    assert "Incompatible return value type" in result.stdout


def test_a_function_more_complex_than_the_ceiling_fails_ruff(copy):
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(30))
    plant(copy, "cax.core.text", f"def _planted(x):\n{branches}    return -1")
    result = run(copy, sys.executable, "-m", "ruff", "check", "--no-cache", "src/cax/core/text.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "C901 `_planted` is too complex" in result.stdout


def test_a_new_import_between_packages_makes_the_drawing_out_of_date(copy):
    graph = [sys.executable, str(REPO / "tools" / "import_graph.py"), "--check"]
    assert run(copy, *graph).returncode == 0
    plant(copy, "cax.training.services", "from cax.honours import models as _planted  # noqa")
    result = run(copy, *graph)
    assert result.returncode == 1
    assert "out of date" in result.stderr
