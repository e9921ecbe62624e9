"""No page and no endpoint shows a row of another scope (issue 15.1): walked from the URL conf and the
OpenAPI document, not from a list written by hand.

Province A (Quảng Ngãi) gets one record of every kind, most of them in commune A (Xã Đăk Hà). Then
three users walk every HTML page and every GET of /api/v1: an administrator and an auditor of
province B (Hà Nội), and the chief of commune B, commune A's neighbour in province A. What each of
them must never see, the *canaries*, is every row that belongs to province A for the first two,
and every row of commune A for the neighbour (``subtree_q`` on each model's own scope lookups).

- A page or endpoint about one object is called with a canary of its kind: 403 or 404, whatever
  it redirects to (a POST-only page is posted to).
- A list, an export and a page about a unit are called plainly, with ``?unit=`` a canary unit's code,
  as Excel, and with the user's own unit: every model instance in the template context, every cell
  of an Excel file and every string of a JSON body is checked against the canaries.

Every URL pattern and every API path must be classified below (how to fill its parameters, or why
it has none to fill); a new one fails ``test_every_page_and_endpoint_is_classified`` until it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.paginator import Page
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from cax.accounts.roles import Role
from cax.accounts.services import token_create
from cax.core.models import ImportBatch, Job
from cax.core.scoping import subtree_q
from cax.core.testing.cast import make_user
from cax.core.testing.units import make_department, make_village
from cax.units.models import Unit

pytestmark = [pytest.mark.django_db]

TODAY = timezone.localdate()

# -- how to fill each page's parameters --------------------------------------------------------------

# URL name → the kind of object each of its parameters names, in order. A kind is a model label
# ("cases.case"), "unit" (a unit about whose subtree the page is), "department", "form" (a report
# form code), "period" (a period key of it) or "batch" (an upload of the canary's owner).
PAGE_PARAMS: dict[str, tuple[str, ...]] = {
    "accounts:token_revoke": ("accounts.apitoken",),
    "accounts:user_edit": ("accounts.user",),
    "units:detail": ("unit",),
    "units:import_preview": ("batch",),
    "deployment:staffing": ("unit",),
    "deployment:leader": ("unit",),
    "plans:detail": ("deployment.planscenario",),
    "plans:edit": ("deployment.planscenario",),
    "plans:progress": ("deployment.planscenario",),
    "plans:action": ("deployment.planscenario",),
    "plans:assignment": ("deployment.planscenario", "deployment.planassignment"),
    "personnel:detail": ("personnel.officer",),
    "personnel:import_preview": ("batch",),
    "personnel:posting_add": ("personnel.officer",),
    "personnel:transfer": ("personnel.officer",),
    "personnel:posting_end": ("personnel.officer", "deployment.posting"),
    "personnel:status_change": ("personnel.officer",),
    "cases:list": ("unit",),
    "cases:register": ("unit",),
    "cases:detail": ("cases.case",),
    "cases:receipt_record": ("cases.case",),
    "cases:mark_duplicate": ("cases.case",),
    "cases:send_to_procuracy": ("cases.case",),
    "cases:attachment_upload": ("cases.case",),
    "cases:attachment_download": ("cases.attachment",),
    "reports:unit": ("unit",),
    "reports:entry": ("unit", "form", "period"),
    "reports:lock_exception": ("unit", "form", "period"),
    "reports:submissions": ("unit",),
    "reports:completeness": ("unit",),
    "reports:rollup": ("unit",),
    "reports:exchange_export": ("unit",),
    "reports:detail": ("reports.submission",),
    "reports:review": ("reports.submission",),
    "reports:print": ("reports.submission",),
    "reports:issued_pdf": ("reports.issuedreport",),
    "reports:exchange_preview": ("batch",),
    "overview:unit": ("unit",),
    "facilities:equipment_event_add": ("facilities.equipment",),
    "petitions:petition_assign": ("petitions.petition",),
    "petitions:petition_answer": ("petitions.petition",),
    "petitions:petition_remind": ("petitions.petition",),
    "training:officer_history": ("personnel.officer",),
    "pairing:department": ("department",),
    "procedures:dossier_complete": ("procedures.dossier",),
    "procedures:dossier_resolve": ("procedures.dossier",),
    "procedures:dossier_apologize": ("procedures.dossier",),
    "job_detail": ("core.job",),
    "supervision:event_record": ("supervision.supervisionfile", "event_kind"),
    "supervision:handover_send": ("supervision.supervisionfile",),
    "supervision:handover_accept": ("supervision.handover",),
    "library:document_upload": ("library.document",),
    "library:document_download": ("library.document",),
    "library:document_acknowledge": ("library.document",),
    "library:document_unread": ("library.document",),
    "notices:read": ("notices.notice",),
}
# Pages whose parameters name no record, and why.
PAGE_WITHOUT_RECORD = {
    "personnel:import_template": "the kind of an empty template, not data",
}
# Downloads that hold no record: an empty import template (its example row is made up).
NOT_DATA = ("import_template",)
# Pages nobody below the top of the tree may open: the reference data editors (Django's admin).
REFERENCE_NAMESPACE = "reference:"

# OpenAPI path parameter → what it names.
API_PARAMS = {
    "code": "unit_code",
    "service_number": "officer_number",
    "posting_id": "deployment.posting",
    "case_id": "cases.case",
    "attachment_id": "cases.attachment",
    "submission_id": "reports.submission",
    "officer_id": "personnel.officer",
    "unit_code": "unit_code",
    "form_code": "form",
    "period_key": "period",
    "document_id": "library.document",
}
API_WITHOUT_RECORD = {
    "/api/v1/report-forms/{code}": "a report form is reference data, the same for everyone",
}
# Required query parameters of the lists, filled so that they ask about a canary.
API_QUERY = {"unit": "unit_code", "form": "form", "first": "period", "last": "period"}
DAILY = "bc-antt-ngay"  # the standard daily report (reports.tests.factories.DAILY)


# -- province A's records ---------------------------------------------------------------------------


def _province_a_world(cast) -> dict[str, Any]:
    """One record of every kind in province A, most in commune A, through the services."""
    from cax.cases.attachments import attachment_add
    from cax.cases.models import Case
    from cax.cases.services import reporter_identity_reveal
    from cax.cases.tests.test_register import register
    from cax.deployment.models import PlanAssignment
    from cax.deployment.services import committee_seat_record, party_cell_record
    from cax.deployment.tests.factories import posted
    from cax.deployment.tests.test_planning import create as create_plan
    from cax.facilities import services as facilities
    from cax.facilities.models import EquipmentStandard
    from cax.grassroots.registers import ALLOWANCES, CRITERIA, MEMBERS, TEAMS
    from cax.honours import services as honours
    from cax.pairing.registers import PAIRINGS
    from cax.petitions import services as petitions
    from cax.petitions.registers import CONFERENCES, PETITIONS
    from cax.reports.services import rollup_issue
    from cax.reports.tests.factories import form, submit
    from cax.training.registers import COURSES, PARTICIPANTS

    a, province = cast.commune_a, cast.province_a
    officer = posted(a, start=dt.date(2025, 8, 1))
    party_cell_record(actor=None, unit=a, founded_on=dt.date(2025, 8, 2), secretary=officer)
    committee_seat_record(actor=None, officer=officer, unit=a, committee="executive", start_date=dt.date(2025, 8, 2))
    case = register(cast.commune_officer, a, reporter_name="Người Báo Bí Mật", is_confidential=True)
    attachment_add(actor=cast.commune_officer, case=Case.objects.get(pk=case.pk), kind="other", name="b.pdf",
                   content=b"%PDF-1.4 thu")  # fmt: skip
    reporter_identity_reveal(actor=cast.commune_chief, case=case, channel="web")
    submit(cast, a, TODAY - dt.timedelta(days=1), now=timezone.now())
    daily = form(DAILY)
    period = daily.period_of(TODAY - dt.timedelta(days=1))
    rollup_issue(actor=cast.province_leader, unit=province, form=daily, content={}, first_key=period.key,
                 last_key=period.key)  # fmt: skip
    plan = create_plan(cast)
    PlanAssignment.objects.create(scenario=plan, officer=officer, unit=a, current_unit=a)
    village = make_village(a)
    team = TEAMS.save(actor=None, instance=None, data={"unit": a, "name": "Tổ thôn 1", "villages": [village]})
    member = MEMBERS.save(
        actor=None,
        instance=None,
        data={"team": team, "full_name": "A Blưm", "role": "leader", "sex": "male",
              "date_of_birth": dt.date(1980, 5, 12), "id_number": "051080001234", "joined_on": dt.date(2025, 3, 1),
              "residence_since": dt.date(2010, 1, 1), "health_certificate_on": dt.date(2025, 2, 20),
              "education": "lower_secondary"},
    )  # fmt: skip
    ALLOWANCES.save(actor=None, instance=None, data={"member": member, "month": dt.date(2025, 4, 1), "kind": "monthly",
                                                     "amount": 1_500_000, "paid_on": dt.date(2025, 5, 5)})  # fmt: skip
    CRITERIA.save(actor=None, instance=None, data={"unit": province, "min_age": 20, "legal_basis": "NQ 12"})
    facilities.headquarters_save(actor=None, instance=None, data={"unit": a, "status": "built", "year": 2023})
    standard = EquipmentStandard.objects.get(unit__isnull=True, code="BDCT")
    facilities.equipment_save(actor=None, instance=None, data={"unit": a, "standard": standard, "quantity": 3})
    from cax.facilities.registers import STANDARDS

    STANDARDS.save(actor=None, instance=None, data={"unit": province, "code": "XMT", "name": "Xe mô tô",
                                                    "category": "vehicle", "quantity": 2,
                                                    "valid_from": dt.date(2025, 8, 1)})  # fmt: skip
    conference = CONFERENCES.save(
        actor=None, instance=None, data={"unit": province, "title": "Hội nghị", "held_on": dt.date(2025, 8, 15)}
    )
    department = make_department(province)
    petition = PETITIONS.save(actor=None, instance=None, data={"unit": a, "raised_on": dt.date(2025, 8, 15),
                                                               "topic": "reporting", "text": "Giảm báo cáo",
                                                               "conference": conference})  # fmt: skip
    petitions.petition_assign(actor=None, petition=petition, department=department, due_on=TODAY)
    honours.casualty_save(actor=None, instance=None, data={"unit": a, "officer": officer, "kind": "injured",
                                                           "date": dt.date(2025, 9, 7), "cause": "rescue"})  # fmt: skip
    campaign = honours.campaign_save(actor=None, instance=None, data={"unit": province, "name": "Vì an ninh Tổ quốc",
                                                                      "starts_on": dt.date(2025, 1, 1),
                                                                      "ends_on": dt.date(2025, 12, 31),
                                                                      "participants": [a]})  # fmt: skip
    honours.commendation_save(actor=None, instance=None, data={"unit": a, "officer": officer, "campaign": campaign,
                                                               "form": "merit_certificate", "issuer": "Giám đốc",
                                                               "decision_number": "1/QĐ",
                                                               "decision_date": dt.date(2025, 8, 15)})  # fmt: skip
    course = COURSES.save(actor=None, instance=None, data={"unit": a, "title": "Bồi dưỡng", "topic": "language",
                                                           "language": "Xơ Đăng", "starts_on": dt.date(2025, 3, 3),
                                                           "ends_on": dt.date(2025, 5, 30)})  # fmt: skip
    PARTICIPANTS.save(actor=None, instance=None, data={"course": course, "officer": officer, "completed": False})
    PAIRINGS.save(actor=None, instance=None, data={"department": department, "commune": a,
                                                   "since": dt.date(2025, 7, 1)})  # fmt: skip
    from cax.regimes.models import EntitlementType
    from cax.regimes.registers import AREAS, RATES

    RATES.save(actor=None, instance=None, data={"entitlement_type": EntitlementType.objects.get(code="TIEN-AN"),
                                                "unit": province, "amount": 900_000,
                                                "effective_from": dt.date(2025, 7, 1), "basis": "NQ tỉnh"})  # fmt: skip
    AREAS.save(actor=None, instance=None, data={"unit": a, "attribute": "remote", "valid_from": dt.date(2025, 7, 1),
                                                "basis": "QĐ"})  # fmt: skip
    from cax.procedures import services as desk
    from cax.procedures.tests.factories import at, declare, receive

    dossier = receive(cast.commune_officer, a, received_at=at(2026, 11, 4), person_name="Người Nộp Bí Mật")
    desk.dossier_apologize(actor=cast.commune_officer, dossier=dossier, new_due_at=at(2026, 11, 30), reason="Chậm")
    desk.identity_reveal(actor=cast.commune_chief, person=dossier.applicant, channel="web")
    declare(cast.commune_officer, a, person_name="Khách Lưu Trú", person_id_number="P1234567")
    from cax.movement import registers as movement
    from cax.movement.models import ModelType

    model = movement.MODELS.save(actor=None, instance=None, data={
        "unit": a, "name": "Camera an ninh thôn 1", "model_type": ModelType.objects.get(name="Camera an ninh"),
        "proposer": "police", "decision_number": "3/QĐ-UBND", "decision_date": dt.date(2024, 3, 1),
        "teams": [team]})  # fmt: skip
    movement.REPLICATIONS.save(actor=None, instance=None, data={"model": model, "place": "Khu 2",
                                                                 "started_on": dt.date(2024, 6, 1)})  # fmt: skip
    movement.EVALUATIONS.save(actor=None, instance=None, data={"model": model, "evaluated_on": dt.date(2024, 12, 1),
                                                                "result": "effective"})  # fmt: skip
    movement.EXAMPLES.save(actor=None, instance=None, data={"unit": a, "kind": "collective", "name": "Thôn 1",
                                                             "year": 2025, "model": model})  # fmt: skip
    safe = movement.REGISTRATIONS.save(actor=None, instance=None, data={
        "unit": a, "entity_type": "residential", "area": village, "year": 2025,
        "registered_on": dt.date(2025, 2, 1)})  # fmt: skip
    movement.ASSESSMENTS.save(actor=None, instance=None, data={"registration": safe, "criterion": 1, "met": True})
    rated = TEAMS.save(actor=None, instance=None, data={"unit": a, "name": "Tổ thôn 1 cũ", "villages": [village],
                                                        "status": "established", "decision_number": "9/QĐ",
                                                        "decision_date": dt.date(2024, 1, 1)})  # fmt: skip
    movement.RATINGS.save(actor=None, instance=None, data={"team": rated, "year": 2026, "level": "good",
                                                            "decided_on": dt.date(2026, 11, 20)})  # fmt: skip
    # An upload waiting for its confirmation, of each page that has one (its owner only may open it).
    from cax.core.records import all_registers

    registers = [f"{r.namespace}.{r.name}" for r in all_registers()]
    for kind in ("units", "officers", "reports.exchange", *registers):
        batch = ImportBatch(uuid=uuid.uuid4(), kind=kind, filename="f.xlsx", size=1, created_by=cast.commune_chief)
        batch.file.save(f"{batch.uuid}.xlsx", ContentFile(b"x"))
    from cax.supervision import services as supervision
    from cax.supervision.tests.factories import received

    person = received(cast.commune_officer, a)
    supervision.event_record(actor=cast.commune_officer, file=person, kind="absence", on=dt.date(2026, 3, 1),
                             data={"first_day": dt.date(2026, 3, 2), "last_day": dt.date(2026, 3, 3),
                                   "destination": "Huế", "reason": "Việc riêng"})  # fmt: skip
    supervision.event_record(actor=cast.commune_officer, file=person, kind="return", on=dt.date(2026, 3, 3))
    supervision.handover_send(actor=cast.commune_officer, file=person, to_unit=cast.commune_c,
                              moved_at=timezone.now() - dt.timedelta(hours=2))  # fmt: skip
    supervision.file_open(actor=cast.commune_chief, file=person, reason="Kiểm tra")
    from cax.library import services as library
    from cax.library.demo import docx_bytes
    from cax.library.tests.factories import document

    handbook = document(cast.province_staff, cast.province_a, title="Sổ tay Bí Mật Của Tỉnh A")
    library.document_attach_file(actor=cast.province_staff, document=handbook, name="so-tay.docx",
                                 content=docx_bytes(["Nội dung riêng của tỉnh A"]))  # fmt: skip
    library.document_acknowledge(actor=cast.commune_officer, document=handbook)
    token_create(actor=None, user=cast.commune_chief, name="canary")
    from django.utils.translation import gettext_noop

    from cax.core import notices

    notices.publish("reports.returned", notices.Audience(users=(cast.commune_chief,)),
                    title=gettext_noop("Báo cáo {form}, kỳ {period} bị trả lại: {note}"),
                    params={"form": "BC", "period": "1", "note": cast.commune_a.name}, url="/reports/",
                    unit=cast.commune_a)  # fmt: skip
    Job.objects.create(kind="core.import", actor=cast.commune_chief, unit_path=cast.commune_chief.unit.path,
                       params={"batch": str(batch.uuid), "dry_run": True, "next": "/"})  # fmt: skip
    return {"department": department, "period": period.key}


def _scoped_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        if getattr(model, "scope_path_lookups", None) or getattr(model, "scope_path_lookup", None):
            yield model


def canaries(path: str) -> dict[str, list[Any]]:
    """model label → the rows of every scoped model that belong to the subtree at ``path``."""
    found: dict[str, list[Any]] = {}
    for model in _scoped_models():
        rows = list(model._default_manager.filter(subtree_q(model, path)).order_by("pk"))
        if rows:
            found[model._meta.label_lower] = rows
    return found


@dataclasses.dataclass
class Walker:
    """One user's walk: what they must not see, and the values that name it."""

    user: Any
    secret: dict[str, list[Any]]
    extra: dict[str, Any]
    client: Client = dataclasses.field(default_factory=Client)
    headers: dict = dataclasses.field(default_factory=dict)
    exercised: set[str] = dataclasses.field(default_factory=set)
    problems: list[str] = dataclasses.field(default_factory=list)

    def __post_init__(self):
        self.client.force_login(self.user)
        _token, raw = token_create(actor=None, user=self.user, name="walk")
        self.headers = {"Authorization": f"Bearer {raw}"}
        self.keys = {(label, row.pk) for label, rows in self.secret.items() for row in rows}
        units = self.secret.get("units.unit", [])
        officers = self.secret.get("personnel.officer", [])
        # The strings that name a canary in a file or a JSON body: unit codes (but a province's two
        # digits, which an id column may hold too), unit names no unit outside shares ("Xã Bình Minh"
        # is in two provinces) and service numbers.
        names = {u.name for u in units}
        shared = set(
            Unit.objects.filter(name__in=names).exclude(pk__in=[u.pk for u in units]).values_list("name", flat=True)
        )
        self.names = {u.code for u in units if len(u.code) > 2} | (names - shared)
        self.names |= {o.service_number for o in officers}

    # What a parameter of each kind is, for a canary (None: the user has no canary of that kind).
    def canary(self, kind: str) -> Any:
        if kind in ("unit", "unit_code"):
            unit = self.commune()
            return unit.pk if kind == "unit" else unit.code
        if kind == "department":
            department = self.extra["department"]
            return department.pk if ("units.unit", department.pk) in self.keys else None
        if kind == "form":
            return DAILY
        if kind == "event_kind":
            return "report"  # an event's kind, not a record: the file is the canary
        if kind == "period":
            return self.extra["period"]
        if kind == "officer_number":
            rows = self.secret.get("personnel.officer")
            return rows[0].service_number if rows else None
        if kind == "batch":
            return None  # filled per page (the batch of that page's kind)
        if kind == "core.job":
            rows = self.secret.get(kind)
            return rows[0].uuid if rows else None
        rows = self.secret.get(kind)
        return rows[0].pk if rows else None

    def commune(self):
        return next(u for u in self.secret["units.unit"] if u.code == "23500")

    def own(self, kind: str) -> Any:
        if kind == "unit":
            return self.user.unit_id
        if kind == "unit_code":
            return self.user.unit.code
        return None

    # -- checks ----------------------------------------------------------------------------------

    def refused(self, what: str, response) -> None:
        if response.status_code not in (403, 404):
            self.problems.append(f"{what}: {response.status_code}, expected 403 or 404")

    def clean(self, what: str, response) -> None:
        """A 200 answer holds no canary: not in its template context, its Excel cells or its JSON."""
        if response.status_code != 200:
            return
        kind = response.get("Content-Type", "")
        if "spreadsheetml" in kind:
            cells = _cells(response.content)
            leaked = self.names & cells
        elif "json" in kind:
            leaked = self.names & set(_strings(response.json()))
        else:
            leaked = {f"{m._meta.label_lower}#{m.pk}" for m in _instances(response.context) if self._secret(m)}
        if leaked:
            self.problems.append(f"{what}: shows {sorted(leaked)[:5]}")

    def _secret(self, obj: models.Model) -> bool:
        # Unit names are not secret (breadcrumbs, a campaign's participants); a unit's pages are
        # checked by its id in the URL, and the scope matrix checks the unit lists.
        label = obj._meta.label_lower
        return label != "units.unit" and (label, obj.pk) in self.keys


def _cells(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {str(v).strip() for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value.strip()


def _instances(context, depth: int = 0) -> Iterator[models.Model]:
    """Every model instance a template was given, through dicts, lists, pages, forms and dataclasses
    (querysets only once evaluated: the page read them, so its rows are in the cache)."""
    if context is None or depth > 5:
        return
    if hasattr(context, "dicts"):  # a template Context
        for d in context.dicts:
            yield from _instances(d, depth + 1)
        return
    if isinstance(context, models.Model):
        yield context
        return
    if isinstance(context, dict):
        items = context.values()
    elif isinstance(context, models.QuerySet):
        items = context._result_cache or []
    elif isinstance(context, Page):
        items = list(context.object_list) if isinstance(context.object_list, list) else (
            context.object_list._result_cache or [])  # fmt: skip
    elif isinstance(context, list | tuple | set):
        items = context
    elif dataclasses.is_dataclass(context) and not isinstance(context, type):
        items = [getattr(context, f.name) for f in dataclasses.fields(context)]
    elif hasattr(context, "instance") and hasattr(context, "fields"):  # a ModelForm
        items = [context.instance]
    else:
        return
    for item in list(items)[:2000]:
        yield from _instances(item, depth + 1)


# -- the URL conf and the OpenAPI document ----------------------------------------------------------


def _patterns(resolver=None, namespace=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def site_pages() -> dict[str, URLPattern]:
    return {name: p for name, p in _patterns() if not name.startswith(("api:", REFERENCE_NAMESPACE))}


def _params(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.converters)


def _page_kinds(name: str, pattern: URLPattern) -> tuple[str, ...] | None:
    """The kinds of a page's parameters; None when it has none to fill."""
    if not _params(pattern):
        return ()
    register = pattern.default_args.get("register")
    if register is not None:
        if name.endswith("_import_preview"):
            return ("batch",)
        return (register.model._meta.label_lower,)
    if name in PAGE_WITHOUT_RECORD:
        return None
    return PAGE_PARAMS.get(name)


def api_paths() -> dict[str, dict]:
    from cax.api.main import api

    return api.get_openapi_schema()["paths"]


def _api_kind(path: str, param: str) -> str | None:
    if param == "record_id":
        from cax.core.records import all_registers

        app, slug = path.split("/")[3:5]
        for register in all_registers():
            if register.namespace == app and slug in (register.name, f"{register.name}s", register.export_name):
                return register.model._meta.label_lower
        return _REGISTER_SLUGS.get(f"{app}/{slug}")
    return API_PARAMS.get(param)


# API slugs that differ from the register's name (the register is named in the singular).
_REGISTER_SLUGS = {
    "grassroots/teams": "grassroots.team",
    "grassroots/members": "grassroots.teammember",
    "grassroots/allowances": "grassroots.allowancepayment",
    "grassroots/criteria": "grassroots.criteria",
    "facilities/headquarters": "facilities.headquarters",
    "facilities/equipment": "facilities.equipment",
    "petitions/requests": "petitions.petition",
    "petitions/conferences": "petitions.conference",
    "honours/casualties": "honours.casualty",
    "honours/commendations": "honours.commendation",
    "honours/campaigns": "honours.emulationcampaign",
    "training/courses": "training.course",
    "training/participants": "training.participant",
    "pairing/pairings": "pairing.pairing",
}


def test_every_page_and_endpoint_is_classified():
    unclassified = [
        name for name, pattern in site_pages().items() if _page_kinds(name, pattern) is None and name not in
        PAGE_WITHOUT_RECORD
    ]  # fmt: skip
    for name, pattern in site_pages().items():
        kinds = _page_kinds(name, pattern)
        if kinds and len(kinds) != len(_params(pattern)):
            unclassified.append(f"{name}: {len(_params(pattern))} parameters, {len(kinds)} kinds")
    for path, operations in api_paths().items():
        if "get" not in operations or path in API_WITHOUT_RECORD:
            continue
        unclassified += [f"{path} {{{p}}}" for p in re.findall(r"{(\w+)}", path) if _api_kind(path, p) is None]
    assert unclassified == []


# -- the walk ---------------------------------------------------------------------------------------

WALKERS = {
    # (role, unit on the cast, what they must not see: the subtree of this unit)
    "province_b_administrator": (Role.ADMINISTRATOR, "province_b", "province_a"),
    "province_b_auditor": (Role.AUDITOR, "province_b", "province_a"),
    "commune_b_chief": (Role.COMMUNE_CHIEF, "commune_b", "commune_a"),
}


def _url(name: str, args: list) -> str:
    return reverse(name, args=args)


def _batch(walker: Walker, name: str, pattern: URLPattern) -> str | None:
    register = pattern.default_args.get("register")
    kind = f"{register.namespace}.{register.name}" if register else {
        "units:import_preview": "units", "personnel:import_preview": "officers",
        "reports:exchange_preview": "reports.exchange"}[name]  # fmt: skip
    batch = ImportBatch.objects.filter(kind=kind).first()
    return str(batch.uuid) if batch is not None else None


def walk_pages(walker: Walker) -> None:
    for name, pattern in site_pages().items():
        kinds = _page_kinds(name, pattern)
        if kinds is None:
            continue
        if not kinds:
            _walk_list(walker, name, reverse(name))
            continue
        args = [_batch(walker, name, pattern) if k == "batch" else walker.canary(k) for k in kinds]
        if any(a is None for a in args):
            continue  # this user has no canary of that kind (another walker covers the page)
        url = _url(name, args)
        walker.exercised.add(name)
        response = walker.client.get(url, follow=True)
        if response.status_code == 405:
            response = walker.client.post(url, {}, follow=True)
        walker.refused(f"{name} {url}", response)
        if set(kinds) == {"unit"}:  # a page about a unit: the user's own unit lists only their rows
            _walk_list(walker, name, _url(name, [walker.own("unit")]))


def _walk_list(walker: Walker, name: str, url: str) -> None:
    if name in ("accounts:logout", "set_language", "healthz") or name.endswith(NOT_DATA):
        return
    walker.exercised.add(name)
    for query in ({}, {"unit": walker.canary("unit_code")}, {"format": "xlsx"}):
        response = walker.client.get(url, query)
        walker.clean(f"{name} {url} {query}", response)


def walk_api(walker: Walker) -> None:
    for path, operations in api_paths().items():
        get = operations.get("get")
        if get is None or path in API_WITHOUT_RECORD:
            continue
        params = re.findall(r"{(\w+)}", path)
        query = {
            p["name"]: walker.canary(API_QUERY[p["name"]])
            for p in get.get("parameters", [])
            if p["in"] == "query" and p.get("required")
        }
        if not params:
            walker.exercised.add(path)
            for extra in ({}, {"unit": walker.canary("unit_code")}):
                walker.clean(f"GET {path} {extra}", walker.client.get(path, query | extra, headers=walker.headers))
            continue
        kinds = [_api_kind(path, p) for p in params]
        values = [walker.canary(k) for k in kinds]
        if any(v is None for v in values):
            continue
        url = path
        for param, value in zip(params, values, strict=True):
            url = url.replace(f"{{{param}}}", str(value))
        walker.exercised.add(path)
        walker.refused(f"GET {url}", walker.client.get(url, query, headers=walker.headers))
        if kinds == ["unit_code"]:
            own = path.replace("{code}", walker.own("unit_code"))
            walker.clean(f"GET {own}", walker.client.get(own, query, headers=walker.headers))


@pytest.fixture
def world(cast):
    return _province_a_world(cast)


@pytest.mark.parametrize("who", list(WALKERS))
def test_no_page_or_endpoint_shows_a_row_of_another_scope(cast, world, who):
    role, unit_name, hidden = WALKERS[who]
    user = make_user(who.replace("_", "."), role, getattr(cast, unit_name))
    secret = canaries(getattr(cast, hidden).path)
    assert {"cases.case", "personnel.officer", "grassroots.team", "units.unit"} <= set(secret)
    walker = Walker(user, secret, world)
    walk_pages(walker)
    walk_api(walker)
    if walker.problems:
        pytest.fail("\n".join(walker.problems), pytrace=False)
    # The walk reached pages about records, not only lists.
    assert {"cases:detail", "personnel:detail", "grassroots:team_detail"} <= walker.exercised


def test_between_them_the_walkers_reach_every_page_and_endpoint(cast, world):
    """Each page with a record parameter is called by at least one walker with a canary of its kind."""
    reached: set[str] = set()
    for who, (role, unit_name, hidden) in WALKERS.items():
        walker = Walker(make_user(f"probe.{who}", role, getattr(cast, unit_name)), canaries(getattr(cast, hidden).path),
                        world)  # fmt: skip
        for name, pattern in site_pages().items():
            kinds = _page_kinds(name, pattern)
            if kinds and all((_batch(walker, name, pattern) if k == "batch" else walker.canary(k)) is not None
                             for k in kinds):  # fmt: skip
                reached.add(name)
        for path in api_paths():
            kinds = [_api_kind(path, p) for p in re.findall(r"{(\w+)}", path)]
            if kinds and all(k is not None and walker.canary(k) is not None for k in kinds):
                reached.add(path)
    pages = {n for n, p in site_pages().items() if _page_kinds(n, p)}
    endpoints = {p for p, ops in api_paths().items() if "get" in ops and "{" in p and p not in API_WITHOUT_RECORD}
    assert pages - reached == set()
    assert endpoints - reached == set()
