"""Reads of the register; reporter identities are masked unless the role may see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.accounts.roles import VIEW_IDENTITY
from cax.cases.models import Case, IdentityAccess
from cax.cases.workflow import OPEN_STATUSES
from cax.core.exceptions import NotVisible
from cax.core.text import matching_words, search_key

MASK = "•••"


def case_list(
    *,
    actor: Any,
    unit=None,
    q: str = "",
    status: str = "",
    kind: str = "",
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    overdue: bool = False,
    due_within_days: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Case]:
    now = now or timezone.now()
    queryset = Case.objects.visible_to(actor).select_related("unit", "category")
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    queryset = matching_words(queryset, q)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if received_from:
        queryset = queryset.filter(received_at__date__gte=received_from)
    if received_to:
        queryset = queryset.filter(received_at__date__lte=received_to)
    if overdue:
        queryset = queryset.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    if due_within_days is not None:
        queryset = queryset.filter(
            status__in=OPEN_STATUSES, due_at__gte=now, due_at__lte=now + dt.timedelta(days=due_within_days)
        )
    return queryset.order_by("-year", "-serial", "unit_id")


def case_get(*, actor: Any, pk: int) -> Case:
    case = (
        Case.objects.visible_to(actor)
        .select_related("unit", "category", "incident_unit", "receiving_officer", "duplicate_of__unit")
        .prefetch_related("events", "attachments")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotVisible(_("Không tìm thấy nguồn tin."))
    return case


def reporter_identity(*, actor: Any, case: Case, channel: str) -> dict[str, str] | None:
    """The reporter's identity for roles allowed to see it, else None; a view of a confidential
    identity is written to the access log that auditors read."""
    if not actor.has_cax_perm(VIEW_IDENTITY):
        return None
    if case.is_confidential:
        IdentityAccess.objects.create(case=case, user=actor, channel=channel)
    return {field: getattr(case, field) for field in Case.PERSONAL_FIELDS}


def overdue_counts(*, actor: Any, unit, now: dt.datetime | None = None, soon_days: int = 3) -> dict[str, int]:
    """Tiles for leaders' dashboards: open cases past their deadline and due within ``soon_days``."""
    now = now or timezone.now()
    # Bounded by the due date, so the (status, due_at) index reads only the cases the tiles count.
    cases = Case.objects.visible_to(actor).filter(
        unit__path__startswith=unit.path, status__in=OPEN_STATUSES, due_at__lte=now + dt.timedelta(days=soon_days)
    )
    return cases.aggregate(
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        due_soon=Count("pk", filter=Q(due_at__gte=now, due_at__lte=now + dt.timedelta(days=soon_days))),
    )


def similar_cases(*, actor: Any, unit, summary: str, limit: int = 10) -> QuerySet[Case]:
    """Possible duplicates before registering: same commune subtree, words of the summary in common."""
    words = [w for w in search_key(summary).split() if len(w) > 3][:6]
    if not words:
        return Case.objects.none()
    match = Q()
    for word in words:
        match |= Q(search_key__contains=word)
    return (
        Case.objects.visible_to(actor)
        .filter(unit__path__startswith=unit.path)
        .filter(match)
        .select_related("unit")
        .order_by("-received_at")[:limit]
    )


def identity_accesses(*, actor: Any, username: str = "") -> QuerySet[IdentityAccess]:
    queryset = IdentityAccess.objects.visible_to(actor).select_related("user", "case__unit")
    if username:
        queryset = queryset.filter(user__username=username)
    return queryset.order_by("-at", "-pk")


def rule_bases(*, on: dt.date) -> dict[str, str]:
    """Legal basis of each deadline rule in force on ``on``: shown next to every deadline."""
    from cax.cases.models import DeadlineRule

    bases: dict[str, str] = {}
    for rule in (
        DeadlineRule.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("effective_from")
    ):
        bases[rule.code] = rule.legal_basis
    return bases


def case_by_reference(*, actor: Any, unit, reference: str) -> Case | None:
    """ "12/2025" → entry 12 of 2025 in ``unit``'s register, if the actor can see it."""
    serial, _sep, year = reference.partition("/")
    if not (serial.isdigit() and year.isdigit()):
        return None
    return Case.objects.visible_to(actor).filter(unit=unit, serial=int(serial), year=int(year)).first()


def receiving_officers(*, actor: Any, unit) -> QuerySet:
    """Officers who can be named as having received a report at ``unit``: those posted there."""
    from cax.personnel.models import Officer

    return Officer.objects.visible_to(actor).in_subtree(unit.path).order_by("full_name")


def case_references(*, actor: Any, unit, incident_unit: str, category: str, receiving_officer: str) -> dict:
    """Codes given through the API → the objects registration takes; unknown codes are named."""
    from cax.cases.models import OffenceCategory
    from cax.units.models import Unit

    found: dict[str, Any] = {"incident_unit": unit}
    errors: dict[str, list[str]] = {}
    if incident_unit:
        found["incident_unit"] = Unit.objects.current().filter(code=incident_unit).first()
        if found["incident_unit"] is None:
            errors["incident_unit"] = [_("Không có đơn vị mã “{c}”.").format(c=incident_unit)]
    if category:
        found["category"] = OffenceCategory.objects.filter(code=category).first()
        if found["category"] is None:
            errors["category"] = [_("Không có nhóm tội danh “{c}”.").format(c=category)]
    if receiving_officer:
        found["receiving_officer"] = (
            receiving_officers(actor=actor, unit=unit).filter(service_number=receiving_officer).first()
        )
        if found["receiving_officer"] is None:
            errors["receiving_officer"] = [_("Không có cán bộ số hiệu “{n}” tại đơn vị.").format(n=receiving_officer)]
    if errors:
        from cax.core.exceptions import DomainError

        raise DomainError(" ".join(m for ms in errors.values() for m in ms), fields=errors)
    return found
