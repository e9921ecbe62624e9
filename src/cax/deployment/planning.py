"""Posting plans (#7): from the registry to the optimizer and back, the background run, hand edits,
approval. Reads for the pages are in ``plan_selectors``; the mathematics is in ``optimizer``."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core import jobs
from cax.core.changelog import record_change, snapshot
from cax.core.exceptions import DomainError
from cax.core.models import ChangeLog
from cax.core.scoping import is_under
from cax.core.text import search_key
from cax.deployment import levels, notices, policy
from cax.deployment import optimizer as opt
from cax.deployment.models import (
    PlanAssignment,
    PlanPool,
    PlanScenario,
    PlanStatus,
    Posting,
    PostingEndReason,
    PostingRole,
)
from cax.deployment.norms import NormResolver, norms_in_force
from cax.personnel.choices import RANK_ORDER, OfficerStatus, SpecialityKind
from cax.personnel.models import Officer
from cax.units.models import Unit

log = logging.getLogger(__name__)

RUNNING = (PlanStatus.QUEUED, PlanStatus.RUNNING)
SOLVED = (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE)
# A worker that has not written for this long is presumed dead (machine restarted, process killed).
STALE_AFTER = dt.timedelta(seconds=120)


@dataclass
class Loaded:
    """A scenario's problem and what the pages need to name its keys."""

    problem: opt.Problem
    officers: dict[int, Officer]
    units: dict[int, Unit]
    current: dict[int, Posting]  # officer id → open posting
    language_names: dict[str, str]


def _years_between(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def settings_of(scenario: PlanScenario) -> opt.Settings:
    return opt.Settings(
        km_weight=float(scenario.km_weight),
        hardship_km_weight=float(scenario.hardship_km_weight),
        unused_skill=float(scenario.unused_skill_cost),
        missing_skill=float(scenario.missing_skill_cost),
        move=float(scenario.move_cost),
        chief_change=float(scenario.chief_change_cost),
        hardship_max_km=float(scenario.hardship_max_km) if scenario.hardship_max_km is not None else None,
        forbid_home=scenario.forbid_home,
        keep_current=scenario.keep_current,
        candidates=scenario.candidates,
        tree_km=(float(scenario.tree_km_near), float(scenario.tree_km_mid), float(scenario.tree_km_far)),
        time_limit=float(scenario.time_limit),
    )


def chief_eligible(scenario: PlanScenario, officer: Officer) -> bool:
    rank = RANK_ORDER.get(officer.rank, -1)
    if not RANK_ORDER[scenario.chief_min_rank] <= rank <= RANK_ORDER[scenario.chief_max_rank]:
        return False
    if officer.service_start is None:
        return False
    return _years_between(officer.service_start, scenario.start_date) >= scenario.chief_min_years


def load(scenario: PlanScenario) -> Loaded:
    """Builds the optimizer's problem from the registry (a fixed handful of queries)."""
    day = scenario.start_date
    root = scenario.unit
    units = Unit.objects.open_on(day).commune_level().in_subtree(root).order_by("path")
    targets = set(scenario.target_units.values_list("pk", flat=True)) if scenario.pk else set()
    units = [u for u in units if not targets or u.pk in targets]
    by_id = {u.pk: u for u in units}
    officers = list(
        Officer.objects.in_subtree(root.path, on=day)
        .filter(status=OfficerStatus.ACTIVE)
        .prefetch_related("specialities", "languages")
        .order_by("pk")
    )
    open_postings = {
        p.officer_id: p
        for p in Posting.objects.filter(officer__in=[o.pk for o in officers], end_date__isnull=True).select_related(
            "unit"
        )
    }
    language_names: dict[str, str] = {}
    place_languages = _place_languages(scenario, units, language_names)
    pool, kept = _pool_and_kept(scenario, officers, open_postings, by_id, place_languages, language_names)
    places = _places(scenario, units, kept, place_languages)
    homes = {o.home for o in pool if o.home is not None} - set(by_id)
    located = units + list(Unit.objects.filter(pk__in=homes))
    return Loaded(
        problem=opt.Problem(tuple(pool), tuple(places), settings_of(scenario), _geography(located)),
        officers={o.pk: o for o in officers},
        units={u.pk: u for u in located},
        current=open_postings,
        language_names=language_names,
    )


def _place_languages(scenario: PlanScenario, units: list[Unit], language_names: dict[str, str]) -> dict:
    """Unit id → the keys of the local languages a speaker is needed for (none unless the scenario
    requires a speaker and the unit is an ethnic-minority one); names the keys in ``language_names``."""
    place_languages: dict[int, frozenset[str]] = {}
    for unit in units:
        keys = set()
        if unit.is_ethnic_minority and scenario.require_speaker:
            for name in unit.local_languages or []:
                language_names.setdefault(search_key(name), name)
                keys.add(search_key(name))
        place_languages[unit.pk] = frozenset(keys)
    return place_languages


def _speaks(officer: Officer) -> frozenset[str]:
    return frozenset(lang.key for lang in officer.languages.all() if lang.is_ethnic_minority)


def _is_investigator(officer: Officer) -> bool:
    return any(s.kind == SpecialityKind.INVESTIGATOR for s in officer.specialities.all())


def _pool_and_kept(scenario, officers, open_postings, by_id, place_languages, language_names):
    """The officers the plan places, and per planned unit what the officers who stay bring (head
    count, a chief, investigators, a speaker)."""
    volunteers = set(scenario.volunteers.values_list("pk", flat=True)) if scenario.pk else set()

    def in_pool(officer: Officer) -> bool:
        posting = open_postings.get(officer.pk)
        if posting is None:
            return True  # waiting for a posting: always placed
        if scenario.pool == PlanPool.VOLUNTEERS and officer.pk in volunteers:
            return True
        # Everyone in the communes being planned; those serving elsewhere stay where they are.
        return scenario.pool == PlanPool.EVERYONE and posting.unit_id in by_id

    pool, kept = [], {pk: {"n": 0, "chief": False, "inv": 0, "speaker": False} for pk in by_id}
    for officer in officers:
        posting = open_postings.get(officer.pk)
        if in_pool(officer):
            current = posting.unit_id if posting is not None and posting.unit_id in by_id else None
            for lang in officer.languages.all():
                language_names.setdefault(lang.key, lang.name)
            pool.append(
                opt.Officer(
                    key=officer.pk,
                    home=officer.home_unit_id,
                    current=current,
                    current_chief=current is not None and posting.role == PostingRole.CHIEF,
                    chief_eligible=chief_eligible(scenario, officer),
                    investigator=_is_investigator(officer),
                    languages=_speaks(officer),
                    hardship=officer.has_hardship,
                )
            )
        elif posting is not None:
            k = kept[posting.unit_id]
            k["n"] += 1
            k["chief"] |= posting.role == PostingRole.CHIEF
            k["inv"] += _is_investigator(officer)
            k["speaker"] |= bool(_speaks(officer) & place_languages[posting.unit_id])
    return pool, kept


def _places(scenario: PlanScenario, units: list[Unit], kept: dict, place_languages: dict) -> list[opt.Place]:
    """The planned units with their norms on the start date and what the officers who stay bring."""
    resolver = NormResolver(norms_in_force(scenario.start_date))
    places = []
    for unit in units:
        norm = resolver.for_path(unit.pk, unit.path, unit.unit_type_id)
        k = kept[unit.pk]
        places.append(
            opt.Place(
                key=unit.pk,
                minimum=norm.minimum,
                maximum=max(norm.minimum, norm.target) + scenario.extra_over_target,
                needs_chief=norm.requires_chief,
                min_investigators=norm.min_investigators,
                languages=place_languages[unit.pk],
                kept=k["n"],
                kept_chief=k["chief"],
                kept_investigators=k["inv"],
                kept_speaker=k["speaker"],
            )
        )
    return places


def _geography(located: list[Unit]) -> opt.Geography:
    """Coordinates where known, and each unit's ancestors for the tree distance."""
    return opt.Geography(
        coordinates={
            u.pk: (float(u.latitude), float(u.longitude))
            for u in located
            if u.latitude is not None and u.longitude is not None
        },
        paths={u.pk: (*u.ancestor_ids, u.pk) for u in located},
    )


# ----------------------------------------------------------------------------------------------
# Create, edit, run, cancel


SETTING_FIELDS = (
    "name",
    "start_date",
    "pool",
    "extra_over_target",
    "chief_min_rank",
    "chief_max_rank",
    "chief_min_years",
    "require_speaker",
    "hardship_max_km",
    "keep_current",
    "forbid_home",
    "candidates",
    "km_weight",
    "hardship_km_weight",
    "unused_skill_cost",
    "missing_skill_cost",
    "move_cost",
    "chief_change_cost",
    "tree_km_near",
    "tree_km_mid",
    "tree_km_far",
    "time_limit",
)


def _check_settings(values: dict) -> None:
    if RANK_ORDER.get(values["chief_min_rank"], -1) > RANK_ORDER.get(values["chief_max_rank"], -1):
        raise DomainError(
            _("Cấp bậc tối thiểu của Trưởng cao hơn cấp bậc tối đa."), fields={"chief_min_rank": [_("Không hợp lệ.")]}
        )


@transaction.atomic
def scenario_create(*, actor: Any, unit: Unit, values: dict, volunteers=(), target_units=()) -> PlanScenario:
    policy.require_planner(actor, unit)
    _check_settings(values)
    scenario = PlanScenario(unit=unit, created_by=actor if getattr(actor, "pk", None) else None)
    for name in SETTING_FIELDS:
        setattr(scenario, name, values[name])
    scenario.search_key = search_key(scenario.name)
    scenario.save()
    scenario.volunteers.set(volunteers)
    scenario.target_units.set(_targets(unit, target_units))
    record_change(actor=actor, obj=scenario, action=ChangeLog.Action.CREATE)
    return scenario


@transaction.atomic
def scenario_update(
    *, actor: Any, scenario: PlanScenario, values: dict, volunteers=(), target_units=()
) -> PlanScenario:
    """New settings make the old result stale: it is dropped and the scenario must run again."""
    policy.require_planner(actor, scenario.unit)
    scenario = PlanScenario.objects.select_for_update().get(pk=scenario.pk)
    if scenario.status == PlanStatus.APPROVED:
        raise DomainError(_("Phương án đã phê duyệt, không sửa được."))
    if scenario.status in RUNNING:
        raise DomainError(_("Phương án đang được tính; hãy hủy trước khi sửa."))
    _check_settings(values)
    before = snapshot(scenario)
    for name in SETTING_FIELDS:
        setattr(scenario, name, values[name])
    scenario.search_key = search_key(scenario.name)
    _reset(scenario)
    scenario.save()
    scenario.volunteers.set(volunteers)
    scenario.target_units.set(_targets(scenario.unit, target_units))
    record_change(actor=actor, obj=scenario, action=ChangeLog.Action.UPDATE, before=before)
    return scenario


def _targets(unit: Unit, target_units) -> list[Unit]:
    outside = [u.name for u in target_units if not is_under(u, unit) or not u.unit_type.is_commune_level]
    if outside:
        raise DomainError(
            _("Chỉ chọn được đơn vị cấp xã thuộc {u}: {names}").format(u=unit.name, names=", ".join(outside[:10]))
        )
    return list(target_units)


def _reset(scenario: PlanScenario) -> None:
    scenario.assignments.all().delete()
    scenario.status, scenario.progress, scenario.progress_text = PlanStatus.DRAFT, 0, ""
    scenario.objective = scenario.bound = None
    scenario.result = {}
    scenario.cancel_requested = False


@transaction.atomic
def scenario_start(*, actor: Any, scenario: PlanScenario) -> PlanScenario:
    """Queues a run and launches the worker once the transaction commits."""
    policy.require_planner(actor, scenario.unit)
    scenario = PlanScenario.objects.select_for_update().get(pk=scenario.pk)
    if scenario.status == PlanStatus.APPROVED:
        raise DomainError(_("Phương án đã phê duyệt."))
    if scenario.status in RUNNING and not is_stale(scenario):
        raise DomainError(_("Phương án đang được tính."))
    _reset(scenario)
    scenario.status = PlanStatus.QUEUED
    scenario.heartbeat = timezone.now()
    scenario.progress_text = "queued"
    scenario.save()
    record_change(actor=actor, obj=scenario, action=ChangeLog.Action.UPDATE, message=_("Chạy tính phương án"))
    transaction.on_commit(lambda pk=scenario.pk: launch(pk, actor))
    return scenario


def scenario_cancel(*, actor: Any, scenario: PlanScenario) -> None:
    policy.require_planner(actor, scenario.unit)
    updated = PlanScenario.objects.filter(pk=scenario.pk, status__in=RUNNING).update(cancel_requested=True)
    if not updated:
        raise DomainError(_("Phương án không còn đang tính."))
    # A queued run nobody picked up (worker never started) is cancelled at once.
    stale = PlanScenario.objects.filter(pk=scenario.pk, status__in=RUNNING).filter(
        Q(heartbeat__isnull=True) | Q(heartbeat__lt=timezone.now() - STALE_AFTER)
    )
    stale.update(status=PlanStatus.CANCELLED, progress_text="cancelled")


def is_stale(scenario: PlanScenario) -> bool:
    return scenario.status in RUNNING and (
        scenario.heartbeat is None or scenario.heartbeat < timezone.now() - STALE_AFTER
    )


def launch(pk: int, actor: Any = None) -> None:
    """Starts the run out of the request: on the job worker by default (solving holds the GIL, and
    a gunicorn worker must stay free; issue 16.6), a thread where no worker runs, or inline (tests)."""
    mode = getattr(settings, "CAX_PLANNER_LAUNCH", "job")
    if mode == "inline":
        run(pk)
    elif mode == "thread":
        threading.Thread(target=_run_in_thread, args=(pk,), daemon=True).start()
    else:
        jobs.enqueue("deployment.plan", actor=actor, params={"scenario": int(pk)})


def run_job(job) -> dict:
    """The worker's side. A second attempt means the first worker died mid-run (the job sweep saw it
    gone): the scenario it left "running" is queued again and solved from the start."""
    pk = int(job.params["scenario"])
    if job.attempts > 1:
        PlanScenario.objects.filter(pk=pk, status=PlanStatus.RUNNING).update(status=PlanStatus.QUEUED)
    scenario = run(pk)
    return {"scenario": pk, "status": scenario.status}


def job_given_up(job, reason: str) -> None:
    """Every attempt died: the scenario says so instead of showing "running" until it looks stale."""
    PlanScenario.objects.filter(pk=int(job.params["scenario"]), status__in=RUNNING).update(
        status=PlanStatus.FAILED, progress_text="failed", result={"error": reason[:500]}, run_finished_at=timezone.now()
    )


def _run_in_thread(pk: int) -> None:
    try:
        run(pk)
    finally:
        close_old_connections()


class _Reporter:
    """Writes progress at most twice a second and reads the cancel flag at most once a second."""

    def __init__(self, pk: int):
        self.pk = pk
        self.last_write = 0.0
        self.last_read = 0.0
        self.cancelled = False

    def progress(self, fraction: float, text: str) -> None:
        now = time.monotonic()
        if now - self.last_write < 0.5 and fraction < 0.9:
            return
        self.last_write = now
        PlanScenario.objects.filter(pk=self.pk).update(
            progress=int(fraction * 100), progress_text=text, heartbeat=timezone.now()
        )

    def should_stop(self) -> bool:
        now = time.monotonic()
        if now - self.last_read >= 1.0:
            self.last_read = now
            self.cancelled = PlanScenario.objects.filter(pk=self.pk, cancel_requested=True).exists()
            PlanScenario.objects.filter(pk=self.pk).update(heartbeat=timezone.now())
        return self.cancelled


def run(pk: int) -> PlanScenario:
    """The worker: load, solve, compare, store. Any failure is recorded on the scenario."""
    claimed = PlanScenario.objects.filter(pk=pk, status=PlanStatus.QUEUED, cancel_requested=False).update(
        status=PlanStatus.RUNNING, run_started_at=timezone.now(), heartbeat=timezone.now(), progress_text="load"
    )
    scenario = PlanScenario.objects.select_related("unit").get(pk=pk)
    if not claimed:
        if scenario.status == PlanStatus.QUEUED:
            PlanScenario.objects.filter(pk=pk).update(status=PlanStatus.CANCELLED, progress_text="cancelled")
        return PlanScenario.objects.get(pk=pk)
    reporter = _Reporter(pk)
    try:
        loaded = load(scenario)
        started = time.perf_counter()
        model = opt.build(loaded.problem)  # once, for the solver and the greedy comparison
        result = opt.solve(loaded.problem, model=model, progress=reporter.progress, should_stop=reporter.should_stop)
        result.total_seconds = time.perf_counter() - started
        _store(scenario, loaded, result, model)
    except Exception as error:  # recorded for the user and logged for the administrator
        log.exception("plan %s failed", pk)
        PlanScenario.objects.filter(pk=pk).update(
            status=PlanStatus.FAILED,
            progress_text="failed",
            result={"error": str(error)[:500]},
            run_finished_at=timezone.now(),
        )
    return PlanScenario.objects.get(pk=pk)


def current_plan(loaded: Loaded) -> list[opt.Assignment]:
    """The pool's present postings as a plan, for the comparison (unposted officers count nowhere)."""
    plan = [
        opt.Assignment(o.key, o.current, opt.CHIEF if o.current_chief else opt.OFFICER, 0.0, 0.0)
        for o in loaded.problem.officers
        if o.current is not None
    ]
    return opt.cost_of(loaded.problem, plan)


@transaction.atomic
def _store(scenario: PlanScenario, loaded: Loaded, result: opt.Result, model) -> None:
    status = {
        opt.Status.OPTIMAL: PlanStatus.OPTIMAL,
        opt.Status.FEASIBLE: PlanStatus.FEASIBLE,
        opt.Status.INFEASIBLE: PlanStatus.INFEASIBLE,
        opt.Status.CANCELLED: PlanStatus.CANCELLED,
        opt.Status.TIME_LIMIT: PlanStatus.FAILED,
    }[result.status]
    summary: dict[str, Any] = {
        "seconds": round(result.total_seconds, 3),
        "solver_seconds": round(result.solver_seconds, 3),
        "columns": result.columns,
        "rounds": result.rounds,
        "groups": result.groups,
        "fractional": result.fractional,
        "gap_reason": result.gap_reason,
        "pool": len(loaded.problem.officers),
        "units": len(loaded.problem.places),
        "findings": [{"code": f.code, "place": f.place, "detail": f.detail} for f in result.findings],
    }
    if result.status == opt.Status.TIME_LIMIT:
        summary["error"] = "time_limit"
    if result.assignments:
        greedy = opt.greedy(loaded.problem, model=model)
        summary["compare"] = {
            "current": opt.metrics(loaded.problem, current_plan(loaded)),
            "greedy": opt.metrics(loaded.problem, greedy),
            "plan": opt.metrics(loaded.problem, result.assignments),
        }
        summary["greedy_violations"] = len(opt.check(loaded.problem, greedy))
        PlanAssignment.objects.bulk_create(_rows(scenario, loaded, result.assignments), batch_size=2000)
    PlanScenario.objects.filter(pk=scenario.pk).update(
        status=status,
        progress=100,
        progress_text="done",
        objective=result.objective,
        bound=result.bound,
        result=summary,
        run_finished_at=timezone.now(),
        heartbeat=timezone.now(),
    )
    if status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE):
        notices.ready(scenario)


def _rows(scenario: PlanScenario, loaded: Loaded, assignments: list[opt.Assignment]) -> list[PlanAssignment]:
    problem = loaded.problem
    officers = {o.key: o for o in problem.officers}
    places = {p.key: p for p in problem.places}
    rows = []
    for a in assignments:
        posting = loaded.current.get(a.officer)
        rows.append(
            PlanAssignment(
                scenario=scenario,
                officer_id=a.officer,
                unit_id=a.place,
                role=PostingRole.CHIEF if a.role == opt.CHIEF else _kept_role(posting, a.place),
                current_unit_id=posting.unit_id if posting else None,
                current_role=posting.role if posting else "",
                km=a.km,
                cost=a.cost,
                reasons=reasons(problem, officers[a.officer], places[a.place], a, loaded.language_names),
            )
        )
    return rows


def _kept_role(posting: Posting | None, place: int) -> str:
    """A deputy who stays stays deputy; anyone else sent somewhere is an officer there."""
    if posting is not None and posting.unit_id == place and posting.role == PostingRole.DEPUTY:
        return PostingRole.DEPUTY
    return PostingRole.OFFICER


def reasons(
    problem: opt.Problem, officer: opt.Officer, place: opt.Place, a: opt.Assignment, names: dict[str, str]
) -> list[list]:
    """Why this officer goes there, as [code, params] pairs (rendered in the user's language)."""
    s = problem.settings
    out: list[list] = []
    if officer.current == place.key:
        out.append(["stays", {}])
    elif officer.current is not None:
        out.append(["moves", {"from": officer.current}])
    else:
        out.append(["new", {}])
    if officer.home is None:
        out.append(["no_home", {"km": a.km}] if officer.current is not None else ["no_home", {}])
    elif officer.home == place.key:
        out.append(["home", {}])
    else:
        known = officer.home in problem.geography.coordinates and place.key in problem.geography.coordinates
        out.append(["km", {"km": a.km, "measured": known}])
    if officer.hardship:
        out.append(["hardship", {"km": a.km, "limit": s.hardship_max_km}])
    spoken = sorted(officer.languages & place.languages)
    if spoken:
        out.append(["speaker", {"languages": [names.get(x, x) for x in spoken]}])
    elif officer.languages:
        out.append(["language_unused", {"languages": [names.get(x, x) for x in sorted(officer.languages)]}])
    if officer.investigator:
        out.append(["investigator", {"needed": place.min_investigators}])
    if a.role == opt.CHIEF:
        out.append(["chief", {"stays": officer.current_chief and officer.current == place.key}])
    return out


# ----------------------------------------------------------------------------------------------
# Hand edits and approval


def plan_of(scenario: PlanScenario) -> list[opt.Assignment]:
    return [
        opt.Assignment(a.officer_id, a.unit_id, opt.CHIEF if a.role == PostingRole.CHIEF else opt.OFFICER, 0, 0)
        for a in scenario.assignments.all()
    ]


@transaction.atomic
def assignment_change(*, actor: Any, assignment: PlanAssignment, unit: Unit, role: str) -> PlanAssignment:
    """Moves one officer in the plan by hand; the plan is re-checked and re-costed, never blocked
    here: the page shows what the change breaks, and approval refuses a plan that breaks a rule."""
    scenario = PlanScenario.objects.select_for_update().get(pk=assignment.scenario_id)
    policy.require_planner(actor, scenario.unit)
    if scenario.status not in SOLVED:
        raise DomainError(_("Chỉ sửa được phương án đã tính xong và chưa phê duyệt."))
    loaded = load(scenario)
    if unit.pk not in {p.key for p in loaded.problem.places}:
        raise DomainError(_("{u} không thuộc các xã của phương án.").format(u=unit.name))
    if role not in (PostingRole.CHIEF, PostingRole.DEPUTY, PostingRole.OFFICER):
        raise DomainError(_("Chức danh không hợp lệ: {r}").format(r=role))
    before = snapshot(assignment)
    officers = {o.key: o for o in loaded.problem.officers}
    places = {p.key: p for p in loaded.problem.places}
    officer = officers.get(assignment.officer_id)
    if officer is None:
        raise DomainError(_("Cán bộ không còn trong nguồn của phương án; hãy chạy lại."))
    priced = opt.cost_of(
        loaded.problem,
        [opt.Assignment(officer.key, unit.pk, opt.CHIEF if role == PostingRole.CHIEF else opt.OFFICER, 0, 0)],
    )[0]
    assignment.unit, assignment.role = unit, role
    assignment.km, assignment.cost, assignment.edited = priced.km, priced.cost, True
    assignment.reasons = reasons(loaded.problem, officer, places[unit.pk], priced, loaded.language_names)
    assignment.save()
    record_change(actor=actor, obj=assignment, action=ChangeLog.Action.UPDATE, before=before, message=_("Sửa tay"))
    _refresh_plan_figures(scenario, loaded)
    return assignment


def _refresh_plan_figures(scenario: PlanScenario, loaded: Loaded) -> None:
    plan = opt.cost_of(loaded.problem, plan_of(scenario))
    result = dict(scenario.result)
    compare = dict(result.get("compare", {}))
    compare["plan"] = opt.metrics(loaded.problem, plan)
    result["compare"] = compare
    result["edited"] = True
    scenario.result = result
    scenario.objective = opt.total_cost(plan)
    # A hand-edited plan is no longer the proven optimum; the bound still says how far it is.
    scenario.status = PlanStatus.OPTIMAL if scenario.objective <= (scenario.bound or 0) + 1e-6 else PlanStatus.FEASIBLE
    scenario.save(update_fields=["result", "objective", "status"])


def violations(scenario: PlanScenario, loaded: Loaded | None = None) -> list[opt.Violation]:
    loaded = loaded or load(scenario)
    return opt.check(loaded.problem, plan_of(scenario))


def _refuse_if_stale(assignments, live: dict) -> None:
    """A plan is decided against the postings of its run: if an officer has been posted elsewhere
    since (another decision, an import), approving would judge "changed or not" on stale data."""
    moved = []
    for a in assignments:
        posting = live.get(a.officer_id)
        now = (posting.unit_id, posting.role) if posting is not None else (None, "")
        if now != (a.current_unit_id, a.current_role or ""):
            moved.append(a.officer.full_name)
    if moved:
        raise DomainError(
            _(
                "Bố trí hiện tại của {n} cán bộ đã thay đổi sau khi tính phương án ({names}); hãy chạy lại "
                "phương án trước khi phê duyệt."
            ).format(n=len(moved), names=", ".join(sorted(moved)[:5]) + ("…" if len(moved) > 5 else ""))
        )


@transaction.atomic
def scenario_approve(
    *, actor: Any, scenario: PlanScenario, decision_number: str, decision_date: dt.date | None = None
) -> int:
    """Creates every posting of the plan in one transaction, under one decision number.

    Only officers whose unit or role changes get a new posting. Returns the postings made."""
    scenario = PlanScenario.objects.select_for_update().select_related("unit").get(pk=scenario.pk)
    policy.require_planner(actor, scenario.unit)
    if scenario.status not in SOLVED:
        raise DomainError(_("Chỉ phê duyệt được phương án đã tính xong."))
    number = decision_number.strip()
    if not number:
        raise DomainError(_("Nhập số quyết định."), fields={"decision_number": [_("Bắt buộc.")]})
    loaded = load(scenario)
    assignments = list(scenario.assignments.select_related("officer", "unit__unit_type", "current_unit"))
    # Stale first: a plan run on other postings breaks rules only because the facts moved.
    _refuse_if_stale(assignments, loaded.current)
    broken = opt.check(loaded.problem, plan_of(scenario))
    if broken:
        raise DomainError(
            _("Phương án vi phạm {n} quy định bắt buộc; hãy sửa hoặc chạy lại trước khi phê duyệt.").format(
                n=len(broken)
            )
        )
    changes = sorted((a for a in assignments if a.is_change), key=lambda a: a.officer_id)
    with levels.batch():  # each commune's staffing levels rebuilt once, after every posting of the plan
        _post_changes(actor, scenario, loaded.current, changes, number, decision_date)
    made = len(changes)
    before = snapshot(scenario)
    scenario.status = PlanStatus.APPROVED
    scenario.decision_number, scenario.decision_date = number, decision_date
    scenario.approved_at, scenario.approved_by = timezone.now(), actor if getattr(actor, "pk", None) else None
    result = dict(scenario.result)
    result["postings_made"] = made
    scenario.result = result
    scenario.save()
    record_change(actor=actor, obj=scenario, action=ChangeLog.Action.UPDATE, before=before, message=_("Phê duyệt"))
    return made


def _post_changes(actor, scenario: PlanScenario, current: dict, changes: list, number: str, decision_date) -> None:
    """Ends the open posting of every officer who changes, then starts each new posting.

    Two passes, so swaps work (chief of X to Y while Y's chief goes to X): first every changing
    posting ends the day before, then every new one starts; one open chief per unit throughout."""
    from cax.deployment.services import posting_create, posting_end

    reason = _("Phương án bố trí: {name}").format(name=scenario.name)
    for a in changes:
        posting = current.get(a.officer_id)
        if posting is None:
            continue
        if scenario.start_date <= posting.start_date:
            raise DomainError(
                _("{o}: ngày hiệu lực phải sau ngày bắt đầu quyết định hiện tại ({d:%d/%m/%Y}).").format(
                    o=a.officer.full_name, d=posting.start_date
                )
            )
        posting_end(
            actor=actor,
            posting=posting,
            end_date=scenario.start_date - dt.timedelta(days=1),
            end_reason=PostingEndReason.TRANSFER,
            decision_number=number,
            decision_date=decision_date,
            note=reason,
        )
    for a in changes:
        posting_create(
            actor=actor,
            officer=a.officer,
            unit=a.unit,
            role=a.role,
            start_date=scenario.start_date,
            decision_number=number,
            decision_date=decision_date,
            reason=reason,
        )
