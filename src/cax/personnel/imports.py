"""Officer and posting imports from XLSX/CSV with Vietnamese headers (#4).

Officers upsert by service number in bulk (120,000 rows must take under a minute): every row is
checked first, and if any row is wrong nothing is written. Postings go through the posting service
row by row, inside one transaction, so the overlap and single-chief rules are the service's own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.accounts.roles import CHANGE_OFFICERS
from cax.core.changelog import record_changes_bulk, snapshot
from cax.core.exceptions import DomainError, PermissionDenied
from cax.core.imports import (
    CellError,
    Column,
    ImportRejected,
    ImportResult,
    RowError,
    parse_bool,
    parse_choice,
    parse_code_list,
    parse_date,
    parse_int,
    parse_table,
    parse_text,
)
from cax.core.models import ChangeLog
from cax.core.scoping import is_within_scope
from cax.core.text import search_key
from cax.deployment.models import Committee, Posting, PostingEndReason, PostingRole
from cax.personnel.choices import (
    ENDING_STATUSES,
    Education,
    InvestigatorGrade,
    OfficerStatus,
    Rank,
    Sex,
    SpecialityKind,
)
from cax.personnel.models import Language, Officer, Speciality, StatusChange
from cax.personnel.rules import AgeRules, officer_record_problems
from cax.personnel.services import OFFICER_FIELDS
from cax.units.kinds import unit_for_date
from cax.units.models import Unit

OFFICER_COLUMNS = [
    Column("service_number", gettext_lazy("Số hiệu"), ("so hieu cand",), True, parse_text(20), "10000001"),
    Column("full_name", gettext_lazy("Họ và tên"), ("ho ten",), True, parse_text(150), "Nguyễn Văn An"),
    Column("sex", gettext_lazy("Giới tính"), (), True, parse_choice(Sex.choices), "Nam"),
    Column("date_of_birth", gettext_lazy("Ngày sinh"), (), False, parse_date, "15/03/1990"),
    Column("ethnicity", gettext_lazy("Dân tộc"), (), False, parse_text(50), "Kinh"),
    Column("unit_code", gettext_lazy("Mã đơn vị"), ("don vi",), True, parse_text(32), "23500"),
    Column("home_unit_code", gettext_lazy("Mã nơi gia đình sinh sống"), ("que quan",), False, parse_text(32), ""),
    Column("rank", gettext_lazy("Cấp bậc hàm"), ("cap bac",), True, parse_choice(Rank.choices), "Thượng úy"),
    Column("education", gettext_lazy("Trình độ"), (), False, parse_choice(Education.choices), "Đại học"),
    Column("service_start", gettext_lazy("Ngày vào ngành"), (), False, parse_date, "01/09/2012"),
    Column("is_party_member", gettext_lazy("Đảng viên"), (), False, parse_bool, "Có"),
    Column("party_joined_on", gettext_lazy("Ngày vào Đảng"), (), False, parse_date, "19/05/2016"),
    Column("dependants", gettext_lazy("Số người phụ thuộc"), (), False, parse_int(0, 30), "2"),
    Column("has_hardship", gettext_lazy("Hoàn cảnh khó khăn"), (), False, parse_bool, "Không"),
    Column("family_notes", gettext_lazy("Ghi chú hoàn cảnh gia đình"), (), False, parse_text(2000), ""),
    Column("status", gettext_lazy("Trạng thái"), (), False, parse_choice(OfficerStatus.choices), "Đang công tác"),
    Column("specialities", gettext_lazy("Chuyên môn"), (), False, parse_code_list, "Điều tra viên: Sơ cấp; Pháp luật"),
    Column(
        "languages",
        gettext_lazy("Tiếng dân tộc, ngoại ngữ"),
        ("ngon ngu", "languages", "ngôn ngữ"),
        False,
        parse_code_list,
        "Xơ Đăng",
    ),
]


def _parse_role(value: Any) -> str:
    from cax.deployment.titles import normalize_role

    try:
        return normalize_role(str(value or ""))
    except DomainError as exc:
        raise CellError(exc.message) from exc


# A postings file mixes decisions of three kinds (Loại), applied oldest first.
POSTING_KINDS = [
    ("create", gettext_lazy("Bổ nhiệm")),
    ("transfer", gettext_lazy("Điều động")),
    ("end", gettext_lazy("Kết thúc")),
]
POSTING_COLUMNS = [
    Column(
        "kind",
        gettext_lazy("Loại"),
        ("loai quyet dinh",),
        False,
        parse_choice(POSTING_KINDS, {"bố trí": "create", "bổ nhiệm, bố trí": "create", "thôi bố trí": "end"}),
        "Bổ nhiệm",
    ),
    Column("service_number", gettext_lazy("Số hiệu"), (), True, parse_text(20), "10000001"),
    Column("unit_code", gettext_lazy("Mã đơn vị"), (), False, parse_text(32), "23500"),
    Column("role", gettext_lazy("Chức danh"), (), False, _parse_role, "Cán bộ, chiến sĩ"),
    Column("start_date", gettext_lazy("Từ ngày"), (), False, parse_date, "01/07/2025"),
    Column("end_date", gettext_lazy("Đến ngày"), (), False, parse_date, ""),
    Column("decision_number", gettext_lazy("Số quyết định"), (), False, parse_text(50), "125/QĐ-CAT"),
    Column("decision_date", gettext_lazy("Ngày quyết định"), (), False, parse_date, "25/06/2025"),
    Column("reason", gettext_lazy("Lý do"), (), False, parse_text(255), "Tăng cường Công an xã"),
    Column(
        "end_reason",
        gettext_lazy("Lý do kết thúc"),
        (),
        False,
        parse_choice(PostingEndReason.choices, {"hưu": "retirement", "hy sinh": "died_on_duty"}),
        "",
    ),
]
PARTY_CELL_COLUMNS = [
    Column("unit_code", gettext_lazy("Mã đơn vị"), (), True, parse_text(32), "23500"),
    Column("founded_on", gettext_lazy("Ngày thành lập"), (), True, parse_date, "15/07/2025"),
    Column("secretary", gettext_lazy("Số hiệu bí thư"), ("bi thu",), False, parse_text(20), "10000001"),
    Column("dissolved_on", gettext_lazy("Ngày giải thể"), (), False, parse_date, ""),
]
SEAT_COLUMNS = [
    Column("service_number", gettext_lazy("Số hiệu"), (), True, parse_text(20), "10000001"),
    Column("unit_code", gettext_lazy("Mã đơn vị"), (), True, parse_text(32), "23500"),
    Column(
        "committee",
        gettext_lazy("Cấp ủy"),
        (),
        True,
        parse_choice(
            Committee.choices,
            {"BCH": "executive", "BCH Đảng bộ xã": "executive", "BTV": "standing", "BTV Đảng ủy xã": "standing"},
        ),
        "BCH Đảng bộ xã",
    ),
    Column("start_date", gettext_lazy("Từ ngày"), (), True, parse_date, "20/07/2025"),
    Column("end_date", gettext_lazy("Đến ngày"), (), False, parse_date, ""),
]
KINDS = {
    "officers": OFFICER_COLUMNS,
    "postings": POSTING_COLUMNS,
    "party_cells": PARTY_CELL_COLUMNS,
    "committee_seats": SEAT_COLUMNS,
}
PLAIN_FIELDS = tuple(f for f in OFFICER_FIELDS if f not in ("unit", "home_unit"))
DEFAULTS = {
    "ethnicity": "",
    "education": "",
    "is_party_member": False,
    "dependants": 0,
    "has_hardship": False,
    "family_notes": "",
    "status": OfficerStatus.ACTIVE,
}


def _label(columns, key: str):
    return next(c.label for c in columns if c.key == key)


def _specialities(cells: list[str] | None, row: int, errors: list[RowError]) -> list[tuple[str, str]] | None:
    """ "Điều tra viên: Trung cấp; Pháp luật" → [("investigator", "intermediate"), ("legal", "")]."""
    if cells is None:
        return None
    kind_of, grade_of = parse_choice(SpecialityKind.choices), parse_choice(InvestigatorGrade.choices)
    result = []
    for cell in cells:
        kind_text, _sep, grade_text = cell.partition(":")
        try:
            entry = (kind_of(kind_text), grade_of(grade_text) if grade_text.strip() else "")
        except Exception as exc:  # CellError from either parser
            errors.append(RowError(row, _label(OFFICER_COLUMNS, "specialities"), str(exc)))
            continue
        if any(kind == entry[0] for kind, _grade in result):  # one row per kind (the database says so too)
            errors.append(RowError(row, _label(OFFICER_COLUMNS, "specialities"), _("Cán bộ đã có chuyên môn này.")))
            continue
        result.append(entry)
    return result


def _check_actor(actor) -> None:
    if actor is not None and not actor.has_cax_perm(CHANGE_OFFICERS):
        raise PermissionDenied(_("Bạn không có quyền cập nhật hồ sơ cán bộ."))


def officers_import(*, actor: Any, filename: str, content: bytes, dry_run: bool) -> ImportResult:
    _check_actor(actor)
    parsed = parse_table(filename, content, OFFICER_COLUMNS)
    errors = list(parsed.errors)
    units = {u.code: u for u in Unit.objects.current().only("pk", "code", "path", "name")}
    seen: dict[str, int] = {}
    plans = []
    for row in parsed.rows:
        values = row.values
        number = values["service_number"]
        if number in seen:
            errors.append(
                RowError(
                    row.row,
                    _label(OFFICER_COLUMNS, "service_number"),
                    _("số hiệu trùng với dòng {r}").format(r=seen[number]),
                )
            )
        elif number:
            seen[number] = row.row
        for key in ("unit_code", "home_unit_code"):
            code = values[key]
            if code and code not in units:
                errors.append(
                    RowError(row.row, _label(OFFICER_COLUMNS, key), _("không có đơn vị mã “{c}”").format(c=code))
                )
            elif code and key == "unit_code" and actor is not None and not is_within_scope(actor, units[code].path):
                errors.append(
                    RowError(
                        row.row,
                        _label(OFFICER_COLUMNS, key),
                        _("đơn vị “{c}” nằm ngoài phạm vi của bạn").format(c=code),
                    )
                )
        plans.append((row.row, values, _specialities(values["specialities"], row.row, errors)))
    existing = _existing(seen)
    _check_open_postings(plans, existing, errors)
    age_rules = AgeRules()
    for row, values, _spec in plans:
        officer = existing.get(values["service_number"])
        _check_plausible(row, values, officer, age_rules, errors)
        # A blank cell keeps the officer's value (a new officer's default): judge the merged pair.
        member, joined = values["is_party_member"], values["party_joined_on"]
        if member is None:
            member = officer.is_party_member if officer is not None else False
        if joined is None and officer is not None:
            joined = officer.party_joined_on
        if joined and not member:
            errors.append(
                RowError(row, _label(OFFICER_COLUMNS, "party_joined_on"), _("chỉ đảng viên mới có ngày vào Đảng"))
            )
        if officer is not None and actor is not None and not is_within_scope(actor, officer.current_unit.path):
            errors.append(
                RowError(
                    row,
                    _label(OFFICER_COLUMNS, "service_number"),
                    _("cán bộ {n} thuộc đơn vị ngoài phạm vi của bạn").format(n=values["service_number"]),
                )
            )
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        result = _apply_officers(actor, plans, existing, units, filename)
        if dry_run:
            transaction.set_rollback(True)
    result.dry_run, result.ignored_headers = dry_run, parsed.ignored_headers
    return result


def _check_plausible(row: int, values: dict, officer: Officer | None, rules: AgeRules, errors: list[RowError]) -> None:
    """The record's dates as they will be after this row (a blank cell keeps the stored value)."""
    merged = SimpleNamespace(
        **{
            key: values[key]
            if values[key] is not None
            else (getattr(officer, key) if officer is not None else DEFAULTS.get(key))
            for key in ("date_of_birth", "service_start", "party_joined_on", "status")
        }
    )
    for field, messages in officer_record_problems(merged, rules).items():
        errors.extend(RowError(row, _label(OFFICER_COLUMNS, field), message) for message in messages)


def _check_open_postings(plans, existing: dict[str, Officer], errors: list[RowError]) -> None:
    """An officer with an open posting belongs to that commune: the roster may not move them;
    a transfer is a posting decision (import postings, or the posting services)."""
    from cax.deployment.models import Posting

    ids = [o.pk for o in existing.values()]
    open_unit: dict[int, str] = {}
    for start in range(0, len(ids), 5000):
        open_unit.update(
            Posting.objects.filter(officer_id__in=ids[start : start + 5000], end_date__isnull=True).values_list(
                "officer_id", "unit__code"
            )
        )
    for row, values, _spec in plans:
        officer = existing.get(values["service_number"])
        posted_at = open_unit.get(officer.pk) if officer else None
        if (
            posted_at
            and values["status"]
            and values["status"] != officer.status
            and values["status"] in ENDING_STATUSES
        ):
            errors.append(
                RowError(
                    row,
                    _label(OFFICER_COLUMNS, "status"),
                    _(
                        "cán bộ đang được bố trí tại đơn vị “{c}”: ghi nghỉ hưu, hy sinh, chuyển ra ngoài "
                        "trên trang cán bộ, hoặc kết thúc quyết định bằng tệp bố trí (Loại: kết thúc) trước"
                    ).format(c=posted_at),
                )
            )
        if posted_at and values["unit_code"] and values["unit_code"] != posted_at:
            errors.append(
                RowError(
                    row,
                    _label(OFFICER_COLUMNS, "unit_code"),
                    _("cán bộ đang được bố trí tại đơn vị “{c}”; điều động bằng quyết định bố trí").format(c=posted_at),
                )
            )


def _existing(numbers: dict[str, int]) -> dict[str, Officer]:
    found: dict[str, Officer] = {}
    keys = list(numbers)
    for start in range(0, len(keys), 5000):
        for officer in Officer.objects.filter(service_number__in=keys[start : start + 5000]).select_related("unit"):
            found[officer.service_number] = officer
    return found


def _apply_officers(actor, plans, existing: dict[str, Officer], units: dict[str, Unit], filename: str) -> ImportResult:
    result = ImportResult()
    to_create, to_update, log, status_changes = [], [], [], []
    today = timezone.localdate()
    extras: dict[str, tuple] = {}
    current_extras = _current_extras([o.pk for o in existing.values()])
    for row, values, specialities in plans:
        number = values["service_number"]
        officer = existing.get(number)
        fields = {k: values[k] if values[k] is not None else DEFAULTS.get(k) for k in PLAIN_FIELDS}
        fields["unit"] = units[values["unit_code"]]
        fields["home_unit"] = units.get(values["home_unit_code"]) if values["home_unit_code"] else None
        languages = (
            None if values["languages"] is None else sorted({search_key(n): n for n in values["languages"]}.items())
        )
        wanted_extras = (None if specialities is None else sorted(specialities), languages)
        if officer is None:
            officer = Officer(service_number=number, **fields)
            officer.search_key = search_key(f"{officer.full_name} {number}")
            to_create.append(officer)
            extras[number] = wanted_extras
            result.rows.append((row, number, "create"))
            continue
        before = snapshot(officer)
        source = {"unit": "unit_code", "home_unit": "home_unit_code"}
        keep = {k: v for k, v in fields.items() if values.get(source.get(k, k)) is not None}
        for name, value in keep.items():
            setattr(officer, name, value)
        officer.search_key = search_key(f"{officer.full_name} {number}")
        old_extras = current_extras.get(officer.pk, ([], []))
        extras_changed = any(w is not None and w != o for w, o in zip(wanted_extras, old_extras, strict=True))
        if officer.status != before["status"]:
            status_changes.append(
                StatusChange(
                    officer=officer,
                    status=officer.status,
                    previous_status=before["status"],
                    effective_from=today,
                    reason=_("Nhập từ tệp {f}").format(f=filename),
                )
            )
        if snapshot(officer) != before or extras_changed:
            to_update.append(officer)
            extras[number] = wanted_extras
            log.append((officer, ChangeLog.Action.UPDATE, before))
            result.rows.append((row, number, "update"))
        else:
            result.rows.append((row, number, "unchanged"))
    Officer.objects.bulk_create(to_create, batch_size=2000)
    Officer.objects.bulk_update(to_update, [*PLAIN_FIELDS, "unit", "home_unit", "search_key"], batch_size=2000)
    _replace_extras([*to_create, *to_update], extras)
    StatusChange.objects.bulk_create(status_changes, batch_size=2000)
    log += [(officer, ChangeLog.Action.CREATE, None) for officer in to_create]
    record_changes_bulk(actor=actor, entries=log, message=_("Nhập từ tệp {f}").format(f=filename))
    result.created, result.updated = len(to_create), len(to_update)
    result.unchanged = len(plans) - result.created - result.updated
    result.rows.sort()
    return result


def _current_extras(pks: list[int]) -> dict[int, tuple[list, list]]:
    extras: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    for start in range(0, len(pks), 5000):
        chunk = pks[start : start + 5000]
        for officer_id, kind, grade in Speciality.objects.filter(officer_id__in=chunk).values_list(
            "officer_id", "kind", "grade"
        ):
            extras[officer_id][0].append((kind, grade))
        for officer_id, key, name in Language.objects.filter(officer_id__in=chunk).values_list(
            "officer_id", "key", "name"
        ):
            extras[officer_id][1].append((key, name))
    return {pk: (sorted(s), sorted(lang)) for pk, (s, lang) in extras.items()}


def _replace_extras(officers: list[Officer], extras: dict[str, tuple]) -> None:
    """Specialities and languages named in the file replace the officer's; an absent column keeps them."""
    spec_for = [o for o in officers if extras[o.service_number][0] is not None]
    lang_for = [o for o in officers if extras[o.service_number][1] is not None]
    for start in range(0, len(spec_for), 5000):
        Speciality.objects.filter(officer__in=spec_for[start : start + 5000]).delete()
    for start in range(0, len(lang_for), 5000):
        Language.objects.filter(officer__in=lang_for[start : start + 5000]).delete()
    Speciality.objects.bulk_create(
        [Speciality(officer=o, kind=k, grade=g) for o in spec_for for k, g in extras[o.service_number][0]],
        batch_size=5000,
    )
    Language.objects.bulk_create(
        [
            Language(officer=o, key=key, name=name, is_ethnic_minority=True)
            for o in lang_for
            for key, name in extras[o.service_number][1]
        ],
        batch_size=5000,
    )


def postings_import(**kwargs) -> ImportResult:
    """Each row is one decision, through the posting services (the same as the officer's page and
    the API): bổ nhiệm (posting_create), điều động (posting_transfer), kết thúc (posting_end). A row
    equal to a posting already recorded is "không đổi", so an export imports back unchanged."""
    from cax.deployment.services import open_posting, posting_create, posting_end, posting_transfer

    def write(values, officers, units, actor):
        officer, kind = officers[values["service_number"]], values["kind"] or "create"
        decision = {"decision_number": values["decision_number"] or "", "decision_date": values["decision_date"]}
        if kind == "end":
            posting = open_posting(officer)
            if posting is None and officer.postings.filter(end_date=values["end_date"]).exists():
                return "unchanged"  # this decision is already recorded
            if posting is None:
                raise DomainError(_("cán bộ không có quyết định bố trí đang mở để kết thúc"), fields={"end_date": []})
            if values["unit_code"] and values["unit_code"] != posting.unit.code:
                raise DomainError(
                    _("cán bộ đang được bố trí tại “{c}”, không phải “{u}”").format(
                        c=posting.unit.code, u=values["unit_code"]
                    ),
                    fields={"unit_code": []},
                )
            posting_end(
                actor=actor,
                posting=posting,
                end_date=values["end_date"],
                end_reason=values["end_reason"] or PostingEndReason.OTHER,
                note=values["reason"] or "",
                **decision,
            )
            return "update"
        unit = unit_for_date(units.get(values["unit_code"], []), values["start_date"])
        role = values["role"] or PostingRole.OFFICER
        if kind == "transfer":
            if Posting.objects.filter(officer=officer, unit=unit, role=role, start_date=values["start_date"]).exists():
                return "unchanged"
            posting_transfer(
                actor=actor,
                officer=officer,
                to_unit=unit,
                role=role,
                on=values["start_date"],
                reason=values["reason"] or "",
                **decision,
            )
            return "create"
        same = Posting.objects.filter(officer=officer, unit=unit, role=role, start_date=values["start_date"]).first()
        # The decision is already recorded; a blank end means "as recorded" (a later row may have ended it).
        if same is not None and values["end_date"] in (None, same.end_date):
            return "unchanged"
        posting_create(
            actor=actor,
            officer=officer,
            unit=unit,
            role=role,
            start_date=values["start_date"],
            end_date=values["end_date"],
            reason=values["reason"] or "",
            **decision,
        )
        return "create"

    def check(row, errors):
        values, kind = row.values, row.values["kind"] or "create"
        needed = ("end_date",) if kind == "end" else ("unit_code", "start_date")
        for key in needed:
            if not values[key]:
                errors.append(RowError(row.row, _label(POSTING_COLUMNS, key), _("bắt buộc với loại quyết định này")))

    def day(row):
        return row.values["end_date"] if (row.values["kind"] or "create") == "end" else row.values["start_date"]

    # Oldest first: a file with an officer's whole history applies in order.
    return _row_by_row(POSTING_COLUMNS, write, order=lambda r: (day(r) or dt.date.min, r.row), check=check, **kwargs)


def _row_by_row(columns, write, *, actor, filename, content, dry_run, order=None, check=None) -> ImportResult:
    """Checks officer and unit codes up front, then calls ``write(values, officers, units, actor)``
    per row (in ``order``) inside one transaction; any refused row rejects the whole file.
    ``units`` maps a code to every unit that had it (today's and the closed ones), for the write to
    pick the one valid on the row's date."""
    _check_actor(actor)
    parsed = parse_table(filename, content, columns)
    errors = list(parsed.errors)
    keys = {c.key for c in columns}
    numbers = {r.values.get(k): r.row for r in parsed.rows for k in ("service_number", "secretary") if r.values.get(k)}
    officers = _existing(numbers)
    codes = {r.values["unit_code"] for r in parsed.rows if r.values.get("unit_code")}
    units: dict[str, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(code__in=codes).select_related("unit_type", "parent"):
        units[unit.code].append(unit)
    for row in parsed.rows:
        if check is not None:
            check(row, errors)
        for key in ("service_number", "secretary"):
            if key in keys and row.values[key] and row.values[key] not in officers:
                errors.append(
                    RowError(
                        row.row, _label(columns, key), _("không có cán bộ số hiệu “{n}”").format(n=row.values[key])
                    )
                )
        if row.values["unit_code"] and row.values["unit_code"] not in units:
            errors.append(
                RowError(
                    row.row,
                    _label(columns, "unit_code"),
                    _("không có đơn vị mã “{c}”").format(c=row.values["unit_code"]),
                )
            )
    if errors:
        raise ImportRejected(errors)
    result = ImportResult(dry_run=dry_run, ignored_headers=parsed.ignored_headers)
    with transaction.atomic():
        for row in sorted(parsed.rows, key=order) if order else parsed.rows:
            try:
                with transaction.atomic():
                    action = write(row.values, officers, units, actor)
                counter = {"create": "created", "update": "updated"}.get(action, "unchanged")
                setattr(result, counter, getattr(result, counter) + 1)
                result.rows.append((row.row, row.values.get("service_number") or row.values["unit_code"], action))
            except DomainError as exc:
                errors.append(RowError(row.row, _error_column(columns, exc), exc.message))
        if errors:
            raise ImportRejected(errors)
        if dry_run:
            transaction.set_rollback(True)
    result.rows.sort()
    return result


def _error_column(columns, exc: DomainError) -> str:
    """The column a refusal is about: the first field the service named that the file has."""
    aliases = {"unit": "unit_code", "officer": "service_number", "on": "start_date", "to_unit": "unit_code"}
    keys = {c.key for c in columns}
    for name in exc.fields:
        key = aliases.get(name, name)
        if key in keys:
            return _label(columns, key)
    return _label(columns, "unit_code")


def party_cells_import(**kwargs) -> ImportResult:
    from cax.deployment.services import party_cell_record

    def write(values, officers, units, actor):
        return party_cell_record(
            actor=actor,
            unit=unit_for_date(units[values["unit_code"]], values["founded_on"]),
            founded_on=values["founded_on"],
            secretary=officers.get(values["secretary"]),
            dissolved_on=values["dissolved_on"],
        )[1]

    return _row_by_row(PARTY_CELL_COLUMNS, write, **kwargs)


def committee_seats_import(**kwargs) -> ImportResult:
    from cax.deployment.services import committee_seat_record

    def write(values, officers, units, actor):
        return committee_seat_record(
            actor=actor,
            officer=officers[values["service_number"]],
            unit=unit_for_date(units[values["unit_code"]], values["start_date"]),
            committee=values["committee"],
            start_date=values["start_date"],
            end_date=values["end_date"],
        )[1]

    return _row_by_row(SEAT_COLUMNS, write, **kwargs)


IMPORTERS = {
    "officers": officers_import,
    "postings": postings_import,
    "party_cells": party_cells_import,
    "committee_seats": committee_seats_import,
}
