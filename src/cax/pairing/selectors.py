"""A department's page (seed 000: departments paired with communes follow their problems) and the
pairing tile. The pairing is what lets a department see figures of communes outside its subtree:
the pairings pass through the scoping function, the figures are read for exactly those communes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import formatting as fmt
from cax.core.exceptions import DomainError
from cax.core.tiles import Tile, percent
from cax.pairing import policy
from cax.pairing.models import Pairing
from cax.reports import policy as reports_policy
from cax.units.kinds import is_department
from cax.units.models import Unit

GROUP = gettext_lazy("Phòng nghiệp vụ phụ trách xã")


def current(day: dt.date) -> Q:
    return Q(since__lte=day) & (Q(until__isnull=True) | Q(until__gte=day))


@dataclass
class CommuneProblems:
    pairing: Pairing
    head_count: int = 0
    minimum: int = 0
    shortfall: int = 0
    missing_investigators: int = 0
    without_chief: bool = False
    overdue_reports: list[tuple[str, int]] = field(default_factory=list)  # (form name, periods missing)
    open_requests: int = 0
    overdue_requests: int = 0

    @property
    def commune(self) -> Unit:
        return self.pairing.commune

    @property
    def problem_count(self) -> int:
        return (
            (1 if self.shortfall else 0)
            + (1 if self.missing_investigators else 0)
            + (1 if self.without_chief else 0)
            + len(self.overdue_reports)
            + (1 if self.open_requests else 0)
        )


@dataclass
class DepartmentPage:
    department: Unit
    communes: list[CommuneProblems]
    assigned_open: list  # requests assigned to this department and not answered


def department_page(*, actor, department: Unit, today: dt.date) -> DepartmentPage:
    """Open problems of the communes the department supports today: below the staffing norm, no chief
    or investigator, reports overdue for the latest due period, requests not answered."""
    from cax.deployment.selectors import staffing_summary
    from cax.petitions.models import Petition, Status, overdue_q
    from cax.reports.selectors import latest_due_completeness

    if not is_department(department):
        raise DomainError(_("“{u}” không phải là phòng nghiệp vụ.").format(u=department))
    pairings = list(
        Pairing.objects.visible_to(actor)
        .filter(current(today), department=department)
        .select_related("commune", "commune__unit_type")
        .order_by("commune__name")
    )
    rows = {p.commune_id: CommuneProblems(p) for p in pairings}
    province = department.parent
    if rows and province is not None:
        # The communes are reached through pairings the actor sees (a department's staff see their
        # communes, not the province above them): the province's figures are read as the system's
        # and only the rows of those communes are kept.
        summary = staffing_summary(actor=None, unit=province, as_of=today)
        for staffing in summary.units:
            row = rows.get(staffing.unit_id)
            if row is not None:
                row.head_count, row.shortfall = staffing.head_count, staffing.shortfall
                row.minimum = staffing.norm.minimum if staffing.norm else 0
                row.missing_investigators = staffing.missing_investigators
                row.without_chief = bool(staffing.norm and staffing.norm.requires_chief and not staffing.chiefs)
        if reports_policy.can_read(actor):
            for form, report in latest_due_completeness(actor=None, unit=province):  # as the staffing above
                for late in report.late_units:
                    if late.unit_id in rows and late.overdue_missing:
                        rows[late.unit_id].overdue_reports.append((form.name, late.overdue_missing))
    counts = (
        Petition.objects.filter(unit_id__in=list(rows))
        .exclude(status=Status.ANSWERED)
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
    )
    for unit_id, n, overdue in counts:
        rows[unit_id].open_requests, rows[unit_id].overdue_requests = n, overdue
    assigned = (
        Petition.objects.visible_to(actor)
        .filter(assigned_department=department, status=Status.ASSIGNED)
        .select_related("unit")
        .order_by("due_on", "pk")
    )
    ordered = sorted(rows.values(), key=lambda r: (-r.problem_count, r.commune.name))
    return DepartmentPage(department=department, communes=ordered, assigned_open=list(assigned))


def tiles(*, actor, unit, first, last) -> list[Tile]:
    """Share of the subtree's communes that a department supports on the period's last day (today
    at the latest): the communes of that day, merged-away ones included before the merger (#14)."""
    if not policy.can_read(actor):
        return []
    today = min(last, dt.date.today())
    communes = Unit.objects.open_on(today).commune_level().in_subtree(unit)
    total = communes.count()
    if not total:
        return []
    paired = (
        Pairing.objects.visible_to(actor)
        .in_subtree(unit, lookup="commune__path")
        .filter(current(today))
        .values("commune_id")
        .distinct()
        .count()
    )
    share = percent(paired, total)
    return [
        Tile(
            GROUP,
            _("Xã có phòng phụ trách"),
            f"{fmt.number(paired)}/{fmt.number(total)}",
            _("{p} xã, phường được phân công phòng nghiệp vụ phụ trách").format(p=fmt.percent(share, 0)),
            f"{reverse('pairing:pairing_list')}?unit={unit.code}&current=1",
            share,
            "ok" if paired == total else "warn",
        )
    ]
