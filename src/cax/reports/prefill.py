"""Values CAX already knows, offered to the reporting unit instead of being retyped (#6).

Each source computes, for many units at once, one number per unit for a period: one or two
grouped queries whatever the number of units. The commune confirms each value or corrects it with
a reason (``services.submission_save``). Sources read other apps' tables but never write.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

Compute = Callable[[list[int], dt.date, dt.date], dict[int, decimal.Decimal]]


@dataclass(frozen=True)
class Source:
    code: str
    label: str
    compute: Compute
    is_stock: bool = False


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight at the start of ``start`` and after ``end``: periods are Vietnamese days."""
    zone = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time(0), tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
    )


def _counts(rows: Iterable[tuple[int, int]]) -> dict[int, decimal.Decimal]:
    return {unit_id: decimal.Decimal(n) for unit_id, n in rows}


def _cases_received(unit_ids, start, end):
    from cax.cases.models import Case

    low, high = _day_bounds(start, end)
    rows = (
        Case.objects.filter(unit_id__in=unit_ids, received_at__gte=low, received_at__lt=high, duplicate_of__isnull=True)
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
    )
    return _counts(rows)


def _case_events(statuses):
    def compute(unit_ids, start, end):
        from cax.cases.models import CaseEvent

        low, high = _day_bounds(start, end)
        rows = (
            CaseEvent.objects.filter(case__unit_id__in=unit_ids, to_status__in=statuses, at__gte=low, at__lt=high)
            .order_by()
            .values_list("case__unit_id")
            .annotate(n=Count("case_id", distinct=True))
        )
        return _counts(rows)

    return compute


def _officers_posted(extra: Q | None = None):
    def compute(unit_ids, start, end):
        from cax.deployment.models import Posting

        postings = Posting.objects.filter(unit_id__in=unit_ids).active_on(end)
        if extra is not None:
            postings = postings.filter(extra)
        return _counts(postings.order_by().values_list("unit_id").annotate(n=Count("pk")))

    return compute


def _sources() -> dict[str, Source]:
    from cax.cases.choices import Status as CaseStatus
    from cax.personnel.choices import Sex

    items = [
        Source("cases_received", _("Nguồn tin về tội phạm tiếp nhận trong kỳ (sổ tiếp nhận)"), _cases_received),
        Source(
            "cases_resolved",
            _("Nguồn tin đã ra quyết định khởi tố / không khởi tố trong kỳ"),
            _case_events([CaseStatus.PROSECUTED, CaseStatus.NOT_PROSECUTED]),
        ),
        Source(
            "cases_transferred",
            _("Nguồn tin đã chuyển Cơ quan điều tra trong kỳ"),
            _case_events([CaseStatus.TRANSFERRED]),
        ),
        Source("officers_posted", _("Cán bộ đang công tác tại đơn vị cuối kỳ"), _officers_posted(), is_stock=True),
        Source(
            "officers_female",
            _("Cán bộ nữ đang công tác tại đơn vị cuối kỳ"),
            _officers_posted(Q(officer__sex=Sex.FEMALE)),
            is_stock=True,
        ),
    ]
    return {s.code: s for s in items}


_REGISTRY: dict[str, Source] | None = None
# Sources other apps contribute from their AppConfig.ready() (the procedures desk's figures for
# section VII), so reports imports none of them: an app built on reports plugs into it.
_CONTRIBUTED: dict[str, Source] = {}


def register_source(*contributed: Source) -> None:
    """Offer more values to pre-fill (idempotent: a ready() run twice adds nothing new)."""
    global _REGISTRY
    for source in contributed:
        _CONTRIBUTED[source.code] = source
    _REGISTRY = None


def sources() -> dict[str, Source]:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = {**_sources(), **_CONTRIBUTED}
    return _REGISTRY


def choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(s.code, s.label) for s in sources().values()]


def compute(source_code: str, unit_ids: list[int], start: dt.date, end: dt.date) -> dict[int, decimal.Decimal]:
    """Values for ``unit_ids``; a unit with no records gets 0 (the records say: none)."""
    found = sources()[source_code].compute(unit_ids, start, end)
    return {unit_id: found.get(unit_id, decimal.Decimal(0)) for unit_id in unit_ids}
