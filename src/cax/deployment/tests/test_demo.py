"""The demo generator (#4): a realistic province of officers, postings and party cells."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cax.deployment.models import PartyCell, Posting
from cax.deployment.selectors import staffing_summary
from cax.personnel.choices import Sex
from cax.personnel.models import Officer
from cax.units.models import Unit


def in_province(model, province: Unit, lookup: str = "unit__path__startswith"):
    return model.objects.filter(**{lookup: province.path})


def counts(province: Unit) -> tuple[int, int, int]:
    return (
        in_province(Officer, province).count(),
        in_province(Posting, province).count(),
        in_province(PartyCell, province).count(),
    )


@pytest.fixture
def demo(cast) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_fills_every_commune_of_the_province(cast, demo):
    officers, postings, cells = counts(cast.province_a)
    communes = Unit.objects.current().commune_level().filter(path__startswith=cast.province_a.path)
    # Officers awaiting a posting (#7) are held at the province itself, with no posting.
    waiting = Officer.objects.filter(unit=cast.province_a, postings__isnull=True).count()
    posted = officers - waiting

    assert posted > 0
    assert waiting > 0
    assert postings >= posted
    assert cells > 0
    line = f"{posted} cán bộ, {postings} quyết định bố trí, {cells} chi bộ ở {communes.count()} đơn vị cấp xã, "
    assert line + f"{waiting} cán bộ chờ bố trí" in demo
    staffed = set(Posting.objects.filter(end_date__isnull=True).values_list("unit_id", flat=True))
    assert set(communes.values_list("pk", flat=True)) <= staffed
    assert counts(cast.province_b) == (0, 0, 0)


def test_the_demo_history_obeys_the_posting_rules(cast, demo):
    first_day = cast.province_a.valid_from
    history = defaultdict(list)
    for officer_id, unit_id, start, end in Posting.objects.filter(
        unit__path__startswith=cast.province_a.path
    ).values_list("officer_id", "unit_id", "start_date", "end_date"):
        history[officer_id].append((start, end, unit_id))
    current_unit = dict(
        in_province(Officer, cast.province_a).filter(postings__isnull=False).distinct().values_list("pk", "unit_id")
    )

    assert set(history) == set(current_unit)
    for officer_id, postings in history.items():
        postings.sort()
        assert [end for _s, end, _u in postings].count(None) == 1
        assert postings[-1][1] is None
        assert postings[-1][2] == current_unit[officer_id]  # officer.unit follows the open posting
        assert postings[0][0] >= first_day  # no history before the units existed
        for (start, end, _u), (next_start, _e, _n) in zip(postings, postings[1:], strict=False):
            assert start <= end < next_start  # ordered, no overlap
    chiefs = Posting.objects.filter(end_date__isnull=True, role="chief", unit__path__startswith=cast.province_a.path)
    assert chiefs.count() == len(set(chiefs.values_list("unit_id", flat=True)))


def test_about_one_percent_of_the_demo_officers_are_women(cast, demo):
    officers = in_province(Officer, cast.province_a)
    women = officers.filter(sex=Sex.FEMALE).count()
    assert 0.002 <= women / officers.count() <= 0.03


def test_the_demo_has_communes_below_the_norm_and_without_a_chief(cast, demo):
    s = staffing_summary(actor=cast.province_leader, unit=cast.province_a, as_of=timezone.localdate())

    assert s.covered == s.communes > 0
    assert 0 < len(s.below_norm) < s.communes
    assert 0 < len(s.without_chief) < s.communes
    assert 0 < s.female < s.head_count
    assert s.party_cells > 0


def test_a_second_run_with_if_empty_does_nothing(cast, demo):
    before = counts(cast.province_a)
    out = io.StringIO()

    call_command("demo", "--if-empty", stdout=out)

    assert counts(cast.province_a) == before
    assert "Dữ liệu mẫu đã có tại Quảng Ngãi" in out.getvalue()


def test_a_second_run_without_if_empty_is_refused_clearly(cast, demo):
    before = counts(cast.province_a)

    with pytest.raises(CommandError, match="Đã có cán bộ tại Quảng Ngãi"):
        call_command("demo", stdout=io.StringIO())

    assert counts(cast.province_a) == before


def test_an_unknown_province_is_refused(cast):
    with pytest.raises(CommandError, match="Không có đơn vị mã 999"):
        call_command("demo", "--province", "999", stdout=io.StringIO())
    assert Officer.objects.count() == 0
