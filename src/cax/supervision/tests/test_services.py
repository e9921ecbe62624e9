"""A person's file through the services: the end date, the duties, the status the events lead to,
the absence record, the hand-over the receiving commune accepts, the change log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cax.core.exceptions import DomainError, NotVisible, PermissionDenied
from cax.core.models import ChangeLog
from cax.core.testing.units import make_department
from cax.supervision import services
from cax.supervision.models import (
    Duty,
    Event,
    FileAccess,
    Handover,
    Identity,
    Status,
    SupervisionFile,
    TemporaryAbsence,
)
from cax.supervision.tests.factories import NAME, make_file, received

pytestmark = pytest.mark.django_db


def duty(file, code):
    return Duty.objects.get(file=file, code=code)


def test_a_new_file_computes_its_end_and_its_duties_from_the_rules(cast):
    file = make_file(cast.commune_officer, cast.commune_a)
    assert file.status == Status.WAITING
    assert file.end_date == dt.date(2027, 1, 14)
    # Commitment: 3 working days after Monday 12/01/2026 → Thursday 15/01/2026.
    assert file.commitment_due == dt.date(2026, 1, 15)
    assert duty(file, "report").due_on == dt.date(2026, 2, 15)
    assert duty(file, "assessment").due_on == dt.date(2026, 4, 15)
    assert duty(file, "commitment").due_on == dt.date(2026, 1, 15)
    assert Identity.objects.get(file=file).full_name == NAME


def test_ctkgg_credits_three_days_per_custody_day(cast):
    file = make_file(
        cast.commune_officer, cast.commune_a, category="ctkgg", start_date=dt.date(2026, 3, 1), custody_days=10
    )
    assert file.end_date == dt.date(2027, 1, 29)
    assert duty(file, "income_deduction").due_on == dt.date(2026, 4, 1)


def test_a_term_outside_the_law_is_refused_with_its_basis(cast):
    with pytest.raises(DomainError) as exc:
        make_file(cast.commune_officer, cast.commune_a, term_months=61)
    assert "60" in exc.value.message
    assert "Điều 65" in exc.value.message
    assert exc.value.fields["term_months"]


def test_the_dossier_names_only_items_of_the_category(cast):
    with pytest.raises(DomainError):
        make_file(cast.commune_officer, cast.commune_a, dossier=["Giấy khai sinh"])


def test_the_change_log_keeps_no_name(cast):
    file = make_file(cast.commune_officer, cast.commune_a)
    rows = ChangeLog.objects.filter(object_type="supervision.identity", object_id=str(file.identity.pk))
    assert rows.count() == 1
    text = str(rows.first().after) + rows.first().object_repr
    assert NAME not in text
    assert "051090007777" not in text


def test_a_year_of_suspended_sentence_by_hand(cast):
    """Received 12/01/2026; reports monthly from 15/02, assessments quarterly; an absence, a
    violation, then a move that the receiving commune accepts."""
    actor = cast.commune_officer
    file = received(actor, cast.commune_a)
    assert file.status == Status.ACTIVE
    services.event_record(actor=actor, file=file, kind="commitment", on=dt.date(2026, 1, 14))
    assert duty(file, "commitment").due_on is None
    for month in range(2, 12):
        services.event_record(actor=actor, file=file, kind="report", on=dt.date(2026, month, 14))
    # Ten reports done (02…11/2026): the eleventh is due 15/12/2026, the last of the term.
    assert duty(file, "report").due_on == dt.date(2026, 12, 15)
    services.event_record(actor=actor, file=file, kind="assessment", on=dt.date(2026, 4, 10))
    assert duty(file, "assessment").due_on == dt.date(2026, 7, 15)

    services.event_record(
        actor=actor,
        file=file,
        kind="absence",
        on=dt.date(2026, 5, 4),
        data={"first_day": dt.date(2026, 5, 5), "last_day": dt.date(2026, 5, 9), "destination": "TP Huế",
              "reason": "Thăm mẹ ốm"},
    )  # fmt: skip
    file.refresh_from_db()
    assert file.status == Status.ABSENT
    absence = TemporaryAbsence.objects.get(file=file)
    assert (absence.first_day, absence.last_day) == (dt.date(2026, 5, 5), dt.date(2026, 5, 9))
    services.event_record(actor=actor, file=file, kind="return", on=dt.date(2026, 5, 9))
    file.refresh_from_db()
    assert file.status == Status.ACTIVE
    absence.refresh_from_db()
    assert absence.returned_on == dt.date(2026, 5, 9)

    services.event_record(actor=actor, file=file, kind="violation", on=dt.date(2026, 6, 2), note="Vắng không phép")
    file.refresh_from_db()
    assert (file.status, file.violations) == (Status.VIOLATED, 1)

    moved = timezone.now() - dt.timedelta(hours=3)
    handover = services.handover_send(actor=actor, file=file, to_unit=cast.commune_b, moved_at=moved,
                                      new_address="Tổ 3, Phường Kon Tum")  # fmt: skip
    assert handover.due_at is None  # no notice time for án treo
    chief_b = cast.by_role("commune_chief")  # commune A's chief cannot accept for commune B
    with pytest.raises(NotVisible):
        services.handover_accept(actor=chief_b, handover=handover)
    from cax.accounts.roles import Role
    from cax.core.testing.cast import make_user

    receiver = make_user("chief_b", Role.COMMUNE_CHIEF, cast.commune_b)
    new = services.handover_accept(actor=receiver, handover=handover)
    file.refresh_from_db()
    assert file.status == Status.MOVED
    assert not Duty.objects.filter(file=file, due_on__isnull=False).exists()
    assert new.unit == cast.commune_b
    assert new.status == Status.VIOLATED
    assert new.end_date == dt.date(2027, 1, 14)
    assert new.identity.address == "Tổ 3, Phường Kon Tum"
    assert duty(new, "report").due_on == dt.date(2026, 12, 15)  # the ten reports carried
    assert Handover.objects.get(pk=handover.pk).new_file == new
    assert new.events.filter(kind="reception").exists()


def test_a_drug_user_moving_after_july_2026_is_due_within_24_hours(cast):
    actor = cast.commune_officer
    file = received(actor, cast.commune_a, category="ma_tuy", decision_date=dt.date(2026, 7, 10),
                    received_on=dt.date(2026, 7, 10), start_date=dt.date(2026, 7, 10), dossier=[])  # fmt: skip
    assert duty(file, "residence_check").due_on == dt.date(2026, 8, 10)
    moved = timezone.now() - dt.timedelta(hours=30)
    handover = services.handover_send(actor=actor, file=file, to_unit=cast.commune_b, moved_at=moved)
    assert handover.due_at == moved + dt.timedelta(hours=24)
    assert handover.notice_late  # recorded 30 hours after the move


def test_the_status_follows_the_events_and_refuses_what_does_not_fit(cast):
    actor = cast.commune_officer
    file = make_file(actor, cast.commune_a)
    with pytest.raises(DomainError, match="Chờ tiếp nhận"):
        services.event_record(actor=actor, file=file, kind="report", on=dt.date(2026, 2, 1))
    services.event_record(actor=actor, file=file, kind="reception", on=dt.date(2026, 1, 13))
    with pytest.raises(DomainError):
        services.event_record(actor=actor, file=file, kind="reception", on=dt.date(2026, 1, 13))
    with pytest.raises(DomainError, match="tương lai"):
        services.event_record(actor=actor, file=file, kind="report", on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="Chưa hết thời hạn"):
        services.event_record(actor=actor, file=file, kind="end", on=dt.date(2026, 6, 1))


def test_a_court_shortening_recomputes_the_end_and_a_revocation_ends_the_file(cast):
    actor = cast.commune_officer
    file = received(actor, cast.commune_a, term_months=24)
    services.event_record(actor=actor, file=file, kind="proposal", on=dt.date(2026, 3, 1), outcome="shorten")
    services.event_record(actor=actor, file=file, kind="court_decision", on=dt.date(2026, 4, 1), outcome="shorten",
                          data={"term_months": 12, "term_days": 0})  # fmt: skip
    file.refresh_from_db()
    assert file.end_date == dt.date(2027, 1, 14)
    services.event_record(actor=actor, file=file, kind="court_decision", on=dt.date(2026, 5, 1), outcome="revoke")
    file.refresh_from_db()
    assert file.status == Status.ENDED
    assert not Duty.objects.filter(file=file, due_on__isnull=False).exists()


def test_only_the_managing_commune_writes(cast):
    file = make_file(cast.commune_officer, cast.commune_a)
    for role in ("province_leader", "auditor", "department_staff", "administrator"):
        with pytest.raises(PermissionDenied):
            services.event_record(actor=cast.by_role(role), file=file, kind="reception", on=dt.date(2026, 1, 13))


def test_events_are_appended_never_changed(cast):
    file = received(cast.commune_officer, cast.commune_a)
    event = Event.objects.filter(file=file).first()
    event.note = "sửa"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        Event.objects.filter(file=file).update(note="x")
    with pytest.raises(TypeError):
        Event.objects.filter(file=file).delete()


def test_opening_a_file_needs_a_reason_and_is_logged(cast):
    file = make_file(cast.commune_officer, cast.commune_a)
    with pytest.raises(DomainError):
        services.file_open(actor=cast.commune_chief, file=file, reason=" ")
    services.file_open(actor=cast.commune_chief, file=file, reason="Kiểm tra hồ sơ định kỳ")
    row = FileAccess.objects.get()
    assert (row.user, row.file, row.action) == (cast.commune_chief, file, "open")
    assert row.chain_hash


def test_the_reminder_appends_one_reminder_per_duty_due(cast):
    file = received(cast.commune_officer, cast.commune_a)
    count = services.remind_due(today=dt.date(2026, 2, 13), lead_days=3, every_days=7)
    # The report due 15/02 and the commitment overdue since 15/01.
    assert count == 2
    assert Event.objects.filter(file=file, kind="reminder").count() == 2
    assert services.remind_due(today=dt.date(2026, 2, 14), lead_days=3, every_days=7) == 0


def test_the_responsible_department_is_found_in_the_province(cast):
    department = make_department(cast.province_a, code="51-PC10", name="Phòng Cảnh sát thi hành án hình sự")
    file = make_file(cast.commune_officer, cast.commune_a)
    assert SupervisionFile.objects.get(pk=file.pk).department == department
