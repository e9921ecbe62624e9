"""Posting plans end to end (#7): registry → run → reasons → hand edit → approval → dashboard."""

from __future__ import annotations

import datetime as dt

import pytest

from cax.core.exceptions import DomainError, NotVisible
from cax.core.models import ChangeLog
from cax.deployment import planning
from cax.deployment.models import PlanPool, PlanScenario, PlanStatus, Posting, PostingRole, StaffingNorm
from cax.deployment.selectors import staffing_summary
from cax.deployment.tests import factories as f
from cax.personnel.choices import InvestigatorGrade, Rank, SpecialityKind

ON = dt.date(2026, 1, 5)
INVESTIGATOR = [(SpecialityKind.INVESTIGATOR, InvestigatorGrade.INTERMEDIATE)]


def values(**overrides):
    base = {
        "name": "Phương án thử",
        "start_date": ON,
        "pool": PlanPool.UNPOSTED,
        "extra_over_target": 1,
        "chief_min_rank": Rank.SENIOR_LIEUTENANT,
        "chief_max_rank": Rank.LIEUTENANT_COLONEL,
        "chief_min_years": 5,
        "require_speaker": True,
        "hardship_max_km": 30,
        "keep_current": False,
        "forbid_home": False,
        "candidates": 0,
        "km_weight": 1,
        "hardship_km_weight": 3,
        "unused_skill_cost": 20,
        "missing_skill_cost": 20,
        "move_cost": 30,
        "chief_change_cost": 10,
        "tree_km_near": 15,
        "tree_km_mid": 60,
        "tree_km_far": 300,
        "time_limit": 60,
    }
    base.update(overrides)
    return base


@pytest.fixture
def small_norm(cast):
    """Norm of 3 with a chief and an investigator for the two test communes."""
    for unit in (cast.commune_a, cast.commune_b):
        StaffingNorm.objects.create(
            unit=unit, minimum=3, target=3, requires_chief=True, min_investigators=1, effective_from=dt.date(2025, 7, 1)
        )


def waiting(cast, count, **fields):
    """Officers of the province with no posting (awaiting one), home in commune_a."""
    fields.setdefault("service_start", dt.date(2010, 1, 1))
    fields.setdefault("home_unit", cast.commune_a)
    return [f.officer(cast.province_a, **fields) for _ in range(count)]


def create(cast, **overrides):
    return planning.scenario_create(
        actor=cast.province_staff,
        unit=cast.province_a,
        values=values(**overrides),
        target_units=[cast.commune_a, cast.commune_b],
    )


def run(scenario, django_capture_on_commit_callbacks, actor):
    with django_capture_on_commit_callbacks(execute=True):
        planning.scenario_start(actor=actor, scenario=scenario)
    return PlanScenario.objects.get(pk=scenario.pk)


@pytest.fixture
def pool(cast, small_norm):
    chiefs = waiting(cast, 2, rank=Rank.CAPTAIN)
    investigators = waiting(cast, 2, specialities=INVESTIGATOR)
    others = waiting(cast, 2)
    return chiefs + investigators + others


def test_plan_fills_every_commune_to_its_norm_and_says_why(cast, pool, django_capture_on_commit_callbacks):
    scenario = run(create(cast), django_capture_on_commit_callbacks, cast.province_staff)
    assert scenario.status == PlanStatus.OPTIMAL, scenario.result
    rows = list(scenario.assignments.all())
    assert len(rows) == 6
    for unit in (cast.commune_a, cast.commune_b):
        mine = [a for a in rows if a.unit_id == unit.pk]
        assert len(mine) == 3
        assert sum(a.role == PostingRole.CHIEF for a in mine) == 1
    assert all(a.reasons for a in rows)
    codes = {code for a in rows for code, _ in a.reasons}
    assert {"new", "chief", "investigator"} <= codes
    compare = scenario.result["compare"]
    assert compare["plan"]["below_minimum"] == 0
    assert compare["current"]["below_minimum"] == 2
    assert planning.violations(scenario) == []


def test_pool_too_small_is_explained_not_planned(cast, small_norm, django_capture_on_commit_callbacks):
    waiting(cast, 2, rank=Rank.CAPTAIN, specialities=INVESTIGATOR)
    scenario = run(create(cast), django_capture_on_commit_callbacks, cast.province_staff)
    assert scenario.status == PlanStatus.INFEASIBLE
    assert scenario.assignments.count() == 0
    assert {"code": "pool_too_small", "place": None, "detail": {"pool": 2, "needed": 6}} in scenario.result["findings"]


def test_missing_language_names_the_commune_and_language(cast, pool, django_capture_on_commit_callbacks):
    cast.commune_b.is_ethnic_minority = True
    cast.commune_b.local_languages = ["Xơ Đăng"]
    cast.commune_b.save()
    scenario = run(create(cast), django_capture_on_commit_callbacks, cast.province_staff)
    assert scenario.status == PlanStatus.INFEASIBLE
    finding = scenario.result["findings"][0]
    assert finding["code"] == "no_speaker"
    assert finding["place"] == cast.commune_b.pk
    assert finding["detail"]["languages"] == ["xo dang"] or finding["detail"]["languages"]


def test_approve_creates_the_postings_and_the_dashboard_follows(cast, pool, django_capture_on_commit_callbacks):
    scenario = run(create(cast), django_capture_on_commit_callbacks, cast.province_staff)
    before = staffing_summary(actor=None, unit=cast.province_a, as_of=ON)
    below = {u.unit_id for u in before.below_norm}
    assert {cast.commune_a.pk, cast.commune_b.pk} <= below
    made = planning.scenario_approve(
        actor=cast.province_staff, scenario=scenario, decision_number="15/QĐ-CAT", decision_date=ON
    )
    assert made == 6
    postings = Posting.objects.filter(decision_number="15/QĐ-CAT", start_date=ON)
    assert postings.count() == 6
    assert postings.filter(role=PostingRole.CHIEF).count() == 2
    after = staffing_summary(actor=None, unit=cast.province_a, as_of=ON)
    rows = {u.unit_id: u for u in after.units}
    assert rows[cast.commune_a.pk].head_count == 3
    assert rows[cast.commune_b.pk].head_count == 3
    assert not ({cast.commune_a.pk, cast.commune_b.pk} & {u.unit_id for u in after.below_norm})
    scenario.refresh_from_db()
    assert scenario.status == PlanStatus.APPROVED
    assert ChangeLog.objects.filter(message="Phê duyệt").exists()
    with pytest.raises(DomainError):
        planning.scenario_approve(actor=cast.province_staff, scenario=scenario, decision_number="16/QĐ")


def test_hand_edit_is_rechecked_and_blocks_approval(cast, pool, django_capture_on_commit_callbacks):
    scenario = run(create(cast), django_capture_on_commit_callbacks, cast.province_staff)
    chief = scenario.assignments.filter(role=PostingRole.CHIEF).first()
    planning.assignment_change(actor=cast.province_staff, assignment=chief, unit=chief.unit, role=PostingRole.OFFICER)
    scenario.refresh_from_db()
    broken = planning.violations(scenario)
    assert [v.code for v in broken] == ["chief_count"]
    assert scenario.result["edited"] is True
    with pytest.raises(DomainError, match="vi phạm"):
        planning.scenario_approve(actor=cast.province_staff, scenario=scenario, decision_number="1/QĐ")
    assert not Posting.objects.filter(decision_number="1/QĐ").exists()  # nothing half-made


def test_transfers_keep_one_chief_per_unit(cast, small_norm, django_capture_on_commit_callbacks):
    """Everyone in the two communes is in the pool: a sitting chief may hand over to another."""
    # The sitting chief of commune_a has hardship and lives in commune_b, beyond a 10 km limit.
    old_chief = f.posted(
        cast.commune_a,
        role=PostingRole.CHIEF,
        rank=Rank.CAPTAIN,
        home_unit=cast.commune_b,
        service_start=dt.date(2010, 1, 1),
        has_hardship=True,
    )
    for unit in (cast.commune_a, cast.commune_b):
        f.posted(unit, specialities=INVESTIGATOR, home_unit=unit)
        f.posted(unit, home_unit=unit)
    waiting(cast, 1, rank=Rank.CAPTAIN, home_unit=cast.commune_a)
    scenario = create(cast, pool=PlanPool.EVERYONE, hardship_max_km=10)
    scenario = run(scenario, django_capture_on_commit_callbacks, cast.province_staff)
    assert scenario.status == PlanStatus.OPTIMAL, scenario.result
    moved = scenario.assignments.get(officer=old_chief)
    assert moved.unit_id == cast.commune_b.pk
    planning.scenario_approve(actor=cast.province_staff, scenario=scenario, decision_number="2/QĐ", decision_date=ON)
    for unit in (cast.commune_a, cast.commune_b):
        assert Posting.objects.filter(unit=unit, role=PostingRole.CHIEF, end_date__isnull=True).count() == 1
    assert Posting.objects.filter(officer=old_chief, end_date=ON - dt.timedelta(days=1)).exists()


def test_outside_scope_cannot_plan(cast):
    with pytest.raises(NotVisible):
        planning.scenario_create(actor=cast.province_staff, unit=cast.province_b, values=values())
    with pytest.raises(DomainError):
        planning.scenario_create(actor=cast.commune_chief, unit=cast.commune_a, values=values())


def test_cancel_before_the_worker_starts(cast, pool):
    scenario = create(cast)
    scenario.status = PlanStatus.QUEUED
    scenario.heartbeat = None
    scenario.save()
    planning.scenario_cancel(actor=cast.province_staff, scenario=scenario)
    assert planning.run(scenario.pk).status == PlanStatus.CANCELLED


def test_a_plan_run_before_postings_changed_is_refused_at_approval(cast, pool, django_capture_on_commit_callbacks):
    """Someone in the plan was posted by another decision after the run: approve refuses and says so."""
    from cax.deployment.services import posting_create

    scenario = run(create(cast), django_capture_on_commit_callbacks, cast.province_staff)
    moved = scenario.assignments.select_related("officer").order_by("officer__full_name").first().officer
    posting_create(
        actor=cast.province_staff,
        officer=moved,
        unit=cast.commune_b,
        role=PostingRole.OFFICER,
        start_date=ON - dt.timedelta(days=3),
        decision_number="9/QĐ-KHAC",
    )
    with pytest.raises(DomainError, match="đã thay đổi sau khi tính phương án") as refused:
        planning.scenario_approve(actor=cast.province_staff, scenario=scenario, decision_number="17/QĐ")
    assert moved.full_name in refused.value.message
    assert not Posting.objects.filter(decision_number="17/QĐ").exists()


def test_approval_is_all_or_nothing(cast, pool, django_capture_on_commit_callbacks, monkeypatch):
    """A failure while creating the new postings leaves the ended ones open: one transaction."""
    from cax.deployment import services

    scenario = run(create(cast), django_capture_on_commit_callbacks, cast.province_staff)
    open_before = set(Posting.objects.filter(end_date__isnull=True).values_list("pk", flat=True))
    calls = {"n": 0}
    real = services.posting_create

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise DomainError("hỏng giữa chừng")
        return real(**kwargs)

    monkeypatch.setattr(services, "posting_create", failing)
    with pytest.raises(DomainError, match="hỏng giữa chừng"):
        planning.scenario_approve(actor=cast.province_staff, scenario=scenario, decision_number="18/QĐ")
    assert set(Posting.objects.filter(end_date__isnull=True).values_list("pk", flat=True)) == open_before
    assert not Posting.objects.filter(decision_number="18/QĐ").exists()
