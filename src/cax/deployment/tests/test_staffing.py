"""The staffing picture (#4): a small known world in Quảng Ngãi checked against a hand count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cax.deployment.models import Committee, CommitteeSeat, PartyCell, Posting, PostingRole, StaffingNorm
from cax.deployment.selectors import staffing_summary
from cax.deployment.services import posting_end, posting_transfer
from cax.deployment.tests.factories import World, bulk_posted, posted
from cax.personnel.choices import Sex
from cax.units.models import Unit
from cax.units.services import unit_update

D = dt.date
AS_OF = D(2025, 9, 1)


@pytest.fixture
def world(cast) -> World:
    return World(cast)


def summary(cast, unit=None, as_of=AS_OF, actor=None):
    return staffing_summary(actor=actor or cast.province_leader, unit=unit or cast.province_a, as_of=as_of)


def commune_codes(province: Unit) -> set[str]:
    """Open commune-level units of the province, counted straight from the table."""
    return set(
        Unit.objects.filter(
            path__startswith=province.path, unit_type__is_commune_level=True, valid_to__isnull=True
        ).values_list("code", flat=True)
    )


def rows(s) -> dict:
    return {u.code: u for u in s.units}


# -- the hand count --------------------------------------------------------------------------------


def test_the_province_figures_equal_a_hand_count(cast, world):
    codes = commune_codes(cast.province_a)
    assert {"23500", "23293"} <= codes
    empty = codes - {"23500", "23293"}

    s = summary(cast)

    assert (s.communes, s.covered) == (len(codes), 2)
    assert s.coverage_percent == round(100 * 2 / len(codes), 1)
    assert (s.head_count, s.female, s.male) == (16, 1, 15)
    assert {u.code: u.shortfall for u in s.below_norm} == {"23293": 9, **dict.fromkeys(empty, 12)}
    assert s.below_norm[-1].code == "23293"  # the smallest shortfall comes last
    assert {u.code for u in s.without_chief} == codes - {"23500"}
    assert {u.code for u in s.without_investigator} == codes - {"23500"}
    assert s.without_language_speaker == []
    a, b = rows(s)["23500"], rows(s)["23293"]
    assert (a.head_count, a.female, a.chiefs, a.investigators, a.shortfall) == (13, 1, 1, 1, 0)
    assert (b.head_count, b.female, b.chiefs, b.investigators, b.shortfall) == (3, 0, 0, 0, 9)
    assert (a.norm.minimum, a.norm.target, a.norm.requires_chief, a.norm.min_investigators) == (12, 12, True, 1)


def test_coverage_by_unit_type_adds_up_to_the_communes(cast, world):
    s = summary(cast)
    types = dict(
        Unit.objects.filter(code__in=commune_codes(cast.province_a), valid_to__isnull=True).values_list(
            "code", "unit_type__code"
        )
    )

    by_type = {c.type_code: (c.covered, c.total) for c in s.coverage}

    expected: dict[str, list[int]] = {}
    for _code, type_code in types.items():
        expected.setdefault(type_code, [0, 0])[1] += 1
    expected[types["23500"]][0] += 1
    expected[types["23293"]][0] += 1
    assert by_type == {t: tuple(v) for t, v in expected.items()}


def test_other_provinces_do_not_leak_into_the_province_figures(cast, world):
    posted(cast.commune_c, sex=Sex.FEMALE)
    s = summary(cast)
    assert (s.head_count, s.female, s.covered) == (16, 1, 2)
    assert "00070" not in rows(s)


# -- ethnic-minority units and local languages -----------------------------------------------------


def test_an_ethnic_minority_unit_without_a_local_language_speaker_is_listed_until_one_is_posted(cast, world):
    unit_update(actor=None, unit=cast.commune_b, is_ethnic_minority=True, local_languages=["Xơ Đăng"])
    unit_update(actor=None, unit=cast.commune_a, is_ethnic_minority=True, local_languages=[])
    assert [u.code for u in summary(cast).without_language_speaker] == ["23293"]

    # Speakers elsewhere, or who left before the date, do not count for commune_b.
    posted(cast.commune_a, languages=[("Xơ Đăng", True)])
    posted(cast.commune_b, languages=[("Xơ Đăng", True)], end=D(2025, 8, 15))
    moved = posted(cast.commune_b, languages=[("Xơ Đăng", True)])
    posting_transfer(actor=None, officer=moved, to_unit=cast.commune_a, on=D(2025, 8, 1))
    posted(cast.commune_b, languages=[("Ba Na", True)])
    assert [u.code for u in summary(cast).without_language_speaker] == ["23293"]

    posted(cast.commune_b, languages=[("xơ đăng", True)])  # any spelling of the same language

    assert summary(cast).without_language_speaker == []
    assert rows(summary(cast))["23293"].speaks_local_language is True


# -- norms -----------------------------------------------------------------------------------------


def _norm(**fields) -> StaffingNorm:
    values = {"requires_chief": True, "min_investigators": 0, "effective_from": D(2025, 1, 1), **fields}
    values.setdefault("target", values["minimum"])
    return StaffingNorm.objects.create(**values)


def test_a_norm_for_the_province_overrides_the_national_one(cast, world):
    _norm(province=cast.province_a, minimum=3, requires_chief=False)
    _norm(province=cast.province_b, minimum=1)  # another province's norm changes nothing here
    _norm(province=cast.province_a, minimum=20, effective_from=D(2025, 10, 1))  # not yet in force
    empty = commune_codes(cast.province_a) - {"23500", "23293"}

    s = summary(cast)

    assert {u.code: u.shortfall for u in s.below_norm} == dict.fromkeys(empty, 3)
    assert s.without_chief == []
    assert s.without_investigator == []
    assert rows(s)["23293"].norm.minimum == 3


def test_a_norm_for_the_unit_overrides_the_province_and_type_norms(cast, world):
    _norm(province=cast.province_a, minimum=3)
    _norm(province=cast.province_a, unit_type=cast.commune_b.unit_type, minimum=4)
    _norm(unit=cast.commune_a, minimum=15, min_investigators=2)

    r = rows(summary(cast))

    assert (r["23500"].norm.minimum, r["23500"].shortfall, r["23500"].missing_investigators) == (15, 2, 1)
    assert (r["23293"].norm.minimum, r["23293"].shortfall) == (4, 1)  # a phường
    same_type = [u for u in r.values() if u.type_code == cast.commune_b.unit_type.code and u.code != "23293"]
    other_type = [u for u in r.values() if u.type_code != cast.commune_b.unit_type.code and u.code != "23500"]
    assert same_type
    assert other_type
    assert {u.norm.minimum for u in same_type} == {4}
    assert {u.norm.minimum for u in other_type} == {3}


def test_the_national_norm_of_the_date_applies(cast, world):
    # The 8-officer norm of 2024 applies to a date in 2024; the units did not exist then, so the
    # resolver is checked directly.
    from cax.deployment.norms import NormResolver, norms_in_force

    def minimum(day):
        return NormResolver(norms_in_force(day)).for_unit(cast.commune_a.pk, cast.province_a.pk, 0).minimum

    assert [minimum(D(2022, 1, 1)), minimum(D(2024, 6, 1)), minimum(D(2025, 2, 28)), minimum(D(2025, 3, 1))] == [
        5,
        8,
        8,
        12,
    ]


# -- as of a date ----------------------------------------------------------------------------------


def test_a_past_date_counts_only_the_postings_in_force_that_day(cast, world):
    late = posted(cast.commune_b, start=D(2025, 10, 1), sex=Sex.FEMALE)
    posted(cast.commune_b, end=D(2025, 8, 15))
    posting_transfer(actor=None, officer=world.investigator, to_unit=cast.commune_b, on=D(2025, 10, 1))
    chief_posting = Posting.objects.get(officer=world.chief, end_date__isnull=True)
    posting_end(actor=None, posting=chief_posting, end_date=D(2025, 11, 30))

    def figures(day):
        s = summary(cast, as_of=day)
        r = rows(s)
        a, b = r["23500"], r["23293"]
        return (s.head_count, s.female, a.head_count, b.head_count, a.chiefs, a.investigators, b.investigators)

    assert figures(D(2025, 8, 15)) == (17, 1, 13, 4, 1, 1, 0)
    assert figures(AS_OF) == (16, 1, 13, 3, 1, 1, 0)
    assert figures(D(2025, 9, 30)) == (16, 1, 13, 3, 1, 1, 0)
    assert figures(D(2025, 10, 1)) == (17, 2, 12, 5, 1, 0, 1)
    assert figures(D(2025, 11, 30)) == (17, 2, 12, 5, 1, 0, 1)
    assert figures(D(2025, 12, 1)) == (16, 2, 11, 5, 0, 0, 1)
    assert "23500" in {u.code for u in summary(cast, as_of=D(2025, 12, 1)).without_chief}
    assert late.pk in set(Posting.objects.active_on(D(2025, 10, 1)).values_list("officer", flat=True))


def test_a_date_before_the_units_existed_has_no_communes(cast, world):
    s = summary(cast, as_of=D(2025, 6, 30))
    assert (s.communes, s.covered, s.head_count, s.below_norm) == (0, 0, 0, [])


# -- party -----------------------------------------------------------------------------------------


def test_party_cells_and_committee_seats_are_counted_as_of_the_date(cast, world):
    PartyCell.objects.create(unit=cast.commune_a, founded_on=D(2025, 8, 1), secretary=world.chief)
    PartyCell.objects.create(unit=cast.commune_b, founded_on=D(2025, 7, 1), dissolved_on=D(2025, 8, 31))
    PartyCell.objects.create(unit=cast.commune_c, founded_on=D(2025, 7, 1))  # Hà Nội
    seat = CommitteeSeat.objects.create
    seat(officer=world.chief, unit=cast.commune_a, committee=Committee.EXECUTIVE, start_date=D(2025, 8, 1))
    seat(officer=world.chief, unit=cast.commune_a, committee=Committee.STANDING, start_date=D(2025, 10, 1))
    seat(
        officer=world.investigator,
        unit=cast.commune_a,
        committee=Committee.EXECUTIVE,
        start_date=D(2025, 7, 1),
        end_date=D(2025, 8, 20),
    )
    outsider = posted(cast.commune_c)
    seat(officer=outsider, unit=cast.commune_c, committee=Committee.STANDING, start_date=D(2025, 7, 1))

    def party(day):
        s = summary(cast, as_of=day)
        return s.party_cells, s.executive_seats, s.standing_seats

    assert party(D(2025, 7, 15)) == (1, 1, 0)
    assert party(D(2025, 8, 1)) == (2, 2, 0)
    assert party(D(2025, 8, 25)) == (2, 1, 0)
    assert party(D(2025, 9, 1)) == (1, 1, 0)
    assert party(D(2025, 10, 1)) == (1, 1, 1)


# -- roll-up -------------------------------------------------------------------------------------


def test_the_root_rolls_each_province_up_to_the_province_figures(cast, world):
    posted(cast.commune_c)
    province = summary(cast)
    root = summary(cast, unit=cast.root, actor=cast.admin)

    child = next(c for c in root.children if c.unit.pk == cast.province_a.pk)
    assert (child.communes, child.covered, child.head_count, child.female, child.below_norm) == (
        province.communes,
        province.covered,
        province.head_count,
        province.female,
        len(province.below_norm),
    )
    hanoi = next(c for c in root.children if c.unit.pk == cast.province_b.pk)
    assert (hanoi.covered, hanoi.head_count) == (1, 1)
    assert (root.head_count, root.covered) == (17, 3)
    assert sum(c.communes for c in root.children) == root.communes
    assert {c.unit.parent_id for c in root.children} == {cast.root.pk}


def test_the_province_rolls_up_to_its_communes(cast, world):
    s = summary(cast)
    children = {c.unit.code: c for c in s.children}
    assert set(children) == commune_codes(cast.province_a)
    assert (children["23500"].head_count, children["23500"].female, children["23500"].below_norm) == (13, 1, 0)
    assert (children["23293"].head_count, children["23293"].below_norm) == (3, 1)


# -- monthly series --------------------------------------------------------------------------------


def test_the_monthly_series_counts_officers_in_post_on_the_last_day_of_each_month(cast, world):
    posted(cast.commune_b, end=D(2025, 8, 31))  # still in post on 31 August
    posted(cast.commune_b, end=D(2025, 9, 10))  # gone before 30 September
    posted(cast.commune_b, start=D(2025, 7, 31), end=D(2025, 7, 31))  # in post on 31 July only
    posted(cast.commune_b, start=D(2025, 9, 30))

    s = summary(cast, as_of=D(2025, 10, 15))
    monthly = dict(s.monthly)

    assert monthly[D(2025, 6, 1)] == 0
    assert monthly[D(2025, 7, 1)] == 16 + 3
    assert monthly[D(2025, 8, 1)] == 16 + 2
    assert monthly[D(2025, 9, 1)] == 16 + 1
    assert monthly[D(2025, 10, 1)] == 16 + 1 == s.head_count
    assert s.monthly[-1] == (D(2025, 10, 1), s.head_count)
    assert len(s.monthly) == 24


# -- query counts ----------------------------------------------------------------------------------

MAX_SUMMARY_QUERIES = 8  # 12 before the maintained levels (issue 20.3)


def test_staffing_summary_takes_the_same_queries_for_16_or_216_officers(cast, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    unit_update(actor=None, unit=cast.commune_b, is_ethnic_minority=True, local_languages=["Xơ Đăng"])
    with CaptureQueriesContext(connection) as small_queries:
        small = summary(cast)
    assert small.head_count == 16
    fixed = len(small_queries)
    assert 0 < fixed <= MAX_SUMMARY_QUERIES

    communes = list(Unit.objects.current().commune_level().filter(path__startswith=cast.province_a.path)[:40])
    bulk_posted(communes, 200)

    with django_assert_num_queries(fixed):
        large = summary(cast)
    assert large.head_count == 216
    assert large.female == small.female + 20


def test_the_dashboard_page_and_the_api_take_at_most_16_queries(cast, world, login, django_assert_max_num_queries):
    unit_update(actor=None, unit=cast.commune_b, is_ethnic_minority=True, local_languages=["Xơ Đăng"])
    communes = list(Unit.objects.current().commune_level().filter(path__startswith=cast.province_a.path)[:40])
    bulk_posted(communes, 200)
    client = login(cast.province_leader)

    with django_assert_max_num_queries(16):  # with the notices' bell; 20 before the maintained levels
        page = client.get(reverse("deployment:staffing", args=[cast.province_a.pk]), {"as_of": "01/09/2025"})
    assert page.status_code == 200
    with django_assert_max_num_queries(13):  # 17 before the maintained levels
        api = client.get("/api/v1/units/51/staffing", {"as_of": "2025-09-01"})
    assert api.status_code == 200
    assert api.json()["head_count"] == page.context["summary"].head_count == 216


def test_roles_and_chief_postings_are_kept_apart(cast, world):
    # Deputies count in the head count but are not chiefs.
    posted(cast.commune_b, role=PostingRole.DEPUTY)
    r = rows(summary(cast))
    assert (r["23293"].head_count, r["23293"].chiefs) == (4, 0)
