"""Requests from commune police: the conference → department → answer loop of seed 004."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from cax.core.exceptions import DomainError, PermissionDenied
from cax.core.imports import ImportRejected
from cax.core.models import ChangeLog
from cax.core.records.importing import import_records
from cax.core.testing.cast import make_user
from cax.core.testing.units import make_department
from cax.petitions import selectors, services
from cax.petitions.models import Petition, Status
from cax.petitions.registers import CONFERENCES, PETITIONS

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = (TODAY.replace(month=1, day=1), TODAY)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def department(cast):
    return make_department(cast.province_a, "51-PX05", "Phòng Xây dựng phong trào bảo vệ ANTQ")


@pytest.fixture
def department_user(department):
    return make_user("phong_px05", "department_staff", department)


def _conference(cast):
    return CONFERENCES.save(
        actor=cast.province_leader,
        instance=None,
        data={"unit": cast.province_a, "title": "Lắng nghe ý kiến của Công an xã", "held_on": TODAY},
    )


def _raise(actor, unit, **extra):
    data = {"unit": unit, "raised_on": TODAY, "topic": "reporting", "text": "Đề nghị giảm báo cáo ngày"}
    data.update(extra)
    return PETITIONS.save(actor=actor, instance=None, data=data)


def test_conference_request_assigned_answered_by_the_department_and_the_province_figure_follows(
    cast, login, department, department_user
):
    client = login(cast.province_leader)
    conference = _conference(cast)
    response = client.post(
        reverse("petitions:petition_create"),
        {
            "unit": cast.commune_a.code,
            "conference": conference.pk,
            "source": "conference",
            "raised_on": TODAY.isoformat(),
            "topic": "reporting",
            "text": "Đề nghị giảm số báo cáo ngày, thống nhất một mẫu",
        },
    )
    petition = Petition.objects.get()
    assert response.status_code == 302
    assert petition.status == Status.OPEN
    assert (
        selectors.figures(actor=cast.province_leader, unit=cast.province_a, first=YEAR[0], last=YEAR[1])["answered"]
        == 0
    )

    response = client.post(
        reverse("petitions:petition_assign", args=[petition.pk]),
        {"department": department.code, "due_on": (TODAY + dt.timedelta(days=15)).isoformat(), "note": ""},
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert (petition.status, petition.assigned_department) == (Status.ASSIGNED, department)

    # The department's user sees it in their list (it lies outside their subtree otherwise) and answers it.
    client.force_login(department_user)
    listing = client.get(reverse("petitions:petition_list"))
    assert [obj.pk for obj, _cells in listing.context["rows"]] == [petition.pk]
    page = client.get(reverse("petitions:petition_detail", args=[petition.pk]))
    assert page.context["can_answer"]
    assert not page.context["can_assign"]
    response = client.post(
        reverse("petitions:petition_answer", args=[petition.pk]),
        {"answer": "Từ 01/01 chỉ còn một mẫu báo cáo ngày.", "answered_by": "Trưởng phòng PX05", "answered_on": ""},
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == Status.ANSWERED
    assert not petition.answered_on_spot
    assert petition.answered_by_user == department_user

    figures = selectors.figures(actor=cast.province_leader, unit=cast.province_a, first=YEAR[0], last=YEAR[1])
    assert (figures["raised"], figures["answered"], figures["unanswered"]) == (1, 1, 0)
    tile = selectors.tiles(actor=cast.province_leader, unit=cast.province_a, first=YEAR[0], last=YEAR[1])[0]
    assert tile.value == "100%"
    overview = login(cast.province_leader).get(reverse("overview:unit", args=[cast.province_a.pk]))
    assert "100%" in overview.content.decode()
    messages = list(
        ChangeLog.objects.filter(object_type="petitions.petition", object_id=str(petition.pk))
        .order_by("time", "pk")
        .values_list("action", flat=True)
    )
    assert messages == ["create", "update", "update"]


def test_other_departments_and_communes_do_not_see_it(cast, department):
    other = make_user("phong_khac", "department_staff", make_department(cast.province_a, "51-PC06", "Phòng PC06"))
    petition = _raise(cast.province_staff, cast.commune_a)
    services.petition_assign(
        actor=cast.province_staff, petition=petition, department=department, due_on=TODAY + dt.timedelta(days=5)
    )
    assert not Petition.objects.visible_to(other).exists()
    assert not Petition.objects.visible_to(cast.commune_c_officer).exists()
    assert Petition.objects.visible_to(cast.commune_officer).count() == 1
    with pytest.raises(DomainError):
        services.petition_answer(actor=other, petition=petition, answer="x", answered_by="y")


def test_on_the_spot_answer_needs_who_answered_and_counts_as_on_spot(cast):
    petition = _raise(cast.province_leader, cast.commune_a)
    with pytest.raises(DomainError) as refused:
        services.petition_answer(actor=cast.province_leader, petition=petition, answer="Đồng ý", answered_by=" ")
    assert "answered_by" in refused.value.fields
    services.petition_answer(
        actor=cast.province_leader, petition=petition, answer="Đồng ý", answered_by="Giám đốc Công an tỉnh"
    )
    petition.refresh_from_db()
    assert petition.answered_on_spot
    with pytest.raises(DomainError, match="đã được trả lời"):
        services.petition_answer(actor=cast.province_leader, petition=petition, answer="Lại", answered_by="x")


def test_commune_chief_raises_but_may_not_assign_or_answer(cast, department):
    petition = _raise(cast.commune_chief, cast.commune_a)
    with pytest.raises(PermissionDenied):
        services.petition_assign(
            actor=cast.commune_chief, petition=petition, department=department, due_on=TODAY + dt.timedelta(days=3)
        )
    with pytest.raises(PermissionDenied):
        services.petition_answer(actor=cast.commune_chief, petition=petition, answer="x", answered_by="y")
    with pytest.raises(DomainError):  # another commune is outside the chief's subtree
        _raise(cast.commune_chief, cast.commune_b)


def test_assignment_rules_name_the_field(cast, department):
    petition = _raise(cast.province_staff, cast.commune_a)
    with pytest.raises(DomainError) as early:
        services.petition_assign(
            actor=cast.province_staff, petition=petition, department=department, due_on=TODAY - dt.timedelta(days=1)
        )
    assert "due_on" in early.value.fields
    with pytest.raises(DomainError) as not_department:
        services.petition_assign(
            actor=cast.admin, petition=petition, department=cast.commune_b, due_on=TODAY + dt.timedelta(days=1)
        )
    assert "assigned_department" in not_department.value.fields
    hanoi_department = make_department(cast.province_b, "01-PX05", "Phòng PX05 Hà Nội")
    with pytest.raises(DomainError, match="không thuộc tỉnh"):
        services.petition_assign(
            actor=cast.admin, petition=petition, department=hanoi_department, due_on=TODAY + dt.timedelta(days=1)
        )


def test_overdue_reminders_are_counted_logged_and_not_repeated_too_often(cast, department):
    petition = _raise(cast.province_staff, cast.commune_a, raised_on=TODAY - dt.timedelta(days=30))
    Petition.objects.filter(pk=petition.pk).update(
        status=Status.ASSIGNED,
        assigned_department=department,
        assigned_on=TODAY - dt.timedelta(days=30),
        due_on=TODAY - dt.timedelta(days=10),
    )
    assert [p.pk for p in services.remind_overdue(today=TODAY, every_days=7)] == [petition.pk]
    assert services.remind_overdue(today=TODAY + dt.timedelta(days=3), every_days=7) == []
    assert len(services.remind_overdue(today=TODAY + dt.timedelta(days=7), every_days=7)) == 1
    petition.refresh_from_db()
    assert petition.reminders == 2
    assert ChangeLog.objects.filter(object_id=str(petition.pk), message__startswith="Nhắc lần 2").exists()
    tile = selectors.tiles(actor=cast.province_staff, unit=cast.province_a, first=YEAR[0], last=YEAR[1])[1]
    assert (tile.value, tile.state) == ("1", "bad")


def test_conference_minutes_import_all_or_nothing_with_rows_and_columns(cast, department):
    conference = _conference(cast)
    header = [
        "Mã đơn vị kiến nghị",
        "Ngày kiến nghị",
        "Lĩnh vực",
        "Nội dung kiến nghị",
        "Số hội nghị",
        "Mã phòng được giao",
        "Hạn trả lời",
        "Nội dung trả lời",
        "Người trả lời",
    ]
    due = (TODAY + dt.timedelta(days=20)).strftime("%d/%m/%Y")
    day = TODAY.strftime("%d/%m/%Y")
    bad = _xlsx(
        [
            header,
            [
                cast.commune_a.code,
                day,
                "Chế độ báo cáo, giấy tờ",
                "Giảm báo cáo",
                conference.pk,
                department.code,
                due,
                "",
                "",
            ],
            [
                cast.commune_b.code,
                day,
                "Trụ sở, trang thiết bị",
                "Xây trụ sở",
                conference.pk,
                "",
                "",
                "Đã bố trí vốn",
                "",
            ],
            [cast.commune_b.code, day, "không có", "Phụ cấp", conference.pk, "", "", "", ""],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        import_records(PETITIONS, actor=cast.province_leader, filename="hn.xlsx", content=bad, dry_run=False)
    assert [(e.row, e.column) for e in rejected.value.errors] == [(3, "Người trả lời"), (4, "Lĩnh vực")]
    assert not Petition.objects.exists()
    good = _xlsx([header[:4], [cast.commune_a.code, day, "staffing", "Thiếu 2 cán bộ"]])
    result = import_records(PETITIONS, actor=cast.commune_chief, filename="hn.xlsx", content=good, dry_run=False)
    assert result.created == 1


def test_answering_and_assigning_through_the_api(cast, client, department, department_user):
    client.force_login(cast.province_leader)
    created = client.post(
        "/api/v1/petitions/requests",
        {"unit": cast.commune_a.code, "raised_on": TODAY.isoformat(), "topic": "Pháp luật, thủ tục", "text": "Hỏi"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assigned = client.post(
        f"/api/v1/petitions/requests/{pk}/assign",
        {"department": department.code, "due_on": (TODAY + dt.timedelta(days=9)).isoformat()},
        content_type="application/json",
    )
    assert assigned.json()["status"] == "assigned"
    client.force_login(department_user)
    answered = client.post(
        f"/api/v1/petitions/requests/{pk}/answer",
        {"answer": "Trả lời", "answered_by": "PX05"},
        content_type="application/json",
    )
    assert answered.status_code == 200
    assert answered.json()["status"] == "answered"
    client.force_login(cast.commune_c_officer)
    assert client.get(f"/api/v1/petitions/requests/{pk}").status_code == 404


def test_list_detail_and_tiles_keep_a_constant_query_count(cast, login, department, django_assert_max_num_queries):
    conference = _conference(cast)
    for i in range(25):
        petition = _raise(cast.province_staff, cast.commune_a if i % 2 else cast.commune_b, conference=conference)
        if i % 3 == 0:
            services.petition_assign(
                actor=cast.province_staff, petition=petition, department=department, due_on=TODAY + dt.timedelta(days=i)
            )
    client = login(cast.province_staff)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("petitions:petition_list"), {"q": "bao cao"}).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("petitions:petition_list"), {"format": "xlsx"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("petitions:conference_detail", args=[conference.pk])).status_code == 200
    with django_assert_max_num_queries(2):
        selectors.tiles(actor=cast.province_staff, unit=cast.province_a, first=YEAR[0], last=YEAR[1])


def test_remind_command_reminds_overdue_requests(cast, department):
    from io import StringIO

    from django.core.management import call_command

    petition = _raise(cast.province_staff, cast.commune_a, raised_on=TODAY - dt.timedelta(days=30))
    Petition.objects.filter(pk=petition.pk).update(
        status=Status.ASSIGNED,
        assigned_department=department,
        assigned_on=TODAY - dt.timedelta(days=30),
        due_on=TODAY - dt.timedelta(days=1),
    )
    out = StringIO()
    call_command("remind_petitions", "--every", "7", stdout=out)
    assert "1 kiến nghị đã nhắc" in out.getvalue()
    petition.refresh_from_db()
    assert petition.reminders == 1


def test_raising_rights_cannot_move_a_deadline_or_undo_an_answer(cast, department, client):
    """The commune that raised a request may correct its text, not its assignment or answer (API)."""
    petition = _raise(cast.commune_chief, cast.commune_a)
    services.petition_assign(
        actor=cast.province_staff, petition=petition, department=department, due_on=TODAY + dt.timedelta(days=5)
    )
    client.force_login(cast.commune_chief)
    url = f"/api/v1/petitions/requests/{petition.pk}"
    moved = client.patch(url, {"due_on": "2030-01-01"}, content_type="application/json")
    assert moved.status_code == 403
    cleared = client.patch(url, {"assigned_department": ""}, content_type="application/json")
    assert cleared.status_code == 403
    fixed = client.patch(url, {"text": "Đề nghị giảm báo cáo ngày (bổ sung)"}, content_type="application/json")
    assert fixed.status_code == 200
    services.petition_answer(actor=cast.province_leader, petition=petition, answer="Đồng ý", answered_by="GĐ")
    client.force_login(cast.province_leader)
    rewritten = client.patch(url, {"answer": "Khác"}, content_type="application/json")
    assert rewritten.status_code == 400
    petition.refresh_from_db()
    assert (petition.status, petition.answer, petition.due_on) == (
        Status.ANSWERED,
        "Đồng ý",
        TODAY + dt.timedelta(days=5),
    )


def test_the_tiles_and_their_lists_follow_the_as_of_date(cast, login, department):
    """A request overdue in March and answered in May: the March overview counts it overdue and its
    list shows it; today it is neither overdue nor waiting (issue 14: figures follow the as-of date)."""
    d = dt.date
    petition = _raise(cast.province_staff, cast.commune_a, raised_on=d(2026, 1, 10))
    Petition.objects.filter(pk=petition.pk).update(
        assigned_department=department,
        assigned_on=d(2026, 1, 12),
        due_on=d(2026, 2, 12),
        status=Status.ANSWERED,
        answer="Đã thống nhất một mẫu báo cáo",
        answered_by="Trưởng phòng",
        answered_on=d(2026, 5, 4),
    )

    march = {
        str(t.title): t
        for t in selectors.tiles(
            actor=cast.province_leader, unit=cast.province_a, first=d(2026, 3, 1), last=d(2026, 3, 31)
        )
    }
    now = {
        str(t.title): t
        for t in selectors.tiles(actor=cast.province_leader, unit=cast.province_a, first=YEAR[0], last=TODAY)
    }

    assert (march["Quá hạn trả lời"].value, march["Chưa trả lời"].value) == ("1", "1")
    assert (now["Quá hạn trả lời"].value, now["Chưa trả lời"].value) == ("0", "0")
    listed = login(cast.province_leader).get(march["Quá hạn trả lời"].url)
    assert "as_of=2026-03-31" in march["Quá hạn trả lời"].url
    assert petition.text in listed.content.decode()
    assert petition.text not in login(cast.province_leader).get(now["Quá hạn trả lời"].url).content.decode()
