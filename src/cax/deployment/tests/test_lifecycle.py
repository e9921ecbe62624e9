"""The posting lifecycle by hand (issue 14): transfer, end, leave and back, retirement; future-dated
moves that switch on their date by themselves; closed units; plausible dates; titles as written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cax.core.exceptions import DomainError
from cax.core.models import ChangeLog
from cax.core.testing.units import make_merged_commune
from cax.deployment.models import Posting, PostingEndReason, PostingRole
from cax.deployment.selectors import staffing_summary
from cax.deployment.services import officer_status_change, posting_end, posting_transfer
from cax.deployment.tests.factories import officer, post, posted
from cax.deployment.titles import normalize_role
from cax.personnel.choices import OfficerStatus
from cax.personnel.models import Officer

D = dt.date
TODAY = timezone.localdate()


def fresh(o: Officer) -> Officer:
    return Officer.objects.select_related("unit", "next_unit").get(pk=o.pk)


def head_count(cast, unit, day) -> int:
    return next(u.head_count for u in staffing_summary(actor=cast.admin, unit=unit, as_of=day).units)


def visible_numbers(user) -> set[str]:
    return set(Officer.objects.visible_to(user).values_list("service_number", flat=True))


def travel_to(monkeypatch, day: dt.date) -> None:
    """Run the rest of the test as if today were ``day`` (nothing is rewritten: reads switch)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


# -- transfer ----------------------------------------------------------------------------------------


def test_a_transfer_ends_one_posting_and_opens_the_next_under_one_decision(cast):
    o = posted(cast.commune_a, start=D(2025, 8, 1))
    first = Posting.objects.get(officer=o)

    second = posting_transfer(
        actor=cast.province_staff,
        officer=o,
        to_unit=cast.commune_b,
        role="Phó Trưởng CA phường",
        on=D(2026, 3, 1),
        decision_number="77/QĐ-CAT",
        decision_date=D(2026, 2, 20),
        reason="Tăng cường",
    )

    first.refresh_from_db()
    assert (first.end_date, first.end_reason, first.end_decision_number, first.end_decision_date) == (
        D(2026, 2, 28),
        PostingEndReason.TRANSFER,
        "77/QĐ-CAT",
        D(2026, 2, 20),
    )
    assert (first.start_date, first.decision_number, first.reason) == (D(2025, 8, 1), "", "")  # never overwritten
    assert (second.unit, second.role, second.start_date, second.decision_number) == (
        cast.commune_b,
        PostingRole.DEPUTY,
        D(2026, 3, 1),
        "77/QĐ-CAT",
    )
    assert fresh(o).current_unit == cast.commune_b
    # The staffing figures before, on and after the decision match a hand count.
    assert (head_count(cast, cast.commune_a, D(2026, 2, 28)), head_count(cast, cast.commune_b, D(2026, 2, 28))) == (
        1,
        0,
    )
    assert (head_count(cast, cast.commune_a, D(2026, 3, 1)), head_count(cast, cast.commune_b, D(2026, 3, 1))) == (0, 1)


def test_a_future_transfer_is_planned_and_switches_on_its_date_by_itself(cast, monkeypatch):
    from cax.core.testing.cast import make_user

    o = posted(cast.commune_a, start=D(2025, 8, 1))
    chief_b = make_user("chief_b", "commune_chief", cast.commune_b)
    on = TODAY + dt.timedelta(days=10)

    posting_transfer(actor=cast.province_staff, officer=o, to_unit=cast.commune_b, on=on, decision_number="9/QĐ")

    planned = fresh(o)
    assert planned.current_unit == cast.commune_a
    assert planned.planned_move == (cast.commune_b, on)
    assert o.service_number in visible_numbers(cast.commune_chief)
    assert o.service_number not in visible_numbers(chief_b)
    assert head_count(cast, cast.commune_a, TODAY) == 1

    travel_to(monkeypatch, on)  # no job runs: the reads follow the date
    moved = fresh(o)
    assert moved.current_unit == cast.commune_b
    assert moved.planned_move is None
    assert o.service_number not in visible_numbers(cast.commune_chief)
    assert o.service_number in visible_numbers(chief_b)
    assert (head_count(cast, cast.commune_a, on), head_count(cast, cast.commune_b, on)) == (0, 1)


def test_the_officer_page_says_where_a_planned_move_goes(cast, login):
    o = posted(cast.commune_a, start=D(2025, 8, 1))
    on = TODAY + dt.timedelta(days=30)
    posting_transfer(actor=None, officer=o, to_unit=cast.commune_b, on=on)

    page = login(cast.province_staff).get(f"/officers/{o.pk}/").content.decode()

    assert f"Sẽ điều động đến {cast.commune_b.name} từ {on:%d/%m/%Y}" in page


def test_a_second_planned_change_waits_for_the_first(cast):
    o = posted(cast.commune_a, start=D(2025, 8, 1))
    posting_transfer(actor=None, officer=o, to_unit=cast.commune_b, on=TODAY + dt.timedelta(days=10))
    later = Posting.objects.get(officer=o, end_date__isnull=True)

    with pytest.raises(DomainError, match="chỉ có một thay đổi bố trí chờ hiệu lực"):
        posting_end(actor=None, posting=later, end_date=TODAY + dt.timedelta(days=40))

    assert Posting.objects.get(pk=later.pk).end_date is None


# -- end, leave and back, retirement -----------------------------------------------------------------


def test_ending_a_posting_records_its_decision_and_the_officer_returns_to_the_province(cast):
    o = posted(cast.commune_a, start=D(2025, 8, 1))
    posting = Posting.objects.get(officer=o)

    posting_end(
        actor=cast.province_staff,
        posting=posting,
        end_date=D(2026, 5, 31),
        end_reason=PostingEndReason.STUDY,
        decision_number="12/QĐ-X02",
        decision_date=D(2026, 5, 20),
        note="Học đại học",
    )

    posting.refresh_from_db()
    assert (posting.end_reason, posting.end_decision_number, posting.end_note) == ("study", "12/QĐ-X02", "Học đại học")
    assert fresh(o).current_unit == cast.province_a


def test_retirement_ends_the_open_posting_in_the_same_write(cast):
    o = posted(cast.commune_a, start=D(2025, 8, 1))

    change = officer_status_change(
        actor=cast.province_staff,
        officer=o,
        status=OfficerStatus.RETIRED,
        on=D(2026, 7, 1),
        decision_number="5/QĐ-X01",
        decision_date=D(2026, 6, 1),
    )

    posting = Posting.objects.get(officer=o)
    assert (posting.end_date, posting.end_reason, posting.end_decision_number) == (
        D(2026, 6, 30),
        PostingEndReason.RETIREMENT,
        "5/QĐ-X01",
    )
    assert (change.previous_status, change.status) == (OfficerStatus.ACTIVE, OfficerStatus.RETIRED)
    assert fresh(o).status == OfficerStatus.RETIRED
    assert not Posting.objects.filter(officer=o, end_date__isnull=True).exists()


def test_retirement_before_a_later_posting_is_refused_with_the_reason(cast):
    o = officer(cast.province_a)
    post(o, cast.commune_a, start=D(2026, 3, 1))

    with pytest.raises(DomainError, match="sau ngày hiệu lực"):
        officer_status_change(actor=None, officer=o, status=OfficerStatus.RETIRED, on=D(2026, 2, 1))

    assert fresh(o).status == OfficerStatus.ACTIVE
    assert Posting.objects.get(officer=o).end_date is None


def test_leave_and_back_keep_the_posting_and_the_history(cast):
    o = posted(cast.commune_a, start=D(2025, 8, 1))

    officer_status_change(actor=None, officer=o, status=OfficerStatus.ON_LEAVE, on=D(2026, 4, 1), reason="Thai sản")
    officer_status_change(actor=None, officer=o, status=OfficerStatus.ACTIVE, on=D(2026, 10, 1))

    assert list(o.status_changes.order_by("effective_from").values_list("status", "effective_from")) == [
        (OfficerStatus.ON_LEAVE, D(2026, 4, 1)),
        (OfficerStatus.ACTIVE, D(2026, 10, 1)),
    ]
    assert Posting.objects.get(officer=o).end_date is None
    with pytest.raises(DomainError, match="thay đổi trạng thái gần nhất"):
        officer_status_change(actor=None, officer=o, status=OfficerStatus.STUDYING, on=D(2026, 9, 1))


def test_a_status_change_is_not_dated_ahead(cast):
    o = posted(cast.commune_a, start=D(2025, 8, 1))
    with pytest.raises(DomainError, match="ở tương lai"):
        officer_status_change(actor=None, officer=o, status=OfficerStatus.RETIRED, on=TODAY + dt.timedelta(days=1))


def test_the_registry_refuses_to_retire_a_posted_officer_without_ending_the_posting(cast):
    from cax.personnel.services import officer_upsert

    o = posted(cast.commune_a, start=D(2025, 8, 1))
    with pytest.raises(DomainError, match="đang được bố trí tại"):
        officer_upsert(actor=None, service_number=o.service_number, status=OfficerStatus.RETIRED)
    assert fresh(o).status == OfficerStatus.ACTIVE


# -- closed units and plausible dates ---------------------------------------------------------------


def test_postings_in_a_commune_merged_away_are_kept_inside_its_validity(cast):
    ha_mon = make_merged_commune(cast.commune_a)
    o = officer(cast.province_a, date_of_birth=D(1990, 1, 1), service_start=D(2012, 9, 1))

    post(o, ha_mon, start=D(2019, 1, 1), end=D(2025, 6, 30))
    with pytest.raises(DomainError) as after:
        post(o, ha_mon, start=D(2025, 7, 1))
    with pytest.raises(DomainError, match="nhập ngày kết thúc"):
        post(officer(cast.province_a), ha_mon, start=D(2020, 1, 1))

    assert after.value.message == "Xã Hà Mòn hết hiệu lực từ 01/07/2025; kế thừa: Xã Đăk Hà"
    assert head_count(cast, ha_mon, D(2019, 6, 1)) == 1


def test_a_posting_before_the_officer_came_of_age_is_refused(cast):
    o = officer(cast.province_a, date_of_birth=D(2007, 9, 1))
    with pytest.raises(DomainError) as refused:
        post(o, cast.commune_a, start=D(2025, 8, 1))
    assert refused.value.fields["start_date"] == [
        "Ngày bắt đầu 01/08/2025 trước khi cán bộ đủ 18 tuổi (sinh ngày 01/09/2007)."
    ]


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"date_of_birth": TODAY + dt.timedelta(days=1)}, "date_of_birth", "không ở quá khứ"),
        ({"date_of_birth": TODAY.replace(year=TODAY.year - 16)}, "date_of_birth", "chưa đủ 18 tuổi"),
        ({"date_of_birth": D(1950, 1, 1)}, "date_of_birth", "quá hạn tuổi phục vụ 62"),
        ({"date_of_birth": D(1990, 1, 1), "service_start": D(2005, 1, 1)}, "service_start", "trước khi cán bộ đủ 18"),
        ({"is_party_member": True, "party_joined_on": TODAY + dt.timedelta(days=3)}, "party_joined_on", "tương lai"),
    ],
)
def test_implausible_officer_dates_are_refused_naming_the_field(cast, fields, field, text):
    with pytest.raises(DomainError) as refused:
        officer(cast.province_a, **fields)
    assert text in refused.value.fields[field][0]


def test_a_retired_officer_may_be_older_than_the_service_age(cast):
    retired = officer(cast.province_a, date_of_birth=D(1950, 1, 1), status=OfficerStatus.RETIRED)
    assert retired.pk


# -- titles as people write them -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Trưởng Công an xã", "chief"),
        ("Trưởng CA xã", "chief"),
        ("trưởng", "chief"),
        ("Trưởng Công an phường", "chief"),
        ("Trưởng Công an", "chief"),
        ("chief", "chief"),
        ("Phó Trưởng Công an xã", "deputy"),
        ("Phó trưởng CA xã", "deputy"),
        ("Phó", "deputy"),
        ("Cán bộ, chiến sĩ", "officer"),
        ("cán bộ", "officer"),
        ("CBCS", "officer"),
        ("Officer", "officer"),
    ],
)
def test_titles_are_read_as_people_write_them(text, role):
    assert normalize_role(text) == role


def test_an_unknown_title_is_refused_with_the_accepted_ones():
    with pytest.raises(DomainError, match="dùng: Trưởng Công an xã"):
        normalize_role("Giám đốc")


# -- the change log -------------------------------------------------------------------------------


def test_every_lifecycle_step_is_logged_and_no_row_is_rewritten(cast):
    o = posted(cast.commune_a, start=D(2025, 8, 1))
    posting_transfer(actor=cast.province_staff, officer=o, to_unit=cast.commune_b, on=D(2026, 1, 1))
    officer_status_change(actor=cast.province_staff, officer=o, status=OfficerStatus.RETIRED, on=D(2026, 6, 1))

    postings = list(Posting.objects.filter(officer=o).order_by("start_date"))
    assert [(p.unit_id, p.start_date, p.end_date, p.end_reason) for p in postings] == [
        (cast.commune_a.pk, D(2025, 8, 1), D(2025, 12, 31), "transfer"),
        (cast.commune_b.pk, D(2026, 1, 1), D(2026, 5, 31), "retirement"),
    ]
    logged = set(ChangeLog.objects.filter(actor=cast.province_staff).values_list("object_type", "action").distinct())
    assert {
        ("deployment.posting", "create"),
        ("deployment.posting", "update"),
        ("personnel.statuschange", "create"),
    } <= logged
