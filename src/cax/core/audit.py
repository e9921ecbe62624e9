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
    yield from register_violations()
    for module in _sources():
        if module.__name__ != __name__:
            yield from module.violations()


def register_violations() -> Iterator[Violation]:
    """Every register's event dates inside the owning unit's validity (records.save_record's check)."""
    from django.utils.translation import gettext as _

    from cax.core.records.model import RecordModel
    from cax.units.kinds import validity_problem

    for model in apps.get_models():
        if not (issubclass(model, RecordModel) and model.event_date_fields):
            continue
        unit_path = model.scope_unit_field
        for row in model.objects.select_related(unit_path).order_by("pk").iterator(chunk_size=2000):
            for name in model.event_date_fields:
                problem = validity_problem(row.scope_unit, getattr(row, name))
                if problem:
                    yield Violation(_("hiệu lực đơn vị"), f"{model._meta.verbose_name} {row}", problem)
