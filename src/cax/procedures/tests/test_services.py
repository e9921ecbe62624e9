"""The desk's rules as a commune officer meets them: the clock starts when the dossier is complete,
an apology slip promises a new date but the dossier stays late, names go to their own table and
are read only by the managing commune, every read logged, and erased after retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cax.core.exceptions import DomainError
from cax.core.models import ChangeLog, ImmutableRecordError
from cax.procedures import services
from cax.procedures.models import ApologySlip, Dossier, IdentityRead, PersonalData
from cax.procedures.tests.factories import HCM, at, declare, receive

pytestmark = pytest.mark.django_db
END = dt.time(23, 59, 59, 999999)


def test_a_dossier_received_complete_is_due_by_its_rule_and_keeps_the_applicant_apart(cast):
    dossier = receive(
        cast.commune_officer, cast.commune_a, "thuong-tru", received_at=at(2026, 11, 6, 15), person_name="Y Blih"
    )
    # Fri 6/11/2026 + 7 working days: Mon 9 … Fri 13 (5), Mon 16 (6), Tue 17 (7).
    assert dossier.due_at.astimezone(HCM) == dt.datetime.combine(dt.date(2026, 11, 17), END, HCM)
    assert dossier.rule.legal_basis == "Luật Cư trú 2020, Điều 22"
    person = PersonalData.objects.get(pk=Dossier.objects.get(pk=dossier.pk).applicant_id)
    assert (person.full_name, person.unit) == ("Y Blih", cast.commune_a)
    logged = ChangeLog.objects.filter(object_type="procedures.personaldata", object_id=str(person.pk)).get()
    assert "Y Blih" not in str(logged.after), "the change log masks the name"


def test_the_clock_starts_only_when_the_dossier_is_complete(cast):
    dossier = receive(cast.commune_officer, cast.commune_a, "tam-tru", received_at=at(2026, 11, 2), complete_at=None)
    assert dossier.due_at is None
    dossier = services.dossier_complete(actor=cast.commune_officer, dossier=dossier, complete_at=at(2026, 11, 4, 10))
    # Wed 4/11 + 3 working days: Thu 5, Fri 6, Mon 9.
    assert dossier.due_at.astimezone(HCM) == dt.datetime.combine(dt.date(2026, 11, 9), END, HCM)
    messages = list(
        ChangeLog.objects.filter(object_type="procedures.dossier", object_id=str(dossier.pk)).values_list(
            "message", flat=True
        )
    )
    assert "Hồ sơ đầy đủ, hợp lệ" in messages


def test_a_dossier_cannot_be_complete_before_it_was_received_nor_received_in_the_future(cast):
    with pytest.raises(DomainError) as refused:
        receive(cast.commune_officer, cast.commune_a, received_at=at(2026, 11, 4), complete_at=at(2026, 11, 3))
    assert "complete_at" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        receive(cast.commune_officer, cast.commune_a, received_at=timezone.now() + dt.timedelta(days=2))
    assert "received_at" in refused.value.fields


def test_only_commune_desks_receive_dossiers(cast):
    with pytest.raises(DomainError) as refused:
        receive(None, cast.province_a)
    assert "unit" in refused.value.fields


def test_resolved_on_the_due_day_is_on_time_and_the_next_morning_is_late(cast):
    on_time = receive(cast.commune_officer, cast.commune_a, "tam-tru", received_at=at(2026, 11, 4, 10))
    late = receive(cast.commune_officer, cast.commune_a, "tam-tru", received_at=at(2026, 11, 4, 10))
    services.dossier_resolve(
        actor=cast.commune_officer, dossier=on_time, resolved_at=at(2026, 11, 9, 16), outcome="approved"
    )
    services.dossier_resolve(
        actor=cast.commune_officer, dossier=late, resolved_at=at(2026, 11, 10, 8), outcome="approved"
    )
    assert Dossier.objects.get(pk=on_time.pk).on_time is True
    assert Dossier.objects.get(pk=late.pk).on_time is False


def test_a_refusal_needs_its_reasons_and_a_dossier_is_resolved_once(cast):
    dossier = receive(cast.commune_officer, cast.commune_a)
    with pytest.raises(DomainError) as refused:
        services.dossier_resolve(
            actor=cast.commune_officer, dossier=dossier, resolved_at=at(2026, 11, 3), outcome="refused"
        )
    assert "outcome_note" in refused.value.fields
    services.dossier_resolve(
        actor=cast.commune_officer,
        dossier=dossier,
        resolved_at=at(2026, 11, 3),
        outcome="refused",
        note="Thiếu giấy tờ",
    )
    with pytest.raises(DomainError, match="đã trả kết quả"):
        services.dossier_resolve(
            actor=cast.commune_officer, dossier=dossier, resolved_at=at(2026, 11, 4), outcome="approved"
        )


def test_an_incomplete_dossier_is_not_resolved(cast):
    dossier = receive(cast.commune_officer, cast.commune_a, complete_at=None)
    with pytest.raises(DomainError) as refused:
        services.dossier_resolve(
            actor=cast.commune_officer, dossier=dossier, resolved_at=at(2026, 11, 3), outcome="approved"
        )
    assert "resolved_at" in refused.value.fields


def test_an_apology_slip_promises_a_later_date_but_the_dossier_still_counts_late(cast):
    dossier = receive(cast.commune_officer, cast.commune_a, "tam-tru", received_at=at(2026, 11, 4, 10))
    legal_due = dossier.due_at
    with pytest.raises(DomainError) as refused:
        services.dossier_apologize(
            actor=cast.commune_officer, dossier=dossier, new_due_at=at(2026, 11, 9, 8), reason="Chờ xác minh"
        )
    assert "new_due_at" in refused.value.fields
    services.dossier_apologize(
        actor=cast.commune_officer, dossier=dossier, new_due_at=at(2026, 11, 11, 17), reason="Chờ xác minh"
    )
    with pytest.raises(DomainError):
        services.dossier_apologize(
            actor=cast.commune_officer, dossier=dossier, new_due_at=at(2026, 11, 10, 17), reason="Lại chậm"
        )
    second = services.dossier_apologize(
        actor=cast.commune_officer, dossier=dossier, new_due_at=at(2026, 11, 12, 17), reason="Lại chậm"
    )
    assert second.previous_due_at == at(2026, 11, 11, 17)
    services.dossier_resolve(
        actor=cast.commune_officer, dossier=dossier, resolved_at=at(2026, 11, 12, 9), outcome="approved"
    )
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.due_at, stored.promised_at, stored.on_time) == (legal_due, at(2026, 11, 12, 17), False)
    assert ApologySlip.objects.filter(dossier=dossier).count() == 2


def test_a_lu_tru_notice_is_late_after_23_00_and_a_foreigner_in_a_remote_commune_has_24_hours(cast):
    on_time = declare(
        cast.commune_officer, cast.commune_a, arrived_at=at(2026, 11, 2, 19), declared_at=at(2026, 11, 2, 22, 50)
    )
    late = declare(
        cast.commune_officer, cast.commune_a, arrived_at=at(2026, 11, 2, 19), declared_at=at(2026, 11, 2, 23, 10)
    )
    assert (on_time.is_late, late.is_late) == (False, True)
    cast.commune_a.is_remote = True
    cast.commune_a.save(update_fields=["is_remote"])
    foreigner = declare(
        cast.commune_officer,
        cast.commune_a,
        "tam-tru-nuoc-ngoai",
        arrived_at=at(2026, 11, 2, 10),
        declared_at=at(2026, 11, 3, 9),
        person_name="John Smith",
        person_nationality="Úc",
    )
    assert foreigner.due_at == at(2026, 11, 3, 10)
    assert not foreigner.is_late


def test_a_notice_needs_a_notice_kind_and_a_dossier_a_dossier_kind(cast):
    with pytest.raises(DomainError) as refused:
        declare(cast.commune_officer, cast.commune_a, "thuong-tru")
    assert "procedure" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        receive(cast.commune_officer, cast.commune_a, "luu-tru")
    assert "procedure" in refused.value.fields


def test_only_the_managing_commune_reads_a_name_and_each_read_is_logged(cast):
    from cax.accounts.roles import Role
    from cax.core.testing.cast import make_user

    dossier = receive(cast.commune_officer, cast.commune_a, person_name="Y Blih", person_id_number="064090001234")
    person = Dossier.objects.get(pk=dossier.pk).applicant
    neighbour = make_user("officer_b", Role.COMMUNE_OFFICER, cast.commune_b)
    for outsider in (
        cast.province_leader,
        cast.province_staff,
        cast.auditor,
        cast.admin,
        cast.ministry_leader,
        neighbour,
    ):
        assert services.identity_reveal(actor=outsider, person=person, channel="web") is None
    assert IdentityRead.objects.count() == 0
    seen = services.identity_reveal(actor=cast.commune_chief, person=person, channel="web")
    assert seen["full_name"] == "Y Blih"
    read = IdentityRead.objects.get()
    assert (read.user, read.unit, read.channel) == (cast.commune_chief, cast.commune_a, "web")
    with pytest.raises(ImmutableRecordError):
        read.delete()


def test_names_are_erased_after_retention_and_the_log_keeps_no_copy(cast):
    old = receive(cast.commune_officer, cast.commune_a, received_at=at(2024, 1, 3), person_name="Người Cũ")
    services.dossier_resolve(actor=cast.commune_officer, dossier=old, resolved_at=at(2024, 1, 5), outcome="approved")
    recent = receive(cast.commune_officer, cast.commune_a, received_at=at(2026, 11, 2), person_name="Người Mới")
    services.dossier_resolve(
        actor=cast.commune_officer, dossier=recent, resolved_at=at(2026, 11, 3), outcome="approved"
    )
    open_old = receive(cast.commune_officer, cast.commune_a, received_at=at(2024, 1, 3), person_name="Chưa Xong")
    stay = declare(cast.commune_officer, cast.commune_a, arrived_at=at(2024, 2, 1, 19), person_name="Khách Cũ")

    assert services.desk_purge_personal_data(actor=None, before=at(2025, 1, 1), dry_run=True) == 2
    assert services.desk_purge_personal_data(actor=None, before=at(2025, 1, 1)) == 2

    names = {d.pk: d.applicant.full_name for d in Dossier.objects.select_related("applicant")}
    assert names[old.pk] == services.ERASED
    assert names[recent.pk] == "Người Mới"
    assert names[open_old.pk] == "Chưa Xong"
    stay.refresh_from_db()
    assert stay.person.full_name == services.ERASED
    assert stay.person.purged_at is not None
    assert not ChangeLog.objects.filter(after__icontains="Người Cũ").exists()
    assert services.desk_purge_personal_data(actor=None, before=at(2025, 1, 1)) == 0


def test_the_purge_runs_as_a_registered_daily_job(cast, settings):
    from cax.core import jobs

    assert "procedures.purge" in jobs.kinds()
    assert "procedures.purge" in settings.CAX_JOB_DAILY
    old = receive(cast.commune_officer, cast.commune_a, received_at=at(2024, 1, 3), person_name="Người Cũ")
    services.dossier_resolve(actor=cast.commune_officer, dossier=old, resolved_at=at(2024, 1, 5), outcome="approved")

    class _Job:
        params: dict = {}

    assert services.purge_job(_Job()) == {"personal_data": 1}


def test_another_commune_cannot_write_to_this_desk(cast):
    from cax.core.exceptions import NotVisible

    dossier = receive(cast.commune_officer, cast.commune_a)
    with pytest.raises((NotVisible, DomainError)):
        services.dossier_resolve(
            actor=cast.commune_c_officer, dossier=dossier, resolved_at=at(2026, 11, 3), outcome="approved"
        )
    with pytest.raises(DomainError):
        receive(cast.province_leader, cast.commune_a)
