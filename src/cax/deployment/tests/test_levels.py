"""The maintained staffing levels (issue 20.3) against a count from the raw postings.

Random histories are written through the services (postings with past and future dates, ends,
transfers, an officer's sex, speciality and language corrected, a commune's languages changed and
the commune closed) and the dashboard's figures, read from the levels, are compared with a plain
count over the posting rows at random dates, past, today and future.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cax.core.exceptions import DomainError
from cax.core.text import search_key
from cax.deployment import levels
from cax.deployment.models import Posting, PostingRole, StaffingLevel, StaffingMonth
from cax.deployment.selectors import staffing_summary
from cax.deployment.services import officer_status_change, posting_create, posting_end, posting_transfer
from cax.deployment.tests.factories import officer as make_officer
from cax.personnel.choices import InvestigatorGrade, OfficerStatus, Sex, SpecialityKind
from cax.personnel.models import Language, Officer, Speciality
from cax.personnel.services import officer_upsert
from cax.units.models import Unit
from cax.units.services import unit_update

D = dt.date
TODAY = timezone.localdate()
FIRST = D(2025, 6, 1)  # a month before the official units open (01/07/2025)
LAST = TODAY + dt.timedelta(days=400)
LANGUAGES = ["Xơ Đăng", "Ba Na"]

days = st.dates(min_value=FIRST, max_value=LAST)
officer_index = st.integers(0, 3)
unit_index = st.integers(0, 2)  # commune_a and commune_b (province 51), commune_c (province 01)
posting_step = st.one_of(
    st.tuples(
        st.just("post"),
        officer_index,
        unit_index,
        st.sampled_from(PostingRole.values),
        days,
        st.one_of(st.none(), st.integers(0, 300)),
    ),
    st.tuples(st.just("transfer"), officer_index, unit_index, days),
    st.tuples(st.just("end"), officer_index, days),
    st.tuples(st.just("retire"), officer_index, st.dates(min_value=FIRST, max_value=TODAY)),
)
# Corrections of what the levels read besides the postings.
record_step = st.one_of(
    st.tuples(
        st.just("officer"),
        officer_index,
        st.sampled_from(Sex.values),
        st.booleans(),
        st.one_of(st.none(), st.sampled_from(LANGUAGES)),
    ),
    st.tuples(st.just("unit"), unit_index, st.booleans(), st.lists(st.sampled_from(LANGUAGES), max_size=2)),
    st.tuples(st.just("close"), st.just(1), st.dates(min_value=D(2025, 7, 1), max_value=LAST)),
)
# Postings first, then corrections (whose effect no later posting of the unit would hide), then more postings.
history = st.tuples(
    st.lists(posting_step, min_size=1, max_size=10),
    st.lists(record_step, max_size=4),
    st.lists(posting_step, max_size=3),
).map(lambda parts: [step for part in parts for step in part])


def _apply(step, officers: list[Officer], units: list[Unit]) -> None:
    kind, *args = step
    if kind == "post":
        index, unit, role, start, length = args
        end = None if length is None else start + dt.timedelta(days=length)
        posting_create(actor=None, officer=officers[index], unit=units[unit], role=role, start_date=start, end_date=end)
    elif kind == "transfer":
        index, unit, on = args
        posting_transfer(actor=None, officer=officers[index], to_unit=units[unit], on=on)
    elif kind == "end":
        index, on = args
        posting = officers[index].postings.filter(end_date__isnull=True).first()
        if posting is not None:
            posting_end(actor=None, posting=posting, end_date=on)
    elif kind == "retire":
        index, on = args
        officer_status_change(actor=None, officer=officers[index], status=OfficerStatus.RETIRED, on=on)
    elif kind == "officer":
        index, sex, investigator, language = args
        specialities = [(SpecialityKind.INVESTIGATOR, InvestigatorGrade.ELEMENTARY)] if investigator else []
        officer_upsert(
            actor=None,
            service_number=officers[index].service_number,
            sex=sex,
            specialities=specialities,
            languages=[(language, True)] if language else [],
        )
    elif kind == "unit":
        unit, minority, names = args
        unit_update(actor=None, unit=units[unit], is_ethnic_minority=minority, local_languages=sorted(set(names)))
    else:
        _unit, day = args
        unit_update(actor=None, unit=units[1], valid_to=day)


def _open(unit: Unit, day: dt.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or unit.valid_to >= day)


class RawCount:
    """Per commune open on a day: (officers, women, chiefs, investigators, a speaker?), straight
    from the posting rows and the officers' and units' records as they are now."""

    def __init__(self, units: list[Unit]):
        self.units = list(Unit.objects.filter(pk__in=[u.pk for u in units]))
        self.postings = list(Posting.objects.filter(unit__in=self.units))
        self.female = set(Officer.objects.filter(sex=Sex.FEMALE).values_list("pk", flat=True))
        self.investigators = set(
            Speciality.objects.filter(kind=SpecialityKind.INVESTIGATOR).values_list("officer_id", flat=True)
        )
        self.spoken = {(lang.officer_id, lang.key) for lang in Language.objects.filter(is_ethnic_minority=True)}

    def on(self, day: dt.date, scope: Unit) -> dict[int, tuple]:
        counts = {}
        for unit in self.units:
            if not _open(unit, day) or not unit.path.startswith(scope.path):
                continue
            keys = {search_key(name) for name in unit.local_languages} if unit.is_ethnic_minority else set()
            active = [
                p
                for p in self.postings
                if p.unit_id == unit.pk and p.start_date <= day and (p.end_date is None or p.end_date >= day)
            ]
            counts[unit.pk] = (
                len(active),
                sum(p.officer_id in self.female for p in active),
                sum(p.role == PostingRole.CHIEF for p in active),
                sum(p.officer_id in self.investigators for p in active),
                any((p.officer_id, key) in self.spoken for p in active for key in keys),
            )
        return counts


def _month_end(month: dt.date, as_of: dt.date) -> dt.date:
    return min(as_of, (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))


def _check(cast, raw: RawCount, day: dt.date) -> None:
    for scope in (cast.root, cast.province_a):
        summary = staffing_summary(actor=None, unit=scope, as_of=day)
        expected = raw.on(day, scope)
        shown = {
            u.unit_id: (u.head_count, u.female, u.chiefs, u.investigators, u.speaks_local_language)
            for u in summary.units
            if u.unit_id in expected
        }
        assert shown == expected, (scope.code, day)
        assert summary.head_count == sum(figures[0] for figures in expected.values())
        # Each month of the series is that month's last day (or ``day``) counted from the rows.
        for (month, head), (_month, covered, _open_then) in zip(summary.monthly, summary.monthly_coverage, strict=True):
            then = raw.on(_month_end(month, day), scope).values()
            assert (head, covered) == (sum(f[0] for f in then), sum(1 for f in then if f[0])), (scope.code, day, month)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=history,
    checked=st.lists(days, min_size=1, max_size=3),
)
def test_the_levels_equal_a_count_of_the_raw_postings_on_any_day(cast, steps, checked):
    with transaction.atomic():
        units = [cast.commune_a, cast.commune_b, cast.commune_c]
        officers = [make_officer(cast.province_a if i < 3 else cast.province_b) for i in range(4)]
        for step in steps:
            try:
                with transaction.atomic():
                    _apply(step, officers, [Unit.objects.get(pk=u.pk) for u in units])
            except DomainError:
                pass  # refused by the rules (an overlap, a second chief, a closed unit): nothing written
            officers = [Officer.objects.get(pk=o.pk) for o in officers]
        raw = RawCount(units)
        for day in [*checked, TODAY]:
            _check(cast, raw, day)
        transaction.set_rollback(True)  # the next example starts from the cast alone


def test_a_rebuild_from_the_postings_finds_the_rows_the_writes_kept(cast):
    """Every write kept the rows it touched: recomputing the whole table changes nothing."""
    officers = [make_officer(cast.province_a) for _ in range(3)]
    posting_create(actor=None, officer=officers[0], unit=cast.commune_a, start_date=D(2025, 7, 1))
    posting_create(
        actor=None, officer=officers[1], unit=cast.commune_b, role=PostingRole.CHIEF, start_date=D(2025, 8, 1)
    )
    posting_transfer(actor=None, officer=officers[1], to_unit=cast.commune_a, on=TODAY + dt.timedelta(days=30))
    officer_upsert(actor=None, service_number=officers[2].service_number, sex=Sex.FEMALE)
    posting_create(actor=None, officer=officers[2], unit=cast.commune_a, start_date=D(2026, 1, 1))

    def rows():
        return (
            sorted(StaffingLevel.objects.values_list("unit_id", "day", "until", "head_count", "female", "chiefs")),
            sorted(StaffingMonth.objects.values_list("unit_id", "month", "head_change", "covered_change")),
        )

    kept = rows()
    assert kept[0], "the writes left no rows"
    StaffingLevel.objects.all().delete()
    StaffingMonth.objects.all().delete()
    levels.rebuild()
    assert rows() == kept


def test_a_batch_rebuilds_each_unit_once_at_its_end(cast):
    officers = [make_officer(cast.province_a) for _ in range(5)]
    with transaction.atomic(), levels.batch():
        for o in officers:
            posting_create(actor=None, officer=o, unit=cast.commune_a, start_date=D(2025, 9, 1))
        # Nothing rebuilt yet inside the batch: the figures still read the levels before it.
        assert staffing_summary(actor=None, unit=cast.commune_a, as_of=TODAY).head_count == 0
    assert staffing_summary(actor=None, unit=cast.commune_a, as_of=TODAY).head_count == 5


def test_a_batch_that_fails_rebuilds_nothing_and_leaves_no_pending_units(cast):
    officer = make_officer(cast.province_a)

    def refused_after_a_write():
        with transaction.atomic(), levels.batch():
            posting_create(actor=None, officer=officer, unit=cast.commune_a, start_date=D(2025, 9, 1))
            raise DomainError("stop")

    with pytest.raises(DomainError):
        refused_after_a_write()
    posting_create(actor=None, officer=officer, unit=cast.commune_b, start_date=D(2025, 9, 1))
    # Outside any batch again: the write rebuilt its unit at once.
    assert staffing_summary(actor=None, unit=cast.commune_b, as_of=TODAY).head_count == 1
    assert staffing_summary(actor=None, unit=cast.commune_a, as_of=TODAY).head_count == 0
