import datetime as dt

from cax.cases.models import Holiday
from cax.core.models import ChangeLog
from cax.deployment.models import StaffingNorm


def test_a_top_level_administrator_adds_a_holiday_and_it_is_change_logged(cast, login):
    client = login(cast.admin)
    assert client.get("/reference/").status_code == 200
    response = client.post("/reference/cases/holiday/add/", {"day": "17/02/2026", "name": "Tết Nguyên đán"})
    assert response.status_code == 302, response.content.decode()[:500]
    holiday = Holiday.objects.get(day=dt.date(2026, 2, 17))
    assert ChangeLog.objects.filter(object_type="cases.holiday", object_id=str(holiday.pk), action="create").exists()


def test_editing_a_norm_logs_before_and_after(cast, login):
    norm = StaffingNorm.objects.get(minimum=12)
    client = login(cast.admin)
    page = client.get(f"/reference/deployment/staffingnorm/{norm.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: (v if v is not None else "") for k, v in form.initial.items()}
    data.update(
        {
            "minimum": 14,
            "target": 16,
            "effective_from": "01/03/2025",
            "effective_to": "",
            "province": "",
            "unit": "",
            "unit_type": "",
            "requires_chief": "on",
        }
    )
    response = client.post(f"/reference/deployment/staffingnorm/{norm.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:800]
    entry = ChangeLog.objects.get(object_type="deployment.staffingnorm", object_id=str(norm.pk))
    assert (entry.before["minimum"], entry.after["minimum"]) == (12, 14)


def test_others_are_sent_to_the_login_page(cast, login):
    for user in (cast.province_leader, cast.auditor, cast.commune_chief):
        assert login(user).get("/reference/").status_code == 302
    admin_of_a_province = __import__("cax.core.testing.cast", fromlist=["make_user"]).make_user(
        "admin51", "administrator", cast.province_a
    )
    assert login(admin_of_a_province).get("/reference/").status_code == 302
