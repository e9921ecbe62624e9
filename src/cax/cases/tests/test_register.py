import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from cax.cases.choices import Channel, Kind, NonProsecutionGround, ReporterKind, Status, SuspensionGround
from cax.cases.models import Case, CaseEvent, ReceivingBody, RegisterCounter
from cax.cases.services import ConcurrentEdit, case_register, case_transition
from cax.core.exceptions import DomainError, NotVisible, PermissionDenied

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED = dt.datetime(2025, 9, 10, 14, 0, tzinfo=VN)
NOW = dt.datetime(2025, 9, 10, 15, 0, tzinfo=VN)


def register(actor, unit, **overrides):
    values = {
        "kind": Kind.DENUNCIATION,
        "channel": Channel.IN_PERSON,
        "received_at": RECEIVED,
        "reporter_kind": ReporterKind.PERSON,
        "reporter_name": "Nguyễn Văn Báo",
        "summary": "Mất trộm xe máy",
        "now": NOW,
    }
    values.update(overrides)
    return case_register(actor=actor, unit=unit, **values)


def step(actor, case, to, **data):
    case.refresh_from_db()
    return case_transition(
        actor=actor, case=case, to_status=to, expected_version=case.version, at=data.pop("at", NOW), **data
    )


def test_serials_run_per_unit_and_year(cast):
    first = register(cast.commune_officer, cast.commune_a)
    second = register(cast.commune_officer, cast.commune_a)
    next_year = register(
        cast.commune_officer,
        cast.commune_a,
        received_at=dt.datetime(2026, 1, 2, 9, tzinfo=VN),
        now=dt.datetime(2026, 1, 2, 10, tzinfo=VN),
    )
    assert (first.serial, second.serial, next_year.serial) == (1, 2, 1)
    assert (first.year, next_year.year) == (2025, 2026)


def test_a_failed_registration_leaves_no_gap(cast):
    register(cast.commune_officer, cast.commune_a)
    with pytest.raises(DomainError):
        register(cast.commune_officer, cast.commune_a, incident_at=RECEIVED + dt.timedelta(hours=1))
    assert register(cast.commune_officer, cast.commune_a).serial == 2


def test_transfer_deadline_is_24_hours_and_48_for_remote_communes(cast):
    from cax.units.services import unit_update

    case = register(cast.commune_officer, cast.commune_a)
    assert case.due_at == RECEIVED + dt.timedelta(hours=24)
    assert case.due_rule == "transfer"
    unit_update(actor=None, unit=cast.commune_a, is_remote=True)
    remote = register(cast.commune_officer, cast.commune_a)
    assert remote.due_at == RECEIVED + dt.timedelta(hours=48)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"incident_at": RECEIVED + dt.timedelta(minutes=1)}, "incident_at"),
        ({"received_at": NOW + dt.timedelta(hours=1)}, "received_at"),
    ],
)
def test_bad_times_are_refused_and_nothing_is_saved(cast, overrides, field):
    with pytest.raises(DomainError) as info:
        register(cast.commune_officer, cast.commune_a, **overrides)
    assert field in info.value.fields
    assert not Case.objects.exists()


def test_only_case_workers_inside_their_scope_may_register(cast):
    with pytest.raises(PermissionDenied):
        register(cast.province_leader, cast.commune_a)
    with pytest.raises(NotVisible):
        register(cast.commune_officer, cast.commune_b)


def test_the_full_path_received_to_closed_records_every_step_and_deadline(cast):
    officer = cast.commune_chief
    case = register(officer, cast.commune_a)
    step(officer, case, Status.PRELIMINARY_CHECK)
    step(officer, case, Status.TAKEN_UP)
    case = step(officer, case, Status.VERIFYING)
    # 20 calendar days from receipt, to the end of the day (Vietnam time).
    assert case.due_at == dt.datetime(2025, 9, 30, 23, 59, 59, 999999, tzinfo=VN)
    new_due = dt.datetime(2025, 11, 10, 23, 59, 59, tzinfo=VN)  # 2 months from receipt, the cap
    case = step(officer, case, Status.EXTENDED, new_due=new_due, extended_by="investigation")
    assert case.due_at == new_due
    assert case.due_rule == "cap_investigation"
    case = step(officer, case, Status.SUSPENDED, suspension_ground=SuspensionGround.AWAITING_EXPERTISE)
    assert case.due_at is None
    assert case.procuracy_due_at == NOW + dt.timedelta(hours=24)  # the suspension goes to the procuracy
    resumed_at = dt.datetime(2025, 12, 1, 9, tzinfo=VN)
    case = step(officer, case, Status.RESUMED, at=resumed_at)
    assert case.due_at == dt.datetime(2026, 1, 1, 23, 59, 59, 999999, tzinfo=VN)
    later = resumed_at + dt.timedelta(days=3)
    step(officer, case, Status.NOT_PROSECUTED, non_prosecution_ground=NonProsecutionGround.NOT_A_CRIME, at=later)
    case = step(officer, case, Status.CLOSED, at=later)
    statuses = list(CaseEvent.objects.filter(case=case).values_list("to_status", flat=True))
    assert statuses == [
        "received",
        "preliminary_check",
        "taken_up",
        "verifying",
        "extended",
        "suspended",
        "resumed",
        "not_prosecuted",
        "closed",
    ]
    assert case.version == 9


def test_an_invalid_step_is_refused_with_the_allowed_ones_named(cast):
    case = register(cast.commune_officer, cast.commune_a)
    with pytest.raises(DomainError) as info:
        step(cast.commune_officer, case, Status.PROSECUTED)
    assert "Kiểm tra, xác minh sơ bộ" in info.value.message
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_an_extension_beyond_two_months_is_refused(cast):
    case = register(cast.commune_officer, cast.commune_a)
    for to in (Status.PRELIMINARY_CHECK, Status.TAKEN_UP, Status.VERIFYING):
        case = step(cast.commune_officer, case, to)
    with pytest.raises(DomainError):
        step(
            cast.commune_officer,
            case,
            Status.EXTENDED,
            new_due=case.due_at + dt.timedelta(days=70),
            extended_by="investigation",
        )


def test_a_step_needs_what_the_law_requires(cast):
    case = register(cast.commune_officer, cast.commune_a)
    step(cast.commune_officer, case, Status.PRELIMINARY_CHECK)
    with pytest.raises(DomainError) as info:
        step(cast.commune_officer, case, Status.TRANSFERRED)
    assert {"to_unit", "to_body"} <= set(info.value.fields)


def test_the_second_of_two_simultaneous_edits_is_told_and_loses_nothing(cast):
    case = register(cast.commune_officer, cast.commune_a)
    seen = case.version
    case_transition(
        actor=cast.commune_chief, case=case, to_status=Status.PRELIMINARY_CHECK, expected_version=seen, at=NOW
    )
    stale = Case.objects.get(pk=case.pk)
    stale.status = Status.RECEIVED  # what the second user's page still shows
    with pytest.raises(ConcurrentEdit):
        case_transition(
            actor=cast.commune_officer, case=stale, to_status=Status.PRELIMINARY_CHECK, expected_version=seen, at=NOW
        )
    assert Case.objects.get(pk=case.pk).version == seen + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.usefixtures("flushable_change_log")
def test_fifty_registrations_at_once_get_fifty_consecutive_serials():
    from cax.units.models import Unit
    from cax.units.official import load_official_units

    if not Unit.objects.filter(code="23500").exists():
        load_official_units()
    unit = Unit.objects.select_related("unit_type").get(code="23500", valid_to__isnull=True)
    barrier = threading.Barrier(50)
    errors = []

    def clerk():
        try:
            barrier.wait()
            register(None, unit)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Case.objects.filter(unit=unit).values_list("serial", flat=True)) == list(range(1, 51))
    assert RegisterCounter.objects.get(unit=unit, year=2025).last == 50


def test_a_step_dated_before_the_previous_one_is_refused(cast):
    case = register(cast.commune_officer, cast.commune_a)
    with pytest.raises(DomainError) as info:
        step(cast.commune_officer, case, Status.PRELIMINARY_CHECK, at=RECEIVED - dt.timedelta(hours=1))
    assert "at" in info.value.fields


def test_each_body_may_extend_only_once(cast):
    case = register(cast.commune_chief, cast.commune_a)
    for to in (Status.PRELIMINARY_CHECK, Status.TAKEN_UP, Status.VERIFYING):
        case = step(cast.commune_chief, case, to)
    first = case.due_at + dt.timedelta(days=30)
    case = step(cast.commune_chief, case, Status.EXTENDED, new_due=first, extended_by="investigation")
    with pytest.raises(DomainError, match="một lần"):
        step(
            cast.commune_chief, case, Status.EXTENDED, new_due=first + dt.timedelta(days=5), extended_by="investigation"
        )
    # The procuracy's extension must be requested at least 5 days before the current deadline.
    with pytest.raises(DomainError):
        step(
            cast.commune_chief,
            case,
            Status.EXTENDED,
            new_due=first + dt.timedelta(days=30),
            extended_by="procuracy",
            requested_at=first - dt.timedelta(days=2),
        )
    case = step(
        cast.commune_chief,
        case,
        Status.EXTENDED,
        new_due=first + dt.timedelta(days=30),
        extended_by="procuracy",
        requested_at=first - dt.timedelta(days=10),
    )
    assert case.due_at == first + dt.timedelta(days=30)


def test_reporter_identities_past_retention_are_erased_and_the_log_keeps_no_copy(cast):
    from django.core.management import call_command

    from cax.core.models import ChangeLog

    case = register(cast.commune_chief, cast.commune_a, reporter_id_number="051190000123")
    case = step(cast.commune_chief, case, Status.PRELIMINARY_CHECK)
    case = step(cast.commune_chief, case, Status.TRANSFERRED, to_body=ReceivingBody.objects.get(code="vks"))
    call_command("purge_reporter_identities", "--years", "0")
    case.refresh_from_db()
    assert case.reporter_id_number == ""
    assert "051190000123" not in case.reporter_name
    entry = ChangeLog.objects.filter(object_type="cases.case", message__contains="thời hạn lưu trữ").get()
    assert entry.before is None
    # No row of the append-only log ever held the identity in clear.
    logged = " ".join(str((e.before, e.after)) for e in ChangeLog.objects.filter(object_type="cases.case"))
    assert "051190000123" not in logged
    assert "Nguyễn Văn Báo" not in logged
    assert case.summary  # the register entry itself stays


def test_open_cases_keep_their_reporter(cast):
    from django.core.management import call_command

    case = register(cast.commune_chief, cast.commune_a)
    call_command("purge_reporter_identities", "--years", "0")
    case.refresh_from_db()
    assert case.reporter_name == "Nguyễn Văn Báo"


def test_register_transfer_extend_and_decide_with_the_lawful_deadline_at_every_step(cast):
    """The issue's acceptance path: the commune registers and transfers to the province in CAX; the
    provincial investigating body (department staff) verifies, extends twice and decides its own entry.
    Every deadline is the one worked by hand from CPC Art. 147 (dates in the comments)."""
    case = register(cast.commune_officer, cast.commune_a)
    assert case.due_at == RECEIVED + dt.timedelta(hours=24)  # transfer within 24 h: 11/09/2025 14:00
    case = step(cast.commune_officer, case, Status.PRELIMINARY_CHECK, at=RECEIVED + dt.timedelta(hours=2))
    assert case.due_at == RECEIVED + dt.timedelta(hours=24)
    sent = RECEIVED + dt.timedelta(hours=20)  # 11/09/2025 10:00
    case = step(cast.commune_officer, case, Status.TRANSFERRED, at=sent, to_unit=cast.province_a)
    assert (case.due_at, case.transferred_to) == (None, cast.province_a.name)  # the sender's clock stops
    entry = Case.objects.get(transferred_from=case)
    assert (entry.unit, entry.received_at, entry.channel) == (cast.province_a, sent, "transferred_in")
    resolve_by = dt.datetime(2025, 10, 1, 23, 59, 59, 999999, tzinfo=VN)  # 20 days from the province's receipt
    assert (entry.due_at, entry.due_rule) == (resolve_by, "resolve")
    investigator = cast.department_staff
    entry = step(investigator, entry, Status.VERIFYING, at=sent + dt.timedelta(hours=1))
    assert entry.due_at == resolve_by
    two_months = dt.datetime(2025, 11, 11, 23, 59, 59, 999999, tzinfo=VN)  # 11/09 + 2 months, not 01/10 + 2
    with pytest.raises(DomainError, match=r"chậm nhất 11/11/2025 23:59 \(BLTTHS 2015 Điều 147\(2\)"):
        step(
            investigator,
            entry,
            Status.EXTENDED,
            at=sent + dt.timedelta(days=15),
            new_due=dt.datetime(2025, 12, 1, 23, 59, tzinfo=VN),
            extended_by="investigation",
        )
    entry = step(
        investigator,
        entry,
        Status.EXTENDED,
        at=sent + dt.timedelta(days=15),
        new_due=two_months,
        extended_by="investigation",
    )
    assert (entry.due_at, entry.due_rule) == (two_months, "cap_investigation")
    four_months = dt.datetime(2026, 1, 11, 23, 59, 59, 999999, tzinfo=VN)  # 11/09/2025 + 4 months
    entry = step(
        investigator,
        entry,
        Status.EXTENDED,
        at=sent + dt.timedelta(days=55),
        new_due=four_months,
        extended_by="procuracy",
        requested_at=dt.datetime(2025, 11, 6, 9, 0, tzinfo=VN),  # ≥ 5 days before 11/11
    )
    assert (entry.due_at, entry.due_rule) == (four_months, "cap_procuracy")
    decided = sent + dt.timedelta(days=100)
    entry = step(investigator, entry, Status.PROSECUTED, at=decided)
    assert (entry.status, entry.due_at) == (Status.PROSECUTED, None)
    assert entry.procuracy_due_at == decided + dt.timedelta(hours=24)


def test_the_demo_register_fills_one_province_and_continues_serials(cast):
    from django.core.management import call_command

    register(cast.commune_officer, cast.commune_a)
    call_command("demo_cases", "--unit", "51", "--count", "300")
    assert Case.objects.count() == 301
    assert not Case.objects.exclude(unit__path__startswith=cast.province_a.path).exists()
    serials = list(
        Case.objects.filter(unit=cast.commune_a, year=2025).order_by("serial").values_list("serial", flat=True)
    )
    assert serials == list(range(1, len(serials) + 1))
    call_command("demo_cases", "--unit", "51", "--count", "300", "--if-empty")
    assert Case.objects.count() == 301
