"""Every clock figure follows its as-of date (issue 14): a past day shows what was overdue when it ended, and
each tile opens the list of exactly the cases it counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cax.cases import selectors
from cax.cases.choices import Status
from cax.cases.models import Case
from cax.cases.services import case_send_to_procuracy
from cax.cases.tests.test_register import VN, register, step

SEPT_12 = dt.date(2025, 9, 12)
OCT_2 = dt.date(2025, 10, 2)


@pytest.fixture
def history(cast):
    """Three reports of Xã Đăk Hà with a known past:

    - ``late``: received 10/09/2025 14:00, transferred only on 15/09 → overdue from 11/09 14:00 to 15/09;
    - ``decided``: prosecuted 01/10/2025 10:00, sent to the procuracy 03/10 → duty overdue on 02/10;
    - ``fresh``: received two hours ago → due within 3 days today, nonexistent in 2025.
    """
    chief = cast.commune_chief
    late = register(chief, cast.commune_a)
    late = step(chief, late, Status.PRELIMINARY_CHECK, at=dt.datetime(2025, 9, 10, 15, tzinfo=VN))
    step(chief, late, Status.TRANSFERRED, at=dt.datetime(2025, 9, 15, 9, tzinfo=VN), to_unit=cast.commune_b)
    decided = register(chief, cast.commune_a)
    for to, day in ((Status.PRELIMINARY_CHECK, 10), (Status.TAKEN_UP, 11), (Status.VERIFYING, 11)):
        decided = step(chief, decided, to, at=dt.datetime(2025, 9, day, 16, tzinfo=VN))
    decided = step(chief, decided, Status.PROSECUTED, at=dt.datetime(2025, 10, 1, 10, tzinfo=VN))
    case_send_to_procuracy(
        actor=chief, case=decided, expected_version=decided.version, at=dt.datetime(2025, 10, 3, 8, tzinfo=VN)
    )
    now = timezone.now()
    fresh = register(chief, cast.commune_a, received_at=now - dt.timedelta(hours=2), now=now)
    return {"late": late, "decided": decided, "fresh": fresh}


def figures(cast, as_of=None):
    found = selectors.clock_figures(actor=cast.province_leader, unit=cast.province_a, as_of=as_of)
    return {key: found[key] for key in ("overdue", "due_soon", "procuracy_overdue")}


def test_a_past_day_shows_what_was_overdue_when_it_ended(cast, history):
    assert figures(cast, SEPT_12) == {"overdue": 1, "due_soon": 0, "procuracy_overdue": 0}
    # From 16/09 09:00 the overdue one is Phường Kon Tum's own entry of the report (received 15/09 09:00).
    assert figures(cast, OCT_2) == {"overdue": 1, "due_soon": 0, "procuracy_overdue": 1}
    assert figures(cast, dt.date(2025, 10, 4)) == {"overdue": 1, "due_soon": 0, "procuracy_overdue": 0}
    assert figures(cast, dt.date(2025, 9, 15)) == {"overdue": 0, "due_soon": 1, "procuracy_overdue": 0}
    assert figures(cast) == {"overdue": 1, "due_soon": 1, "procuracy_overdue": 0}
    assert figures(cast, timezone.localdate() + dt.timedelta(days=30)) == figures(cast)


def test_the_list_shows_exactly_the_cases_a_tile_counts(cast, history):
    def listed(**filters):
        return set(
            selectors.case_list(actor=cast.province_leader, unit=cast.province_a, **filters).values_list(
                "pk", flat=True
            )
        )

    assert listed(overdue=True, as_of=SEPT_12) == {history["late"].pk}
    assert listed(procuracy_overdue=True, as_of=OCT_2) == {history["decided"].pk}
    assert listed(due_within_days=3) == {history["fresh"].pk}
    assert listed(overdue=True) == {Case.objects.get(transferred_from=history["late"]).pk}


def test_the_timeline_gives_the_same_state_as_the_fields_for_the_present(cast, history):
    """The two ways of reading the clock agree: the case's fields now, its timeline for any past moment."""
    now = timezone.now()
    cases = Case.objects.all()
    # Read "now" through the timeline by pretending the present is a second later.
    from_timeline = selectors.with_clock_state(cases, now, now + dt.timedelta(seconds=1)).filter(
        updated_at__gte=now - dt.timedelta(minutes=10)  # written just now: not settled, read from the timeline
    )
    assert from_timeline.count() == Case.objects.count()
    for case in from_timeline:
        assert (case.state_status, case.state_due, case.state_duty) == (
            case.status,
            case.due_at,
            case.procuracy_due_at,
        ), case


def test_a_case_not_written_since_reads_the_same_from_its_fields_as_from_its_timeline(cast):
    """The shortcut for settled cases (last written before the moment) gives the timeline's answer."""
    case = register(cast.commune_chief, cast.commune_a)  # 10/09/2025 14:00, due 11/09 14:00, never moved
    moment = selectors.clock_moment(SEPT_12)
    now = timezone.now()
    unsettled = selectors.with_clock_state(Case.objects.filter(pk=case.pk), moment, now).get()
    Case.objects.filter(pk=case.pk).update(updated_at=dt.datetime(2025, 9, 10, 14, 1, tzinfo=VN))
    settled = selectors.with_clock_state(Case.objects.filter(pk=case.pk), moment, now).get()
    for state in (unsettled, settled):
        assert (state.state_status, state.state_due) == (Status.RECEIVED, dt.datetime(2025, 9, 11, 14, tzinfo=VN))
    assert selectors.case_list(actor=cast.commune_chief, overdue=True, as_of=SEPT_12).get() == case


def test_the_overview_tiles_follow_the_period_and_open_the_list_they_count(cast, login, history):
    client = login(cast.province_leader)
    response = client.get(
        reverse("overview:unit", args=[cast.province_a.pk]), {"first": "2025-09-01", "last": "2025-09-12"}
    )
    tiles = {
        t.title: t for group, items in response.context["groups"] for t in items if group == "Tin báo, tố giác tội phạm"
    }
    overdue = tiles["Quá hạn giải quyết"]
    assert (overdue.value, overdue.state) == ("1", "bad")
    assert "12/09/2025" in overdue.detail
    listed = client.get(overdue.url)
    assert [c.pk for c in listed.context["page"]] == [history["late"].pk]
    duty = client.get(
        reverse("overview:unit", args=[cast.province_a.pk]), {"first": "2025-10-01", "last": "2025-10-02"}
    )
    assert {t.title: t.value for _g, items in duty.context["groups"] for t in items}[
        "Chưa gửi Viện kiểm sát đúng hạn"
    ] == "1"


def test_the_staffing_dashboard_tiles_follow_its_as_of_date(cast, login, history):
    client = login(cast.province_leader)
    page = client.get(reverse("deployment:staffing", args=[cast.province_a.pk]), {"as_of": "12/09/2025"})
    counts = page.context["case_counts"]
    assert (counts["overdue"], counts["due_soon"], counts["procuracy_overdue"]) == (1, 0, 0)
    assert "overdue=on&amp;as_of=2025-09-12" in page.content.decode()


def test_the_register_page_keeps_its_query_count_with_the_as_of_filters(
    cast, login, django_assert_num_queries, history
):
    client = login(cast.province_leader)
    url = reverse("cases:list", args=[cast.province_a.pk])
    client.get(url, {"overdue": "on", "as_of": "2025-09-12"})  # warm the session and the caches
    with django_assert_num_queries(8) as few:  # 7 + the notices' bell (the tree counts: cached per revision)
        client.get(url, {"overdue": "on", "as_of": "2025-09-12"})
    for _ in range(30):
        register(cast.commune_chief, cast.commune_a)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url, {"overdue": "on", "as_of": "2025-09-12"})
    assert len(page.context["page"]) == 31
