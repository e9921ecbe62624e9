"""Export → import round trip on every register (#14).

Every exported list, imported back unchanged through the real upload → preview → confirm pages,
reports "N không đổi" and writes nothing: no row, no change-log entry, not even a timestamp. One
edited cell then updates that one record and nothing else.

The registers are discovered (``all_registers()``), so a register added later is checked without
being listed here: the test fails until ``SAMPLES`` knows how to create a few of its rows. The
exports that are not registers (officers, units, party cells, committee seats) are listed in
``OTHER_EXPORTS``. The crime-report register is exported but has no import: nothing to round-trip.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from cax.core.exports import XLSX_MIME
from cax.core.models import ChangeLog, SearchEntry
from cax.core.records.register import Register
from cax.core.records.registry import all_registers
from cax.core.testing.cast import Cast
from cax.core.testing.units import make_department, make_village
from cax.deployment.tests.factories import officer as make_officer

pytestmark = pytest.mark.django_db

EDITED = "Sửa khi kiểm tra khứ hồi"
TODAY = dt.date.today()
# Tables an import may touch without changing data: the uploaded file and the cache revision.
# Bookkeeping of the upload itself, not data: the batch, the revision counter, the form's one-time
# submit tokens and API idempotency keys (#14.6), the head of the change log's hash chain (#16.2).
IGNORED_TABLES = {"core.ImportBatch", "core.Revision", "core.SubmitToken", "core.IdempotencyKey", "core.AuditChain"}


# -- sample rows, created through the services --------------------------------------------------

SAMPLES: dict[str, Callable[[Cast], Any]] = {}


def sample(kind: str):
    """Registers the builder of ``kind``'s rows; it returns the user who exports and imports them."""

    def register(build):
        SAMPLES[kind] = build
        return build

    return register


def _villages(cast):
    return [make_village(cast.commune_a, f"23500-T0{n}", f"Thôn {n}") for n in (1, 2, 3)]


def _teams(cast):
    from cax.grassroots.registers import TEAMS

    v1, v2, v3 = _villages(cast)
    established = TEAMS.save(
        actor=None,
        instance=None,
        data={
            "unit": cast.commune_a,
            "name": "Tổ bảo vệ ANTT thôn 1",
            "villages": [v1, v2],
            "planned_members": 3,
            "status": "established",
            "decision_number": "125/QĐ-UBND",
            "decision_date": dt.date(2024, 8, 15),
        },
    )
    planned = TEAMS.save(
        actor=None,
        instance=None,
        data={"unit": cast.commune_a, "name": "Tổ bảo vệ ANTT thôn 3", "villages": [v3], "note": "Dự kiến"},
    )
    return established, planned


def _members(cast):
    from cax.grassroots.registers import MEMBERS

    team, _planned = _teams(cast)
    common = {
        "team": team,
        "sex": "male",
        "joined_on": dt.date(2025, 3, 1),
        "residence_since": dt.date(2010, 1, 1),
        "health_certificate_on": dt.date(2025, 2, 20),
        "education": "lower_secondary",
    }
    people = [
        {"full_name": "A Blưm", "role": "leader", "date_of_birth": dt.date(1980, 5, 12), "id_number": "051080001234"},
        {
            "full_name": "Y Nhăm",
            "sex": "female",
            "date_of_birth": dt.date(1990, 1, 2),
            "id_number": "051090004321",
            "phone": "0905000111",
        },
        {
            "full_name": "Lê Văn Bình",
            "date_of_birth": dt.date(1975, 7, 7),
            "id_number": "001075009999",
            "left_on": dt.date(2025, 6, 30),
        },
    ]
    return [MEMBERS.save(actor=None, instance=None, data=common | person) for person in people]


@sample("grassroots.criteria")
def _criteria(cast):
    from cax.grassroots.registers import CRITERIA

    CRITERIA.save(actor=None, instance=None, data={"unit": cast.province_a, "min_age": 20, "legal_basis": "NQ 12"})
    CRITERIA.save(actor=None, instance=None, data={"unit": cast.province_b, "default_team_size": 5})
    return cast.admin


@sample("grassroots.team")
def _team_rows(cast):
    _teams(cast)
    return cast.commune_chief


@sample("grassroots.member")
def _member_rows(cast):
    _members(cast)
    return cast.commune_chief


@sample("grassroots.allowance")
def _allowances(cast):
    from cax.grassroots.registers import ALLOWANCES

    leader, member, _left = _members(cast)
    for who, kind in ((leader, "monthly"), (member, "monthly"), (leader, "training")):
        ALLOWANCES.save(
            actor=None,
            instance=None,
            data={"member": who, "month": dt.date(2025, 4, 1), "kind": kind, "amount": 1_500_000,
                  "paid_on": dt.date(2025, 5, 5)},
        )  # fmt: skip
    return cast.commune_chief


@sample("facilities.headquarters")
def _headquarters(cast):
    from cax.facilities import services

    services.headquarters_save(
        actor=None,
        instance=None,
        data={"unit": cast.commune_a, "status": "built", "year": 2023, "funding_source": "local",
              "amount": 3_500_000_000, "area": 350.5, "address": "Thôn 1"},
    )  # fmt: skip
    services.headquarters_save(actor=None, instance=None, data={"unit": cast.commune_b, "status": "temporary"})
    return cast.province_staff


def _province_standard(cast):
    from cax.facilities.registers import STANDARDS

    # The province's own row for an item the national standard also has: a code two rows share.
    return STANDARDS.save(
        actor=None,
        instance=None,
        data={"unit": cast.province_a, "code": "XMT", "name": "Xe mô tô", "category": "vehicle", "quantity": 2,
              "valid_from": dt.date(2025, 8, 1)},
    )  # fmt: skip


@sample("facilities.standard")
def _standards(cast):
    _province_standard(cast)
    return cast.province_staff  # sees the national rows too, and may not change them


@sample("facilities.equipment")
def _equipment(cast):
    from cax.facilities import services
    from cax.facilities.models import EquipmentStandard

    radios = EquipmentStandard.objects.get(unit__isnull=True, code="BDCT")
    common = {"unit": cast.commune_a, "acquired_on": dt.date(2024, 3, 15), "funding_source": "central"}
    # Rows without a plate or serial: re-importing them used to add them again.
    services.equipment_save(actor=None, instance=None, data=common | {"standard": radios, "quantity": 3})
    services.equipment_save(
        actor=None,
        instance=None,
        data=common | {"standard": radios, "quantity": 1, "condition": "needs_repair", "status": "under_repair"},
    )
    services.equipment_save(
        actor=None,
        instance=None,
        data=common | {"standard": _province_standard(cast), "quantity": 1, "identifier": "76B1-123.45"},
    )
    services.equipment_save(actor=None, instance=None, data={"unit": cast.commune_a, "name": "Máy phát điện"})
    return cast.commune_chief


def _conference(cast, title="Hội nghị lắng nghe ý kiến Công an xã", held_on=dt.date(2025, 8, 15)):
    from cax.petitions.registers import CONFERENCES

    return CONFERENCES.save(
        actor=None,
        instance=None,
        data={"unit": cast.province_a, "title": title, "held_on": held_on, "chaired_by": "Giám đốc Công an tỉnh"},
    )


@sample("petitions.conference")
def _conferences(cast):
    _conference(cast)
    _conference(cast, "Hội nghị sơ kết", dt.date(2025, 9, 20))
    return cast.province_leader


@sample("petitions.petition")
def _petitions(cast):
    from cax.petitions import services
    from cax.petitions.registers import PETITIONS

    conference = _conference(cast)
    department = make_department(cast.province_a)

    def raise_(**extra):
        data = {"unit": cast.commune_a, "raised_on": dt.date(2025, 8, 15), "topic": "reporting", "text": "Giảm báo cáo"}
        return PETITIONS.save(actor=None, instance=None, data=data | extra)

    raise_(conference=conference)
    raise_(source="document", source_ref="Công văn 12/CAX", topic="staffing", text="Bổ sung cán bộ")
    assigned = raise_(conference=conference, topic="headquarters", text="Xây trụ sở")
    services.petition_assign(actor=None, petition=assigned, department=department, due_on=TODAY)
    answered = raise_(conference=conference, topic="allowances", text="Chi hỗ trợ")
    services.petition_answer(
        actor=None, petition=answered, answer="Đồng ý", answered_by="Giám đốc", answered_on=dt.date(2025, 8, 15)
    )
    # The commune's chief: the conference and the department belong to the province, outside their subtree.
    return cast.commune_chief


@sample("honours.casualty")
def _casualties(cast):
    from cax.honours import services

    officer = make_officer(cast.commune_a, full_name="Phạm Quốc Bảo")
    services.casualty_save(
        actor=None,
        instance=None,
        data={"unit": cast.commune_a, "officer": officer, "kind": "injured", "date": dt.date(2024, 9, 7),
              "cause": "rescue", "severity": "serious", "place": "Thôn 3"},
    )  # fmt: skip
    services.casualty_save(
        actor=None,
        instance=None,
        data={"unit": cast.commune_b, "full_name": "Võ Thanh Sơn", "kind": "killed", "date": dt.date(2021, 8, 3),
              "cause": "traffic", "recognition": "Liệt sĩ 2021"},
    )  # fmt: skip
    return cast.province_staff


def _campaign(cast):
    from cax.honours import services

    return services.campaign_save(
        actor=None,
        instance=None,
        data={"unit": cast.province_a, "name": "Vì an ninh Tổ quốc", "starts_on": dt.date(2025, 1, 1),
              "ends_on": dt.date(2025, 12, 31), "participants": [cast.commune_a, cast.commune_b]},
    )  # fmt: skip


@sample("honours.campaign")
def _campaigns(cast):
    from cax.honours import services

    _campaign(cast)
    services.campaign_save(
        actor=None,
        instance=None,
        data={"unit": cast.province_a, "name": "Ngày hội toàn dân", "starts_on": dt.date(2025, 8, 1),
              "ends_on": dt.date(2025, 8, 31), "description": "Ngày hội toàn dân bảo vệ ANTQ"},
    )  # fmt: skip
    return cast.province_staff


@sample("honours.commendation")
def _commendations(cast):
    from cax.honours import services

    campaign = _campaign(cast)
    officer = make_officer(cast.commune_a, full_name="Trần Minh Tuấn")
    common = {"issuer": "Giám đốc Công an tỉnh Quảng Ngãi", "decision_number": "2031/QĐ-CAT",
              "decision_date": dt.date(2025, 8, 15)}  # fmt: skip
    services.commendation_save(
        actor=None, instance=None, data=common | {"unit": cast.commune_a, "form": "victorious_unit"}
    )
    services.commendation_save(
        actor=None,
        instance=None,
        data=common | {"unit": cast.commune_a, "officer": officer, "form": "merit_certificate", "campaign": campaign},
    )
    return cast.province_staff


def _movement_models(cast):
    from cax.movement.models import ModelType
    from cax.movement.registers import MODELS

    team, _planned = _teams(cast)
    common = {"unit": cast.commune_a, "proposer": "police", "decision_number": "3/QĐ-UBND",
              "decision_date": dt.date(2024, 3, 1)}  # fmt: skip
    first = MODELS.save(actor=None, instance=None, data=common | {
        "name": "Camera an ninh thôn 1", "model_type": ModelType.objects.get(name="Camera an ninh"),
        "teams": [team]})  # fmt: skip
    second = MODELS.save(actor=None, instance=None, data=common | {
        "name": "Dòng họ tự quản họ Lê", "model_type": ModelType.objects.get(name="Dòng họ tự quản")})  # fmt: skip
    return first, second


@sample("movement.model")
def _movement_model_rows(cast):
    _movement_models(cast)
    return cast.commune_officer


@sample("movement.replication")
def _replications(cast):
    from cax.movement.registers import REPLICATIONS

    first, second = _movement_models(cast)
    REPLICATIONS.save(
        actor=None, instance=None, data={"model": first, "place": "Khu 2", "started_on": dt.date(2024, 6, 1)}
    )
    REPLICATIONS.save(actor=None, instance=None, data={"model": second, "place": "Khu 3",
                                                       "started_on": dt.date(2024, 7, 1)})  # fmt: skip
    return cast.commune_officer


@sample("movement.evaluation")
def _evaluations(cast):
    from cax.movement.registers import EVALUATIONS

    first, second = _movement_models(cast)
    for model in (first, second):
        EVALUATIONS.save(actor=None, instance=None, data={"model": model, "evaluated_on": dt.date(2024, 12, 1),
                                                          "result": "effective", "note": "Tốt"})  # fmt: skip
    return cast.commune_officer


@sample("movement.example")
def _examples(cast):
    from cax.movement.registers import EXAMPLES

    first, _second = _movement_models(cast)
    EXAMPLES.save(actor=None, instance=None, data={"unit": cast.commune_a, "kind": "collective", "name": "Thôn 1",
                                                   "year": 2025, "model": first})  # fmt: skip
    EXAMPLES.save(actor=None, instance=None, data={"unit": cast.commune_a, "kind": "person", "name": "Ông A Blưm",
                                                   "year": 2025, "achievement": "Báo tin kịp thời"})  # fmt: skip
    return cast.commune_officer


def _registrations(cast):
    from cax.movement.registers import REGISTRATIONS

    v1, _v2, _v3 = _villages(cast)
    area = REGISTRATIONS.save(actor=None, instance=None, data={
        "unit": cast.commune_a, "entity_type": "residential", "area": v1, "year": 2025,
        "registered_on": dt.date(2025, 2, 1)})  # fmt: skip
    school = REGISTRATIONS.save(actor=None, instance=None, data={
        "unit": cast.commune_a, "entity_type": "school", "entity_name": "Trường THCS", "year": 2025,
        "registered_on": dt.date(2025, 2, 3)})  # fmt: skip
    return area, school


@sample("movement.registration")
def _registration_rows(cast):
    _registrations(cast)
    return cast.commune_officer


@sample("movement.assessment")
def _assessments(cast):
    from cax.movement.registers import ASSESSMENTS

    area, _school = _registrations(cast)
    for number in (1, 2):
        ASSESSMENTS.save(actor=None, instance=None, data={"registration": area, "criterion": number, "met": True,
                                                          "evidence": "Biên bản"})  # fmt: skip
    return cast.commune_officer


@sample("movement.rating")
def _ratings(cast):
    from cax.grassroots.registers import TEAMS
    from cax.movement.registers import RATINGS

    team, _planned = _teams(cast)
    other = TEAMS.save(actor=None, instance=None, data={"unit": cast.commune_a, "name": "Tổ liên thôn",
                                                        "villages": [team.villages.first()], "status": "established",
                                                        "decision_number": "7/QĐ",
                                                        "decision_date": dt.date(2024, 1, 1)})  # fmt: skip
    for each, level in ((team, "good"), (other, "done")):
        data = {"team": each, "year": 2026, "level": level, "decided_on": dt.date(2026, 11, 20), "note": "Ghi chú"}
        RATINGS.save(actor=None, instance=None, data=data)
    return cast.commune_officer


def _course(cast, unit, title, code=""):
    from cax.training.registers import COURSES

    data = {"unit": unit, "title": title, "topic": "language", "language": "Xơ Đăng", "code": code,
            "starts_on": dt.date(2025, 3, 3), "ends_on": dt.date(2025, 5, 30), "place": "Trường Chính trị"}  # fmt: skip
    return COURSES.save(actor=None, instance=None, data=data)


@sample("procedures.dossier")
def _dossiers(cast):
    from cax.procedures import services
    from cax.procedures.tests.factories import at, receive

    receive(cast.commune_officer, cast.commune_a, "thuong-tru", received_at=at(2026, 11, 2, 8, 30), note="Nộp bản sao")
    done = receive(cast.commune_officer, cast.commune_a, "tam-tru", received_at=at(2026, 11, 3), channel="vneid")
    services.dossier_resolve(
        actor=None, dossier=done, resolved_at=at(2026, 11, 9, 16), outcome="refused", note="Chỗ ở không hợp pháp"
    )
    receive(cast.commune_officer, cast.commune_a, "can-cuoc", received_at=at(2026, 11, 4), complete_at=None)
    return cast.commune_officer


@sample("procedures.declaration")
def _declarations(cast):
    from cax.procedures.tests.factories import at, declare

    declare(cast.commune_officer, cast.commune_a, arrived_at=at(2026, 11, 2, 19), declared_at=at(2026, 11, 2, 23, 30))
    declare(cast.commune_officer, cast.commune_a, "tam-tru-nuoc-ngoai", arrived_at=at(2026, 11, 3, 8),
            stay_to=dt.date(2026, 11, 10))  # fmt: skip
    return cast.commune_officer


@sample("regimes.rate")
def _rates(cast):
    from cax.regimes.models import EntitlementType
    from cax.regimes.registers import RATES

    kinds = {t.code: t for t in EntitlementType.objects.all()}
    RATES.save(actor=None, instance=None, data={"entitlement_type": kinds["VUNG-DBKK"], "unit": cast.root,
                                                "amount": 1_638_000, "requires_remote": True, "basis": "NĐ 76/2019",
                                                "effective_from": dt.date(2024, 7, 1)})  # fmt: skip
    RATES.save(actor=None, instance=None, data={"entitlement_type": kinds["TIEN-AN"], "unit": cast.province_a,
                                                "amount": 900_000, "effective_from": dt.date(2025, 7, 1),
                                                "effective_to": dt.date(2025, 12, 31), "basis": "NQ tỉnh",
                                                "verified": True, "role": "chief"})  # fmt: skip
    return cast.province_staff


@sample("regimes.area")
def _areas(cast):
    from cax.regimes.registers import AREAS

    AREAS.save(actor=None, instance=None, data={"unit": cast.commune_a, "attribute": "remote",
                                                "valid_from": dt.date(2025, 7, 1), "basis": "QĐ 1"})  # fmt: skip
    AREAS.save(actor=None, instance=None, data={"unit": cast.commune_a, "attribute": "border",
                                                "valid_from": dt.date(2025, 7, 1), "valid_to": dt.date(2025, 12, 31),
                                                "basis": "QĐ 2"})  # fmt: skip
    return cast.province_staff


@sample("library.document")
def _library_documents(cast):
    from cax.library.registers import DOCUMENTS
    from cax.library.tests.factories import document

    new = document(cast.province_staff, cast.province_a, number="22/HD-CAT", tags="cư trú, tuần tra")
    old = document(cast.province_staff, cast.province_a, number="05/HD-CAT", kind="guidance")
    DOCUMENTS.save(actor=cast.province_staff, instance=old, data={"replaced_by": new})
    document(cast.province_staff, cast.province_a, number="17/KH-CAT", secrecy="mat", holder="Văn thư",
             classified_on=dt.date(2026, 1, 5))  # fmt: skip
    commune_type = cast.commune_a.unit_type
    document(cast.admin, cast.root, number="24/2020/TT-BCA", audience="unit_type", audience_unit=None,
             audience_unit_type=commune_type)  # fmt: skip
    return cast.province_staff


@sample("training.course")
def _courses(cast):
    _course(cast, cast.province_a, "Học tiếng Xơ Đăng khoá 1/2025")
    _course(cast, cast.commune_a, "Bồi dưỡng nghiệp vụ", code="23500-2025-01")
    return cast.province_staff


@sample("training.participant")
def _participants(cast):
    from cax.training.registers import PARTICIPANTS

    course = _course(cast, cast.province_a, "Học tiếng Xơ Đăng khoá 1/2025")
    officer = make_officer(cast.commune_a, full_name="Y Nhăm")
    member = _members(cast)[0]
    PARTICIPANTS.save(
        actor=None,
        instance=None,
        data={"course": course, "officer": officer, "completed": True, "completed_on": dt.date(2025, 5, 30),
              "result": "good", "certificate_number": "XĐ-001/2025"},
    )  # fmt: skip
    PARTICIPANTS.save(actor=None, instance=None, data={"course": course, "team_member": member, "completed": False})
    return cast.province_staff


@sample("pairing.pairing")
def _pairings(cast):
    from cax.pairing.registers import PAIRINGS

    department = make_department(cast.province_a)
    for commune in (cast.commune_a, cast.commune_b):
        PAIRINGS.save(
            actor=None,
            instance=None,
            data={"department": department, "commune": commune, "since": dt.date(2025, 7, 1), "note": "Kế hoạch 1"},
        )
    return cast.province_staff


@sample("supervision.file")
def _supervision_files(cast):
    from cax.supervision.tests.factories import make_file, received

    received(cast.commune_officer, cast.commune_a)
    make_file(cast.commune_officer, cast.commune_a, category="ctkgg", decision_number="7/QĐ", custody_days=5,
              full_name="Lê Thị Hai", dossier=["Bản án", "Bản cam kết"])  # fmt: skip
    return cast.commune_officer


# -- the database, before and after --------------------------------------------------------------


def _tables() -> list[type[models.Model]]:
    """Every table of CAX, many-to-many ones included (the auto-created through models)."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m.__module__.startswith("cax.") and m._meta.label not in IGNORED_TABLES
    ]


def _database() -> dict[str, dict[Any, dict]]:
    return {m._meta.label: {row[m._meta.pk.attname]: row for row in m._base_manager.values()} for m in _tables()}


def _differences(before: dict, after: dict) -> dict[str, set]:
    out = {}
    for label, rows in after.items():
        old = before[label]
        changed = {pk for pk in rows.keys() | old.keys() if rows.get(pk) != old.get(pk)}
        if changed:
            out[label] = changed
    return out


# -- the web: export, upload, preview, confirm ---------------------------------------------------


@dataclass
class Outcome:
    preview: Any
    result: Any
    messages: list[str]


def _web_import(client, upload_url: str, content: bytes, **fields) -> Outcome:
    upload = SimpleUploadedFile("xuat-ra.xlsx", content, content_type=XLSX_MIME)
    response = client.post(upload_url, {"file": upload, **fields})
    assert response.status_code == 302, response.content.decode()[:3000]
    preview = client.get(response["Location"]).context
    assert "result" in preview, _refusal(preview)
    confirm = client.post(response["Location"])
    assert "result" in confirm.context, _refusal(confirm.context)
    return Outcome(preview["result"], confirm.context["result"], [str(m) for m in confirm.context["messages"]])


def _refusal(context) -> str:
    if "rejected" in context:
        return "\n".join(str(e) for e in context["rejected"].errors)
    return context.get("error", "no result")


def _counts(result) -> tuple[int, int, int]:
    return result.created, result.updated, result.unchanged


def _sheet(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    return workbook, workbook.worksheets[0]


def _edited(content: bytes, row: int, header: str, value: Any) -> bytes:
    workbook, sheet = _sheet(content)
    headers = [c.value for c in sheet[1]]
    assert header in headers, f"the export has no column “{header}”: {headers}"
    sheet.cell(row=row, column=headers.index(header) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(content: bytes) -> list[dict[str, Any]]:
    _workbook, sheet = _sheet(content)
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


@dataclass
class RoundTrip:
    """One export and the import that reads it back."""

    export_url: str
    upload_url: str
    upload_fields: dict
    key_headers: tuple[str, ...]  # the columns that name the record
    edit_header: str  # the column the second import changes
    edit_value: Any
    find: Callable[[dict], models.Model]  # an exported row → its record
    may_change: Callable[[models.Model], bool]


def check_round_trip(client, trip: RoundTrip, *, expected_rows: int) -> models.Model:
    """Exports, imports the file back unchanged, then with one cell edited; returns the edited record."""
    export = client.get(trip.export_url)
    assert export.status_code == 200, export.content[:500]
    assert export["Content-Type"] == XLSX_MIME
    rows = _rows(export.content)
    assert len(rows) == expected_rows >= 2, f"expected {expected_rows} exported rows, got {len(rows)}"
    for header in trip.key_headers:
        assert all(r[header] not in (None, "") for r in rows), f"every row carries its key ({header})"
    records = [trip.find(r) for r in rows]
    assert len({r.pk for r in records}) == len(rows), "each row names its own record"

    before = _database()
    unchanged = _web_import(client, trip.upload_url, export.content, **trip.upload_fields)
    assert _counts(unchanged.preview) == (0, 0, len(rows))
    assert _counts(unchanged.result) == (0, 0, len(rows))
    assert unchanged.messages == [f"Đã nhập: 0 tạo mới, 0 cập nhật, {len(rows)} không đổi."]
    assert _differences(before, _database()) == {}, "an unchanged file wrote to the database"

    row, record = next((n, r) for n, r in enumerate(records, start=2) if trip.may_change(r))
    changed = _web_import(
        client, trip.upload_url, _edited(export.content, row, trip.edit_header, trip.edit_value), **trip.upload_fields
    )
    assert _counts(changed.result) == (0, 1, len(rows) - 1)
    differences = _differences(before, _database())
    label = record._meta.label
    assert differences.pop(label) == {record.pk}, "only the edited record changes"
    logged = ChangeLog.objects.filter(pk__in=differences.pop("core.ChangeLog", set()))
    assert {(e.object_type, e.object_id) for e in logged} == {(record._meta.label_lower, str(record.pk))}
    # The one search's row of the edited record follows it (issue 19.5), and no other row.
    indexed = SearchEntry.objects.filter(pk__in=differences.pop("core.SearchEntry", set()))
    assert {e.object_id for e in indexed} <= {record.pk}, "only the edited record's search row changes"
    assert differences == {}, "nothing else changes"
    return type(record)._base_manager.get(pk=record.pk)


# -- every register ------------------------------------------------------------------------------


def _kind(register: Register) -> str:
    return f"{register.namespace}.{register.name}"


def _edit_field(register: Register):
    """A free-text column the rules do not read: the record's note if it has one."""
    candidates = []
    for f in register.importable():
        try:
            field = register.model._meta.get_field(f.key)
        except FieldDoesNotExist:
            continue
        plain = isinstance(field, models.CharField | models.TextField) and not field.choices
        if plain and field.blank and not field.unique and f.lookup is None and f.key not in register.natural_key:
            candidates.append(f)
    assert candidates, f"{_kind(register)} has no free-text column to edit"
    return next((f for f in candidates if f.key == "note"), candidates[0])


@pytest.mark.parametrize("register", all_registers(), ids=_kind)
def test_every_register_round_trips(register, cast, client):
    build = SAMPLES.get(_kind(register))
    assert build is not None, f"add a builder of a few {_kind(register)} rows to SAMPLES"
    actor = build(cast)
    client.force_login(actor)
    field = _edit_field(register)
    record = check_round_trip(
        client,
        RoundTrip(
            # A reason: exports of names ask one (supervision); the other lists ignore it.
            export_url=register.url("list") + "?format=xlsx&reason=Kiểm tra khứ hồi",
            upload_url=register.url("import"),
            upload_fields={},
            key_headers=(str(register.key_field.label),),
            edit_header=str(field.label),
            edit_value=EDITED,
            find=lambda row: register.model._base_manager.get(pk=row[str(register.key_field.label)]),
            may_change=lambda record: register.model.objects.visible_to(actor, "change").filter(pk=record.pk).exists(),
        ),
        expected_rows=register.queryset(actor).count(),
    )
    assert getattr(record, field.key) == EDITED


# -- the exports that are not registers ----------------------------------------------------------


def _officers(cast):
    from cax.deployment.tests.factories import posted
    from cax.personnel.choices import InvestigatorGrade, SpecialityKind

    languages = [("Xơ Đăng", True), ("Tiếng Anh", False)]
    specialities = [(SpecialityKind.INVESTIGATOR, InvestigatorGrade.INTERMEDIATE), (SpecialityKind.FIRE_RESCUE, "")]
    return [
        posted(
            cast.commune_a,
            full_name="Trần Văn Trưởng",
            date_of_birth=dt.date(1985, 3, 15),
            ethnicity="Kinh",
            is_party_member=True,
            party_joined_on=dt.date(2010, 5, 19),
            service_start=dt.date(2008, 9, 1),
            home_unit=cast.commune_b,
            specialities=specialities,
            languages=languages,
        ),
        # Every officer speaks a foreign language, so whichever row is edited shows that the
        # officer keeps it as it was (an import once re-created them all as ethnic languages).
        posted(cast.commune_a, full_name="Nguyễn Thị Hoa", sex="female", languages=languages[1:]),
        posted(cast.commune_b, full_name="A Thuyên", dependants=2, has_hardship=True, languages=languages),
    ]


def _officer_trip(cast) -> tuple[Any, RoundTrip, int]:
    from cax.personnel.models import Officer

    _officers(cast)
    actor = cast.province_staff
    trip = RoundTrip(
        export_url=reverse("personnel:list") + "?format=xlsx",
        upload_url=reverse("personnel:import"),
        upload_fields={"kind": "officers"},
        key_headers=("Số hiệu",),
        edit_header="Dân tộc",
        edit_value="Ba Na",
        find=lambda row: Officer.objects.get(service_number=row["Số hiệu"]),
        may_change=lambda officer: True,
    )
    return actor, trip, Officer.objects.visible_to(actor).count()


def _unit_trip(cast) -> tuple[Any, RoundTrip, int]:
    from cax.core.testing.units import make_merged_commune
    from cax.units.models import Unit
    from cax.units.services import unit_update

    village = make_village(cast.commune_a, "23500-T01", "Thôn Kon Klor")
    unit_update(actor=None, unit=village, population=812, is_ethnic_minority=True, local_languages=["Xơ Đăng", "Ba Na"])
    unit_update(actor=None, unit=cast.commune_a, latitude=Decimal("14.4"), longitude=Decimal("107.9"), is_border=True)
    make_merged_commune(cast.commune_a)  # closed, with its successor
    actor = cast.province_staff

    def find(row):
        # Codes repeat across time: the row's end date tells the closed unit from the open one.
        valid_to = row["Hiệu lực đến"].date() if row["Hiệu lực đến"] else None
        return Unit.objects.get(code=row["Mã"], valid_to=valid_to)

    trip = RoundTrip(
        # Closed units too: a merged commune names its successors.
        export_url=reverse("units:list") + "?include_closed=on&format=xlsx",
        upload_url=reverse("units:import"),
        upload_fields={},
        key_headers=("Mã",),
        edit_header="Dân số",
        edit_value=12345,
        find=find,
        may_change=lambda unit: Unit.objects.visible_to(actor, "change").filter(pk=unit.pk).exists(),
    )
    return actor, trip, Unit.objects.visible_to(actor).count()


def _party_cell_trip(cast) -> tuple[Any, RoundTrip, int]:
    from cax.deployment.models import PartyCell
    from cax.deployment.services import party_cell_record

    secretary = _officers(cast)[0]
    party_cell_record(actor=None, unit=cast.commune_a, founded_on=dt.date(2025, 7, 15), secretary=secretary)
    party_cell_record(
        actor=None, unit=cast.commune_b, founded_on=dt.date(2025, 7, 2), dissolved_on=dt.date(2025, 7, 20)
    )  # its history: dissolved, then founded again
    party_cell_record(actor=None, unit=cast.commune_b, founded_on=dt.date(2025, 7, 21))
    actor = cast.province_staff

    def find(row):
        return PartyCell.objects.get(unit__code=row["Mã đơn vị"], founded_on=row["Ngày thành lập"].date())

    trip = RoundTrip(
        export_url=reverse("deployment:staffing", args=[cast.province_a.pk]) + "?table=party_cells&format=xlsx",
        upload_url=reverse("personnel:import"),
        upload_fields={"kind": "party_cells"},
        key_headers=("Mã đơn vị", "Ngày thành lập"),
        edit_header="Ngày giải thể",
        edit_value=dt.datetime(2025, 9, 30),
        find=find,
        may_change=lambda cell: True,
    )
    return actor, trip, PartyCell.objects.visible_to(actor).count()


def _seat_trip(cast) -> tuple[Any, RoundTrip, int]:
    from cax.deployment.models import Committee, CommitteeSeat
    from cax.deployment.services import committee_seat_record

    chief, woman, _other = _officers(cast)
    committee_seat_record(
        actor=None, officer=chief, unit=cast.commune_a, committee="executive", start_date=dt.date(2025, 7, 20)
    )
    committee_seat_record(
        actor=None, officer=chief, unit=cast.commune_a, committee="standing", start_date=dt.date(2025, 7, 20)
    )
    committee_seat_record(
        actor=None,
        officer=woman,
        unit=cast.commune_a,
        committee="executive",
        start_date=dt.date(2025, 7, 20),
        end_date=dt.date(2025, 8, 31),
    )
    actor = cast.province_staff

    def find(row):
        committee = next(code for code, label in Committee.choices if label == row["Cấp ủy"])
        return CommitteeSeat.objects.get(
            officer__service_number=row["Số hiệu"],
            unit__code=row["Mã đơn vị"],
            start_date=row["Từ ngày"].date(),
            committee=committee,
        )

    trip = RoundTrip(
        export_url=reverse("deployment:staffing", args=[cast.province_a.pk]) + "?table=committee_seats&format=xlsx",
        upload_url=reverse("personnel:import"),
        upload_fields={"kind": "committee_seats"},
        key_headers=("Số hiệu", "Mã đơn vị", "Cấp ủy", "Từ ngày"),
        edit_header="Đến ngày",
        edit_value=dt.datetime(2025, 9, 30),
        find=find,
        may_change=lambda seat: True,
    )
    return actor, trip, CommitteeSeat.objects.visible_to(actor).count()


OTHER_EXPORTS = {
    "officers": _officer_trip,
    "units": _unit_trip,
    "party_cells": _party_cell_trip,
    "committee_seats": _seat_trip,
}


@pytest.mark.parametrize("name", OTHER_EXPORTS)
def test_the_other_exports_round_trip(name, cast, client):
    actor, trip, expected = OTHER_EXPORTS[name](cast)
    client.force_login(actor)
    record = check_round_trip(client, trip, expected_rows=expected)
    value = trip.edit_value.date() if isinstance(trip.edit_value, dt.datetime) else trip.edit_value
    assert any(getattr(record, f.attname) == value for f in record._meta.concrete_fields)


# -- the key column ------------------------------------------------------------------------------


def test_the_key_column_updates_its_record_even_when_the_natural_key_cells_change(cast, client):
    from cax.facilities.models import Equipment
    from cax.facilities.registers import EQUIPMENT

    actor = _equipment(cast)
    client.force_login(actor)
    export = client.get(EQUIPMENT.url("list") + "?format=xlsx").content
    rows = _rows(export)
    plated = next(n for n, r in enumerate(rows, start=2) if r["Biển số / số hiệu"] == "76B1-123.45")
    count = Equipment.objects.count()

    outcome = _web_import(client, EQUIPMENT.url("import"), _edited(export, plated, "Biển số / số hiệu", "76B1-999.99"))

    assert _counts(outcome.result) == (0, 1, len(rows) - 1)
    assert Equipment.objects.count() == count
    assert Equipment.objects.get(pk=rows[plated - 2]["Mã hồ sơ"]).identifier == "76B1-999.99"


def test_an_unknown_key_is_refused_on_its_row_and_column(cast):
    from cax.core.imports import ImportRejected
    from cax.core.records.importing import import_records
    from cax.pairing.models import Pairing
    from cax.pairing.registers import PAIRINGS

    actor = _pairings(cast)
    workbook_bytes = _export_as(actor, PAIRINGS)
    missing = Pairing.objects.order_by("-pk").first().pk + 1000  # a number no row has

    with pytest.raises(ImportRejected) as rejected:
        import_records(
            PAIRINGS,
            actor=actor,
            filename="x.xlsx",
            content=_edited(workbook_bytes, 3, "Mã hồ sơ", missing),
            dry_run=True,
        )
    assert [(e.row, e.column, e.message) for e in rejected.value.errors] == [
        (3, "Mã hồ sơ", f"không tìm thấy “{missing}”")
    ]


def _export_as(actor, register: Register) -> bytes:
    from django.test import Client

    client = Client()
    client.force_login(actor)
    return client.get(register.url("list") + "?format=xlsx").content
