"""Crime reports against the checks their registration makes (receipt times)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from cax.cases.models import Case
from cax.cases.services import receipt_problems
from cax.core.audit import Violation


def violations() -> Iterator[Violation]:
    now = timezone.now()
    cases = Case.objects.select_related("unit").order_by("pk")
    for case in cases.iterator(chunk_size=5000):
        for messages in receipt_problems(case.unit, case.received_at, case.incident_at, now).values():
            for message in messages:
                yield Violation(_("sổ tiếp nhận nguồn tin"), f"{case.unit.name} {case.serial}/{case.year}", message)
