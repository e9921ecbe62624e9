"""The pure optimizer (#7): hand-checked optimum, rules always kept, never worse than greedy,
infeasible inputs reported as infeasible with reasons, deterministic."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cax.deployment import optimizer as opt

# A line of three communes 10 km apart (coordinates on the equator: 0.0899° ≈ 10 km).
STEP = 0.0899322
GEO = opt.Geography(coordinates={1: (0.0, 0.0), 2: (0.0, STEP), 3: (0.0, 2 * STEP)})


def test_small_instance_with_optimum_known_by_hand():
    """Two communes need one officer each and commune 2 needs a Tày speaker and a chief.

    A (home 1) and B (home 2) could each stay home (0 km), but only A speaks Tày and only B may be
    chief. Commune 1 needs a chief too: C (home 1, eligible) is the only other eligible officer.
    Optimum by hand: A → 2 (10 km, speaker), B → 2 as chief (0 km), C → 1 as chief (0 km);
    cost 10 km + two chief appointments (10 each, nobody is a sitting chief) = 30."""
    settings_ = opt.Settings(unused_skill=0, missing_skill=0, move=0, chief_change=10)
    problem = opt.Problem(
        officers=(
            opt.Officer(1, home=1, languages=frozenset({"tay"})),
            opt.Officer(2, home=2, chief_eligible=True),
            opt.Officer(3, home=1, chief_eligible=True),
        ),
        places=(
            opt.Place(1, minimum=1, maximum=1),
            opt.Place(2, minimum=2, maximum=2, languages=frozenset({"tay"})),
        ),
        settings=settings_,
        geography=GEO,
    )
    result = opt.solve(problem)
    assert result.status == opt.Status.OPTIMAL
    plan = {(a.officer, a.place, a.role) for a in result.assignments}
    assert plan == {(1, 2, opt.OFFICER), (2, 2, opt.CHIEF), (3, 1, opt.CHIEF)}
    assert result.objective == pytest.approx(30.0, abs=0.01)
    assert result.bound == pytest.approx(30.0, abs=0.01)
    assert opt.check(problem, result.assignments) == []


def test_hardship_limit_and_home_rule_prune_pairs():
    problem = opt.Problem(
        officers=(opt.Officer(1, home=1, hardship=True), opt.Officer(2, home=3)),
        places=(opt.Place(1, 1, 1, needs_chief=False), opt.Place(3, 1, 1, needs_chief=False)),
        settings=opt.Settings(hardship_max_km=5, forbid_home=True),
        geography=GEO,
    )
    # Officer 1 may not go home (commune 1) and commune 3 is 20 km away, over the 5 km limit.
    result = opt.solve(problem)
    assert result.status == opt.Status.INFEASIBLE
    assert any(f.code == "officer_nowhere" for f in result.findings)


def test_tree_distance_when_there_are_no_coordinates():
    geo = opt.Geography(paths={10: (1, 5, 10), 11: (1, 5, 11), 20: (1, 6, 20), 30: (2, 7, 30)})
    s = opt.Settings(tree_km=(15, 60, 300))
    matrix = opt.distance_matrix([10], [10, 11, 20, 30], geo, s)
    assert matrix.tolist() == [[0.0, 15.0, 60.0, 300.0]]


def test_pool_too_small_names_the_numbers():
    problem = opt.Problem(
        officers=(opt.Officer(1, home=1),),
        places=(opt.Place(1, 1, 2, needs_chief=False), opt.Place(2, 2, 2, needs_chief=False)),
        geography=GEO,
    )
    result = opt.solve(problem)
    assert result.status == opt.Status.INFEASIBLE
    assert opt.Finding("pool_too_small", None, {"pool": 1, "needed": 3}) in result.findings
    assert result.assignments == []


def test_missing_language_speaker_is_named():
    problem = opt.Problem(
        officers=(opt.Officer(1, home=1), opt.Officer(2, home=2)),
        places=(
            opt.Place(1, 1, 1, needs_chief=False),
            opt.Place(2, 1, 1, needs_chief=False, languages=frozenset({"tay"})),
        ),
        geography=GEO,
    )
    result = opt.solve(problem)
    assert result.status == opt.Status.INFEASIBLE
    assert result.findings[0].code == "no_speaker"
    assert result.findings[0].place == 2


def test_competition_for_one_speaker_is_infeasible_not_a_plan():
    """Each commune alone can reach the one speaker; together they cannot both have him."""
    tay = frozenset({"tay"})
    problem = opt.Problem(
        officers=(opt.Officer(1, home=1, languages=tay), opt.Officer(2, home=2), opt.Officer(3, home=3)),
        places=tuple(
            opt.Place(k, 1, 2, needs_chief=False, languages=tay if k != 3 else frozenset()) for k in (1, 2, 3)
        ),
        geography=GEO,
    )
    result = opt.solve(problem)
    assert result.status == opt.Status.INFEASIBLE
    assert {f.code for f in result.findings} == {"too_few_speakers"}


def test_a_full_unit_that_lacks_an_investigator_is_named():
    """Filled to its maximum by officers outside the pool: nobody can come to bring what it lacks."""
    problem = opt.Problem(
        officers=(opt.Officer(1, home=1, investigator=True),),
        places=(
            opt.Place(1, 1, 3, needs_chief=False),
            opt.Place(2, 2, 2, needs_chief=False, min_investigators=1, kept=2),
        ),
        geography=GEO,
    )
    result = opt.solve(problem)
    assert result.status == opt.Status.INFEASIBLE
    assert result.findings == [opt.Finding("unit_full", 2, {"kept": 2, "maximum": 2, "needs": ["investigator"]})]


def test_keep_current_keeps_everyone_in_place():
    problem = opt.Problem(
        officers=(opt.Officer(1, home=3, current=1), opt.Officer(2, home=1, current=2)),
        places=(opt.Place(1, 1, 1, needs_chief=False), opt.Place(2, 1, 1, needs_chief=False)),
        settings=opt.Settings(keep_current=True),
        geography=GEO,
    )
    result = opt.solve(problem)
    assert {(a.officer, a.place) for a in result.assignments} == {(1, 1), (2, 2)}


def test_cancel_stops_the_run():
    problem = opt.Problem(
        officers=tuple(opt.Officer(k, home=1 + k % 3) for k in range(30)),
        places=tuple(opt.Place(k, 5, 15, needs_chief=False) for k in (1, 2, 3)),
        geography=GEO,
    )
    assert opt.solve(problem, should_stop=lambda: True).status in (opt.Status.CANCELLED, opt.Status.OPTIMAL)


# ---------------------------------------------------------------------------------------------
# Properties over random small worlds

LANGS = ["tay", "thai", "xodang"]


@st.composite
def problems(draw):
    m = draw(st.integers(1, 5))
    coords = {k: (draw(st.floats(0, 0.5)), draw(st.floats(0, 0.5))) for k in range(1, m + 1)}
    places = []
    for k in range(1, m + 1):
        lo = draw(st.integers(0, 3))
        hi = lo + draw(st.integers(0, 3))
        places.append(
            opt.Place(
                k,
                lo,
                hi,
                needs_chief=draw(st.booleans()),
                min_investigators=draw(st.integers(0, 1)),
                languages=frozenset(draw(st.lists(st.sampled_from(LANGS), max_size=1))),
            )
        )
    n = draw(st.integers(0, 14))
    officers = []
    for key in range(1, n + 1):
        current = draw(st.one_of(st.none(), st.integers(1, m)))
        officers.append(
            opt.Officer(
                key,
                home=draw(st.one_of(st.none(), st.integers(1, m))),
                current=current,
                current_chief=current is not None and draw(st.booleans()),
                chief_eligible=draw(st.booleans()),
                investigator=draw(st.booleans()),
                languages=frozenset(draw(st.lists(st.sampled_from(LANGS), max_size=2))),
                hardship=draw(st.booleans()),
            )
        )
    s = opt.Settings(
        hardship_max_km=draw(st.sampled_from([None, 10.0, 40.0])),
        forbid_home=draw(st.booleans()),
        keep_current=draw(st.booleans()),
        move=draw(st.sampled_from([0.0, 30.0])),
        candidates=draw(st.sampled_from([0, 2])),
    )
    return opt.Problem(tuple(officers), tuple(places), s, opt.Geography(coordinates=coords))


def _brute_force_feasible(problem: opt.Problem) -> bool:
    """Exhaustive search over units and chief roles for tiny worlds (≤ 6 officers)."""
    import itertools

    choices = [(p.key, role) for p in problem.places for role in (opt.OFFICER, opt.CHIEF)]
    for combo in itertools.product(choices, repeat=len(problem.officers)):
        plan = [
            opt.Assignment(o.key, place, role, 0, 0) for o, (place, role) in zip(problem.officers, combo, strict=False)
        ]
        if not opt.check(problem, opt.cost_of(problem, plan)):
            return True
    return False


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_plan_keeps_every_hard_rule_and_beats_greedy(problem):
    result = opt.solve(problem)
    assert result.status in (opt.Status.OPTIMAL, opt.Status.FEASIBLE, opt.Status.INFEASIBLE)
    if result.status == opt.Status.INFEASIBLE:
        assert result.assignments == []
        assert result.findings
        return
    assert opt.check(problem, result.assignments) == []
    assert result.objective == pytest.approx(opt.total_cost(opt.cost_of(problem, result.assignments)), abs=1e-3)
    greedy = opt.greedy(problem)
    if not opt.check(problem, greedy):
        assert result.objective <= opt.total_cost(greedy) + 1e-6
    assert result.bound <= result.objective + 1e-6


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems().filter(lambda p: len(p.officers) <= 5 and len(p.places) <= 3 and p.settings.candidates == 0))
def test_infeasible_exactly_when_no_plan_exists(problem):
    result = opt.solve(problem)
    assert (result.status == opt.Status.INFEASIBLE) == (not _brute_force_feasible(problem))


@settings(max_examples=30, deadline=None)
@given(problems())
def test_same_input_same_plan(problem):
    first, second = opt.solve(problem), opt.solve(problem)
    assert first.status == second.status
    assert first.assignments == second.assignments
