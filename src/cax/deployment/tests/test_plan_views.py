"""The planner's pages (#7): run from the page, read reasons, export, approve; constant queries."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cax.deployment.models import PlanScenario, PlanStatus, Posting
from cax.deployment.tests.test_planning import ON, create, pool, small_norm, values  # noqa: F401


def _post_form(cast, login):
    client = login(cast.province_staff)
    data = {k: (v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v) for k, v in values().items()}
    data = {k: v for k, v in data.items() if v is not False}
    data["target_codes"] = f"{cast.commune_a.code}, {cast.commune_b.code}"
    return client, client.post(reverse("plans:create"), data)


def test_create_run_read_export_approve(cast, pool, login, django_capture_on_commit_callbacks):  # noqa: F811
    client, response = _post_form(cast, login)
    assert response.status_code == 302, response.content.decode()[:2000]
    scenario = PlanScenario.objects.get()
    assert set(scenario.target_units.values_list("code", flat=True)) == {cast.commune_a.code, cast.commune_b.code}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:action", args=[scenario.pk]), {"action": "run"})
    scenario.refresh_from_db()
    assert scenario.status == PlanStatus.OPTIMAL
    page = client.get(reverse("plans:detail", args=[scenario.pk])).content.decode()
    assert "Tối ưu đã chứng minh" in page
    assert "bố trí mới" in page
    assert "được đề xuất làm Trưởng" in page
    assert "<td>Số lần điều động</td>" in page
    client.cookies["django_language"] = "en"
    english = client.get(reverse("plans:detail", args=[scenario.pk])).content.decode()
    assert "<td>Transfers</td>" in english  # the comparison rows are translated too
    assert "— plan" in english
    client.cookies["django_language"] = "vi"
    export = client.get(reverse("plans:detail", args=[scenario.pk]) + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len([r for r in rows if isinstance(r[0], int)]) == 6
    response = client.post(
        reverse("plans:action", args=[scenario.pk]),
        {"action": "approve", "decision_number": "20/QĐ-CAT", "decision_date": ON.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    assert Posting.objects.filter(decision_number="20/QĐ-CAT").count() == 6


def test_the_form_shows_rules_and_weights_apart(cast, login):
    page = login(cast.province_staff).get(reverse("plans:create")).content.decode()
    rules, weights = page.split("Trọng số chi phí")
    assert 'name="hardship_max_km"' in rules
    assert 'name="km_weight"' not in rules
    assert 'name="km_weight"' in weights
    assert 'name="hardship_km_weight"' in weights


def test_bad_volunteer_number_is_a_form_error(cast, login):
    client = login(cast.province_staff)
    data = {k: (v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v) for k, v in values().items()}
    data = {k: v for k, v in data.items() if v is not False}
    data["volunteer_numbers"] = "NOPE-1"
    response = client.post(reverse("plans:create"), data)
    assert response.status_code == 200
    assert "NOPE-1" in response.content.decode()
    assert not PlanScenario.objects.exists()


def test_commune_officer_cannot_open_the_planner(cast, login):
    client = login(cast.commune_officer)
    assert client.get(reverse("plans:list")).status_code == 403


def test_other_province_plan_is_not_found(cast, pool, login):  # noqa: F811
    scenario = create(cast)
    client = login(cast.commune_c_officer)
    assert client.get(reverse("plans:detail", args=[scenario.pk])).status_code in (403, 404)


@pytest.mark.parametrize("extra", [0, 12])
def test_detail_page_queries_do_not_grow_with_the_plan(
    cast,
    small_norm,  # noqa: F811
    login,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
    extra,  # noqa: F811
):
    from cax.deployment.tests.test_planning import INVESTIGATOR, run, waiting
    from cax.personnel.choices import Rank

    waiting(cast, 2, rank=Rank.CAPTAIN)
    waiting(cast, 2, specialities=INVESTIGATOR)
    waiting(cast, 2 + extra)
    scenario = create(cast, extra_over_target=10)
    scenario = run(scenario, django_capture_on_commit_callbacks, cast.province_staff)
    assert scenario.status == PlanStatus.OPTIMAL
    client = login(cast.province_staff)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("plans:detail", args=[scenario.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("plans:list")).status_code == 200


def test_an_infeasible_plan_page_says_why(cast, small_norm, login, django_capture_on_commit_callbacks):  # noqa: F811
    from cax.deployment.tests.test_planning import run, waiting

    waiting(cast, 2)
    scenario = run(create(cast), django_capture_on_commit_callbacks, cast.province_staff)
    assert scenario.status == PlanStatus.INFEASIBLE
    page = login(cast.province_staff).get(reverse("plans:detail", args=[scenario.pk])).content.decode()
    assert "Nguồn có 2 cán bộ nhưng các xã cần ít nhất 6 để đủ mức tối thiểu." in page
    assert "Bổ sung ít nhất 4 cán bộ vào nguồn" in page


def test_a_broken_hand_edit_is_listed_on_the_page(
    cast,
    pool,  # noqa: F811
    login,
    django_capture_on_commit_callbacks,
):
    from cax.deployment import planning
    from cax.deployment.models import PostingRole
    from cax.deployment.tests.test_planning import run

    scenario = run(create(cast), django_capture_on_commit_callbacks, cast.province_staff)
    chief = scenario.assignments.filter(role=PostingRole.CHIEF, unit=cast.commune_b).get()
    planning.assignment_change(actor=cast.province_staff, assignment=chief, unit=chief.unit, role=PostingRole.OFFICER)
    page = login(cast.province_staff).get(reverse("plans:detail", args=[scenario.pk])).content.decode()
    assert f"{cast.commune_b.name}: có 0 Trưởng Công an (phải đúng 1)." in page
    assert 'value="approve" disabled' in page
