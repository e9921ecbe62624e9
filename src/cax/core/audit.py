"""Does the data obey CAX's own rules? (issue 14: demo data must, and so must anything imported in
bulk.) Each app that owns rules contributes an ``audit.py`` with ``violations()``, built from the
same rule functions its services call, so a rule is never written a second time for the check.
Core only discovers and collects them (apps plug in; core knows none by name)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@dataclass(frozen=True)
class Violation:
    rule: str  # which rule, in a few words ("ngày vào Đảng", "hiệu lực đơn vị")
    record: str  # which record, as a user finds it ("Cán bộ 10000001", "Báo cáo tháng 11/2026 – Xã Đăk Hà")
    message: str  # the service's own refusal text

    def __str__(self) -> str:
        return f"[{self.rule}] {self.record}: {self.message}"


def _sources() -> Iterator:
    for config in apps.get_app_configs():
        name = f"{config.name}.audit"
        if config.name.startswith("cax.") and find_spec(name) is not None:
            yield import_module(name)


def violations() -> Iterable[Violation]:
    """Every violation of every app's rules over the whole database, app by app."""
    for module in _sources():
        if module.__name__ != __name__:
            yield from module.violations()
