"""The home page's lines about crime reports (issue 17): overdue and due-soon counts, the
province's overdue reports by commune, scope, and links that list exactly what they count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cax.accounts.roles import Role
from cax.cases import todo
from cax.cases.tests.test_register import register
from cax.core.testing.cast import make_user
from cax.core.todo import LATE, OK, WARN

pytestmark = pytest.mark.django_db


def _line(lines, start: str):
    return next(line for line in lines if str(line.label).startswith(start))


def _listed(client, url) -> int:
    return client.get(url).context["page"].paginator.count


@pytest.fixture
def officer_b(cast):
    return make_user("officer_b", Role.COMMUNE_OFFICER, cast.commune_b)


def test_an_overdue_case_shows_in_its_communes_line_and_each_link_lists_exactly_it(cast, login, officer_b):
    register(cast.commune_officer, cast.commune_a)  # received in 2025: long past its deadline
    register(cast.commune_officer, cast.commune_a)
    register(officer_b, cast.commune_b)
    lines = todo.todo(actor=cast.province_leader, now=timezone.now())
    total = _line(lines, "Tin báo quá hạn giải quyết")
    dak_ha = _line(lines, f"Tin báo quá hạn tại {cast.commune_a.name}")
    kon_tum = _line(lines, f"Tin báo quá hạn tại {cast.commune_b.name}")
    assert (total.count, dak_ha.count, kon_tum.count) == (3, 2, 1)
    assert lines.index(dak_ha) < lines.index(kon_tum)  # the commune with most first
    assert dak_ha.severity == LATE
    client = login(cast.province_leader)
    assert [_listed(client, line.url) for line in (total, dak_ha, kon_tum)] == [3, 2, 1]


def test_a_commune_officer_sees_only_their_communes_cases(cast, login, officer_b):
    register(cast.commune_officer, cast.commune_a)
    register(officer_b, cast.commune_b)
    lines = todo.todo(actor=cast.commune_officer, now=timezone.now())
    overdue = _line(lines, "Tin báo quá hạn giải quyết")
    assert overdue.count == 1
    assert not any(cast.commune_b.name in str(line.label) for line in lines)
    assert _listed(login(cast.commune_officer), overdue.url) == 1
    other = _line(todo.todo(actor=cast.commune_c_officer, now=timezone.now()), "Tin báo quá hạn giải quyết")
    assert (other.count, other.severity) == (0, OK)


def test_a_case_due_within_three_days_is_a_warning_that_opens_its_list(cast, login):
    now = timezone.now()
    register(cast.commune_officer, cast.commune_a, received_at=now - dt.timedelta(hours=1), now=now)
    lines = todo.todo(actor=cast.commune_chief, now=now)
    soon = _line(lines, "Tin báo đến hạn giải quyết trong")
    assert (soon.count, soon.severity) == (1, WARN)
    assert _line(lines, "Tin báo quá hạn giải quyết").count == 0
    assert _listed(login(cast.commune_chief), soon.url) == 1


def test_the_ministry_gets_no_case_lines(cast):
    register(cast.commune_officer, cast.commune_a)
    assert todo.todo(actor=cast.ministry_leader, now=timezone.now()) == []
