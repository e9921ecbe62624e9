"""Figures as of a past day: each file counts with the status it had that day (its StatusChange
history), so the count at 30/06 stays what it was whatever happened since; overdue duties are
today's only and say so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cax.accounts.roles import Role
from cax.core.testing.cast import make_user
from cax.supervision import selectors, services
from cax.supervision.models import Status, StatusChange
from cax.supervision.tests.factories import make_file

pytestmark = pytest.mark.django_db

RECEIVED = dt.date(2026, 1, 12)  # factories.file_data


def counts_on(actor, unit, day) -> dict[str, int]:
    data = selectors.figures(actor, unit, day=day)
    return {code: n for (code, _label), n in zip(data["statuses"], data["totals"], strict=True) if n}


def test_each_day_counts_the_status_the_files_had_then(cast):
    actor, leader = cast.commune_officer, cast.province_leader
    first = make_file(actor, cast.commune_a)
    second = make_file(actor, cast.commune_a, decision_number="13/2026/QĐ-CA", received_on=dt.date(2026, 2, 2),
                       start_date=dt.date(2026, 2, 3))  # fmt: skip
    services.event_record(actor=actor, file=first, kind="reception", on=dt.date(2026, 1, 13))
    services.event_record(actor=actor, file=first, kind="absence", on=dt.date(2026, 3, 1),
                          data={"first_day": dt.date(2026, 3, 2), "last_day": dt.date(2026, 3, 5),
                                "destination": "TP Hồ Chí Minh", "reason": "Thăm người nhà"})  # fmt: skip
    services.event_record(actor=actor, file=first, kind="return", on=dt.date(2026, 3, 6))
    services.event_record(actor=actor, file=second, kind="reception", on=dt.date(2026, 2, 4))
    services.event_record(actor=actor, file=second, kind="violation", on=dt.date(2026, 4, 10))

    province = cast.province_a
    assert counts_on(leader, province, dt.date(2026, 1, 11)) == {}  # nothing received yet
    assert counts_on(leader, province, RECEIVED) == {Status.WAITING: 1}
    assert counts_on(leader, province, dt.date(2026, 2, 2)) == {Status.ACTIVE: 1, Status.WAITING: 1}
    assert counts_on(leader, province, dt.date(2026, 3, 3)) == {Status.ABSENT: 1, Status.ACTIVE: 1}
    assert counts_on(leader, province, dt.date(2026, 3, 31)) == {Status.ACTIVE: 2}
    assert counts_on(leader, province, dt.date(2026, 4, 10)) == {Status.ACTIVE: 1, Status.VIOLATED: 1}
    # Today's figures read the files themselves, and agree with the history.
    assert counts_on(leader, province, None) == counts_on(leader, province, dt.date(2026, 4, 11))


def test_a_hand_over_moves_the_count_on_the_day_it_is_accepted(cast):
    actor = cast.commune_officer
    file = make_file(actor, cast.commune_a)
    services.event_record(actor=actor, file=file, kind="reception", on=dt.date(2026, 1, 13))
    handover = services.handover_send(
        actor=actor, file=file, to_unit=cast.commune_b, moved_at=timezone.now() - dt.timedelta(hours=1)
    )
    receiver = make_user("chief_b_asof", Role.COMMUNE_CHIEF, cast.commune_b)
    services.handover_accept(actor=receiver, handover=handover)
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    leader = cast.province_leader
    assert counts_on(leader, cast.commune_a, yesterday) == {Status.ACTIVE: 1}
    assert counts_on(leader, cast.commune_b, yesterday) == {}
    assert counts_on(leader, cast.commune_a, None) == {Status.MOVED: 1}
    assert counts_on(leader, cast.commune_b, None) == {Status.ACTIVE: 1}
    # One person, counted once in the province on every day.
    assert sum(counts_on(leader, cast.province_a, yesterday).values()) == 1


def test_the_history_is_appended_never_changed(cast):
    file = make_file(cast.commune_officer, cast.commune_a)
    row = StatusChange.objects.get(file=file)
    assert (row.status, row.on) == (Status.WAITING, RECEIVED)
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        StatusChange.objects.filter(pk=row.pk).update(status=Status.ENDED)
    with pytest.raises(TypeError):
        row.delete()


def test_a_past_day_has_no_overdue_count_and_the_page_says_so(cast, client):
    actor = cast.commune_officer
    file = make_file(actor, cast.commune_a)
    services.event_record(actor=actor, file=file, kind="reception", on=dt.date(2026, 1, 13))
    past = selectors.figures(cast.province_leader, cast.province_a, day=dt.date(2026, 2, 1))
    assert past["past"]
    assert past["overdue"] is None
    assert past["rows"][0]["overdue"] is None
    today = selectors.figures(cast.province_leader, cast.province_a)
    assert not today["past"]
    assert today["overdue"] is not None

    client.force_login(cast.province_leader)
    page = client.get(reverse("supervision:figures"), {"unit": "51", "day": "01/02/2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="01/02/2026"' in html
    assert "Nghĩa vụ quá hạn chỉ tính cho hôm nay" in html
    assert client.get(reverse("supervision:figures"), {"day": "31/02/2026"}).status_code == 400


def test_the_api_answers_as_of_a_day(cast, client):
    actor = cast.commune_officer
    file = make_file(actor, cast.commune_a)
    services.event_record(actor=actor, file=file, kind="reception", on=dt.date(2026, 1, 13))
    client.force_login(cast.province_leader)
    body = client.get("/api/v1/supervision/figures", {"unit": "51", "day": "2026-01-12"}).json()
    assert body["day"] == "2026-01-12"
    row = next(r for r in body["rows"] if r["category"] == "an_treo")
    assert row["counts"]["waiting"] == 1
    assert row["counts"]["active"] == 0
    assert row["overdue_duties"] is None
