"""One record per submit (#14): every form that creates something, sent twice, creates one record.

Every page of the site is classified: a view that writes on POST is wrapped in ``submit_once`` (the
records framework's create, edit and import views, the reference editors' add and change views by
construction), or is listed in ``NOT_GUARDED`` with the reason it needs no token. Each guarded view
has a case below; the case's form is read off the rendered page like a browser would (the token
included), posted twice, and must create one record, the second submit being sent where the first
went with the notice. The same form without its token creates nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import Workbook

from cax.core.idempotency import TOKEN_FIELD, issue_token, purge_expired
from cax.core.models import ChangeLog, IdempotencyKey, ImportBatch, SubmitToken
from cax.core.testing.forms import find_form

pytestmark = [pytest.mark.django_db, pytest.mark.raw_form_posts]

ALREADY_SENT = "Biểu mẫu này đã được gửi; không tạo thêm bản ghi."
TODAY = timezone.localdate()


# -- every page, classified -------------------------------------------------------------------------

# Views that write on POST but need no token, and why; views that never write on POST are listed
# too, so that a new page cannot be left out by accident.
NOT_GUARDED = {
    "home": "read only",
    "movement:unrated": "read only",
    "healthz": "read only",
    "search": "read only (GET; a search showing managed persons' names appends to their access log)",
    "job_detail": "read only (polled)",
    "accounts:login": "signs in; creates no record (lockout counts failures, which must all count)",
    "accounts:logout": "signs out",
    "accounts:token_revoke": "revokes (sets revoked_at); a second revoke changes nothing",
    "accounts:users": "read only",
    "accounts:security_log": "read only",
    "units:list": "read only",
    "units:detail": "read only",
    "units:pick": "read only (the unit picker's suggestions)",
    "units:import_template": "download",
    "deployment:staffing": "read only",
    "deployment:leader": "read only",
    "plans:list": "read only",
    "plans:detail": "read only (its buttons post to plans:action)",
    "plans:progress": "read only (polled)",
    "plans:assignment": "edits one proposal; refused once the plan changed (the plan's lock)",
    "personnel:list": "read only",
    "personnel:detail": "read only",
    "personnel:import_template": "download",
    "cases:list": "read only",
    "cases:detail": "a workflow step, checked against the case's version: a second one is refused",
    "cases:receipt_record": "PDF",
    "cases:mark_duplicate": "links two existing cases; a second link is refused",
    "cases:send_to_procuracy": "records the sending against the case's version: a second one is refused",
    "cases:identity_access": "read only",
    "cases:attachment_download": "download",
    "reports:home": "redirect",
    "reports:unit": "read only",
    "reports:submissions": "read only",
    "reports:completeness": "read only",
    "reports:exchange_export": "download",
    "reports:detail": "redirect",
    "reports:review": "a workflow step (approve, return, lock): a second one is refused by the status",
    "reports:print": "PDF",
    "reports:issued_pdf": "PDF",
    "overview:unit": "read only",
    "facilities:headquarters_missing": "read only",
    "facilities:equipment_gaps": "read only",
    "honours:casualty_summary": "read only",
    "training:officer_history": "read only",
    "regimes:monthly": "read only",
    "regimes:rotation": "read only",
    "pairing:department": "read only",
    "procedures:figures": "read only",
    "procedures:identity_reads": "read only",
    "changelog": "read only",
    "set_language": "sets a cookie",
    "supervision:handover_list": "read only (its forms post to supervision:handover_accept)",
    "supervision:figures": "read only",
    "supervision:overdue": "read only",
    "supervision:access_log": "read only",
    "library:document_download": "download",
    "library:document_unread": "read only",
    "library:pending": "read only",
    "notices:list": "read only (its buttons post to notices:read and notices:read_all)",
    "notices:read": "marks a notice read (sets read_at); a second submit changes nothing",
    "notices:read_all": "marks notices read (sets read_at); a second submit changes nothing",
    "notices:preferences": "saves the user's choices (one row per kind, updated); a second submit saves the same",
}
REGISTER_GUARDED = ("_create", "_edit", "_import", "_import_preview")


def _patterns(resolver=None, namespace=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}:{p.name}" if namespace else p.name or ""), p


def _is_admin_form(name: str, pattern: URLPattern) -> bool:
    """Django admin's add and change form of a model (both are its ``changeform_view``)."""
    return hasattr(pattern.callback, "model_admin") and name.endswith(("_add", "_change"))


def _guarded(name: str, pattern: URLPattern) -> bool:
    if _is_admin_form(name, pattern):
        return getattr(pattern.callback.model_admin.changeform_view, "submit_once", False)
    return getattr(pattern.callback, "submit_once", False)


def site_pages() -> dict[str, URLPattern]:
    """Every named page but the API (its POSTs take an Idempotency-Key instead, test_idempotency)."""
    return {name: p for name, p in _patterns() if name and not name.startswith("api:")}


def test_every_page_is_guarded_or_says_why_not():
    unclassified, wrong = [], []
    for name, pattern in site_pages().items():
        guarded = _guarded(name, pattern)
        if name.startswith("reference:"):
            expected = _is_admin_form(name, pattern)
        elif "register" in pattern.default_args:
            expected = name.endswith(REGISTER_GUARDED)
        elif name in NOT_GUARDED:
            expected = False
        elif guarded:
            expected = True
        else:
            unclassified.append(name)
            continue
        if guarded != expected:
            wrong.append(name)
    assert not unclassified, f"pages writing on POST need @submit_once, others a reason here: {unclassified}"
    assert not wrong, f"guarded where not expected, or not guarded where expected: {wrong}"


def test_every_guarded_form_has_a_double_submit_case():
    guarded = {name for name, p in site_pages().items() if _guarded(name, p)}
    # The register views, the admin's change form and the edit forms are one view each for every
    # kind: each register's create form and upload are posted (their data differ); their edit and
    # confirm views, and the admin, are posted for one kind.
    shared = {n for n in guarded if n.endswith(("_edit", "_import_preview", "_change")) or n.endswith("_add")}
    missing = sorted(guarded - shared - set(CASES))
    assert not missing, missing
    assert {n for n in CASES if n.endswith(("_edit", "_import_preview", "_add", "_change"))}, "shared views untested"


# -- cases ------------------------------------------------------------------------------------------


@dataclass
class Case:
    user: object
    page: str  # the page showing the form
    action: str  # where it posts
    count: Callable[[], int]  # the records it creates
    data: dict = field(default_factory=dict)  # what the user types over the rendered form
    files: Callable[[], dict] = dict  # fresh uploads for each post
    having: str = ""  # a control that picks the form among several posting to ``action``


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _changes(obj=None) -> Callable[[], int]:
    """Change-log rows (about ``obj``): every service write adds one."""
    if obj is None:
        return ChangeLog.objects.count
    return ChangeLog.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).count


def _count(model, **lookup) -> Callable[[], int]:
    return model.objects.filter(**lookup).count


# Register create forms: what the user types (units by code, choices by value, ISO dates).


def _team_data(cast):
    from cax.core.testing.units import make_village

    make_village(cast.commune_a, "23500-T01", "Thôn Kon Klor")
    return cast.commune_chief, {
        "unit": cast.commune_a.code,
        "name": "Tổ bảo vệ ANTT thôn Kon Klor",
        "villages": "23500-T01",
        "planned_members": "3",
        "status": "established",
        "decision_number": "125/QĐ-UBND",
        "decision_date": "2024-08-15",
    }


def _team(cast):
    from cax.core.testing.units import make_village
    from cax.grassroots.tests.test_grassroots import make_team

    return make_team(cast.commune_a, [make_village(cast.commune_a, "23500-T01", "Thôn Kon Klor")])


def _member_data(cast):
    return cast.commune_chief, {
        "team": str(_team(cast).pk),
        "full_name": "Nguyễn Văn A",
        "sex": "male",
        "date_of_birth": "1985-05-12",
        "id_number": "051085001234",
        "role": "member",
        "joined_on": "2025-03-01",
        "residence_since": "2010-01-01",
        "health_certificate_on": "2025-02-20",
        "education": "lower_secondary",
    }


def _allowance_data(cast):
    from cax.grassroots.tests.test_grassroots import add_member

    member = add_member(_team(cast))
    return cast.commune_chief, {
        "member": str(member.pk),
        "month": "2025-06-01",
        "kind": "monthly",
        "amount": "500000",
        "paid_on": "2025-06-30",
    }


def _criteria_data(cast):
    return cast.province_staff, {
        "unit": cast.province_a.code,
        "min_age": "18",
        "max_age": "70",
        "min_residence_months": "12",
        "default_team_size": "4",
    }


def _headquarters_data(cast):
    return cast.commune_chief, {"unit": cast.commune_a.code, "status": "under_construction", "year": "2025"}


def _standard_data(cast):
    return cast.admin, {
        "unit": "",
        "code": "may-bay",
        "name": "Thiết bị bay không người lái",
        "category": "other",
        "quantity": "1",
        "valid_from": "2025-07-01",
    }


def _equipment(cast):
    from cax.facilities import services
    from cax.facilities.models import EquipmentStandard

    standard = EquipmentStandard.objects.get(unit__isnull=True, code="OTO")
    return services.equipment_save(
        actor=None, instance=None, data={"unit": cast.commune_a, "standard": standard, "quantity": 1}
    )


def _equipment_data(cast):
    from cax.facilities.models import EquipmentStandard

    standard = EquipmentStandard.objects.get(unit__isnull=True, code="OTO")
    return cast.commune_chief, {
        "unit": cast.commune_a.code,
        "standard": str(standard.pk),
        "quantity": "1",
        "condition": "good",
        "status": "in_service",
    }


def _conference(cast):
    from cax.petitions.registers import CONFERENCES

    return CONFERENCES.save(
        actor=None,
        instance=None,
        data={"unit": cast.province_a, "title": "Lắng nghe ý kiến của Công an xã", "held_on": TODAY},
    )


def _conference_data(cast):
    return cast.province_leader, {"unit": cast.province_a.code, "title": "Hội nghị", "held_on": TODAY.isoformat()}


def _petition_data(cast):
    return cast.province_leader, {
        "unit": cast.commune_a.code,
        "conference": str(_conference(cast).pk),
        "source": "conference",
        "raised_on": TODAY.isoformat(),
        "topic": "reporting",
        "text": "Đề nghị giảm số báo cáo ngày",
    }


def _casualty_data(cast):
    return cast.province_staff, {
        "unit": cast.commune_a.code,
        "full_name": "Trần Văn Dũng",
        "kind": "injured",
        "date": "2024-09-07",
        "cause": "rescue",
        "severity": "serious",
    }


def _commendation_data(cast):
    from cax.training.tests.test_training import make_officer

    return cast.province_staff, {
        "unit": cast.commune_a.code,
        "officer": make_officer(cast.commune_a).service_number,
        "form": "merit_certificate",
        "issuer": "Giám đốc Công an tỉnh",
        "decision_number": "12/QĐ-CAT",
        "decision_date": "2025-05-19",
    }


def _campaign_data(cast):
    return cast.province_staff, {
        "unit": cast.province_a.code,
        "name": "Thi đua vì an ninh Tổ quốc 2025",
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
    }


def _course_data(cast):
    return cast.province_staff, {
        "unit": cast.province_a.code,
        "title": "Học tiếng Xơ Đăng khoá 1/2025",
        "topic": "language",
        "language": "Xơ Đăng",
        "starts_on": "2025-03-03",
        "ends_on": "2025-05-30",
    }


def _participant_data(cast):
    from cax.training.tests.test_training import make_course, make_officer

    return cast.province_staff, {
        "course": str(make_course(cast.province_a).pk),
        "officer": make_officer(cast.commune_a).service_number,
    }


def _department(cast):
    from cax.core.testing.units import make_department

    return make_department(cast.province_a)


def _pairing_data(cast):
    data = {"department": _department(cast).code, "commune": cast.commune_a.code, "since": "2025-07-01"}
    return cast.province_staff, data


def _dossier_data(cast):
    from cax.procedures.models import ProcedureType

    return cast.commune_officer, {
        "unit": cast.commune_a.code,
        "procedure": str(ProcedureType.objects.get(code="tam-tru").pk),
        "channel": "in_person",
        "received_at": "2026-11-04T09:00",
        "complete_at": "2026-11-04T09:15",
        "person_name": "Y Blih",
    }


def _declaration_data(cast):
    from cax.procedures.models import ProcedureType

    return cast.commune_officer, {
        "unit": cast.commune_a.code,
        "procedure": str(ProcedureType.objects.get(code="luu-tru").pk),
        "channel": "vneid",
        "place": "Thôn 1",
        "stay_from": "2026-11-04",
        "arrived_at": "2026-11-04T19:00",
        "declared_at": "2026-11-04T20:00",
        "person_name": "Khách",
    }


def _supervision_file_data(cast):
    from cax.supervision.models import Category

    category = Category.objects.get(code="an_treo")
    data = {"unit": cast.commune_a.code, "category": category.pk, "decision_number": "5/2026/QĐ",
            "decision_date": "2026-01-10", "issuer": "Tòa án khu vực 1", "received_on": "2026-01-12",
            "start_date": "2026-01-15", "term_months": "12", "term_days": "0", "custody_days": "0",
            "full_name": "Người Thử Gửi Hai Lần"}  # fmt: skip
    return cast.commune_officer, data


def _rate_data(cast):
    from cax.regimes.models import EntitlementType

    kind = EntitlementType.objects.get(code="TIEN-AN")
    data = {"entitlement_type": str(kind.pk), "unit": cast.province_a.code, "amount": "900000",
            "effective_from": "2025-07-01", "basis": "NQ tỉnh"}  # fmt: skip
    return cast.province_staff, data


def _area_data(cast):
    return cast.province_staff, {
        "unit": cast.commune_a.code,
        "attribute": "remote",
        "valid_from": "2025-07-01",
        "basis": "QĐ",
    }


def _movement_model(cast):
    from cax.movement.tests.test_movement import make_model

    return make_model(cast.commune_a)


def _movement_model_data(cast):
    from cax.movement.models import ModelType

    model_type = ModelType.objects.get(name="Camera an ninh")
    return cast.commune_officer, {"unit": cast.commune_a.code, "name": "Camera an ninh thôn 1",
                                  "model_type": str(model_type.pk), "proposer": "police",
                                  "decision_number": "3/QĐ-UBND", "decision_date": "2024-03-01"}  # fmt: skip


def _replication_data(cast):
    return cast.commune_officer, {"model": str(_movement_model(cast).pk), "place": "Khu 2", "started_on": "2024-06-01"}


def _evaluation_data(cast):
    data = {"model": str(_movement_model(cast).pk), "evaluated_on": "2024-12-01", "result": "effective"}
    return cast.commune_officer, data


def _example_data(cast):
    return cast.commune_officer, {"unit": cast.commune_a.code, "kind": "person", "name": "Ông A Blưm", "year": "2025"}


def _registration_data(cast):
    return cast.commune_officer, {"unit": cast.commune_a.code, "entity_type": "school", "entity_name": "Trường THCS",
                                  "year": "2025", "registered_on": "2025-02-10"}  # fmt: skip


def _assessment_data(cast):
    from cax.core.testing.units import make_village
    from cax.movement.models import SafetyCriterion
    from cax.movement.registers import REGISTRATIONS

    village = make_village(cast.commune_a, "23500-T01", "Thôn Kon Klor")
    registration = REGISTRATIONS.save(actor=None, instance=None, data={
        "unit": cast.commune_a, "entity_type": "residential", "area": village, "year": 2025,
        "registered_on": dt.date(2025, 2, 1)})  # fmt: skip
    criterion = SafetyCriterion.objects.filter(entity_type="residential").order_by("number").first()
    return cast.commune_officer, {"registration": str(registration.pk), "criterion": str(criterion.pk), "met": "on"}


def _rating_data(cast):
    team = _team(cast)
    return cast.commune_officer, {"team": str(team.pk), "year": "2026", "level": "good", "decided_on": "2026-11-20"}


def _library_document_data(cast):
    data = {"unit": cast.province_a.code, "title": "Sổ tay gửi hai lần", "kind": "handbook",
            "issuer": "Công an tỉnh", "issued_on": "2026-01-05", "effective_from": "2026-01-15",
            "secrecy": "none", "audience": "subtree", "audience_unit": cast.province_a.code}  # fmt: skip
    return cast.province_staff, data


def _library_document(cast):
    from cax.library.tests.factories import document

    return document(cast.province_staff, cast.province_a)


def case_library_upload(cast):
    from cax.library.demo import docx_bytes

    doc = _library_document(cast)
    return Case(
        cast.province_staff,
        reverse("library:document_detail", args=[doc.pk]),
        reverse("library:document_upload", args=[doc.pk]),
        _changes(doc),
        files=lambda: {"file": SimpleUploadedFile("so-tay.docx", docx_bytes(["Tuần tra"]))},
    )


def case_library_acknowledge(cast):
    from cax.library.models import Acknowledgement

    doc = _library_document(cast)
    return Case(
        cast.commune_officer,
        reverse("library:document_detail", args=[doc.pk]),
        reverse("library:document_acknowledge", args=[doc.pk]),
        _count(Acknowledgement, document=doc),
    )


REGISTER_DATA = {
    "regimes:rate_create": _rate_data,
    "regimes:area_create": _area_data,
    "library:document_create": _library_document_data,
    "supervision:file_create": _supervision_file_data,
    "grassroots:team_create": _team_data,
    "grassroots:member_create": _member_data,
    "grassroots:allowance_create": _allowance_data,
    "grassroots:criteria_create": _criteria_data,
    "facilities:headquarters_create": _headquarters_data,
    "facilities:standard_create": _standard_data,
    "facilities:equipment_create": _equipment_data,
    "petitions:conference_create": _conference_data,
    "petitions:petition_create": _petition_data,
    "honours:casualty_create": _casualty_data,
    "honours:commendation_create": _commendation_data,
    "honours:campaign_create": _campaign_data,
    "training:course_create": _course_data,
    "training:participant_create": _participant_data,
    "pairing:pairing_create": _pairing_data,
    "procedures:dossier_create": _dossier_data,
    "procedures:declaration_create": _declaration_data,
    "movement:model_create": _movement_model_data,
    "movement:replication_create": _replication_data,
    "movement:evaluation_create": _evaluation_data,
    "movement:example_create": _example_data,
    "movement:registration_create": _registration_data,
    "movement:assessment_create": _assessment_data,
    "movement:rating_create": _rating_data,
}


def _register_of(name: str):
    return site_pages()[name].default_args["register"]


def _create_case(name: str) -> Callable:
    def build(cast) -> Case:
        user, data = REGISTER_DATA[name](cast)
        register = _register_of(name)
        url = reverse(name)
        return Case(user, url, url, _count(register.model), data)

    return build


def _upload_case(name: str) -> Callable:
    def build(cast) -> Case:
        register = _register_of(name)
        user, _data = REGISTER_DATA[name.replace("_import", "_create")](cast)
        url = reverse(name)
        content = xlsx([[str(f.label) for f in register.importable()]])
        return Case(
            user,
            url,
            url,
            _count(ImportBatch, created_by=user),
            files=lambda: {"file": SimpleUploadedFile("mau.xlsx", content)},
        )

    return build


# Hand-written forms, and one kind for each shared view.


def _batch(user, kind: str, content: bytes, filename: str = "tep.xlsx") -> str:
    batch = ImportBatch(uuid=uuid.uuid4(), kind=kind, filename=filename, size=len(content), created_by=user)
    batch.file.save(f"{batch.uuid}.xlsx", ContentFile(content))
    return str(batch.uuid)


def case_pairing_import_confirm(cast):
    department = _department(cast)
    content = xlsx([["Mã phòng", "Mã xã", "Từ ngày"], [department.code, cast.commune_a.code, "01/07/2025"]])
    url = reverse("pairing:pairing_import_preview", args=[_batch(cast.province_staff, "pairing.pairing", content)])
    from cax.pairing.models import Pairing

    return Case(cast.province_staff, url, url, _count(Pairing))


def case_pairing_edit(cast):
    from cax.pairing.registers import PAIRINGS

    pairing = PAIRINGS.save(
        actor=None,
        instance=None,
        data={"department": _department(cast), "commune": cast.commune_a, "since": dt.date(2025, 7, 1)},
    )
    url = reverse("pairing:pairing_edit", args=[pairing.pk])
    return Case(cast.province_staff, url, url, _changes(pairing), {"note": "Phụ trách từ tháng 7"})


def case_crime_report(cast):
    from cax.cases.models import Case as CrimeReport

    url = reverse("cases:register", args=[cast.commune_a.pk])
    return Case(cast.commune_officer, url, url, _count(CrimeReport), {**CRIME_REPORT, "confirm": "1"})


def _crime_report(cast):
    from cax.cases.tests.test_register import register

    return register(cast.commune_officer, cast.commune_a)


def case_attachment(cast):
    from cax.cases.models import Attachment

    report = _crime_report(cast)
    return Case(
        cast.commune_officer,
        reverse("cases:detail", args=[report.pk]),
        reverse("cases:attachment_upload", args=[report.pk]),
        _count(Attachment),
        {"kind": "other"},
        files=lambda: {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 thu", content_type="application/pdf")},
    )


def case_user_create(cast):
    from cax.accounts.models import User

    url = reverse("accounts:user_create")
    data = {"username": "moi_xa", "full_name": "Cán Bộ Mới", "role": "commune_officer", "unit": cast.commune_a.code}
    return Case(cast.admin, url, url, _count(User), {**data, "password": "Mat-khau-rat-dai-2025"})


def case_user_edit(cast):
    url = reverse("accounts:user_edit", args=[cast.commune_officer.pk])
    return Case(cast.admin, url, url, _changes(cast.commune_officer), {"full_name": "Tên Đã Sửa"})


def case_api_token(cast):
    from cax.accounts.models import ApiToken

    url = reverse("accounts:profile")
    data = {"name": "Máy trạm", "create_token": "1"}
    return Case(cast.commune_officer, url, url, _count(ApiToken), data, having="create_token")


def case_units_import(cast):
    return _upload(cast, "units:import", {"file": ("don-vi.xlsx", xlsx([["Mã", "Tên", "Loại", "Mã đơn vị cấp trên"]]))})


def _upload(cast, name: str, files: dict, data: dict | None = None, user=None):
    user = user or cast.province_staff
    url = reverse(name)
    return Case(
        user,
        url,
        url,
        _count(ImportBatch, created_by=user),
        data or {},
        files=lambda: {k: SimpleUploadedFile(fname, content) for k, (fname, content) in files.items()},
    )


def case_units_import_confirm(cast):
    from cax.units.models import Unit

    content = xlsx([["Mã", "Tên", "Loại", "Mã đơn vị cấp trên"], ["23500-T09", "Thôn 9", "thon", cast.commune_a.code]])
    url = reverse("units:import_preview", args=[_batch(cast.province_staff, "units", content)])
    return Case(cast.province_staff, url, url, _count(Unit, code="23500-T09"))


def case_officers_import(cast):
    from cax.personnel.tests.test_imports import ROSTER
    from cax.personnel.tests.test_imports import xlsx as roster

    return _upload(cast, "personnel:import", {"file": ("can-bo.xlsx", roster(ROSTER[:1]))}, {"kind": "officers"})


def case_officers_import_confirm(cast):
    from cax.personnel.models import Officer
    from cax.personnel.tests.test_imports import ROSTER
    from cax.personnel.tests.test_imports import xlsx as roster

    url = reverse("personnel:import_preview", args=[_batch(cast.province_staff, "officers", roster(ROSTER[:1]))])
    return Case(cast.province_staff, url, url, _count(Officer, service_number__startswith="910000"))


def _exchange_document(cast) -> bytes:
    from cax.reports.tests.factories import MONTHLY, form

    month = form(MONTHLY).period_of(TODAY - dt.timedelta(days=40))
    value = {"dataElement": "tngt_vu", "period": month.key, "orgUnit": cast.commune_a.code, "value": "4"}
    return json.dumps({"dataSet": MONTHLY, "dataValues": [value]}).encode()


def case_exchange_upload(cast):
    return _upload(cast, "reports:exchange", {"file": ("values.json", _exchange_document(cast))})


def case_exchange_confirm(cast):
    from cax.reports.models import Submission

    batch = _batch(cast.province_staff, "report_values", _exchange_document(cast), "v.json")
    url = reverse("reports:exchange_preview", args=[batch])
    return Case(cast.province_staff, url, url, _count(Submission, unit=cast.commune_a))


def case_report_entry(cast):
    from cax.reports.models import Submission
    from cax.reports.tests.factories import DAILY, form

    period = form(DAILY).period_of(TODAY)
    url = reverse("reports:entry", args=[cast.commune_a.pk, DAILY, period.key])
    return Case(cast.commune_chief, url, url, _count(Submission, unit=cast.commune_a), {"action": "save"})


def case_lock_exception(cast):
    from cax.reports.models import LockException
    from cax.reports.tests.factories import DAILY, form

    period = form(DAILY).period_of(TODAY - dt.timedelta(days=10))  # a daily report locks after 7 days
    page = reverse("reports:entry", args=[cast.commune_a.pk, DAILY, period.key])
    action = reverse("reports:lock_exception", args=[cast.commune_a.pk, DAILY, period.key])
    return Case(cast.province_staff, page, action, _count(LockException), {"reason": "Mất điện kéo dài"})


def case_rollup_issue(cast):
    from cax.reports.models import IssuedReport
    from cax.reports.tests.factories import DAILY, submit

    day = TODAY - dt.timedelta(days=1)
    submit(cast, cast.commune_a, day, now=timezone.now(), values={"tngt_vu": "3"})
    url = reverse("reports:rollup", args=[cast.province_a.pk]) + f"?form={DAILY}&first={day}&last={day}"
    return Case(cast.province_leader, url, url, _count(IssuedReport), {"action": "issue"})


def case_plan_create(cast):
    from cax.deployment.models import PlanScenario

    url = reverse("plans:create")
    return Case(cast.province_staff, url, url, _count(PlanScenario))


def _plan(cast):
    from cax.deployment.tests.test_planning import create

    return create(cast)


def case_plan_edit(cast):
    scenario = _plan(cast)
    url = reverse("plans:edit", args=[scenario.pk])
    return Case(cast.province_staff, url, url, _changes(scenario), {"name": "Phương án đã sửa"})


def case_plan_run(cast):
    scenario = _plan(cast)
    return Case(
        cast.province_staff,
        reverse("plans:detail", args=[scenario.pk]),
        reverse("plans:action", args=[scenario.pk]),
        _changes(scenario),
        {"action": "run"},
    )


def case_equipment_event(cast):
    from cax.facilities.models import EquipmentEvent

    equipment = _equipment(cast)
    return Case(
        cast.commune_chief,
        reverse("facilities:equipment_detail", args=[equipment.pk]),
        reverse("facilities:equipment_event_add", args=[equipment.pk]),
        _count(EquipmentEvent),
        {"kind": "sent_for_repair", "quantity": "1"},
    )


def _petition(cast, **extra):
    from cax.petitions.registers import PETITIONS

    data = {"unit": cast.commune_a, "raised_on": TODAY, "topic": "reporting", "text": "Đề nghị giảm báo cáo"}
    return PETITIONS.save(actor=None, instance=None, data=data | extra)


def _dossier(cast, complete: bool = True):
    from cax.procedures.tests.factories import at, receive

    return receive(
        cast.commune_officer, cast.commune_a, received_at=at(2026, 11, 4), complete_at="same" if complete else None
    )


def _dossier_case(cast, action: str, data: dict, complete: bool = True) -> Case:
    dossier = _dossier(cast, complete)
    return Case(
        cast.commune_officer,
        reverse("procedures:dossier_detail", args=[dossier.pk]),
        reverse(f"procedures:dossier_{action}", args=[dossier.pk]),
        _changes(dossier),
        data,
    )


def case_dossier_complete(cast):
    return _dossier_case(cast, "complete", {"complete_at": "2026-11-05T10:00"}, complete=False)


def case_dossier_resolve(cast):
    return _dossier_case(cast, "resolve", {"resolved_at": "2026-11-06T10:00", "outcome": "approved"})


def case_dossier_apologize(cast):
    return _dossier_case(cast, "apologize", {"new_due_at": "2026-11-20T10:00", "reason": "Chờ xác minh"})


def case_petition_assign(cast):
    petition = _petition(cast)
    due = (TODAY + dt.timedelta(days=15)).isoformat()
    return Case(
        cast.province_leader,
        reverse("petitions:petition_detail", args=[petition.pk]),
        reverse("petitions:petition_assign", args=[petition.pk]),
        _changes(petition),
        {"department": _department(cast).code, "due_on": due},
    )


def case_petition_answer(cast):
    petition = _petition(cast)
    return Case(
        cast.province_leader,
        reverse("petitions:petition_detail", args=[petition.pk]),
        reverse("petitions:petition_answer", args=[petition.pk]),
        _changes(petition),
        {"answer": "Từ 01/01 chỉ còn một mẫu báo cáo ngày.", "answered_by": "Giám đốc"},
    )


def case_petition_remind(cast):
    from cax.petitions import services

    petition = _petition(cast)
    services.petition_assign(
        actor=cast.province_leader, petition=petition, department=_department(cast), due_on=TODAY + dt.timedelta(days=5)
    )
    return Case(
        cast.province_leader,
        reverse("petitions:petition_detail", args=[petition.pk]),
        reverse("petitions:petition_remind", args=[petition.pk]),
        _changes(petition),
    )


def _supervised(cast):
    from cax.supervision.tests.factories import received

    return received(cast.commune_officer, cast.commune_a)


def case_supervision_event(cast):
    from cax.supervision.models import Event

    file = _supervised(cast)
    url = reverse("supervision:event_record", args=[file.pk, "report"])
    return Case(cast.commune_officer, url, url, _count(Event, file=file, kind="report"), {"on": "2026-02-14"})


def case_supervision_move(cast):
    from cax.supervision.models import Handover

    file = _supervised(cast)
    url = reverse("supervision:handover_send", args=[file.pk])
    data = {"to_unit": cast.commune_b.code, "moved_at": "2026-11-30T08:00"}
    return Case(cast.commune_officer, url, url, _count(Handover, file=file), data)


def case_supervision_accept(cast):
    from cax.accounts.roles import Role
    from cax.core.testing.cast import make_user
    from cax.supervision import services
    from cax.supervision.models import SupervisionFile

    file = _supervised(cast)
    handover = services.handover_send(actor=cast.commune_officer, file=file, to_unit=cast.commune_b,
                                      moved_at=timezone.now() - dt.timedelta(hours=1))  # fmt: skip
    receiver = make_user("chief_b", Role.COMMUNE_CHIEF, cast.commune_b)
    return Case(
        receiver,
        reverse("supervision:handover_list"),
        reverse("supervision:handover_accept", args=[handover.pk]),
        _count(SupervisionFile, unit=cast.commune_b),
    )


def case_holiday_add(cast):
    from cax.cases.models import Holiday

    url = reverse("reference:cases_holiday_add")
    return Case(cast.admin, url, url, _count(Holiday), {"day": "2031-09-02", "name": "Quốc khánh 2031"})


CRIME_REPORT = {
    "kind": "denunciation",
    "channel": "in_person",
    "received_at": "10/09/2025 14:00",
    "reporter_kind": "person",
    "reporter_name": "Trần Thị Báo",
    "reporter_id_number": "051190000123",
    "summary": "Trộm cắp tài sản tại chợ",
    "incident_at": "10/09/2025 08:00",
}


# The posting lifecycle on the officer's page (issue 14.1).


def _posted_officer(cast):
    import datetime as day

    from cax.deployment.tests.factories import posted

    return posted(cast.commune_a, start=day.date(2025, 8, 1))


def case_officer_transfer(cast):
    from cax.deployment.models import Posting

    officer = _posted_officer(cast)
    page = reverse("personnel:detail", args=[officer.pk])
    data = {"unit_code": cast.commune_b.code, "role": "Cán bộ", "on": "2026-02-01"}
    url = reverse("personnel:transfer", args=[officer.pk])
    return Case(cast.province_staff, page, url, _count(Posting, officer=officer), data)


def case_officer_posting_add(cast):
    from cax.deployment.models import Posting
    from cax.deployment.tests.factories import officer as make_officer

    officer = make_officer(cast.province_a)
    page = reverse("personnel:detail", args=[officer.pk])
    data = {"unit_code": cast.commune_a.code, "role": "Cán bộ", "start_date": "2025-08-01"}
    url = reverse("personnel:posting_add", args=[officer.pk])
    return Case(cast.province_staff, page, url, _count(Posting, officer=officer), data)


def case_officer_posting_end(cast):
    from cax.deployment.models import Posting

    officer = _posted_officer(cast)
    posting = Posting.objects.get(officer=officer)
    page = reverse("personnel:detail", args=[officer.pk])
    url = reverse("personnel:posting_end", args=[officer.pk, posting.pk])
    data = {"end_date": "2026-03-31", "end_reason": "study"}
    return Case(cast.province_staff, page, url, _changes(posting), data)


def case_officer_status_change(cast):
    from cax.personnel.models import StatusChange

    officer = _posted_officer(cast)
    page = reverse("personnel:detail", args=[officer.pk])
    url = reverse("personnel:status_change", args=[officer.pk])
    data = {"status": "on_leave", "on": "2026-04-01"}
    return Case(cast.province_staff, page, url, _count(StatusChange, officer=officer), data)


CASES: dict[str, Callable] = {
    **{name: _create_case(name) for name in REGISTER_DATA},
    **{name.replace("_create", "_import"): _upload_case(name.replace("_create", "_import")) for name in REGISTER_DATA},
    "pairing:pairing_edit": case_pairing_edit,
    "pairing:pairing_import_preview": case_pairing_import_confirm,
    "cases:register": case_crime_report,
    "personnel:transfer": case_officer_transfer,
    "personnel:posting_add": case_officer_posting_add,
    "personnel:posting_end": case_officer_posting_end,
    "personnel:status_change": case_officer_status_change,
    "cases:attachment_upload": case_attachment,
    "accounts:user_create": case_user_create,
    "accounts:user_edit": case_user_edit,
    "accounts:profile": case_api_token,
    "units:import": case_units_import,
    "units:import_preview": case_units_import_confirm,
    "personnel:import": case_officers_import,
    "personnel:import_preview": case_officers_import_confirm,
    "reports:exchange": case_exchange_upload,
    "reports:exchange_preview": case_exchange_confirm,
    "reports:entry": case_report_entry,
    "reports:lock_exception": case_lock_exception,
    "reports:rollup": case_rollup_issue,
    "plans:create": case_plan_create,
    "plans:edit": case_plan_edit,
    "plans:action": case_plan_run,
    "facilities:equipment_event_add": case_equipment_event,
    "petitions:petition_assign": case_petition_assign,
    "petitions:petition_answer": case_petition_answer,
    "petitions:petition_remind": case_petition_remind,
    "procedures:dossier_complete": case_dossier_complete,
    "procedures:dossier_resolve": case_dossier_resolve,
    "procedures:dossier_apologize": case_dossier_apologize,
    "reference:cases_holiday_add": case_holiday_add,
    "supervision:event_record": case_supervision_event,
    "supervision:handover_send": case_supervision_move,
    "supervision:handover_accept": case_supervision_accept,
    "library:document_upload": case_library_upload,
    "library:document_acknowledge": case_library_acknowledge,
}


# -- the double submit ----------------------------------------------------------------------------


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _errors(response) -> str:
    context = getattr(response, "context", None) or {}
    form = context.get("form") if hasattr(context, "get") else None
    detail = form.errors if form is not None else response.content.decode()[:1500]
    return f"{response.status_code} {_messages(response)} {detail}"


def _open(case: Case):
    client = Client()
    client.force_login(case.user)
    page = client.get(case.page)
    assert page.status_code == 200, page.status_code
    form = find_form(page.content.decode(), case.page, case.action, having=case.having)
    assert form.values.get(TOKEN_FIELD), f"the form on {case.page} renders no {{% submit_token %}}"
    return client, form


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_form_sent_twice_creates_one_record(cast, name):
    case = CASES[name](cast)
    client, form = _open(case)
    before = case.count()

    missing = client.post(case.action, {**form.data(**case.data), TOKEN_FIELD: "", **case.files()})
    assert missing.status_code == 302
    assert any("thiếu mã gửi" in m for m in _messages(missing))
    assert case.count() == before, "a form without its token must not create"

    first = client.post(case.action, {**form.data(**case.data), **case.files()})
    assert case.count() == before + 1, _errors(first)
    second = client.post(case.action, {**form.data(**case.data), **case.files()})
    assert case.count() == before + 1
    assert second.status_code == 302
    assert ALREADY_SENT in _messages(second)
    if first.status_code == 302:
        assert second["Location"] == first["Location"], "the second submit goes where the first went"


# -- the issue's case, and what a token does and does not stop -----------------------------------------


def _register_page(cast, client):
    from cax.core.testing.forms import find_form as find

    url = reverse("cases:register", args=[cast.commune_a.pk])
    return url, find(client.get(url).content.decode(), url, url)


def test_two_identical_posts_of_one_crime_report_form_make_one_report_with_one_serial(cast):
    from cax.cases.models import Case as CrimeReport

    client = Client()
    client.force_login(cast.commune_officer)
    url, form = _register_page(cast, client)
    data = form.data(**CRIME_REPORT, confirm="1")
    first, second = client.post(url, data), client.post(url, data)
    report = CrimeReport.objects.get()
    assert report.serial == 1
    assert first["Location"] == second["Location"] == reverse("cases:detail", args=[report.pk])

    # Two renderings of the form are two submits: the officer meant a second entry.
    _url, again = _register_page(cast, client)
    client.post(url, again.data(**CRIME_REPORT, confirm="1"))
    assert sorted(CrimeReport.objects.values_list("serial", flat=True)) == [1, 2]


def test_a_form_refused_with_errors_creates_nothing_and_its_token_can_be_sent_again(cast):
    from cax.cases.models import Case as CrimeReport

    client = Client()
    client.force_login(cast.commune_officer)
    url, form = _register_page(cast, client)
    bad = {**CRIME_REPORT, "incident_at": "11/09/2025 08:00"}  # after the receipt: refused
    refused = client.post(url, form.data(**bad, confirm="1"))
    assert refused.status_code == 200
    assert not SubmitToken.objects.exists(), "nothing was written: the token stays usable"
    fresh = find_form(refused.content.decode(), url, url).values[TOKEN_FIELD][0]
    assert fresh != form.values[TOKEN_FIELD][0], "the re-rendered form gets a fresh token"
    # A double click on the invalid form shows the errors again rather than "already sent".
    assert client.post(url, form.data(**bad, confirm="1")).status_code == 200
    fixed = client.post(url, form.data(**CRIME_REPORT, confirm="1"))
    assert fixed.status_code == 302
    assert CrimeReport.objects.count() == 1


def test_a_token_is_the_users_own_and_expires(cast, settings):
    from cax.cases.models import Case as CrimeReport

    url = reverse("cases:register", args=[cast.commune_a.pk])
    client = Client()
    client.force_login(cast.commune_officer)
    data = {**CRIME_REPORT, "confirm": "1"}
    others = client.post(url, {**data, TOKEN_FIELD: issue_token(cast.commune_chief.pk)})
    assert any("không hợp lệ" in m for m in _messages(others))
    forged = client.post(url, {**data, TOKEN_FIELD: f"{cast.commune_officer.pk}.{'0' * 32}:1:abc"})
    assert any("không hợp lệ" in m for m in _messages(forged))
    settings.CAX_SUBMIT_EXPIRY_HOURS = 0
    expired = client.post(url, {**data, TOKEN_FIELD: issue_token(cast.commune_officer.pk)})
    assert any("hết hạn" in m for m in _messages(expired))
    assert not CrimeReport.objects.exists()


def test_expired_rows_are_purged_by_the_command_and_after_each_submit(cast, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    old = timezone.now() - dt.timedelta(hours=25)
    SubmitToken.objects.create(nonce="a" * 32, user=cast.commune_officer, path="/", created_at=old)
    IdempotencyKey.objects.create(user=cast.commune_officer, key="k1", fingerprint="x", created_at=old)
    SubmitToken.objects.create(nonce="b" * 32, user=cast.commune_officer, path="/")
    out = io.StringIO()
    call_command("purge_submit_tokens", stdout=out)
    assert "1" in out.getvalue()
    assert list(SubmitToken.objects.values_list("nonce", flat=True)) == ["b" * 32]
    assert not IdempotencyKey.objects.exists()

    SubmitToken.objects.filter(nonce="b" * 32).update(created_at=old)
    client = Client()
    client.force_login(cast.commune_officer)
    url, form = _register_page(cast, client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form.data(**CRIME_REPORT, confirm="1"))
    assert list(SubmitToken.objects.values_list("path", flat=True)) == [url]
    assert purge_expired() == (0, 0)
