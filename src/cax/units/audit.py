"""Every register's event dates inside the owning unit's validity (issue 14): the check
``records.save_record`` makes on each write, over stored data. The rule is the units app's
(``kinds.validity_problem``); core only collects this module (core.audit)."""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.utils.translation import gettext as _

from cax.core.audit import Violation
from cax.core.records.model import RecordModel
from cax.units.kinds import validity_problem


def violations() -> Iterator[Violation]:
    for model in apps.get_models():
        if not (issubclass(model, RecordModel) and model.event_date_fields):
            continue
        unit_path = model.scope_unit_field
        for row in model.objects.select_related(unit_path).order_by("pk").iterator(chunk_size=2000):
            for name in model.event_date_fields:
                problem = validity_problem(row.scope_unit, getattr(row, name))
                if problem:
                    yield Violation(_("hiệu lực đơn vị"), f"{model._meta.verbose_name} {row}", problem)
