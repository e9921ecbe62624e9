"""Figures on requests for the overview tiles (one aggregate query)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import formatting as fmt
from cax.core.text import vn_date
from cax.core.tiles import Tile, percent
from cax.petitions.models import Petition, overdue_q, unanswered_q

GROUP = gettext_lazy("Kiến nghị của Công an xã")


def figures(*, actor, unit, first, last) -> dict:
    """The period's requests and their answers, and what was waiting or overdue on the period's last
    day (today for a period that has not ended): the figures of the overview at its as-of date."""
    day = min(last, timezone.localdate())
    # Raised in the subtree or assigned to a department in it (as the list's unit filter).
    scoped = Petition.objects.visible_to(actor).in_subtree(unit)
    raised = Q(raised_on__gte=first, raised_on__lte=last)
    answered = raised & ~unanswered_q(day)
    return {
        **scoped.aggregate(
            raised=Count("pk", filter=raised),
            answered=Count("pk", filter=answered),
            on_spot=Count("pk", filter=answered & Q(answered_on_spot=True)),
            unanswered=Count("pk", filter=unanswered_q(day)),
            overdue=Count("pk", filter=overdue_q(day)),
        ),
        "day": day,
    }


def tiles(*, actor, unit, first, last) -> list[Tile]:
    if not actor.has_perm("petitions.view_petition"):
        return []
    f = figures(actor=actor, unit=unit, first=first, last=last)
    url = reverse("petitions:petition_list")
    period = f"unit={unit.code}&first={first.isoformat()}&last={last.isoformat()}"
    share = percent(f["answered"], f["raised"])
    return [
        Tile(
            GROUP,
            _("Kiến nghị đã trả lời"),
            fmt.percent(share, 0),
            _("{a}/{n} kiến nghị trong kỳ, {s} trả lời tại chỗ").format(
                a=fmt.number(f["answered"]), n=fmt.number(f["raised"]), s=fmt.number(f["on_spot"])
            ),
            f"{url}?{period}&answered=1&as_of={f['day'].isoformat()}",
            share,
            "ok" if share == 100 else ("warn" if share is not None else ""),
        ),
        Tile(
            GROUP,
            _("Quá hạn trả lời"),
            fmt.number(f["overdue"]),
            _("đã giao phòng, quá hạn, chưa trả lời ngày {d}").format(d=vn_date(f["day"])),
            f"{url}?unit={unit.code}&overdue=1&as_of={f['day'].isoformat()}",
            state="bad" if f["overdue"] else "ok",
        ),
        Tile(
            GROUP,
            _("Chưa trả lời"),
            fmt.number(f["unanswered"]),
            _("kiến nghị đang chờ trả lời ngày {d} (mọi kỳ)").format(d=vn_date(f["day"])),
            f"{url}?unit={unit.code}&answered=0&as_of={f['day'].isoformat()}",
            state="warn" if f["unanswered"] else "ok",
        ),
    ]
