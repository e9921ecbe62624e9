"""Demo data of the movement in the demo province (called by ``./cax up``, after grassroots and
honours): a model in each of four communes with its team, replication point and evaluation; an
advanced example linked to a commendation; residential areas recognised safe for the last year
whose decision was due; this year's commune registrations; ratings of the teams that ran long
enough. Saved through the services (actor None: the system), so every rule and the change log
apply; loading twice changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cax.grassroots.models import Team, TeamStatus
from cax.grassroots.registers import TEAMS
from cax.honours.models import Commendation
from cax.movement import services, windows
from cax.movement.models import ModelType, MovementModel
from cax.movement.registers import ASSESSMENTS, EVALUATIONS, EXAMPLES, MODELS, RATINGS, REGISTRATIONS, REPLICATIONS
from cax.units.kinds import is_village
from cax.units.models import Unit

LEVELS = ["good", "done", "good", "not_done"]


def _province(province) -> Unit:
    return province if isinstance(province, Unit) else Unit.objects.current().get(code=str(province))


@transaction.atomic
def load_demo(*, province) -> None:
    province = _province(province)
    if MovementModel.objects.in_subtree(province).exists():
        return
    today = timezone.localdate()
    teams = list(Team.objects.in_subtree(province).filter(status=TeamStatus.ESTABLISHED).select_related("unit"))
    communes = []
    for team in teams:
        if team.unit not in communes:
            communes.append(team.unit)
    communes = communes[:4]
    types = list(ModelType.objects.all())
    for index, commune in enumerate(communes):
        villages = [
            u for u in Unit.objects.current().filter(parent=commune).select_related("unit_type") if is_village(u)
        ]
        own = [t for t in teams if t.unit_id == commune.pk]
        model = _model(commune, index, types[index % len(types)], own, villages, today)
        if index == 0:
            _example(commune, model, today)
        for village in villages[:1]:
            _recognised_area(commune, village, today)
        _commune_registration(commune, today)
        _ratings(commune, villages, index, today)


def _model(commune, index, model_type, teams, villages, today) -> MovementModel:
    decided = today - dt.timedelta(days=380 + 30 * index)
    model = MODELS.save(
        actor=None,
        instance=None,
        data={
            "unit": commune,
            "name": f"{model_type.name} {villages[0].name if villages else commune.name}",
            "model_type": model_type,
            "proposer": "police" if index % 2 == 0 else "front",
            "plan_date": decided - dt.timedelta(days=45),
            "decision_number": f"{30 + index}/QĐ-UBND",
            "decision_date": decided,
            "decision_issuer": f"UBND {commune.name}",
            "teams": teams,
        },
    )
    for village in villages[1:2]:
        REPLICATIONS.save(
            actor=None,
            instance=None,
            data={"model": model, "area": village, "started_on": decided + dt.timedelta(days=120)},
        )
    EVALUATIONS.save(
        actor=None,
        instance=None,
        data={
            "model": model,
            "evaluated_on": today - dt.timedelta(days=60),
            "result": "effective" if index != 3 else "limited",
            "evaluator": f"Công an {commune.name}",
            "note": "Duy trì sinh hoạt định kỳ, phát hiện và báo tin kịp thời.",
        },
    )
    return model


def _example(commune, model, today) -> None:
    commendations = list(Commendation.objects.filter(unit=commune).order_by("-decision_date")[:1])
    EXAMPLES.save(
        actor=None,
        instance=None,
        data={
            "unit": commune,
            "kind": "collective",
            "name": model.name,
            "year": (commendations[0].decision_date.year if commendations else today.year),
            "model": model,
            "commendations": commendations,
            "achievement": "Mô hình tiêu biểu trong phong trào toàn dân bảo vệ ANTQ.",
        },
    )


def _decided_year(entity_type: str, today: dt.date) -> tuple[int, object] | tuple[None, None]:
    """The latest year whose decision was due by today (its submission deadline passed)."""
    for year in (today.year, today.year - 1):
        scheme = services.scheme_for(entity_type, year)
        if scheme and windows.day_of(year, scheme.submission_month, scheme.submission_day) < today:
            return year, scheme
    return None, None


def _recognised_area(commune, village, today) -> None:
    year, scheme = _decided_year("residential", today)
    if year is None or not services.criteria_for("residential", year):
        return
    registration = REGISTRATIONS.save(
        actor=None,
        instance=None,
        data={"unit": commune, "entity_type": "residential", "area": village, "year": year,
              "registered_on": dt.date(year, 2, 15)},
    )  # fmt: skip
    for criterion in services.criteria_for("residential", year):
        ASSESSMENTS.save(
            actor=None,
            instance=None,
            data={"registration": registration, "criterion": criterion, "met": True, "evidence": "Biên bản họp dân"},
        )
    _start, end = scheme.window.of(year)
    submission = windows.day_of(year, scheme.submission_month, scheme.submission_day)
    REGISTRATIONS.save(
        actor=None,
        instance=registration,
        data={
            "assessed_on": end,
            "decision_number": f"{150 + commune.pk % 50}/QĐ-UBND",
            "decision_date": submission,
            "result": "recognised",
            "certificate_number": f"GCN-{year}-{village.code}",
        },
    )


def _commune_registration(commune, today) -> None:
    scheme = services.scheme_for("commune", today.year)
    if scheme is None:
        return
    last = windows.day_of(today.year, scheme.registration_end_month, scheme.registration_end_day)
    REGISTRATIONS.save(
        actor=None,
        instance=None,
        data={
            "unit": commune,
            "entity_type": "commune",
            "year": today.year,
            "registered_on": min(last, today, dt.date(today.year, 2, 1)),
        },
    )


def _ratings(commune, villages, index, today) -> None:
    """A team established two years ago in the commune, rated for the last window that ended."""
    scheme = services.rating_scheme_on(today)
    if scheme is None or not villages:
        return
    year = scheme.window.year_ending_on_or_before(today)
    scheme = services.rating_scheme_for(year)
    if scheme is None:
        return
    _start, end = scheme.window.of(year)
    team = TEAMS.save(
        actor=None,
        instance=None,
        data={
            "unit": commune,
            "name": f"Tổ bảo vệ ANTT liên thôn {villages[-1].name}",
            "villages": villages[-1:],
            "planned_members": 3,
            "status": "established",
            "decision_number": f"{80 + index}/QĐ-UBND",
            "decision_date": windows.add_months(end, -24),
        },
    )
    RATINGS.save(
        actor=None,
        instance=None,
        data={
            "team": team,
            "year": year,
            "level": LEVELS[index % len(LEVELS)],
            "decision_number": f"{210 + index}/QĐ-UBND",
            "decided_on": min(today, end + dt.timedelta(days=10)),
        },
    )
