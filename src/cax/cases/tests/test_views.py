import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cax.cases.choices import Status
from cax.cases.models import Case, IdentityAccess
from cax.cases.tests.test_register import VN, register, step

FORM = {
    "kind": "denunciation",
    "channel": "in_person",
    "received_at": "10/09/2025 14:00",
    "reporter_kind": "person",
    "reporter_name": "Trần Thị Báo",
    "reporter_id_number": "051190000123",
    "summary": "Trộm cắp tài sản tại chợ",
    "incident_at": "10/09/2025 08:00",
}


def test_a_commune_officer_registers_on_the_web_and_lands_on_the_case(cast, login):
    client = login(cast.commune_officer)
    response = client.post(reverse("cases:register", args=[cast.commune_a.pk]), FORM)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])
    body = client.get(response.url).content.decode()
    assert "Trần Thị Báo" in body
    assert "11/09/2025 14:00" in body  # the 24-hour transfer deadline


def test_an_incident_after_receipt_is_a_form_error_and_saves_nothing(cast, login):
    data = {**FORM, "incident_at": "11/09/2025 08:00"}
    response = login(cast.commune_officer).post(reverse("cases:register", args=[cast.commune_a.pk]), data)
    assert response.status_code == 200
    assert "không thể sau thời điểm tiếp nhận" in response.content.decode()
    assert not Case.objects.exists()


def test_a_similar_report_asks_for_confirmation_before_a_second_entry(cast, login):
    register(cast.commune_officer, cast.commune_a, summary="Trộm cắp tài sản tại chợ Đăk Hà")
    client = login(cast.commune_officer)
    response = client.post(reverse("cases:register", args=[cast.commune_a.pk]), FORM)
    assert response.status_code == 200
    assert Case.objects.count() == 1
    response = client.post(reverse("cases:register", args=[cast.commune_a.pk]), {**FORM, "confirm": "1"})
    assert response.status_code == 302
    assert Case.objects.count() == 2


def test_identity_is_hidden_from_leaders_and_each_confidential_view_is_logged(cast, login):
    case = register(cast.commune_officer, cast.commune_a, is_confidential=True)
    leader_page = login(cast.province_leader).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Nguyễn Văn Báo" not in leader_page
    assert not IdentityAccess.objects.exists()
    officer_page = login(cast.commune_chief).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Nguyễn Văn Báo" in officer_page
    assert list(IdentityAccess.objects.values_list("user__username", "channel")) == [("chief_a", "web")]


def test_an_officer_of_another_commune_cannot_reach_the_case(cast, login):
    case = register(cast.commune_officer, cast.commune_a)
    client = login(cast.commune_c_officer)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:list", args=[cast.commune_a.pk])).status_code == 404


def test_a_step_through_the_page_and_a_wrong_step_is_explained(cast, login):
    case = register(cast.commune_officer, cast.commune_a)
    client = login(cast.commune_chief)
    url = reverse("cases:detail", args=[case.pk])
    response = client.post(
        url, {"to_status": Status.PRELIMINARY_CHECK, "version": case.version, "at": "10/09/2025 16:00"}
    )
    assert response.status_code == 302
    response = client.post(
        url, {"to_status": Status.PRELIMINARY_CHECK, "version": case.version, "at": "10/09/2025 17:00"}
    )
    assert response.status_code == 200  # stale version or not a next step: told, nothing saved
    assert Case.objects.get(pk=case.pk).version == case.version + 1


def test_register_filters_overdue_and_exports_the_paper_layout(cast, login):
    late = register(cast.commune_officer, cast.commune_a)
    client = login(cast.commune_chief)
    url = reverse("cases:list", args=[cast.commune_a.pk])
    assert late.due_at < dt.datetime.now(tz=dt.UTC)
    assert f"{late.serial}/{late.year}" in client.get(url, {"overdue": "on"}).content.decode()
    workbook = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Số TT"
    assert rows[1][0] == late.serial


@pytest.mark.parametrize("extra", [0, 40])
def test_the_register_page_costs_the_same_queries_for_1_and_41_cases(cast, login, django_assert_num_queries, extra):
    for _ in range(extra + 1):
        register(cast.commune_officer, cast.commune_a)
    client = login(cast.commune_chief)
    with django_assert_num_queries(8):  # 7 + the notices' bell (the tree counts: cached per revision)
        assert client.get(reverse("cases:list", args=[cast.commune_a.pk])).status_code == 200


def test_auditors_list_who_saw_a_confidential_identity_and_others_may_not(cast, login):
    case = register(cast.commune_officer, cast.commune_a, is_confidential=True)
    login(cast.commune_chief).get(reverse("cases:detail", args=[case.pk]))
    page = login(cast.auditor).get(reverse("cases:identity_access")).content.decode()
    assert "chief_a" in page
    assert "<td>Trang web</td>" in page  # the channel by name, not its key "web"
    assert login(cast.commune_chief).get(reverse("cases:identity_access")).status_code == 403


def test_leaders_see_overdue_tiles_that_drill_down_to_the_register(cast, login):
    register(cast.commune_officer, cast.commune_a)  # received in 2025: long overdue for transfer
    page = login(cast.province_leader).get(reverse("deployment:staffing", args=[cast.province_a.pk])).content.decode()
    assert f"/cases/unit/{cast.province_a.pk}/?overdue=on" in page


def test_the_case_page_names_the_law_behind_its_deadline(cast, login):
    case = register(cast.commune_officer, cast.commune_a)
    page = login(cast.commune_chief).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "TTLT 01/2017" in page


def test_a_repeat_report_is_linked_to_the_first_entry(cast, login):
    first = register(cast.commune_officer, cast.commune_a)
    second = register(cast.commune_officer, cast.commune_a)
    client = login(cast.commune_officer)
    client.post(reverse("cases:mark_duplicate", args=[second.pk]), {"of": f"{first.serial}/{first.year}"})
    second.refresh_from_db()
    assert second.duplicate_of == first
    client.post(reverse("cases:mark_duplicate", args=[first.pk]), {"of": "999/2025"})
    first.refresh_from_db()
    assert first.duplicate_of is None


def test_the_receiving_officer_is_chosen_among_those_posted_at_the_commune(cast, login):
    from cax.deployment.tests.factories import posted

    officer = posted(cast.commune_a)
    elsewhere = posted(cast.commune_b)
    client = login(cast.commune_officer)
    page = client.get(reverse("cases:register", args=[cast.commune_a.pk])).content.decode()
    assert officer.full_name in page
    assert elsewhere.service_number not in page
    client.post(reverse("cases:register", args=[cast.commune_a.pk]), {**FORM, "receiving_officer": officer.pk})
    case = Case.objects.get()
    assert case.receiving_officer == officer
    assert case.incident_unit == cast.commune_a


def test_the_case_page_says_how_long_is_left_before_the_deadline(cast, login):
    import datetime as dt

    from django.utils import timezone

    soon = timezone.now() - dt.timedelta(hours=2)  # received 2 hours ago: 22 hours left to transfer
    case = register(cast.commune_officer, cast.commune_a, received_at=soon, now=timezone.now())
    page = login(cast.commune_chief).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "còn 21" in page or "còn 22" in page


def test_a_refused_extension_is_shown_under_the_new_deadline_with_the_latest_date_and_article(cast, login):
    case = register(cast.commune_chief, cast.commune_a)
    for to in (Status.PRELIMINARY_CHECK, Status.TAKEN_UP, Status.VERIFYING):
        case = step(cast.commune_chief, case, to)
    client = login(cast.commune_chief)
    response = client.post(
        reverse("cases:detail", args=[case.pk]),
        {
            "to_status": Status.EXTENDED,
            "version": case.version,
            "new_due": "30/11/2025 23:59",
            "extended_by": "investigation",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["new_due"]
    assert "chậm nhất 10/11/2025 23:59" in errors[0]
    assert "Điều 147(2)" in errors[0]


def test_a_transfer_on_the_page_puts_the_report_in_the_receiving_register(cast, login):
    case = register(cast.commune_officer, cast.commune_a)
    case = step(cast.commune_officer, case, Status.PRELIMINARY_CHECK)
    client = login(cast.commune_officer)
    response = client.post(
        reverse("cases:detail", args=[case.pk]),
        {"to_status": Status.TRANSFERRED, "version": case.version, "at": "10/09/2025 16:00", "to_unit": "23293"},
    )
    assert response.status_code == 302, response.context["form"].errors
    entry = Case.objects.get(transferred_from=case)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"{entry.serial}/{entry.year}" in page  # shown, not linked: the sender cannot open the other register
    assert reverse("cases:detail", args=[entry.pk]) not in page
    leader_page = login(cast.province_leader).get(reverse("cases:detail", args=[entry.pk])).content.decode()
    assert reverse("cases:detail", args=[case.pk]) in leader_page  # the receiver's entry links back


def test_the_procuracy_duty_is_shown_and_recorded_on_the_case_page(cast, login):
    case = register(cast.commune_chief, cast.commune_a)
    for to in (Status.PRELIMINARY_CHECK, Status.TAKEN_UP, Status.VERIFYING):
        case = step(cast.commune_chief, case, to)
    case = step(cast.commune_chief, case, Status.PROSECUTED, at=dt.datetime(2025, 9, 12, 8, 0, tzinfo=VN))
    client = login(cast.commune_chief)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "13/09/2025 08:00" in page
    assert re.search(r"quá hạn \d+ năm", page)  # decided in 2025, never sent
    assert "Điều 148(2), 154, 158" in page
    listed = client.get(reverse("cases:list", args=[cast.commune_a.pk]), {"procuracy_overdue": "on"})
    assert [c.pk for c in listed.context["page"]] == [case.pk]
    response = client.post(
        reverse("cases:send_to_procuracy", args=[case.pk]), {"version": case.version, "at": "12/09/2025 15:00"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.procuracy_due_at is None
    assert "Gửi quyết định cho Viện kiểm sát" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_case_page_names_each_deadline_rule_instead_of_its_code(cast, login):
    client = login(cast.commune_officer)
    client.post(reverse("cases:register", args=[cast.commune_a.pk]), FORM)
    case = Case.objects.get()
    assert case.events.get().due_rule == "transfer"
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "(thời hạn chuyển nguồn tin)" in body
    assert "(transfer)" not in body
    client.cookies["django_language"] = "en"
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "(time limit to pass on the report)" in body


def test_every_deadline_rule_code_has_a_name():
    from cax.cases import deadlines
    from cax.cases.choices import RULE_LABELS

    codes = {value for name, value in vars(deadlines).items() if name.isupper() and isinstance(value, str)}
    codes -= {value for value in codes if not re.fullmatch(r"[a-z_]+", value)}
    assert codes
    assert codes <= set(RULE_LABELS), codes - set(RULE_LABELS)
