"""Reads of the grassroots force: the overview tiles (cax.core.tiles)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import formatting as fmt
from cax.core.text import vn_date
from cax.core.tiles import Tile, percent
from cax.grassroots import policy
from cax.grassroots.models import AllowancePayment, Team, TeamMember, TeamStatus
from cax.grassroots.services import active_members_q, trained_exists, with_completeness

GROUP = gettext_lazy("Lực lượng bảo vệ ANTT ở cơ sở")


def _url(name: str, **params) -> str:
    return f"{reverse(f'grassroots:{name}_list')}?{urlencode(params)}"


def team_counts(actor, unit, day: dt.date | None = None) -> dict:
    """Teams planned or established under ``unit`` and how many of them are complete, on ``day``
    (today when None; one query)."""
    teams = (
        Team.objects.visible_to(actor).in_subtree(unit).filter(status__in=[TeamStatus.PLANNED, TeamStatus.ESTABLISHED])
    )
    complete = Count("pk", filter=Q(is_complete=True))
    return with_completeness(teams, day).aggregate(total=Count("pk"), complete=complete)


def member_counts(actor, unit, day: dt.date | None = None) -> dict:
    """Members active under ``unit`` on ``day`` and how many had completed a course by then (one query)."""
    members = TeamMember.objects.visible_to(actor).in_subtree(unit).filter(active_members_q(day=day))
    # The Exists goes straight into the filter: aggregating over an annotated Exists makes Django
    # 5.2 drop the annotation from its inner query, and SQLite then reads "trained" as a string (0).
    return members.aggregate(total=Count("pk"), trained=Count("pk", filter=trained_exists(day)))


def allowance_totals(actor, unit, first: dt.date, last: dt.date) -> dict:
    payments = AllowancePayment.objects.visible_to(actor).in_subtree(unit).filter(paid_on__gte=first, paid_on__lte=last)
    return payments.aggregate(amount=Sum("amount"), members=Count("member", distinct=True), payments=Count("pk"))


def tiles(*, actor, unit, first: dt.date, last: dt.date) -> list[Tile]:
    if not policy.can_read(actor):
        return []
    found = []
    # The state on the period's last day (today while it runs): a past overview shows that day.
    day = min(last, timezone.localdate())
    teams = team_counts(actor, unit, day)
    share = percent(teams["complete"], teams["total"])
    found.append(
        Tile(
            group=GROUP,
            title=_("Tổ bảo vệ ANTT kiện toàn"),
            value=f"{fmt.number(teams['complete'])}/{fmt.number(teams['total'])}",
            detail=_("{n} tổ còn phải kiện toàn (đã hoặc dự kiến thành lập)").format(
                n=fmt.number(teams["total"] - teams["complete"])
            ),
            url=_url("team", unit=unit.code, complete="0", as_of=day.isoformat()),
            percent=share,
            state="" if share is None else ("ok" if share >= 100 else ("warn" if share >= 80 else "bad")),
        )
    )
    members = member_counts(actor, unit, day)
    share = percent(members["trained"], members["total"])
    found.append(
        Tile(
            group=GROUP,
            title=_("Thành viên đã qua tập huấn"),
            value=fmt.percent(share),
            detail=_("{t}/{n} thành viên đang hoạt động ngày {d}; mục tiêu 100%").format(
                t=fmt.number(members["trained"]), n=fmt.number(members["total"]), d=vn_date(day)
            ),
            url=_url("member", unit=unit.code, active="1", trained="0", as_of=day.isoformat()),
            percent=share,
            state="" if share is None else ("ok" if share >= 100 else ("warn" if share >= 80 else "bad")),
        )
    )
    paid = allowance_totals(actor, unit, first, last)
    found.append(
        Tile(
            group=GROUP,
            title=_("Chi trả chế độ trong kỳ"),
            value=fmt.money(paid["amount"] or 0),
            detail=_("{m} thành viên, {p} khoản chi từ {a} đến {b}").format(
                m=fmt.number(paid["members"]), p=fmt.number(paid["payments"]), a=vn_date(first), b=vn_date(last)
            ),
            url=_url("allowance", unit=unit.code, period=f"{first.isoformat()}..{last.isoformat()}"),
        )
    )
    return found
