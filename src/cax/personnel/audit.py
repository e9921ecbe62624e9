"""Officers' own records against the rules the registry enforces (plausible dates)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from cax.core.audit import Violation
from cax.personnel.models import Officer
from cax.personnel.rules import AgeRules, officer_record_problems


def violations() -> Iterator[Violation]:
    rules = AgeRules()
    for officer in Officer.objects.order_by("pk").iterator(chunk_size=5000):
        for messages in officer_record_problems(officer, rules).values():
            for message in messages:
                yield Violation(_("hồ sơ cán bộ"), str(officer), message)
