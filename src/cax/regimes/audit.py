"""The regimes rules over every stored row (core.audit): the services' own checks."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from cax.core.audit import Violation
from cax.core.exceptions import DomainError
from cax.regimes import services
from cax.regimes.models import AreaClassification, EntitlementRate


def violations() -> Iterator[Violation]:
    checks = [
        (
            EntitlementRate.objects.select_related("unit", "entitlement_type"),
            services.check_rate,
            _("mức hưởng chế độ"),
        ),
        (AreaClassification.objects.select_related("unit__unit_type"), services.check_area, _("phân loại địa bàn")),
    ]
    for rows, check, rule in checks:
        for row in rows:
            try:
                check(row)
            except DomainError as exc:
                yield Violation(str(rule), str(row), str(exc))
