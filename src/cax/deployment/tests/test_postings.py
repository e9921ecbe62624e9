"""Posting rules (#4): enforced by the services, and by the database where it can express them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from cax.core.context import request_context
from cax.core.exceptions import DomainError, NotVisible, PermissionDenied
from cax.core.models import ChangeLog
from cax.deployment.models import Posting, PostingEndReason, PostingRole
from cax.deployment.services import posting_end, posting_transfer
from cax.deployment.tests.factories import START, officer, post, posted
from cax.personnel.models import Officer

D = dt.date


def fresh(o: Officer) -> Officer:
    return Officer.objects.select_related("unit").get(pk=o.pk)


def open_postings(o: Officer) -> list[tuple[str, dt.date]]:
    return list(Posting.objects.filter(officer=o, end_date__isnull=True).values_list("unit__code", "start_date"))


# -- one open posting per officer, no overlaps -----------------------------------------------------


def test_the_service_refuses_a_second_open_posting_for_an_officer(cast):
    o = posted(cast.commune_a)

    with pytest.raises(DomainError, match="Trùng thời gian") as info:
        post(o, cast.commune_b, start=D(2025, 9, 1))

    assert cast.commune_a.name in info.value.message
    assert "01/07/2025" in info.value.message
    assert open_postings(o) == [("23500", START)]


def test_the_database_refuses_a_second_open_posting_for_an_officer(cast):
    o = posted(cast.commune_a)

    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(officer=o, unit=cast.commune_b, start_date=D(2026, 1, 1))

    assert Posting.objects.filter(officer=o).count() == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2025, 9, 15), D(2025, 10, 31)),  # starts inside
        (D(2025, 7, 1), D(2025, 8, 1)),  # ends on the first day
        (D(2025, 9, 30), D(2025, 9, 30)),  # one day, the last day
        (D(2025, 8, 10), D(2025, 8, 20)),  # inside
        (D(2025, 7, 1), D(2025, 12, 31)),  # around
        (D(2025, 9, 1), None),  # open, starting inside
        (D(2025, 7, 1), None),  # open, starting before
    ],
)
def test_overlapping_postings_are_refused_with_a_message_naming_the_clash(cast, start, end):
    o = officer(cast.province_a)
    post(o, cast.commune_a, start=D(2025, 8, 1), end=D(2025, 9, 30))

    with pytest.raises(DomainError) as info:
        post(o, cast.commune_b, start=start, end=end)

    assert info.value.message == f"Trùng thời gian với quyết định bố trí tại {cast.commune_a.name} từ 01/08/2025."
    assert Posting.objects.filter(officer=o).count() == 1


def test_back_to_back_postings_do_not_overlap(cast):
    o = officer(cast.province_a)
    post(o, cast.commune_a, start=D(2025, 8, 1), end=D(2025, 9, 30))
    post(o, cast.commune_b, start=D(2025, 10, 1), end=D(2025, 10, 31))
    post(o, cast.commune_a, start=D(2025, 11, 1))
    # An earlier closed posting is allowed before the others too.
    post(o, cast.commune_b, start=D(2025, 7, 1), end=D(2025, 7, 31))

    assert list(Posting.objects.filter(officer=o).order_by("start_date").values_list("start_date", "end_date")) == [
        (D(2025, 7, 1), D(2025, 7, 31)),
        (D(2025, 8, 1), D(2025, 9, 30)),
        (D(2025, 10, 1), D(2025, 10, 31)),
        (D(2025, 11, 1), None),
    ]


def test_ending_a_posting_late_cannot_make_it_overlap_the_next_one(cast):
    o = officer(cast.province_a)
    first = post(o, cast.commune_a, start=D(2025, 7, 1), end=D(2025, 8, 31))
    post(o, cast.commune_b, start=D(2025, 9, 1))

    with pytest.raises(DomainError, match="đã kết thúc ngày 31/08/2025; không ghi đè lịch sử"):
        posting_end(actor=None, posting=first, end_date=D(2025, 10, 31))

    first.refresh_from_db()
    assert first.end_date == D(2025, 8, 31)


def test_an_ended_posting_is_history_its_end_is_not_rewritten(cast):
    o = officer(cast.province_a)
    first = post(o, cast.commune_a, start=D(2025, 7, 1), end=D(2025, 8, 31))
    post(o, cast.commune_a, role=PostingRole.DEPUTY, start=D(2025, 9, 1))
    assert fresh(o).unit == cast.commune_a

    with pytest.raises(DomainError, match="không ghi đè lịch sử"):
        posting_end(actor=None, posting=first, end_date=D(2025, 8, 15))

    first.refresh_from_db()
    assert first.end_date == D(2025, 8, 31)
    assert fresh(o).unit == cast.commune_a  # still posted there as deputy


# -- one open chief per unit -----------------------------------------------------------------------


def test_the_service_refuses_a_second_open_chief_in_a_unit(cast):
    posted(cast.commune_a, role=PostingRole.CHIEF)
    second = officer(cast.province_a)

    with pytest.raises(DomainError) as info:
        post(second, cast.commune_a, role=PostingRole.CHIEF, start=D(2025, 9, 1))

    assert f"{cast.commune_a.name} đã có Trưởng Công an" in info.value.message
    assert not Posting.objects.filter(officer=second).exists()
    assert fresh(second).unit == cast.province_a
    # Another unit may have its own chief, and the unit may have deputies.
    post(second, cast.commune_b, role=PostingRole.CHIEF, start=D(2025, 9, 1))
    posted(cast.commune_a, role=PostingRole.DEPUTY)


def test_a_new_chief_may_follow_one_whose_posting_ended(cast):
    old = posted(cast.commune_a, role=PostingRole.CHIEF)
    posting_end(actor=None, posting=Posting.objects.get(officer=old), end_date=D(2025, 8, 31))

    new = posted(cast.commune_a, role=PostingRole.CHIEF, start=D(2025, 9, 1))

    assert Posting.objects.get(officer=new, end_date__isnull=True).role == PostingRole.CHIEF


def test_the_database_refuses_a_second_open_chief_in_a_unit(cast):
    posted(cast.commune_a, role=PostingRole.CHIEF)
    second = officer(cast.province_a)

    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(officer=second, unit=cast.commune_a, role=PostingRole.CHIEF, start_date=START)

    assert Posting.objects.filter(unit=cast.commune_a, role=PostingRole.CHIEF).count() == 1


# -- commune-level units only, dates in order ------------------------------------------------------


@pytest.mark.parametrize("target", ["province_a", "root"])
def test_postings_go_to_commune_level_units_only(cast, target):
    o = officer(cast.province_a)
    unit = getattr(cast, target)

    with pytest.raises(DomainError, match="Chỉ bố trí vào đơn vị cấp xã") as info:
        post(o, unit)

    assert unit.name in info.value.message
    assert not Posting.objects.filter(officer=o).exists()
    assert fresh(o).unit == cast.province_a


def test_the_service_refuses_an_end_before_the_start(cast):
    o = officer(cast.province_a)

    with pytest.raises(DomainError, match="Ngày kết thúc phải bằng hoặc sau ngày bắt đầu"):
        post(o, cast.commune_a, start=D(2025, 9, 1), end=D(2025, 8, 31))
    assert not Posting.objects.filter(officer=o).exists()

    one_day = post(o, cast.commune_a, start=D(2025, 9, 1), end=D(2025, 9, 1))
    assert one_day.end_date == one_day.start_date

    current = post(o, cast.commune_a, start=D(2025, 10, 1))
    with pytest.raises(DomainError, match="Ngày kết thúc phải bằng hoặc sau ngày bắt đầu"):
        posting_end(actor=None, posting=current, end_date=D(2025, 9, 30))
    current.refresh_from_db()
    assert current.end_date is None


def test_the_database_refuses_an_end_before_the_start(cast):
    o = officer(cast.province_a)

    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(officer=o, unit=cast.commune_a, start_date=D(2025, 9, 1), end_date=D(2025, 8, 31))

    assert not Posting.objects.filter(officer=o).exists()


def test_an_unknown_role_is_refused(cast):
    o = officer(cast.province_a)
    with pytest.raises(DomainError, match="Chức danh không hợp lệ"):
        post(o, cast.commune_a, role="sheriff")
    assert not Posting.objects.filter(officer=o).exists()


# -- transfers -------------------------------------------------------------------------------------


def test_a_transfer_closes_the_old_posting_the_day_before_and_opens_the_next(cast):
    o = posted(cast.commune_a)

    new = posting_transfer(
        actor=cast.province_staff,
        officer=o,
        to_unit=cast.commune_b,
        role=PostingRole.DEPUTY,
        on=D(2025, 10, 1),
        decision_number="12/QĐ-CAT",
        reason="Điều động",
    )

    assert list(
        Posting.objects.filter(officer=o)
        .order_by("start_date")
        .values_list("unit__code", "role", "start_date", "end_date")
    ) == [
        ("23500", PostingRole.OFFICER, START, D(2025, 9, 30)),
        ("23293", PostingRole.DEPUTY, D(2025, 10, 1), None),
    ]
    assert (new.decision_number, new.reason) == ("12/QĐ-CAT", "Điều động")
    assert fresh(o).unit == cast.commune_b


def test_a_transfer_on_or_before_the_current_start_is_refused(cast):
    o = posted(cast.commune_a)

    with pytest.raises(DomainError, match="phải sau ngày bắt đầu"):
        posting_transfer(actor=None, officer=o, to_unit=cast.commune_b, on=START)

    assert open_postings(o) == [("23500", START)]


def test_a_transfer_that_cannot_open_the_next_posting_leaves_the_old_one_open(cast):
    posted(cast.commune_b, role=PostingRole.CHIEF)
    o = posted(cast.commune_a)
    log_before = ChangeLog.objects.count()

    with pytest.raises(DomainError, match="đã có Trưởng Công an"):
        posting_transfer(
            actor=cast.province_staff, officer=o, to_unit=cast.commune_b, role=PostingRole.CHIEF, on=D(2025, 10, 1)
        )

    assert list(Posting.objects.filter(officer=o).values_list("unit__code", "start_date", "end_date")) == [
        ("23500", START, None)
    ]
    assert fresh(o).unit == cast.commune_a
    assert ChangeLog.objects.count() == log_before


def test_a_transfer_of_an_officer_without_an_open_posting_just_opens_one(cast):
    o = officer(cast.province_a)
    posting_transfer(actor=None, officer=o, to_unit=cast.commune_b, on=D(2025, 10, 1))
    assert open_postings(o) == [("23293", D(2025, 10, 1))]
    assert fresh(o).unit == cast.commune_b


# -- officer.unit follows the open posting ---------------------------------------------------------


def test_officer_unit_follows_the_open_posting_and_returns_to_the_parent_when_it_ends(cast):
    o = officer(cast.province_a)

    post(o, cast.commune_a, start=D(2025, 7, 1), end=D(2025, 7, 31))
    assert fresh(o).unit == cast.province_a  # a closed posting does not move the officer

    current = post(o, cast.commune_a, start=D(2025, 8, 1))
    assert fresh(o).unit == cast.commune_a

    posting_end(actor=None, posting=current, end_date=D(2025, 12, 31), end_reason=PostingEndReason.RETIREMENT)
    assert fresh(o).unit == cast.commune_a.parent == cast.province_a
    current.refresh_from_db()
    # The ending decision is kept beside the starting one, which stays as it was.
    assert (current.end_date, current.end_reason, current.reason) == (D(2025, 12, 31), "retirement", "")


# -- the change log --------------------------------------------------------------------------------


def test_every_posting_write_is_in_the_change_log(cast):
    o = officer(cast.province_a)
    staff = cast.province_staff

    with request_context("req-post-create"):
        first = post(o, cast.commune_a, actor=staff)
    with request_context("req-post-transfer"):
        second = posting_transfer(actor=staff, officer=o, to_unit=cast.commune_b, on=D(2025, 10, 1))
    with request_context("req-post-end"):
        posting_end(actor=staff, posting=second, end_date=D(2025, 12, 31))

    def entries(request_id):
        return list(
            ChangeLog.objects.filter(request_id=request_id)
            .order_by("pk")
            .values_list("actor_name", "action", "object_type", "object_id", "unit_path")
        )

    staff_name = staff.username
    assert entries("req-post-create") == [
        (staff_name, "create", "deployment.posting", str(first.pk), cast.commune_a.path),
        (staff_name, "update", "personnel.officer", str(o.pk), cast.commune_a.path),
    ]
    assert entries("req-post-transfer") == [
        (staff_name, "update", "deployment.posting", str(first.pk), cast.commune_a.path),
        (staff_name, "update", "personnel.officer", str(o.pk), cast.province_a.path),
        (staff_name, "create", "deployment.posting", str(second.pk), cast.commune_b.path),
        (staff_name, "update", "personnel.officer", str(o.pk), cast.commune_b.path),
    ]
    assert entries("req-post-end") == [
        (staff_name, "update", "deployment.posting", str(second.pk), cast.commune_b.path),
        (staff_name, "update", "personnel.officer", str(o.pk), cast.province_a.path),
    ]
    ended = ChangeLog.objects.get(request_id="req-post-end", object_type="deployment.posting")
    assert (ended.before["end_date"], ended.after["end_date"]) == (None, "2025-12-31")
    moved = ChangeLog.objects.get(request_id="req-post-create", object_type="personnel.officer")
    assert (moved.before["unit_id"], moved.after["unit_id"]) == (cast.province_a.pk, cast.commune_a.pk)


def test_a_refused_posting_leaves_no_change_log(cast):
    o = posted(cast.commune_a)
    before = ChangeLog.objects.count()
    with pytest.raises(DomainError):
        post(o, cast.commune_b, start=D(2025, 9, 1))
    assert ChangeLog.objects.count() == before


# -- who may post ----------------------------------------------------------------------------------


def test_province_staff_cannot_post_into_another_province(cast):
    o = officer(cast.province_a)

    with pytest.raises(NotVisible):
        post(o, cast.commune_c, actor=cast.province_staff)
    with pytest.raises(NotVisible):
        posting_transfer(actor=cast.province_staff, officer=o, to_unit=cast.commune_c, on=D(2025, 10, 1))

    assert not Posting.objects.filter(officer=o).exists()
    assert fresh(o).unit == cast.province_a


def test_province_staff_cannot_end_a_posting_in_another_province(cast):
    o = posted(cast.commune_c)
    posting = Posting.objects.get(officer=o)

    with pytest.raises(NotVisible):
        posting_end(actor=cast.province_staff, posting=posting, end_date=D(2025, 12, 31))
    with pytest.raises(NotVisible):
        posting_transfer(actor=cast.province_staff, officer=o, to_unit=cast.commune_a, on=D(2025, 10, 1))

    assert open_postings(o) == [("00070", START)]
    assert fresh(o).unit == cast.commune_c


def test_province_staff_cannot_pull_an_officer_of_another_province_into_their_own(cast):
    # The Hà Nội officer is outside staff_a's scope: posting them to Quảng Ngãi would hand over their file.
    outsider = officer(cast.province_b)

    with pytest.raises(NotVisible):
        post(outsider, cast.commune_a, actor=cast.province_staff)

    assert not Posting.objects.filter(officer=outsider).exists()
    assert fresh(outsider).unit == cast.province_b


def test_province_staff_may_post_inside_their_province(cast):
    o = officer(cast.province_a, actor=cast.province_staff)
    post(o, cast.commune_a, actor=cast.province_staff)
    assert fresh(o).unit == cast.commune_a


@pytest.mark.parametrize(
    "role", ["commune_chief", "commune_officer", "province_leader", "department_staff", "ministry_leader", "auditor"]
)
def test_roles_without_posting_rights_cannot_post_end_or_transfer(cast, role):
    user = cast.by_role(role)
    o = posted(cast.commune_a)
    current = Posting.objects.get(officer=o)
    spare = officer(cast.province_a)

    with pytest.raises(PermissionDenied):
        post(spare, cast.commune_a, actor=user)
    with pytest.raises(PermissionDenied):
        posting_end(actor=user, posting=current, end_date=D(2025, 12, 31))
    with pytest.raises(PermissionDenied):
        posting_transfer(actor=user, officer=o, to_unit=cast.commune_a, role=PostingRole.DEPUTY, on=D(2025, 10, 1))

    assert not Posting.objects.filter(officer=spare).exists()
    assert open_postings(o) == [("23500", START)]


def test_two_chiefs_may_not_overlap_in_history_either(cast):
    first = officer(cast.province_a)
    post(first, cast.commune_a, role=PostingRole.CHIEF, start=D(2025, 8, 1), end=D(2025, 12, 31))
    second = officer(cast.province_a)
    with pytest.raises(DomainError, match="đã có Trưởng Công an"):
        post(second, cast.commune_a, role=PostingRole.CHIEF, start=D(2025, 12, 1))
    # The day after the first chief left is fine.
    post(second, cast.commune_a, role=PostingRole.CHIEF, start=D(2026, 1, 1))
