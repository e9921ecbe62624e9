"""The staffing levels behind the dashboards (issue 20.3): per commune and day, kept with the postings.

Counting rule, written once here: a posting counts in its unit on a day when the day lies within
the posting (start to end, or still open) and within the unit's validity (nothing kept in a unit
counts before its first day or after its last: a commune merged away in 2025). Its officer adds
to the women, the chiefs (by the posting's role), the investigators and the speakers of the unit's
local languages (an ethnic-minority commune's language, spoken by the officer as an
ethnic-minority language), by the officer's record as it is now, as every other figure of the
dashboard is.

``StaffingLevel`` holds these counts as a step function (a row where they change) and
``StaffingMonth`` its changes per month. Like the report roll-up (``reports.services.rollup_rebuild``),
rows are never patched: a write recomputes the rows of each unit it touched from that unit's postings,
inside the write's own transaction, so a reader never sees postings and levels disagree.
Every write path reaches ``touch``: a posting's save or delete and a unit's save (signals, whatever
made them), ``personnel.signals.officers_changed`` for an officer's sex, specialities and languages,
and the bulk writers (the demo data) call ``rebuild`` themselves. ``batch()`` defers the rebuilds of
many writes (a file of postings, a plan's approval, a transfer) to one at its end.
``./cax manage staffing_rebuild_levels`` recomputes every row (a repair: after raw SQL, say).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import transaction

from cax.core.text import search_key
from cax.deployment.models import FOREVER

CHUNK = 900  # unit ids per IN list: under SQLite's oldest bound on query parameters
FIGURES = 5  # head count, women, chiefs, investigators, speakers
Steps = list[tuple[dt.date, tuple[int, ...]]]  # (day, figures from that day on), oldest first


@dataclass(frozen=True)
class UnitFacts:
    valid_from: dt.date | None
    valid_to: dt.date | None
    language_keys: frozenset[str]  # empty unless the unit is an ethnic-minority area


@dataclass(frozen=True)
class PostingFacts:
    start: dt.date
    end: dt.date | None
    chief: bool
    female: bool
    investigator: bool
    language_keys: frozenset[str]  # the officer's ethnic-minority languages


def unit_facts(valid_from, valid_to, is_ethnic_minority: bool, local_languages) -> UnitFacts:
    keys = frozenset(search_key(name) for name in local_languages or ()) if is_ethnic_minority else frozenset()
    return UnitFacts(valid_from, valid_to, keys)


def level_rows(unit: UnitFacts, postings: Iterable[PostingFacts]) -> Steps:
    """(day, figures) wherever the figures change, oldest first; the figures before the first row
    and on a day with no row before it are all zero."""
    changes: dict[dt.date, list[int]] = defaultdict(lambda: [0] * FIGURES)
    for posting in postings:
        first = max(posting.start, unit.valid_from) if unit.valid_from else posting.start
        ends = [day for day in (posting.end, unit.valid_to) if day is not None]
        last = min(ends) if ends else None
        if last is not None and last < first:
            continue
        vector = (
            1,
            int(posting.female),
            int(posting.chief),
            int(posting.investigator),
            int(bool(posting.language_keys & unit.language_keys)),
        )
        for index, value in enumerate(vector):
            changes[first][index] += value
            if last is not None:
                changes[last + dt.timedelta(days=1)][index] -= value
    rows, state = [], [0] * FIGURES
    for day in sorted(changes):
        if any(changes[day]):
            state = [a + b for a, b in zip(state, changes[day], strict=True)]
            rows.append((day, tuple(state)))
    return rows


def with_changes(rows: Steps) -> Iterator[tuple[dt.date, dt.date, tuple[int, ...], int, int]]:
    """Each row as (day, until, figures, head-count change, coverage change against the row before);
    ``until`` is the day before the next row, ``FOREVER`` for the last."""
    before = 0
    for index, (day, figures) in enumerate(rows):
        until = rows[index + 1][0] - dt.timedelta(days=1) if index + 1 < len(rows) else FOREVER
        yield day, until, figures, figures[0] - before, int(figures[0] > 0) - int(before > 0)
        before = figures[0]


def month_changes(rows: Steps) -> dict[dt.date, tuple[int, int]]:
    """Head-count and coverage changes summed per month (its first day); months where both are 0 left out."""
    months: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for day, _until, _figures, head, covered in with_changes(rows):
        months[day.replace(day=1)][0] += head
        months[day.replace(day=1)][1] += covered
    return {month: (head, covered) for month, (head, covered) in months.items() if head or covered}


# -- rebuilding from the postings ------------------------------------------------------------------


def _chunks(ids: list[int] | None) -> Iterator[list[int] | None]:
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _models(apps=None) -> SimpleNamespace:
    """The models the rebuild reads and writes: today's, or a migration's historical ones."""
    from django.apps import apps as current

    apps = apps or current
    names = ("deployment.Posting", "deployment.StaffingLevel", "deployment.StaffingMonth", "units.Unit",
             "personnel.Speciality", "personnel.Language")  # fmt: skip
    return SimpleNamespace(**{name.split(".")[1]: apps.get_model(name) for name in names})


@transaction.atomic
def rebuild(unit_ids: Iterable[int] | None = None, *, apps=None) -> int:
    """Recompute the levels of these units (of every unit when None) from their postings; returns
    the rows written. The units' rows are locked in pk order first, as the roll-up does: two writes
    in one unit take turns instead of colliding on the unique key. ``apps``: a migration's."""
    m = _models(apps)
    ids = None if unit_ids is None else sorted(set(unit_ids))
    if ids == []:
        return 0
    written = 0
    for chunk in _chunks(ids):
        units = _units(m, chunk)
        levels, months = m.StaffingLevel.objects.all(), m.StaffingMonth.objects.all()
        if chunk is not None:
            levels, months = levels.filter(unit_id__in=chunk), months.filter(unit_id__in=chunk)
        levels.delete()
        months.delete()
        new_levels, new_months = [], []
        for unit_id, postings in _postings(m, chunk).items():
            rows = level_rows(units[unit_id], postings)
            new_levels += [
                m.StaffingLevel(unit_id=unit_id, day=day, until=until, head_count=f[0], female=f[1], chiefs=f[2],
                                investigators=f[3], speakers=f[4], head_change=head, covered_change=covered)
                for day, until, f, head, covered in with_changes(rows)
            ]  # fmt: skip
            new_months += [
                m.StaffingMonth(unit_id=unit_id, month=month, head_change=head, covered_change=covered)
                for month, (head, covered) in month_changes(rows).items()
            ]
        m.StaffingLevel.objects.bulk_create(new_levels, batch_size=5000)
        m.StaffingMonth.objects.bulk_create(new_months, batch_size=5000)
        written += len(new_levels)
    return written


def rebuild_job(job) -> dict:
    """The repair as a background job (``staffing_rebuild_levels --enqueue``): all or nothing."""
    return {"rows": rebuild()}


def _units(m: SimpleNamespace, chunk: list[int] | None) -> dict[int, UnitFacts]:
    units = m.Unit.objects.all() if chunk is None else m.Unit.objects.select_for_update().filter(pk__in=chunk)
    return {
        pk: unit_facts(*facts)
        for pk, *facts in units.order_by("pk").values_list(
            "pk", "valid_from", "valid_to", "is_ethnic_minority", "local_languages"
        )
    }


def _postings(m: SimpleNamespace, chunk: list[int] | None) -> dict[int, list[PostingFacts]]:
    """The postings of the units (all when None) with what their officers add, in three queries."""
    from cax.deployment.models import PostingRole
    from cax.personnel.choices import Sex, SpecialityKind

    postings = m.Posting.objects.all() if chunk is None else m.Posting.objects.filter(unit_id__in=chunk)
    rows = list(postings.values_list("unit_id", "officer_id", "role", "start_date", "end_date", "officer__sex"))
    officers = {officer_id for _u, officer_id, *_rest in rows}
    of_officers = {} if chunk is None else {"officer_id__in": postings.values("officer_id")}
    specialities = m.Speciality.objects.filter(kind=SpecialityKind.INVESTIGATOR, **of_officers)
    investigators = set(specialities.values_list("officer_id", flat=True))
    languages: dict[int, set[str]] = defaultdict(set)
    for officer_id, key in m.Language.objects.filter(is_ethnic_minority=True, **of_officers).values_list(
        "officer_id", "key"
    ):
        if officer_id in officers:
            languages[officer_id].add(key)
    by_unit: dict[int, list[PostingFacts]] = defaultdict(list)
    for unit_id, officer_id, role, start, end, sex in rows:
        by_unit[unit_id].append(
            PostingFacts(
                start,
                end,
                role == PostingRole.CHIEF,
                sex == Sex.FEMALE,
                officer_id in investigators,
                frozenset(languages.get(officer_id, ())),
            )
        )
    return by_unit


# -- following every write ---------------------------------------------------------------------------

_state = threading.local()  # Django's connections are per thread, and so is a transaction


def touch(unit_ids: Iterable[int]) -> None:
    """The levels of these units follow a write: at once, or at the end of the open ``batch()``."""
    pending = getattr(_state, "pending", None)
    if pending is None:
        rebuild(unit_ids)
    else:
        pending.update(unit_ids)


@contextmanager
def batch() -> Iterator[None]:
    """Rebuild the units touched inside once, at the end of the block (to be opened inside the
    writer's transaction): a file of 10,000 postings in one commune recomputes it once, not 10,000
    times. A block that raises, or whose transaction is marked for rollback, rebuilds nothing."""
    if getattr(_state, "pending", None) is not None:
        yield  # an outer batch rebuilds
        return
    _state.pending = set()
    try:
        yield
    except BaseException:
        _state.pending = None
        raise
    pending, _state.pending = _state.pending, None
    if not transaction.get_rollback():  # a dry run's writes are being rolled back: nothing to follow
        rebuild(pending)


def touch_officers(officer_ids: Iterable[int]) -> None:
    """Every unit any of these officers was ever posted to (their sex, specialities or languages changed)."""
    from cax.deployment.models import Posting

    ids = sorted(set(officer_ids))
    units: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        postings = Posting.objects.filter(officer_id__in=ids[start : start + CHUNK])
        units.update(postings.values_list("unit_id", flat=True))
    if units:
        touch(units)


# Unit fields the levels read: a save that names none of them leaves the levels as they are.
UNIT_FIELDS = frozenset({"valid_from", "valid_to", "is_ethnic_minority", "local_languages"})


def on_posting_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        touch([instance.unit_id])


def on_posting_deleted(sender, instance, **kwargs) -> None:
    touch([instance.unit_id])


def on_unit_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs) -> None:
    # A new unit has no postings yet; one whose validity or languages may have changed is recomputed.
    if raw or created or (update_fields is not None and not UNIT_FIELDS & set(update_fields)):
        return
    touch([instance.pk])


def on_officers_changed(sender, officer_ids, **kwargs) -> None:
    touch_officers(officer_ids)


def connect() -> None:
    """Called from the app's ready(): the receivers that keep the levels in step with every write."""
    from django.db.models.signals import post_delete, post_save

    from cax.deployment.models import Posting
    from cax.personnel.signals import officers_changed
    from cax.units.models import Unit

    post_save.connect(on_posting_saved, sender=Posting, dispatch_uid="cax.deployment.levels.posting_saved")
    post_delete.connect(on_posting_deleted, sender=Posting, dispatch_uid="cax.deployment.levels.posting_deleted")
    post_save.connect(on_unit_saved, sender=Unit, dispatch_uid="cax.deployment.levels.unit_saved")
    officers_changed.connect(on_officers_changed, dispatch_uid="cax.deployment.levels.officers_changed")
