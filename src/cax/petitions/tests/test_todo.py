"""The home page's lines about requests (issue 17): answered this week for the commune, overdue at
the departments for the province; each link lists exactly what the line counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cax.core.testing.cast import make_user
from cax.core.testing.units import make_department
from cax.core.todo import LATE, NEWS, OK
from cax.petitions import todo
from cax.petitions.models import Petition, Status
from cax.petitions.registers import PETITIONS

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _raise(actor, unit, **extra):
    data = {"unit": unit, "raised_on": TODAY - dt.timedelta(days=40), "topic": "reporting", "text": "Đề nghị"}
    return PETITIONS.save(actor=actor, instance=None, data={**data, **extra})


def _answered(petition, days_ago: int):
    day = TODAY - dt.timedelta(days=days_ago)
    Petition.objects.filter(pk=petition.pk).update(
        status=Status.ANSWERED, answer="Đã xem xét", answered_by="Phòng", answered_on=day
    )


def _listed(client, url) -> int:
    return client.get(url).context["page"].paginator.count


def test_requests_answered_this_week_are_news_for_the_commune_that_raised_them(cast, login):
    recent, old, elsewhere = (_raise(cast.province_staff, u) for u in (cast.commune_a, cast.commune_a, cast.commune_b))
    _answered(recent, 2)
    _answered(old, 20)
    _answered(elsewhere, 1)
    (line,) = todo.todo(actor=cast.commune_chief, now=timezone.now())
    assert (line.count, line.severity) == (1, NEWS)
    client = login(cast.commune_chief)
    assert _listed(client, line.url) == 1
    assert [p.pk for p in client.get(line.url).context["page"]] == [recent.pk]
    (other,) = todo.todo(actor=cast.commune_c_officer, now=timezone.now())
    assert (other.count, other.severity) == (0, OK)


def test_requests_overdue_at_the_departments_name_them_for_the_province(cast, login):
    department = make_department(cast.province_a, "51-PX05", "Phòng Xây dựng phong trào")
    overdue = [_raise(cast.province_staff, cast.commune_a) for _ in range(2)]
    on_time = _raise(cast.province_staff, cast.commune_b)
    for petition, due in ((overdue[0], -5), (overdue[1], -1), (on_time, 5)):
        Petition.objects.filter(pk=petition.pk).update(
            status=Status.ASSIGNED,
            assigned_department=department,
            assigned_on=TODAY - dt.timedelta(days=30),
            due_on=TODAY + dt.timedelta(days=due),
        )
    (line,) = todo.todo(actor=cast.province_leader, now=timezone.now())
    assert (line.count, line.severity) == (2, LATE)
    assert "Phòng Xây dựng phong trào: 2" in line.detail
    assert _listed(login(cast.province_leader), line.url) == 2
    assert todo.todo(actor=cast.ministry_leader, now=timezone.now()) == []
    # The department's own staff see what is overdue with them.
    staff = make_user("phong_px05", "department_staff", department)
    (mine,) = todo.todo(actor=staff, now=timezone.now())
    assert mine.count == 2
    assert _listed(login(staff), mine.url) == 2


def test_the_answered_since_filter_refuses_what_is_not_a_day(cast, login):
    response = login(cast.province_leader).get("/petitions/requests/?answered_since=hôm-qua")
    assert "không phải là ngày" in response.content.decode()
