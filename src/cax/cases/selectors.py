"""Reads of the register; reporter identities are masked unless the role may see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.cases import policy
from cax.cases.choices import EventKind
from cax.cases.clock import CLOCK_SKEW
from cax.cases.models import Attachment, Case, CaseEvent, IdentityAccess, ReceivingBody
from cax.cases.workflow import DECISIONS, OPEN_STATUSES
from cax.core import formatting as fmt
from cax.core.exceptions import NotVisible
from cax.core.text import matching_words, vn_date
from cax.core.tiles import Tile

MASK = "•••"
SOON_DAYS = 3  # the "due soon" tiles


def clock_moment(as_of: dt.date | None = None, now: dt.datetime | None = None) -> dt.datetime:
    """The moment a figure "as of" a day is read at: now for today (or no day, or a later day), else the
    last instant of that day in Vietnam, so a past day shows what was overdue when it ended."""
    now = now or timezone.now()
    if as_of is None or as_of >= timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(as_of, dt.time.max))


def with_clock_state(queryset: QuerySet[Case], moment: dt.datetime, now: dt.datetime) -> QuerySet[Case]:
    """Annotates each case's status, deadline and procuracy duty as they stood at ``moment``
    (``state_status``, ``state_due``, ``state_duty``): the case's own fields for the present, else its
    timeline, where every step keeps the deadline after it and every decision the duty it started."""
    if moment >= now:
        return queryset.annotate(state_status=F("status"), state_due=F("due_at"), state_duty=F("procuracy_due_at"))
    steps = CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.STEP, at__lte=moment).order_by("-at", "-pk")
    sent = CaseEvent.objects.filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk")),
        case=OuterRef("case"),
        kind=EventKind.PROCURACY_NOTICE,
        at__lte=moment,
    )
    unsent = (
        steps.filter(to_status__in=DECISIONS, procuracy_due_at__isnull=False)
        .exclude(Exists(sent))
        .order_by("procuracy_due_at")
    )
    # A case not written to since before `moment` (beyond the skew a step may be dated ahead) has not
    # changed since: its own fields are the answer, without reading its timeline.
    settled = Q(updated_at__lt=moment - CLOCK_SKEW)  # a step may be dated up to CLOCK_SKEW ahead

    def then(field: str, timeline: QuerySet) -> models.Case:
        return models.Case(models.When(settled, then=F(field)), default=Subquery(timeline[:1]))

    return queryset.filter(received_at__lte=moment).annotate(
        state_status=then("status", steps.values("to_status")),
        state_due=then("due_at", steps.values("due_at")),
        state_duty=then("procuracy_due_at", unsent.values("procuracy_due_at")),
    )


def clock_q(figure: str, moment: dt.datetime, soon_days: int = SOON_DAYS) -> Q:
    """Which annotated cases (with_clock_state) a clock figure counts at ``moment``: the list filters and
    the tiles use these same conditions, so a tile and the list it opens never disagree."""
    running = Q(state_status__in=OPEN_STATUSES)
    if figure == "overdue":
        return running & Q(state_due__lt=moment)
    if figure == "due_soon":
        return running & Q(state_due__gte=moment, state_due__lte=moment + dt.timedelta(days=soon_days))
    if figure == "procuracy_overdue":
        return Q(state_duty__lt=moment)
    raise ValueError(f"Unknown clock figure {figure!r}.")


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
    procuracy_overdue: bool = False,
    as_of: dt.date | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Case]:
    """The register in scope. The clock filters (overdue, due within N days, decision not sent to the
    procuracy in time) are read as of ``as_of``: the end of that day, or now."""
    now = now or timezone.now()
    queryset = Case.objects.visible_to(actor).select_related(
        "unit", "category", "transferred_to_unit", "transferred_to_body"
    )
    if unit is not None:
        queryset = queryset.in_subtree(unit)
    queryset = matching_words(queryset, q)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if received_from:
        queryset = queryset.filter(received_at__date__gte=received_from)
    if received_to:
        queryset = queryset.filter(received_at__date__lte=received_to)
    wanted = {"overdue": overdue, "due_soon": due_within_days is not None, "procuracy_overdue": procuracy_overdue}
    if any(wanted.values()):
        moment = clock_moment(as_of, now)
        queryset = with_clock_state(queryset, moment, now)
        for figure in (figure for figure, on in wanted.items() if on):
            queryset = queryset.filter(clock_q(figure, moment, due_within_days or 0))
    return queryset.order_by("-year", "-serial", "unit_id")


def case_get(*, actor: Any, pk: int) -> Case:
    case = (
        Case.objects.visible_to(actor)
        .select_related(
            "unit__unit_type",
            "category",
            "incident_unit",
            "receiving_officer",
            "duplicate_of__unit",
            "transferred_to_unit",
            "transferred_to_body",
            "transferred_from__unit",
        )
        .prefetch_related("events", "attachments")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotVisible(_("Không tìm thấy nguồn tin."))
    return case


def attachment_get(*, actor: Any, pk: int) -> Attachment:
    """A case's attached file, for whoever may read the case (NotVisible otherwise)."""
    attachment = Attachment.objects.visible_to(actor).select_related("case").filter(pk=pk).first()
    if attachment is None:
        raise NotVisible(_("Không tìm thấy."))
    return attachment


def clock_figures(*, actor: Any, unit, as_of: dt.date | None = None, now: dt.datetime | None = None) -> dict:
    """Leaders' tiles as of a day (one query): open cases past their deadline, due within SOON_DAYS,
    and decisions not sent to the procuracy in time; ``moment`` is when they were read."""
    now = now or timezone.now()
    moment = clock_moment(as_of, now)
    cases = Case.objects.visible_to(actor).in_subtree(unit)
    if moment >= now:
        # Bounded by the deadlines, so the (status, due_at) index reads only the cases the tiles count.
        cases = cases.filter(
            Q(status__in=OPEN_STATUSES, due_at__lte=moment + dt.timedelta(days=SOON_DAYS))
            | Q(procuracy_due_at__lt=moment)
        )
    figures = with_clock_state(cases, moment, now).aggregate(
        overdue=Count("pk", filter=clock_q("overdue", moment)),
        due_soon=Count("pk", filter=clock_q("due_soon", moment)),
        procuracy_overdue=Count("pk", filter=clock_q("procuracy_overdue", moment)),
    )
    return {**figures, "moment": moment, "as_of": timezone.localdate(moment)}


GROUP = gettext_lazy("Tin báo, tố giác tội phạm")


def tiles(*, actor, unit, first: dt.date, last: dt.date) -> list[Tile]:
    """The overview's clock tiles, as of the period's last day (a deadline is a point in time)."""
    if not policy.can_read(actor):
        return []
    figures = clock_figures(actor=actor, unit=unit, as_of=last)
    url = reverse("cases:list", args=[unit.pk]) + f"?as_of={figures['as_of'].isoformat()}"
    day = vn_date(figures["as_of"])
    return [
        Tile(
            GROUP,
            _("Quá hạn giải quyết"),
            fmt.number(figures["overdue"]),
            _("nguồn tin quá hạn vào ngày {d}").format(d=day),
            f"{url}&overdue=on",
            state="bad" if figures["overdue"] else "ok",
        ),
        Tile(
            GROUP,
            _("Đến hạn trong {n} ngày").format(n=SOON_DAYS),
            fmt.number(figures["due_soon"]),
            _("nguồn tin đến hạn trong {n} ngày kể từ ngày {d}").format(n=SOON_DAYS, d=day),
            f"{url}&due_within_days={SOON_DAYS}",
            state="warn" if figures["due_soon"] else "ok",
        ),
        Tile(
            GROUP,
            _("Chưa gửi Viện kiểm sát đúng hạn"),
            fmt.number(figures["procuracy_overdue"]),
            _("quyết định quá hạn gửi Viện kiểm sát, chưa gửi vào ngày {d}").format(d=day),
            f"{url}&procuracy_overdue=on",
            state="bad" if figures["procuracy_overdue"] else "ok",
        ),
    ]


def similar_cases(*, actor: Any, unit, report, limit: int = 10) -> list:
    """Possible duplicates of ``report`` (a duplicates.Report) before it is registered, each with its
    score and reasons: cases of the unit's subtree whose incident (or receipt, when the incident time
    is unknown) falls within duplicates.WINDOW_DAYS, read in one query and scored in memory."""
    from cax.cases import duplicates

    first, last = report.window()
    candidates = (
        Case.objects.visible_to(actor)
        .in_subtree(unit)
        .filter(duplicate_of__isnull=True)
        .filter(Q(incident_at__range=(first, last)) | Q(incident_at__isnull=True, received_at__range=(first, last)))
        .select_related("unit")
        .order_by("-received_at")[: duplicates.CANDIDATE_LIMIT]
    )
    return duplicates.likely_duplicates(report, candidates, limit=limit)


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


def transfer_links(*, actor: Any, case: Case) -> dict[str, list[tuple[Case, bool]]]:
    """The entries a transfer made in other registers (``sent``) and the one this entry came from
    (``came_from``), each with whether the actor may open it: the sender need not see the receiver."""
    from cax.core.scoping import is_within_scope

    sent = list(Case.objects.filter(transferred_from=case).select_related("unit").order_by("pk"))
    came_from = [case.transferred_from] if case.transferred_from_id else []
    return {
        name: [(entry, is_within_scope(actor, entry.unit.path)) for entry in entries]
        for name, entries in (("sent", sent), ("came_from", came_from))
    }


def receiving_bodies() -> QuerySet[ReceivingBody]:
    """Bodies outside CAX a report can be transferred to (reference data)."""
    return ReceivingBody.objects.filter(is_active=True).order_by("sort_order", "name")


def transfer_references(*, to_unit: str, to_body: str, day=None) -> dict[str, Any]:
    """Codes of a transfer step given through the API → the unit (any in CAX: the one with that code on
    ``day``, else the newest, which the service refuses naming its successor) or the body; unknown
    codes are named."""
    from cax.units.kinds import unit_for_date
    from cax.units.models import Unit

    found: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if to_unit:
        candidates = Unit.objects.filter(code=to_unit.strip()).select_related("unit_type")
        found["to_unit"] = unit_for_date(list(candidates), day or timezone.now())
        if found["to_unit"] is None:
            errors["to_unit"] = [_("Không có đơn vị mã “{c}”.").format(c=to_unit)]
    if to_body:
        found["to_body"] = receiving_bodies().filter(code=to_body).first()
        if found["to_body"] is None:
            errors["to_body"] = [_("Không có cơ quan mã “{c}” trong danh mục.").format(c=to_body)]
    if errors:
        from cax.core.exceptions import DomainError

        raise DomainError(" ".join(m for ms in errors.values() for m in ms), fields=errors)
    return found


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
