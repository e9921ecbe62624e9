"""The posting planner's optimizer: pure Python + NumPy + HiGHS, no Django (issue #7).

The problem: put every officer of the pool in one unit so that each unit ends between its minimum
and maximum head count, has exactly one chief chosen among the eligible, its investigators and,
in an ethnic-minority unit, a speaker of a local language; hardship officers stay within a
distance of home; and the total cost (distance, skills left unused or missing, moves, chief
changes) is least.

As a 0/1 program each pair (officer, unit) is a column, plus a "chief" column for each eligible
pair. Its LP relaxation is a transportation problem with a few cover rows and came out integral
on every instance measured (docs/decisions/0005), so the solver:

1. prices the pairs in columns, starting from each officer's nearest few units, and lets HiGHS's
   simplex add the pairs whose reduced cost is negative until none is left (column generation):
   the LP optimum over all pairs, a lower bound on any plan;
2. if that optimum is integral it is the plan, proven optimal;
3. otherwise HiGHS's branch and bound runs over the generated columns; the plan is reported
   with its gap to the LP bound (usually none).

Artificial columns with a large cost keep the restricted LP feasible while pairs are added;
one left in the final optimum means there is no plan, and ``diagnose`` says why in terms a
personnel department can act on.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # for the annotation only: the functions that solve import highspy themselves
    import highspy

CHIEF, OFFICER = "chief", "officer"
_EPS = 1e-6


@dataclass(frozen=True)
class Officer:
    """An officer in the pool. ``current`` is the unit they serve in now (if it is to be planned)."""

    key: int
    home: int | None = None
    current: int | None = None
    current_chief: bool = False
    chief_eligible: bool = False
    investigator: bool = False
    languages: frozenset[str] = frozenset()
    hardship: bool = False


@dataclass(frozen=True)
class Place:
    """A unit to fill. ``kept_*`` describe officers outside the pool who stay there."""

    key: int
    minimum: int
    maximum: int
    needs_chief: bool = True
    min_investigators: int = 0
    languages: frozenset[str] = frozenset()
    kept: int = 0
    kept_chief: bool = False
    kept_investigators: int = 0
    kept_speaker: bool = False

    @property
    def chief_open(self) -> bool:
        return self.needs_chief and not self.kept_chief

    @property
    def investigators_needed(self) -> int:
        return max(0, self.min_investigators - self.kept_investigators)

    @property
    def speaker_needed(self) -> bool:
        return bool(self.languages) and not self.kept_speaker


@dataclass(frozen=True)
class Settings:
    """Weights (cost units: one km of an ordinary officer's distance = 1) and the optional rules."""

    km_weight: float = 1.0
    hardship_km_weight: float = 3.0
    unused_skill: float = 20.0
    missing_skill: float = 20.0
    move: float = 30.0
    chief_change: float = 10.0
    hardship_max_km: float | None = None
    forbid_home: bool = False
    keep_current: bool = False
    candidates: int = 0  # nearest units considered per officer; 0 = all
    # Distance when either end has no coordinates, by how far up the unit tree the two meet:
    # one level (same district, or same province where there are no districts), two, farther.
    tree_km: tuple[float, float, float] = (15.0, 60.0, 300.0)
    time_limit: float = 600.0


@dataclass(frozen=True)
class Geography:
    """Where units are: coordinates when known, and each unit's ancestors (root first, itself last)."""

    coordinates: dict[int, tuple[float, float]] = field(default_factory=dict)
    paths: dict[int, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    officers: tuple[Officer, ...]
    places: tuple[Place, ...]
    settings: Settings = Settings()
    geography: Geography = Geography()


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a plan, with a gap to the bound
    INFEASIBLE = "infeasible"
    CANCELLED = "cancelled"
    TIME_LIMIT = "time_limit"  # stopped with no plan


@dataclass(frozen=True)
class Assignment:
    officer: int
    place: int
    role: str
    km: float
    cost: float


@dataclass(frozen=True)
class Finding:
    """One reason a plan is impossible, and what would make it possible (rendered by the caller)."""

    code: str
    place: int | None = None
    detail: dict = field(default_factory=dict)


@dataclass
class Result:
    status: Status
    assignments: list[Assignment] = field(default_factory=list)
    objective: float | None = None
    bound: float | None = None
    findings: list[Finding] = field(default_factory=list)
    solver_seconds: float = 0.0
    total_seconds: float = 0.0
    columns: int = 0
    rounds: int = 0
    message: str = ""
    groups: int = 0  # of interchangeable officers: the LP's officer rows
    fractional: int = 0  # pairs with a fractional value in the LP optimum (0: the LP was the plan)
    gap_reason: str = ""  # why a plan is not proven optimal: "time_limit" (the proof ran out of time)

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, self.objective - self.bound) / max(1.0, abs(self.objective))


Progress = Callable[[float, str], None]
StopCheck = Callable[[], bool]


# --------------------------------------------------------------------------------------------
# Distances and candidate pairs (vectorised: a national run has 120,000 officers)


def _haversine(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = (np.radians(v) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def distance_matrix(origins: list[int], places: list[int], geography: Geography, settings: Settings) -> np.ndarray:
    """km from each origin unit to each place: great-circle where both have coordinates, else by
    how far up the unit tree they meet (settings.tree_km)."""
    coords = geography.coordinates
    out = np.zeros((len(origins), len(places)))
    if not origins or not places:
        return out
    known_o = np.array([u in coords for u in origins])
    known_p = np.array([u in coords for u in places])
    # The tree only where an end has no coordinates: rows of unknown origins, columns of unknown places.
    unknown_o, unknown_p = np.nonzero(~known_o)[0], np.nonzero(~known_p)[0]
    if len(unknown_o):
        out[unknown_o] = _tree_km([origins[i] for i in unknown_o], places, geography, settings)
    if len(unknown_p):
        out[:, unknown_p] = _tree_km(origins, [places[i] for i in unknown_p], geography, settings)
    if known_o.any() and known_p.any():
        oi, pi = np.nonzero(known_o)[0], np.nonzero(known_p)[0]
        lat_o = np.array([coords[origins[i]][0] for i in oi])
        lon_o = np.array([coords[origins[i]][1] for i in oi])
        lat_p = np.array([coords[places[i]][0] for i in pi])
        lon_p = np.array([coords[places[i]][1] for i in pi])
        for start in range(0, len(oi), 2000):
            rows = oi[start : start + 2000]
            out[np.ix_(rows, pi)] = _haversine(
                lat_o[start : start + 2000, None], lon_o[start : start + 2000, None], lat_p[None, :], lon_p[None, :]
            )
    return np.round(out, 1)


def _tree_km(origins: list[int], places: list[int], geography: Geography, settings: Settings) -> np.ndarray:
    """km by how far up the unit tree each origin and place meet (settings.tree_km)."""
    out = np.zeros((len(origins), len(places)))
    if not origins or not places:
        return out
    depth = max(len(geography.paths.get(u, (u,))) for u in [*origins, *places])
    anc_o = np.full((len(origins), depth), -1, dtype=np.int64)
    anc_p = np.full((len(places), depth), -2, dtype=np.int64)
    for row, unit in enumerate(origins):
        path = geography.paths.get(unit, (unit,))
        anc_o[row, : len(path)] = path
    for row, unit in enumerate(places):
        path = geography.paths.get(unit, (unit,))
        anc_p[row, : len(path)] = path
    len_p = np.array([len(geography.paths.get(u, (u,))) for u in places])
    near, mid, far = settings.tree_km
    for start in range(0, len(origins), 2000):
        block = anc_o[start : start + 2000]
        same = np.cumprod(block[:, None, :] == anc_p[None, :, :], axis=2).sum(axis=2)  # shared prefix length
        steps = len_p[None, :] - same  # levels from the place up to where the two meet
        out[start : start + 2000] = np.select([steps <= 0, steps == 1, steps == 2], [0.0, near, mid], far)
    return out


@dataclass
class _Model:
    """The candidate pairs as parallel arrays, one entry per column (plain and chief).

    Officers who cost the same in every unit and count in the same rows (same origin, home,
    current unit and role, hardship, chief eligibility, investigator, languages) are one *group*:
    a column is a pair (group, place) whose value is how many of the group go there. At national
    scale 120,000 officers make about 30,000 groups, and the LP shrinks by as much."""

    group: np.ndarray  # index into the groups (``members``)
    place: np.ndarray  # index into problem.places
    chief: np.ndarray  # bool: the chief column of the pair
    investigator: np.ndarray  # bool
    speaker: np.ndarray  # bool: speaks a local language of the place
    km: np.ndarray
    cost: np.ndarray  # per officer sent
    rank: np.ndarray  # the place's rank among the group's candidates, nearest first
    upper: np.ndarray  # most officers the column may take: the group's size (one for a chief)
    row_lower: np.ndarray
    row_upper: np.ndarray
    n: int  # groups
    m: int
    size: np.ndarray  # officers per group
    members: np.ndarray  # officer indices (into problem.officers), grouped, each group in index order
    member_start: np.ndarray  # where each group's officers begin in ``members`` (n + 1 entries)
    officer_group: np.ndarray  # the group of each officer

    def members_of(self, g: int) -> np.ndarray:
        return self.members[self.member_start[g] : self.member_start[g + 1]]


def _language_masks(officers, places) -> tuple[np.ndarray, np.ndarray]:
    names = sorted({lang for p in places for lang in p.languages})
    bit = {name: i for i, name in enumerate(names)}
    words = max(1, math.ceil(len(names) / 64))
    o_mask = np.zeros((len(officers), words), dtype=np.uint64)
    p_mask = np.zeros((len(places), words), dtype=np.uint64)
    for masks, items in ((o_mask, officers), (p_mask, places)):
        for row, item in enumerate(items):
            for lang in item.languages:
                if lang in bit:
                    masks[row, bit[lang] // 64] |= np.uint64(1) << np.uint64(bit[lang] % 64)
    return o_mask, p_mask


def origin_of(officer: Officer) -> int | None:
    """Distances run from home; without a known home, from the current unit."""
    return officer.home if officer.home is not None else officer.current


@dataclass(frozen=True)
class _Pool:
    """The officers' attributes as arrays, one entry per officer, for pricing every pair at once."""

    origin: np.ndarray  # row of the distance matrix, -1 without a known place
    home: np.ndarray  # unit key, -1 unknown
    current: np.ndarray  # index into problem.places, -1 when not serving in a planned unit
    hardship: np.ndarray
    eligible: np.ndarray
    investigator: np.ndarray
    current_chief: np.ndarray
    has_language: np.ndarray


def _pool(officers, place_index: dict[int, int], origin_index: dict[int, int]) -> _Pool:
    return _Pool(
        origin=np.array(
            [origin_index.get(k, -1) if (k := origin_of(o)) is not None else -1 for o in officers], dtype=np.int64
        ),
        home=np.array([o.home if o.home is not None else -1 for o in officers], dtype=np.int64),
        current=np.array([place_index.get(o.current, -1) if o.current is not None else -1 for o in officers]),
        hardship=np.array([o.hardship for o in officers], dtype=bool),
        eligible=np.array([o.chief_eligible for o in officers], dtype=bool),
        investigator=np.array([o.investigator for o in officers], dtype=bool),
        current_chief=np.array([o.current_chief for o in officers], dtype=bool),
        has_language=np.array([bool(o.languages) for o in officers], dtype=bool),
    )


def _groups(pool: _Pool, o_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each officer's group and one representative officer per group (the first by index).

    The key is everything a pair's cost and rows read of the officer; two officers with the same
    key are interchangeable in every plan."""
    planned_chief = pool.current_chief & (pool.current >= 0)
    key = np.column_stack(
        [
            pool.origin,
            pool.home,
            pool.current,
            pool.hardship,
            pool.eligible,
            pool.investigator,
            planned_chief,
            pool.has_language,
            o_mask.view(np.int64),
        ]
    ).astype(np.int64)
    if not len(key):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # Equal keys side by side (a stable sort: each run starts with its lowest officer index); a
    # lexsort of the columns is ten times faster than np.unique over rows.
    order = np.lexsort(key.T[::-1])
    ordered = key[order]
    starts = np.concatenate([[0], np.nonzero((ordered[1:] != ordered[:-1]).any(axis=1))[0] + 1])
    first = order[starts]
    # Groups numbered by their first officer: the model follows the pool's order, not the sort's.
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    run_starts_here = np.zeros(len(order), dtype=np.int64)
    run_starts_here[starts] = 1
    run_of_position = np.cumsum(run_starts_here) - 1
    officer_group = np.empty(len(order), dtype=np.int64)
    officer_group[order] = rank[run_of_position]
    return officer_group, np.sort(first)


def _subpool(pool: _Pool, rows: np.ndarray) -> _Pool:
    return _Pool(**{name: getattr(pool, name)[rows] for name in pool.__dataclass_fields__})


def build(problem: Problem) -> _Model:
    """Every allowed pair of a group and a place with its cost; the hard rules that concern one
    pair prune it here."""
    s = problem.settings
    officers, places = problem.officers, problem.places
    m = len(places)
    place_keys = [p.key for p in places]
    origins = sorted({o for o in map(origin_of, officers) if o is not None})
    dist = distance_matrix(origins, place_keys, problem.geography, s)
    if not len(dist):
        dist = np.zeros((1, m))  # nobody has a known place: every distance is unknown (0)
    everyone = _pool(officers, {key: j for j, key in enumerate(place_keys)}, {u: i for i, u in enumerate(origins)})
    o_mask, p_mask = _language_masks(officers, places)
    officer_group, representative = _groups(everyone, o_mask)
    n = len(representative)
    size = np.bincount(officer_group, minlength=n)
    members = np.argsort(officer_group, kind="stable")
    pool = _subpool(everyone, representative)
    g_idx, p_idx, km, rank = _candidate_pairs(pool, dist, np.array(place_keys, dtype=np.int64), s)
    speaks = (o_mask[representative[g_idx]] & p_mask[p_idx]).any(axis=1) if len(g_idx) else np.zeros(0, dtype=bool)
    plain_cost, chief_cols, chief_cost = _pair_costs(pool, places, g_idx, p_idx, km, speaks, s)

    def with_chief_columns(values: np.ndarray) -> np.ndarray:
        return np.concatenate([values, values[chief_cols]])

    row_lower, row_upper = _row_bounds(places, size)
    groups = with_chief_columns(g_idx)
    chief = np.concatenate([np.zeros(len(g_idx), dtype=bool), np.ones(len(chief_cols), dtype=bool)])
    return _Model(
        group=groups,
        place=with_chief_columns(p_idx),
        chief=chief,
        investigator=pool.investigator[groups],
        speaker=with_chief_columns(speaks),
        km=with_chief_columns(km),
        cost=np.round(np.concatenate([plain_cost, chief_cost]), 3),
        rank=with_chief_columns(rank),
        upper=np.where(chief, 1.0, size[groups].astype(float)),
        row_lower=row_lower,
        row_upper=row_upper,
        n=n,
        m=m,
        size=size,
        members=members,
        member_start=np.concatenate([[0], np.cumsum(size)]),
        officer_group=officer_group,
    )


def _nearest_units(dist: np.ndarray, k: int) -> np.ndarray:
    """Per origin row (and a last row for officers without a known place), the k nearest places,
    nearest first.

    Officers share their origins (a home is a unit), so the K nearest units are found once per
    origin, not once per officer: 3,321 rows instead of 120,000 at national scale. The last row,
    all zeros, serves officers without a known place (every unit equally near)."""
    m = dist.shape[1]
    origin_rows = np.vstack([dist, np.zeros((1, m))])
    if k < m:
        # The k nearest without sorting whole rows; ties at the k-th distance are cut by key.
        part = np.argpartition(origin_rows, k - 1, axis=1)[:, :k]
        order_in_part = np.argsort(np.take_along_axis(origin_rows, part, 1), axis=1, kind="stable")
        return np.take_along_axis(part, order_in_part, 1)
    return np.argsort(origin_rows, axis=1, kind="stable")


def _candidate_pairs(pool: _Pool, dist: np.ndarray, place_key_arr: np.ndarray, s: Settings):
    """The pairs (officer, place) worth a column, with their km and the place's rank among the
    officer's candidates, sorted by officer then distance: each officer's nearest ``s.candidates``
    units and their current one, less the pairs a hard rule of one pair forbids."""
    n, m = len(pool.origin), dist.shape[1]
    k = s.candidates if s.candidates and s.candidates < m else m
    nearest_of_origin = _nearest_units(dist, k)
    origin, current = pool.origin, pool.current
    origin_row = np.where(origin >= 0, origin, len(nearest_of_origin) - 1)
    parts = []
    for start in range(0, n, 20000):
        idx = np.arange(start, min(n, start + 20000))
        cand = nearest_of_origin[origin_row[idx]]
        # The current unit is always a candidate: staying put must be possible. Added only where
        # it is not among the nearest, so every pair is listed once without a sort to deduplicate.
        cur = current[idx]
        extra = (cur >= 0) & ~(cand == cur[:, None]).any(axis=1)
        o_idx = np.concatenate([np.repeat(idx, cand.shape[1]), idx[extra]])
        p_idx = np.concatenate([cand.ravel(), cur[extra]])
        km = np.where(origin[o_idx] >= 0, dist[np.maximum(origin[o_idx], 0), p_idx], 0.0)
        keep = np.ones(len(o_idx), dtype=bool)
        if s.hardship_max_km is not None:
            keep &= ~(pool.hardship[o_idx] & (origin[o_idx] >= 0) & (km > s.hardship_max_km))
        if s.forbid_home:
            keep &= pool.home[o_idx] != place_key_arr[p_idx]
        if s.keep_current:
            keep &= (current[o_idx] < 0) | (current[o_idx] == p_idx)
        o_idx, p_idx, km = o_idx[keep], p_idx[keep], km[keep]
        order = np.lexsort((p_idx, km, o_idx))
        o_idx, p_idx, km = o_idx[order], p_idx[order], km[order]
        rank = np.arange(len(o_idx)) - np.searchsorted(o_idx, o_idx, side="left")
        parts.append((o_idx, p_idx, km, rank))
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64)
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(4))


def _pair_costs(pool: _Pool, places, o_idx, p_idx, km, speaks, s: Settings):
    """Each pair's cost as a plain officer, the pairs that may also be the chief, and their cost as
    chief: distance, moves, languages unused or missing, chief changes."""
    current = pool.current
    needs_speaker = np.array([bool(p.languages) for p in places], dtype=bool)
    chief_open = np.array([p.chief_open for p in places], dtype=bool)
    weight = np.where(pool.hardship[o_idx], s.hardship_km_weight, s.km_weight)
    moved = (current[o_idx] >= 0) & (current[o_idx] != p_idx)
    base = (
        km * weight
        + np.where(moved, s.move, 0.0)
        + np.where(pool.has_language[o_idx] & ~speaks, s.unused_skill, 0.0)
        + np.where(needs_speaker[p_idx] & ~speaks, s.missing_skill, 0.0)
    )
    stays_chief = pool.current_chief[o_idx] & (current[o_idx] == p_idx)
    # A sitting chief who stays but hands over the post is a change too.
    plain_cost = base + np.where(stays_chief & chief_open[p_idx], s.chief_change, 0.0)
    chief_cols = np.nonzero(pool.eligible[o_idx] & chief_open[p_idx])[0]
    chief_cost = base[chief_cols] + np.where(stays_chief[chief_cols], 0.0, s.chief_change)
    return plain_cost, chief_cols, chief_cost


def _row_bounds(places, size: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of the rows: each group's officers all placed, each place's head count, its chief,
    investigators and speakers (the row blocks ``_column_rows`` fills)."""
    m = len(places)
    lower, upper = [size.astype(float)], [size.astype(float)]
    lower.append(np.array([max(0, p.minimum - p.kept) for p in places], dtype=float))
    upper.append(np.array([max(0, p.maximum - p.kept) for p in places], dtype=float))
    lower.append(np.array([1.0 if p.chief_open else 0.0 for p in places]))
    upper.append(np.array([1.0 if p.chief_open else 0.0 for p in places]))
    lower.append(np.array([float(p.investigators_needed) for p in places]))
    upper.append(np.full(m, np.inf))
    lower.append(np.array([1.0 if p.speaker_needed else 0.0 for p in places]))
    upper.append(np.full(m, np.inf))
    return np.concatenate(lower), np.concatenate(upper)


# Row blocks: groups [0, n), head count [n, n+m), chief, investigators, speakers.
def _column_rows(model: _Model, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    n, m = model.n, model.m
    p = model.place[cols]
    rows = np.stack(
        [
            model.group[cols],
            n + p,
            np.where(model.chief[cols], n + m + p, -1),
            np.where(model.investigator[cols], n + 2 * m + p, -1),
            np.where(model.speaker[cols], n + 3 * m + p, -1),
        ],
        axis=1,
    )
    mask = rows >= 0
    counts = mask.sum(axis=1)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int32)
    return starts, rows[mask].astype(np.int32), int(counts.sum())


def _reduced_costs(model: _Model, duals: np.ndarray) -> np.ndarray:
    n, m, p = model.n, model.m, model.place
    return (
        model.cost
        - duals[model.group]
        - duals[n + p]
        - np.where(model.chief, duals[n + m + p], 0.0)
        - np.where(model.investigator, duals[n + 2 * m + p], 0.0)
        - np.where(model.speaker, duals[n + 3 * m + p], 0.0)
    )


# --------------------------------------------------------------------------------------------
# Solving


def solve(
    problem: Problem,
    *,
    model: _Model | None = None,
    progress: Progress | None = None,
    should_stop: StopCheck | None = None,
    initial_candidates: int = 4,
) -> Result:
    """The least-cost plan, or INFEASIBLE with findings. Same input, same output.

    ``model``: the pairs ``build`` made, when the caller needs them too (the time is then theirs)."""
    started = time.perf_counter()
    report = progress or (lambda fraction, text: None)
    stop = should_stop or (lambda: False)
    report(0.05, "build")
    model = model if model is not None else build(problem)
    findings = diagnose(problem, model)
    if findings:
        return Result(Status.INFEASIBLE, findings=findings, total_seconds=time.perf_counter() - started)
    report(0.15, "solve")
    result = _solve_model(problem, model, report, stop, initial_candidates, should_stop_given=should_stop is not None)
    result.total_seconds = time.perf_counter() - started
    return result


@dataclass
class _Run:
    """One HiGHS model under solution and the figures every outcome reports."""

    h: highspy.Highs
    artificials: int  # the first columns of the model, before the real pairs
    in_model: np.ndarray  # bool per pair: its column has been added
    order: list[np.ndarray] = field(default_factory=list)  # the pairs' indices, in the order of their columns
    interrupted: bool = False
    interrupt: Callable | None = None  # the cancel check, for the rounding's MIPs too
    fractional: int = 0
    gap_reason: str = ""
    solver_seconds: float = 0.0
    rounds: int = 0

    def run(self) -> None:
        tick = time.perf_counter()
        self.h.run()
        self.solver_seconds += time.perf_counter() - tick

    def add_pairs(self, model: _Model, chosen: np.ndarray) -> None:
        """Adds the columns of these pairs (0 ≤ x ≤ the group's size, one entry in each row the
        pair counts in)."""
        starts, index, nnz = _column_rows(model, chosen)
        self.h.addCols(
            len(chosen),
            model.cost[chosen],
            np.zeros(len(chosen)),
            model.upper[chosen],
            nnz,
            starts,
            index,
            np.ones(nnz),
        )
        self.in_model[chosen] = True
        self.order.append(chosen)


def _solve_model(
    problem, model: _Model, report: Progress, stop: StopCheck, initial_candidates: int, *, should_stop_given: bool
) -> Result:
    """Column generation to the LP optimum over every allowed pair; when that optimum is
    fractional, a bounded rounding whose proof is the LP bound (``_round``)."""
    run = _start_highs(problem, model, stop, should_stop_given)
    stopped = _generate_columns(run, model, report, initial_candidates)
    if stopped is not None:
        return stopped
    columns = np.concatenate(run.order)
    solution = run.h.getSolution()
    values = np.asarray(solution.col_value)
    artificial, x = values[: run.artificials], values[run.artificials :]
    bound = float(run.h.getInfo().objective_function_value)
    if artificial.sum() > _EPS:
        # The LP over every allowed pair still needs an artificial column: there is no plan.
        return Result(
            Status.INFEASIBLE,
            findings=_explain_artificial(problem, artificial, model.m) or [Finding("no_plan")],
            bound=None,
            solver_seconds=run.solver_seconds,
            columns=len(columns),
            rounds=run.rounds,
        )
    status = Status.OPTIMAL
    run.fractional = int((np.abs(x - np.rint(x)) > _EPS).sum())
    if run.fractional:
        report(0.85, "branch")
        outcome = _round(run, model, columns, x, bound, np.asarray(solution.row_dual), problem.settings.time_limit)
        if isinstance(outcome, Result):
            return outcome
        columns, x, status, bound = outcome
    counts = np.rint(x)
    used = counts > 0
    columns, counts = columns[used], counts[used]
    objective = round(float((model.cost[columns] * counts).sum()), 3)
    if objective - bound <= _EPS * max(1.0, objective):
        status = Status.OPTIMAL
    report(0.9, "done")
    return Result(
        status,
        assignments=_assignments(problem, model, columns, counts),
        objective=objective,
        bound=round(min(bound, objective), 3),
        solver_seconds=run.solver_seconds,
        columns=int(run.in_model.sum()),
        rounds=run.rounds,
        groups=model.n,
        fractional=run.fractional,
        gap_reason="" if status == Status.OPTIMAL else (run.gap_reason or "time_limit"),
    )


def _round(run: _Run, model: _Model, columns, x, lp_bound: float, duals, time_limit: float):
    """An integer plan from a fractional LP optimum, proven optimal or with its gap.

    1. A first plan: the groups whose columns are all integral keep their LP values; the few
       groups with a fractional column are placed again by a small MIP over all their pairs,
       into what room the others leave. Its cost is an upper bound (UB).
    2. The proof: for any plan x, cost(x) ≥ LP bound + d_j·x_j for each pair j at zero in the LP
       (d_j its reduced cost), so a pair with d_j > UB − LP bound is in no plan cheaper than UB.
       A MIP over the pairs with d_j ≤ UB − LP bound is then the whole problem: its optimum is
       the optimum, and its dual bound a bound on every plan.

    Returns (columns, values, status, bound), or the Result when no plan came out."""
    first = _first_plan(run, model, columns, x, time_limit)
    if run.interrupted:
        return Result(Status.CANCELLED, solver_seconds=run.solver_seconds, rounds=run.rounds)
    if first is None:  # the few groups found no room the others left: branch over every pair
        outcome = _branch_and_bound(run, columns, lp_bound)
        if isinstance(outcome, Result):
            return outcome
        values, status = outcome
        if status == Status.OPTIMAL:
            lp_bound = max(lp_bound, float(run.h.getInfo().mip_dual_bound))
        return columns, values, status, lp_bound
    plan_columns, plan_counts, upper_bound = first
    gap = upper_bound - lp_bound
    if gap <= _EPS * max(1.0, abs(upper_bound)):
        return plan_columns, plan_counts, Status.OPTIMAL, lp_bound
    reduced = _reduced_costs(model, duals)
    candidates = np.union1d(np.nonzero(reduced <= gap + _EPS)[0], plan_columns)
    start = np.zeros(len(candidates))
    start[np.searchsorted(candidates, plan_columns)] = plan_counts
    outcome = _mip(run, model, candidates, model.row_lower, model.row_upper, time_limit, start=start)
    if run.interrupted:
        return Result(Status.CANCELLED, solver_seconds=run.solver_seconds, rounds=run.rounds)
    if outcome is None or outcome[1] >= upper_bound:
        bound = lp_bound if outcome is None else max(lp_bound, min(upper_bound, outcome[2]))
        return plan_columns, plan_counts, Status.FEASIBLE, bound
    counts, objective, dual_bound, optimal = outcome
    status = Status.OPTIMAL if optimal else Status.FEASIBLE
    return candidates, counts, status, max(lp_bound, objective if optimal else dual_bound)


def _first_plan(run: _Run, model: _Model, columns, x, time_limit: float):
    """Step 1 of ``_round``: (columns, counts, cost), or None when the small MIP finds no plan."""
    fractional = np.abs(x - np.rint(x)) > _EPS
    again = np.zeros(model.n, dtype=bool)
    again[model.group[columns[fractional]]] = True
    kept = ~again[model.group[columns]] & (np.rint(x) > 0)
    kept_columns, kept_counts = columns[kept], np.rint(x[kept])
    starts, index, nnz = _column_rows(model, kept_columns)
    activity = np.bincount(
        index, weights=np.repeat(kept_counts, np.diff(np.append(starts, nnz))), minlength=len(model.row_lower)
    )
    free = np.nonzero(again[model.group])[0]
    outcome = _mip(run, model, free, model.row_lower - activity, model.row_upper - activity, time_limit)
    if outcome is None:
        return None
    counts = outcome[0]
    used = counts > 0.5
    plan_columns = np.concatenate([kept_columns, free[used]])
    plan_counts = np.concatenate([kept_counts, counts[used]])
    order = np.argsort(plan_columns)
    return plan_columns[order], plan_counts[order], float((model.cost[plan_columns] * plan_counts).sum())


def _mip(run: _Run, model: _Model, cols, row_lower, row_upper, time_limit: float, start=None):
    """A MIP over these pairs alone, every row kept: (counts, objective, dual bound, proven), or
    None when it has no feasible point (or the run was cancelled or ran out of time)."""
    import highspy

    h = _highs(time_limit)
    h.setOptionValue("presolve", "on")  # most rows are empty here: presolve drops them at once
    h.setOptionValue("mip_rel_gap", 0.0)  # proven optimal means optimal, not within 0.01%
    if run.interrupt is not None:
        h.HandleUserInterrupt = False
        h.cbMipInterrupt += run.interrupt
    nrow = len(row_lower)
    h.addRows(nrow, row_lower, row_upper, 0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
    starts, index, nnz = _column_rows(model, cols)
    h.addCols(len(cols), model.cost[cols], np.zeros(len(cols)), model.upper[cols], nnz, starts, index, np.ones(nnz))
    h.changeColsIntegrality(
        len(cols), np.arange(len(cols), dtype=np.int32), np.full(len(cols), highspy.HighsVarType.kInteger)
    )
    if start is not None:
        known = highspy.HighsSolution()
        known.col_value = start.tolist()
        h.setSolution(known)
    tick = time.perf_counter()
    h.run()
    run.solver_seconds += time.perf_counter() - tick
    info = h.getInfo()
    if run.interrupted or info.primal_solution_status != 2:
        return None
    counts = np.rint(np.asarray(h.getSolution().col_value))
    optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return counts, float((model.cost[cols] * counts).sum()), float(info.mip_dual_bound), optimal


def _highs(time_limit: float) -> highspy.Highs:
    """A deterministic, quiet HiGHS."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "off")
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", 1)  # determinism first; a run is one request among others
    h.setOptionValue("time_limit", float(time_limit))
    return h


def _start_highs(problem, model: _Model, stop: StopCheck, should_stop_given: bool) -> _Run:
    """A deterministic HiGHS model with every row and the artificial columns, no pair yet."""
    n, m = model.n, model.m
    h = _highs(problem.settings.time_limit)
    run = _Run(h, artificials=0, in_model=np.zeros(len(model.cost), dtype=bool))

    def on_interrupt(event):
        if stop():
            run.interrupted = True
            event.interrupt()

    if should_stop_given:
        # HiGHS calls back on every simplex iteration (300,000 at national scale): only when a
        # user can actually cancel the run.
        h.HandleUserInterrupt = False
        h.cbSimplexInterrupt += on_interrupt
        h.cbMipInterrupt += on_interrupt
        run.interrupt = on_interrupt

    nrow = n + 4 * m
    h.addRows(nrow, model.row_lower, model.row_upper, 0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
    # Artificial columns keep the restricted LP feasible: a shortfall or surplus of head count,
    # and a missing chief, investigator or speaker, each at a cost no real plan reaches.
    big = float(max(1.0, model.cost.max(initial=0.0)) * 1000 + 1e6)
    art_rows = np.concatenate([n + np.arange(m), n + np.arange(m), n + m + np.arange(3 * m)])
    art_vals = np.concatenate([np.ones(m), -np.ones(m), np.ones(3 * m)])
    na = len(art_rows)
    h.addCols(
        na,
        np.full(na, big),
        np.zeros(na),
        np.full(na, np.inf),
        na,
        np.arange(na, dtype=np.int32),
        art_rows.astype(np.int32),
        art_vals,
    )
    run.artificials = na
    return run


def _generate_columns(run: _Run, model: _Model, report: Progress, initial_candidates: int) -> Result | None:
    """Adds pairs until none has a negative reduced cost: then the restricted LP's optimum is the
    optimum over all pairs. Returns the outcome when the run stops before (cancel, time limit)."""
    import highspy

    chosen = np.nonzero(model.rank < initial_candidates)[0]
    while True:
        run.add_pairs(model, chosen)
        run.run()
        run.rounds += 1
        status = run.h.getModelStatus()
        if run.interrupted:
            return Result(
                Status.CANCELLED, solver_seconds=run.solver_seconds, columns=int(run.in_model.sum()), rounds=run.rounds
            )
        if status == highspy.HighsModelStatus.kTimeLimit:
            return Result(
                Status.TIME_LIMIT, solver_seconds=run.solver_seconds, columns=int(run.in_model.sum()), rounds=run.rounds
            )
        if status != highspy.HighsModelStatus.kOptimal:
            return Result(Status.TIME_LIMIT, message=str(status), solver_seconds=run.solver_seconds, rounds=run.rounds)
        duals = np.asarray(run.h.getSolution().row_dual)
        reduced = _reduced_costs(model, duals)
        entering = np.nonzero((reduced < -_EPS) & ~run.in_model)[0]
        report(min(0.8, 0.15 + 0.1 * run.rounds), "solve")
        if not len(entering):
            return None
        # The most attractive pairs first, at most one round of officers' worth at a time.
        chosen = np.sort(entering[np.argsort(reduced[entering], kind="stable")[: max(model.n, 1000)]])


def _branch_and_bound(run: _Run, columns: np.ndarray, bound: float) -> tuple[np.ndarray, Status] | Result:
    """Makes the generated pairs integer and lets HiGHS branch: the pairs' values and whether the
    plan is proven optimal, or the outcome when no plan came out (cancel, time limit)."""
    import highspy

    h, na = run.h, run.artificials
    h.setOptionValue("mip_rel_gap", 0.0)
    h.changeColsIntegrality(
        len(columns),
        np.arange(na, na + len(columns), dtype=np.int32),
        np.full(len(columns), highspy.HighsVarType.kInteger),
    )
    run.run()
    mip_status = h.getModelStatus()
    if run.interrupted:
        return Result(Status.CANCELLED, solver_seconds=run.solver_seconds, columns=len(columns), rounds=run.rounds)
    info = h.getInfo()
    if info.primal_solution_status != 2:  # no feasible point
        return Result(Status.TIME_LIMIT, bound=bound, solver_seconds=run.solver_seconds, columns=len(columns))
    x = np.asarray(h.getSolution().col_value)[na:]
    if np.asarray(h.getSolution().col_value)[:na].sum() > _EPS:
        return Result(Status.TIME_LIMIT, bound=bound, solver_seconds=run.solver_seconds, columns=len(columns))
    return x, (Status.OPTIMAL if mip_status == highspy.HighsModelStatus.kOptimal else Status.FEASIBLE)


def _assignments(problem: Problem, model: _Model, columns: np.ndarray, counts: np.ndarray) -> list[Assignment]:
    """The columns' integer counts as assignments by officer key: each group's officers, in index
    order, fill its chief column first, then its other columns in column order (any order gives
    the same cost: they are interchangeable)."""
    officer_keys = [o.key for o in problem.officers]
    place_keys = [p.key for p in problem.places]
    taken = np.zeros(model.n, dtype=np.int64)
    chiefs_first = np.lexsort((columns, ~model.chief[columns]))
    assignments: list[Assignment] = []
    # Whole arrays to Python once (tolist), not element by element: 120,000 rows at national scale.
    for col, count in zip(
        columns[chiefs_first].tolist(), np.rint(counts[chiefs_first]).astype(np.int64).tolist(), strict=True
    ):
        g = int(model.group[col])
        who = model.members_of(g)[taken[g] : taken[g] + count]
        taken[g] += count
        role = CHIEF if model.chief[col] else OFFICER
        place, km, cost = place_keys[int(model.place[col])], float(model.km[col]), float(model.cost[col])
        assignments.extend(Assignment(officer_keys[o], place, role, km, cost) for o in who.tolist())
    assignments.sort(key=lambda a: a.officer)
    return assignments


def _explain_artificial(problem: Problem, artificial: np.ndarray, m: int) -> list[Finding]:
    """Turns the artificial columns left in the LP optimum into findings per unit and rule."""
    findings = []
    codes = ("short", "over", "chief", "investigator", "speaker")
    for block, code in enumerate(codes):
        for j in np.nonzero(artificial[block * m : (block + 1) * m] > _EPS)[0]:
            place = problem.places[int(j)]
            detail: dict[str, object] = {"missing": round(float(artificial[block * m + j]))}
            if code == "speaker":
                detail["languages"] = sorted(place.languages)
            findings.append(Finding(f"combined_{code}", place.key, detail))
    return findings


# --------------------------------------------------------------------------------------------
# Infeasibility in words: counting arguments a personnel officer can act on


def diagnose(problem: Problem, model: _Model | None = None) -> list[Finding]:
    """Necessary conditions for a plan, each failure a finding with the numbers to fix it.

    Not exhaustive (the LP is): it catches what users meet, pool too small or too big, a unit
    nobody may be sent to, a rule no officer in reach can meet, more units needing a kind of
    officer than the pool has."""
    model = model if model is not None else build(problem)
    return [*_size_findings(problem, model), *_unit_findings(problem, model), *_scarcity_findings(problem)]


def _size_findings(problem: Problem, model: _Model) -> list[Finding]:
    """Head counts that cannot add up: a unit's own bounds, the pool against all the units' room,
    an officer with no allowed unit."""
    officers, places = problem.officers, problem.places
    n = len(officers)
    findings: list[Finding] = []
    need = sum(max(0, p.minimum - p.kept) for p in places)
    room = sum(max(0, p.maximum - p.kept) for p in places)
    for p in places:
        if p.kept > p.maximum:
            findings.append(Finding("kept_over_maximum", p.key, {"kept": p.kept, "maximum": p.maximum}))
        if p.minimum > p.maximum:
            findings.append(Finding("minimum_over_maximum", p.key, {"minimum": p.minimum, "maximum": p.maximum}))
    if n < need:
        findings.append(Finding("pool_too_small", None, {"pool": n, "needed": need}))
    if n > room:
        findings.append(Finding("pool_too_large", None, {"pool": n, "room": room}))
    options = np.bincount(model.group[~model.chief], minlength=model.n)
    for o in np.nonzero(options[model.officer_group] == 0)[0]:
        findings.append(Finding("officer_nowhere", None, {"officer": officers[int(o)].key}))
    return findings


def _unit_findings(problem: Problem, model: _Model) -> list[Finding]:
    """Per unit: full already, or fewer officers (chiefs, investigators, speakers) in reach than it needs."""
    officers, places = problem.officers, problem.places
    m = len(places)
    findings: list[Finding] = []
    plain = ~model.chief
    p_idx = model.place[plain]
    # Officers in reach of each unit: each pair stands for its whole group.
    weight = model.size[model.group[plain]].astype(float)
    eligible = np.array([o.chief_eligible for o in officers], dtype=bool)
    reachable = np.bincount(p_idx, weights=weight, minlength=m)
    chiefs_reachable = np.bincount(model.place[model.chief], minlength=m)
    inv_reachable = np.bincount(p_idx, weights=weight * model.investigator[plain], minlength=m)
    speakers_reachable = np.bincount(p_idx[model.speaker[plain]], minlength=m)
    speakers_by_language = Counter(lang for o in officers for lang in o.languages)
    for j, p in enumerate(places):
        needs = [
            name
            for name, wanted in (
                ("chief", p.chief_open),
                ("investigator", p.investigators_needed),
                ("speaker", p.speaker_needed),
            )
            if wanted
        ]
        if needs and p.maximum - p.kept < (p.investigators_needed or 1):
            # Full with officers outside the pool: nobody can come to bring what it lacks.
            findings.append(Finding("unit_full", p.key, {"kept": p.kept, "maximum": p.maximum, "needs": needs}))
        if reachable[j] < p.minimum - p.kept:
            findings.append(
                Finding("unit_out_of_reach", p.key, {"reachable": int(reachable[j]), "needed": p.minimum - p.kept})
            )
        if p.chief_open and not chiefs_reachable[j]:
            findings.append(Finding("no_chief", p.key, {"eligible_in_pool": int(eligible.sum())}))
        if p.investigators_needed > inv_reachable[j]:
            detail = {"needed": p.investigators_needed, "reachable": int(inv_reachable[j])}
            findings.append(Finding("no_investigator", p.key, detail))
        if p.speaker_needed and not speakers_reachable[j]:
            in_pool = sum(speakers_by_language[x] for x in p.languages)
            findings.append(Finding("no_speaker", p.key, {"languages": sorted(p.languages), "in_pool": in_pool}))
    return findings


def _scarcity_findings(problem: Problem) -> list[Finding]:
    """More units needing a chief, investigators or a speaker of one language than the pool has."""
    officers, places = problem.officers, problem.places
    findings: list[Finding] = []
    eligible = sum(1 for o in officers if o.chief_eligible)
    investigators = sum(1 for o in officers if o.investigator)
    speakers_by_language = Counter(lang for o in officers for lang in o.languages)
    chiefs_needed = sum(1 for p in places if p.chief_open)
    if chiefs_needed > eligible:
        findings.append(Finding("too_few_chiefs", None, {"needed": chiefs_needed, "in_pool": eligible}))
    inv_needed = sum(p.investigators_needed for p in places)
    if inv_needed > investigators:
        findings.append(Finding("too_few_investigators", None, {"needed": inv_needed, "in_pool": investigators}))
    # Units whose local languages are all one language compete for its speakers.
    by_language: Counter = Counter()
    for p in places:
        if p.speaker_needed and len(p.languages) == 1:
            by_language[next(iter(p.languages))] += 1
    for lang, count in sorted(by_language.items()):
        if count > speakers_by_language[lang]:
            detail = {"language": lang, "needed": count, "in_pool": speakers_by_language[lang]}
            findings.append(Finding("too_few_speakers", None, detail))
    return findings


# --------------------------------------------------------------------------------------------
# Checking any plan (the optimizer's, greedy's or one edited by hand) against the hard rules


@dataclass(frozen=True)
class Violation:
    code: str
    place: int | None = None
    officer: int | None = None
    detail: dict = field(default_factory=dict)


def check(problem: Problem, assignments: list[Assignment]) -> list[Violation]:
    """Every hard rule a plan breaks; an empty list means the plan may be approved."""
    s = problem.settings
    violations: list[Violation] = []
    officers = {o.key: o for o in problem.officers}
    places = {p.key: p for p in problem.places}
    seen: Counter = Counter(a.officer for a in assignments)
    for key in officers:
        if seen[key] == 0:
            violations.append(Violation("unassigned", officer=key))
        elif seen[key] > 1:
            violations.append(Violation("assigned_twice", officer=key))
    tally = _PlaceTally()
    dist = _pair_distances(problem, assignments)
    for a in assignments:
        officer, place = officers.get(a.officer), places.get(a.place)
        if officer is None or place is None:
            violations.append(Violation("unknown", place=a.place, officer=a.officer))
            continue
        tally.count(a, officer, place)
        if a.role == CHIEF and not officer.chief_eligible:
            violations.append(Violation("chief_not_eligible", a.place, a.officer))
        km = dist[(origin_of(officer), a.place)]
        if s.hardship_max_km is not None and officer.hardship and origin_of(officer) is not None:
            if km > s.hardship_max_km:
                violations.append(Violation("hardship_far", a.place, a.officer, {"km": km, "limit": s.hardship_max_km}))
        if s.forbid_home and officer.home == a.place:
            violations.append(Violation("home_commune", a.place, a.officer))
        if s.keep_current and officer.current is not None and officer.current in places and officer.current != a.place:
            violations.append(Violation("moved_while_fixed", a.place, a.officer))
    return violations + tally.violations(places)


@dataclass
class _PlaceTally:
    """What a plan brings each unit (by key): head count, chiefs, investigators, a speaker."""

    head: Counter = field(default_factory=Counter)
    chiefs: Counter = field(default_factory=Counter)
    inv: Counter = field(default_factory=Counter)
    speaker: set[int] = field(default_factory=set)

    def count(self, a: Assignment, officer: Officer, place: Place) -> None:
        self.head[a.place] += 1
        if a.role == CHIEF:
            self.chiefs[a.place] += 1
        if officer.investigator:
            self.inv[a.place] += 1
        if officer.languages & place.languages:
            self.speaker.add(a.place)

    def violations(self, places: dict[int, Place]) -> list[Violation]:
        """The unit rules broken, counting the officers outside the pool who stay."""
        out: list[Violation] = []
        for key, p in places.items():
            total = self.head[key] + p.kept
            if total < p.minimum:
                out.append(Violation("below_minimum", key, detail={"head": total, "minimum": p.minimum}))
            if total > p.maximum:
                out.append(Violation("above_maximum", key, detail={"head": total, "maximum": p.maximum}))
            if p.needs_chief and self.chiefs[key] + (1 if p.kept_chief else 0) != 1:
                out.append(Violation("chief_count", key, detail={"chiefs": self.chiefs[key] + int(p.kept_chief)}))
            if self.inv[key] + p.kept_investigators < p.min_investigators:
                detail = {"have": self.inv[key] + p.kept_investigators, "need": p.min_investigators}
                out.append(Violation("investigators", key, detail=detail))
            if p.languages and not p.kept_speaker and key not in self.speaker:
                out.append(Violation("speaker", key, detail={"languages": sorted(p.languages)}))
        return out


def _pair_distances(problem: Problem, assignments: list[Assignment]) -> dict[tuple, float]:
    officers = {o.key: o for o in problem.officers}
    pairs = {(origin_of(officers[a.officer]), a.place) for a in assignments if a.officer in officers}
    origins = sorted({o for o, _ in pairs if o is not None})
    targets = sorted({p for _, p in pairs})
    matrix = distance_matrix(origins, targets, problem.geography, problem.settings)
    oi, pi = {u: i for i, u in enumerate(origins)}, {u: i for i, u in enumerate(targets)}
    return {(o, p): (float(matrix[oi[o], pi[p]]) if o is not None else 0.0) for o, p in pairs}


def cost_of(problem: Problem, assignments: list[Assignment]) -> list[Assignment]:
    """The same plan with each pair's km and cost filled in (for plans edited by hand or greedy)."""
    s = problem.settings
    officers = {o.key: o for o in problem.officers}
    places = {p.key: p for p in problem.places}
    dist = _pair_distances(problem, assignments)
    priced = []
    for a in assignments:
        officer, place = officers[a.officer], places[a.place]
        km = dist[(origin_of(officer), a.place)]
        speaks = bool(officer.languages & place.languages)
        cost = km * (s.hardship_km_weight if officer.hardship else s.km_weight)
        moved = officer.current is not None and officer.current in places and officer.current != a.place
        cost += s.move if moved else 0
        cost += s.unused_skill if officer.languages and not speaks else 0
        cost += s.missing_skill if place.languages and not speaks else 0
        stays_chief = officer.current_chief and officer.current == a.place
        if a.role == CHIEF:
            cost += 0 if stays_chief else s.chief_change
        elif stays_chief and place.chief_open:
            cost += s.chief_change
        priced.append(Assignment(a.officer, a.place, a.role, km, round(cost, 3)))
    return priced


# --------------------------------------------------------------------------------------------
# The greedy baseline a clerk would follow


def greedy(problem: Problem, model: _Model | None = None) -> list[Assignment]:
    """Chiefs first, then investigators, speakers, minimums, then everyone to their cheapest unit
    with room, each choice the nearest available. Fast and plausible; not guaranteed to keep
    every rule (``check`` says which it breaks). ``model``: the pairs ``build`` made, if at hand."""
    sheet = _GreedySheet(problem, model if model is not None else build(problem))
    sheet.place_chiefs()
    sheet.place_investigators()
    sheet.place_speakers()
    sheet.fill_minimums()
    sheet.place_the_rest()
    places = problem.places
    plan = [
        Assignment(problem.officers[o].key, places[j].key, role, 0.0, 0.0)
        for o, (j, role) in sorted(sheet.chosen.items())
    ]
    return cost_of(problem, plan)


class _GreedySheet:
    """The clerk's worksheet for ``greedy``: the pairs by cost from each side, how many of each
    group are still free, each unit's head count, investigators and speaker, and the choices so
    far (officer index → place index, role).

    It works on groups: their officers are interchangeable, so "the cheapest free officer" is the
    next free member of the cheapest group with one left, and a unit's list is 4 times shorter."""

    def __init__(self, problem: Problem, model: _Model) -> None:
        self.officers, self.places, self.model = problem.officers, problem.places, model
        plain = np.nonzero(~model.chief)[0]
        plain = plain[np.lexsort((model.group[plain], model.cost[plain]))]
        self.by_group: dict[int, list[tuple[float, int]]] = defaultdict(list)
        self.by_place: dict[int, list[tuple[float, int]]] = defaultdict(list)
        for g, j, cost in zip(
            model.group[plain].tolist(), model.place[plain].tolist(), model.cost[plain].tolist(), strict=True
        ):
            self.by_group[g].append((cost, j))
            self.by_place[j].append((cost, g))
        self.taken = [0] * model.n
        self.left = model.size.tolist()
        self.head = [p.kept for p in self.places]
        self.investigators = [p.kept_investigators for p in self.places]
        self.spoken = [p.kept_speaker for p in self.places]
        self.chosen: dict[int, tuple[int, str]] = {}

    def representative(self, g: int) -> Officer:
        return self.officers[int(self.model.members[self.model.member_start[g]])]

    def take(self, g: int, j: int, role: str = OFFICER) -> None:
        o = int(self.model.members[self.model.member_start[g] + self.taken[g]])
        self.taken[g] += 1
        self.left[g] -= 1
        self.chosen[o] = (j, role)
        self.head[j] += 1
        officer, place = self.officers[o], self.places[j]
        self.investigators[j] += officer.investigator
        self.spoken[j] = self.spoken[j] or bool(officer.languages & place.languages)

    def nearest(self, j: int, wanted) -> int | None:
        """The cheapest group for place j with a free officer who is ``wanted``."""
        for _cost, g in self.by_place.get(j, ()):
            if self.left[g] and wanted(self.representative(g)):
                return g
        return None

    def place_chiefs(self) -> None:
        for j, p in enumerate(self.places):
            if p.chief_open and self.head[j] < p.maximum:
                g = self.nearest(j, lambda x: x.chief_eligible)
                if g is not None:
                    self.take(g, j, CHIEF)

    def place_investigators(self) -> None:
        for j, p in enumerate(self.places):
            while self.investigators[j] < p.min_investigators and self.head[j] < p.maximum:
                g = self.nearest(j, lambda x: x.investigator)
                if g is None:
                    break
                self.take(g, j)

    def place_speakers(self) -> None:
        for j, p in enumerate(self.places):
            if p.languages and not self.spoken[j] and self.head[j] < p.maximum:
                g = self.nearest(j, lambda x, langs=p.languages: bool(x.languages & langs))
                if g is not None:
                    self.take(g, j)

    def fill_minimums(self) -> None:
        for j, p in enumerate(self.places):
            while self.head[j] < p.minimum:
                g = self.nearest(j, lambda x: True)
                if g is None:
                    break
                self.take(g, j)

    def place_the_rest(self) -> None:
        """Everyone still free, in the pool's order, to their cheapest unit with room."""
        group_of = self.model.officer_group.tolist()
        for o in range(len(self.officers)):
            if o in self.chosen:
                continue
            g = group_of[o]
            for _cost, j in self.by_group.get(g, ()):
                if self.head[j] < self.places[j].maximum:
                    self.take(g, j)
                    break


def total_cost(assignments: list[Assignment]) -> float:
    return round(sum(a.cost for a in assignments), 3)


def metrics(problem: Problem, assignments: list[Assignment]) -> dict:
    """The figures the comparison shows, for any plan (officers left out simply count nowhere)."""
    s = problem.settings
    officers = {o.key: o for o in problem.officers}
    head: Counter = Counter()
    chiefs: Counter = Counter()
    inv: Counter = Counter()
    spoken: set[int] = set()
    places = {p.key: p for p in problem.places}
    hardship_far = moves = 0
    for a in assignments:
        officer, place = officers[a.officer], places[a.place]
        head[a.place] += 1
        chiefs[a.place] += a.role == CHIEF
        inv[a.place] += officer.investigator
        if officer.languages & place.languages:
            spoken.add(a.place)
        if officer.hardship and s.hardship_max_km is not None and a.km > s.hardship_max_km:
            hardship_far += 1
        moves += officer.current is not None and officer.current in places and officer.current != a.place
    return {
        "officers": len(assignments),
        "total_km": round(sum(a.km for a in assignments), 1),
        "cost": total_cost(assignments),
        "below_minimum": sum(1 for k, p in places.items() if head[k] + p.kept < p.minimum),
        "above_maximum": sum(1 for k, p in places.items() if head[k] + p.kept > p.maximum),
        "without_chief": sum(1 for k, p in places.items() if p.needs_chief and not (chiefs[k] or p.kept_chief)),
        "without_investigator": sum(
            1 for k, p in places.items() if inv[k] + p.kept_investigators < p.min_investigators
        ),
        "without_speaker": sum(1 for k, p in places.items() if p.languages and not (k in spoken or p.kept_speaker)),
        "hardship_far": hardship_far,
        "moves": moves,
    }
