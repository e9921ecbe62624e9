"""Reads of the movement: the overview figures (cax.core.tiles) and the home page's counts, each
for a day (today by default): models by type, units recognised safe, teams by rating."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import formatting as fmt
from cax.core.text import vn_date
from cax.core.tiles import Tile
from cax.grassroots.models import Team, TeamStatus
from cax.movement import policy, windows
from cax.movement.models import (
    EntityType,
    MovementModel,
    RatingLevel,
    RatingScheme,
    RecognitionResult,
    SafetyRegistration,
    TeamRating,
)
from cax.movement.services import (
    ModelState,
    due_q,
    model_state_q,
    rating_scheme_on,
    recognised_q,
    standing_registrations,
    with_state,
)

GROUP = gettext_lazy("Phong trào toàn dân bảo vệ ANTQ")


def _url(name: str, **params) -> str:
    return f"{reverse(f'movement:{name}')}?{urlencode(params)}"


def models_by_type(actor, unit, day: dt.date) -> list[tuple[str, int]]:
    """Models running on ``day`` under ``unit``, by type (one query)."""
    models = with_state(MovementModel.objects.visible_to(actor).in_subtree(unit), day).filter(
        model_state_q(ModelState.RUNNING, day)
    )
    rows = models.values("model_type__name").annotate(n=Count("pk")).order_by("-n", "model_type__name")
    return [(row["model_type__name"], row["n"]) for row in rows]


def recognised_counts(actor, unit, day: dt.date) -> dict[str, int]:
    """Entities under ``unit`` whose standing recognition on ``day`` is "recognised", by type (one query)."""
    registrations = standing_registrations(SafetyRegistration.objects.visible_to(actor).in_subtree(unit), day)
    rows = registrations.filter(recognised_q()).values("entity_type").annotate(n=Count("pk"))
    return {row["entity_type"]: row["n"] for row in rows}


def rating_year(day: dt.date) -> tuple[int | None, RatingScheme | None]:
    """The year of the latest rating window ending on or before ``day``, and its rule row."""
    scheme = rating_scheme_on(day)
    if scheme is None:
        return None, None
    return scheme.window.year_ending_on_or_before(day), scheme


def rating_counts(actor, unit, year: int, day: dt.date) -> dict[str, int]:
    """Teams under ``unit`` rated for ``year`` by a decision made by ``day``, by level (one query)."""
    rows = (
        TeamRating.objects.visible_to(actor)
        .in_subtree(unit)
        .filter(year=year, decided_on__lte=day)
        .values("level")
        .annotate(n=Count("pk"))
    )
    return {row["level"]: row["n"] for row in rows}


def unrated_teams(actor, unit, year: int, scheme) -> object:
    """Established teams under ``unit`` that had run long enough by the end of ``year``'s window
    and have no rating for it: the ones still to rate."""
    _start, end = scheme.window.of(year)
    latest_start = windows.add_months(end, -scheme.min_months)
    return (
        Team.objects.visible_to(actor)
        .in_subtree(unit)
        .filter(status__in=[TeamStatus.ESTABLISHED], decision_date__lte=latest_start)
        .exclude(movement_ratings__year=year)
    )


def due_registrations(actor, unit, day: dt.date):
    """Registrations under ``unit`` still to self-assess with their window closing (services.due_q)."""
    return SafetyRegistration.objects.visible_to(actor).in_subtree(unit).filter(due_q(day))


def tiles(*, actor, unit, first: dt.date, last: dt.date) -> list[Tile]:
    if not policy.can_read(actor):
        return []
    day = min(last, timezone.localdate())
    found = []
    by_type = models_by_type(actor, unit, day)
    found.append(
        Tile(
            group=GROUP,
            title=_("Mô hình đang hoạt động"),
            value=fmt.number(sum(n for _name, n in by_type)),
            detail="; ".join(f"{name}: {fmt.number(n)}" for name, n in by_type)
            or _("Chưa có mô hình nào hoạt động ngày {d}").format(d=vn_date(day)),
            url=_url("model_list", unit=unit.code, state=ModelState.RUNNING, as_of=day.isoformat()),
        )
    )
    recognised = recognised_counts(actor, unit, day)
    labels = dict(EntityType.choices)
    found.append(
        Tile(
            group=GROUP,
            title=_("Đơn vị đạt chuẩn an toàn về ANTT"),
            value=fmt.number(sum(recognised.values())),
            detail=_("Ngày {d}: {parts}").format(
                d=vn_date(day),
                parts="; ".join(
                    f"{labels[t]}: {fmt.number(recognised[t])}" for t in EntityType.values if t in recognised
                )
                or _("chưa có đơn vị nào"),
            ),
            url=_url("registration_list", unit=unit.code, recognised="1", as_of=day.isoformat()),
        )
    )
    year, _scheme = rating_year(day)
    if year is not None:
        counts = rating_counts(actor, unit, year, day)
        levels = dict(RatingLevel.choices)
        found.append(
            Tile(
                group=GROUP,
                title=_("Xếp loại tổ bảo vệ ANTT năm {y}").format(y=year),
                value=fmt.number(sum(counts.values())),
                detail="; ".join(f"{levels[k]}: {fmt.number(counts.get(k, 0))}" for k in RatingLevel.values),
                url=_url("rating_list", unit=unit.code, year=str(year)),
            )
        )
    return found


def standing_recognised(rows: list[dict], day: dt.date) -> list[dict]:
    """``standing_registrations`` on rows already read (one read for a whole trend): each entity's
    latest decision by ``day``, of ``day``'s year or the year before, when it is "recognised"."""
    latest: dict[tuple, dict] = {}
    for row in rows:
        if row["decision_date"] is None or row["decision_date"] > day:
            continue
        key = (row["unit_id"], row["entity_type"], row["entity_name"])
        if key not in latest or row["year"] > latest[key]["year"]:
            latest[key] = row
    return [r for r in latest.values() if r["year"] >= day.year - 1 and r["result"] == RecognitionResult.RECOGNISED]


def dashboard_figures(*, actor, unit, ends: list[dt.date], now: dt.datetime):
    """The leaders' dashboard (core.dashboard): units recognised safe at each month end, and by
    child unit today. One query: the decisions of the years that can still stand."""
    from cax.core.dashboard import Column, Figures

    if actor is not None and not policy.can_read(actor):
        return None
    today = timezone.localdate(now)
    registrations = SafetyRegistration.objects.all() if actor is None else SafetyRegistration.objects.visible_to(actor)
    rows = list(
        registrations.in_subtree(unit)
        .exclude(result="")
        .filter(year__gte=min(ends[0], today).year - 1, decision_date__lte=max(ends[-1], today))
        .values("unit_id", "unit__path", "entity_type", "entity_name", "year", "decision_date", "result")
    )
    trend = [float(len(standing_recognised(rows, end))) for end in ends]
    depth = len(unit.path.strip("/").split("/"))
    by_child: dict[int, float] = {}
    standing = standing_recognised(rows, today)
    for row in standing:
        parts = row["unit__path"].strip("/").split("/")
        if len(parts) > depth:
            child = int(parts[depth])
            by_child[child] = by_child.get(child, 0) + 1
    title = _("Đơn vị đạt chuẩn an toàn về ANTT")
    column = Column(
        title,
        "num",
        by_child,
        float(len(standing)),
        _("Khu dân cư, xã, cơ quan, doanh nghiệp, nhà trường có quyết định công nhận an toàn về ANTT còn hiệu lực."),
    )
    return Figures(trends=[(title, "num", trend)], columns=[column])
