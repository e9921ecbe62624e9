"""Reads of the training records: an officer's history and the overview tiles (cax.core.tiles)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import formatting as fmt
from cax.core.exceptions import NotVisible
from cax.core.tiles import Tile, percent
from cax.training import policy
from cax.training.models import Course, Participant, Topic

GROUP = gettext_lazy("Đào tạo, tập huấn")


def officer_trainings(*, actor, officer_id: int):
    """(officer, participations) for an officer the actor may see; NotVisible otherwise."""
    from cax.personnel.models import Officer

    policy.require_history_reader(actor)
    officer = Officer.objects.visible_to(actor).select_related("unit").filter(pk=officer_id).first()
    if officer is None:
        raise NotVisible(_("Không tìm thấy cán bộ."))
    participations = list(
        Participant.objects.visible_to(actor)
        .filter(officer=officer)
        .select_related("course__unit")
        .order_by("-course__starts_on", "course__code")
    )
    return officer, participations


def member_trainings(*, actor, member) -> list[Participant]:
    """The courses a grassroots team member attended, as the actor sees them (the member's page)."""
    return list(Participant.objects.visible_to(actor).filter(team_member=member).select_related("course__unit"))


def member_trained(day: dt.date | None = None) -> Exists:
    """For a query of grassroots team members: whether the member has completed at least one course,
    by ``day`` when given (a completion without a date counts from the start)."""
    done = Participant.objects.filter(team_member=OuterRef("pk"), completed=True)
    if day is not None:
        done = done.filter(Q(completed_on__isnull=True) | Q(completed_on__lte=day))
    return Exists(done)


def _url(name: str, **params) -> str:
    return f"{reverse(f'training:{name}_list')}?{urlencode(params)}"


def tiles(*, actor, unit, first: dt.date, last: dt.date) -> list[Tile]:
    if not policy.can_read(actor):
        return []
    period = f"{first.isoformat()}..{last.isoformat()}"
    courses = (
        Course.objects.visible_to(actor)
        .in_subtree(unit)
        .filter(starts_on__lte=last, ends_on__gte=first)
        .aggregate(n=Count("pk"), language=Count("pk", filter=Q(topic=Topic.LANGUAGE)))
    )
    people = Participant.objects.visible_to(actor).in_subtree(unit)
    ended = people.filter(course__ends_on__gte=first, course__ends_on__lte=last).aggregate(
        total=Count("pk"), completed=Count("pk", filter=Q(completed=True))
    )
    speakers = people.filter(officer__isnull=False, completed=True, course__topic=Topic.LANGUAGE).aggregate(
        officers=Count("officer", distinct=True)
    )
    share = percent(ended["completed"], ended["total"])
    return [
        Tile(
            group=GROUP,
            title=_("Khoá học trong kỳ"),
            value=fmt.number(courses["n"]),
            detail=_("trong đó {n} khoá tiếng dân tộc thiểu số").format(n=fmt.number(courses["language"])),
            url=_url("course", unit=unit.code, period=period),
        ),
        Tile(
            group=GROUP,
            title=_("Học viên hoàn thành"),
            value=fmt.percent(share),
            detail=_("{c}/{n} học viên của các khoá kết thúc trong kỳ").format(
                c=fmt.number(ended["completed"]), n=fmt.number(ended["total"])
            ),
            url=_url("participant", unit=unit.code, period=period, completed="0"),
            percent=share,
            state="" if share is None else ("ok" if share >= 90 else ("warn" if share >= 70 else "bad")),
        ),
        Tile(
            group=GROUP,
            title=_("Cán bộ đã học tiếng dân tộc"),
            value=fmt.number(speakers["officers"]),
            detail=_("cán bộ hoàn thành ít nhất một khoá tiếng dân tộc thiểu số"),
            url=_url("participant", unit=unit.code, topic=Topic.LANGUAGE, completed="1", person="officer"),
        ),
    ]
