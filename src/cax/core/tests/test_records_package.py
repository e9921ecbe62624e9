"""The register framework as a package (#15): small modules, loaded only when used, knowing no app."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

import cax.core.records as records

PACKAGE = Path(records.__file__).parent
# What the package may import of CAX: core, and the one API pagination (which imports nothing above core).
ALLOWED = ("cax.core", "cax.api.pagination")


def test_every_name_apps_import_from_the_package_still_resolves():
    assert sorted(records.__all__) == sorted(records._EXPORTS)
    for name, module in records._EXPORTS.items():
        assert getattr(records, name) is getattr(import_module(f"cax.core.records.{module}"), name)


def test_the_unit_fields_moved_to_the_units_app():
    for name in ("unit_fields", "units_by_code", "UnitCodeField"):
        with pytest.raises(AttributeError, match="cax.units.fields"):
            getattr(records, name)


def _cax_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("cax.")}


def test_the_package_imports_no_app_not_even_inside_a_function():
    outside = {
        f"{path.name}: {name}"
        for path in sorted(PACKAGE.glob("*.py"))
        for name in _cax_imports(path)
        if not name.startswith(ALLOWED)
    }
    assert outside == set()


def test_each_module_is_small():
    lengths = {path.name: len(path.read_text().splitlines()) for path in PACKAGE.glob("*.py")}
    assert max(lengths.values()) <= 300, lengths


def test_loading_the_models_loads_no_form_view_or_api_code():
    # A fresh interpreter: django.setup() imports every app's models (and runs the AppConfigs).
    script = (
        "import sys, django; django.setup(); "
        "import json; print(json.dumps([m for m in sys.modules if m.startswith('cax.core.records.')]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**_environment(), "DJANGO_SETTINGS_MODULE": "cax.settings"},
    ).stdout
    loaded = set(json.loads(out))
    assert "cax.core.records.model" in loaded
    assert loaded.isdisjoint({"cax.core.records.forms", "cax.core.records.views", "cax.core.records.api"}), loaded


def _environment() -> dict:
    import os

    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
