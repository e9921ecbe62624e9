"""The officer import from XLSX/CSV with Vietnamese headers (#4).

Officers upsert by service number in bulk (120,000 rows must take under a minute): every row is
checked first, and if any row is wrong nothing is written. Postings, party cells and committee
seats are deployment's records and import there (``cax.deployment.imports``, issue 15.2).
"""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import bulk, search
from cax.core.changelog import record_changes_bulk, snapshot
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
from cax.personnel import policy
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
from cax.personnel.signals import officers_changed
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
    Column(
        "specialities",
        gettext_lazy("Chuyên môn"),
        (),
        False,
        lambda value: split_specialities(value),
        "Điều tra viên: Sơ cấp; Pháp luật",
    ),
    Column(
        "languages",
        gettext_lazy("Tiếng dân tộc, ngoại ngữ"),
        ("ngon ngu", "languages", "ngôn ngữ"),
        False,
        parse_code_list,
        "Xơ Đăng",
    ),
]


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


# Built once: a parser builds its lookup table on first use, in every UI language.
_parse_speciality_kind = parse_choice(SpecialityKind.choices)
_parse_investigator_grade = parse_choice(InvestigatorGrade.choices)


def _speciality(text: str) -> tuple[str, str]:
    """ "Điều tra viên: Trung cấp" → ("investigator", "intermediate"); CellError if either part is unknown."""
    kind_text, _sep, grade_text = text.partition(":")
    kind = _parse_speciality_kind(kind_text)
    return kind, _parse_investigator_grade(grade_text) if grade_text.strip() else ""


def split_specialities(value: Any) -> list[str]:
    """Entries separated by ";" (as exported) or "," (as typed); an entry whose label itself has
    commas ("Phòng cháy, chữa cháy và cứu nạn, cứu hộ") stays whole."""
    parts: list[str] = []
    for chunk in (c.strip() for c in str(value).split(";")):
        try:
            _speciality(chunk)
        except CellError:
            parts += [p.strip() for p in chunk.split(",") if p.strip()]
        else:
            parts.append(chunk)
    return parts


def _specialities(cells: list[str] | None, row: int, errors: list[RowError]) -> list[tuple[str, str]] | None:
    """ "Điều tra viên: Trung cấp; Pháp luật" → [("investigator", "intermediate"), ("legal", "")]."""
    if cells is None:
        return None
    result = []
    for cell in cells:
        try:
            entry = _speciality(cell)
        except CellError as exc:
            errors.append(RowError(row, _label(OFFICER_COLUMNS, "specialities"), str(exc)))
            continue
        if any(kind == entry[0] for kind, _grade in result):  # one row per kind (the database says so too)
            errors.append(RowError(row, _label(OFFICER_COLUMNS, "specialities"), _("Cán bộ đã có chuyên môn này.")))
            continue
        result.append(entry)
    return result


def _check_actor(actor) -> None:
    policy.require_keeper(actor)


def officers_import(*, actor: Any, filename: str, content: bytes, dry_run: bool) -> ImportResult:
    _check_actor(actor)
    with bulk.collector_paused():
        return _import(actor, filename, content, dry_run)


def _import(actor, filename: str, content: bytes, dry_run: bool) -> ImportResult:
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
        _check_units(row.row, values, units, actor, errors)
        plans.append((row.row, values, _specialities(values["specialities"], row.row, errors)))
    existing = officers_by_number(seen)
    _check_open_postings(plans, existing, errors)
    age_rules, today = AgeRules(), timezone.localdate()
    for row, values, _spec in plans:
        officer = existing.get(values["service_number"])
        _check_plausible(row, values, officer, age_rules, today, errors)
        _check_party_and_scope(row, values, officer, actor, errors)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        result = _apply_officers(actor, plans, existing, units, filename)
        if dry_run:
            transaction.set_rollback(True)
    result.dry_run, result.ignored_headers = dry_run, parsed.ignored_headers
    return result


def _check_units(row: int, values: dict, units: dict[str, Unit], actor, errors: list[RowError]) -> None:
    """The unit codes exist; the officer's unit lies in the importer's scope, and one outside it is
    answered exactly as a code that does not exist (issue 16.7). The family's home may be anywhere."""
    for key in ("unit_code", "home_unit_code"):
        code = values[key]
        outside = key == "unit_code" and code in units and actor is not None
        if code and (code not in units or (outside and not is_within_scope(actor, units[code].path))):
            errors.append(RowError(row, _label(OFFICER_COLUMNS, key), _("không có đơn vị mã “{c}”").format(c=code)))


def _check_party_and_scope(row: int, values: dict, officer: Officer | None, actor, errors: list[RowError]) -> None:
    """A party date needs membership, judged on the merged record (a blank cell keeps the officer's
    value, a new officer's default); an existing officer lies in the importer's scope."""
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


def _check_plausible(row: int, values: dict, officer: Officer | None, rules: AgeRules, today, errors) -> None:
    """The record's dates as they will be after this row (a blank cell keeps the stored value)."""
    merged = SimpleNamespace(
        **{
            key: values[key]
            if values[key] is not None
            else (getattr(officer, key) if officer is not None else DEFAULTS.get(key))
            for key in ("date_of_birth", "service_start", "party_joined_on", "status")
        }
    )
    for field, messages in officer_record_problems(merged, rules, today).items():
        errors.extend(RowError(row, _label(OFFICER_COLUMNS, field), message) for message in messages)


def _check_open_postings(plans, existing: dict[str, Officer], errors: list[RowError]) -> None:
    """An officer with an open posting belongs to that commune: the roster may not move them;
    a transfer is a posting decision (import postings, or the posting services)."""
    ids = [o.pk for o in existing.values()]
    open_unit: dict[int, str] = {}
    for start in range(0, len(ids), 5000):
        # Through the officers' postings (deployment's rows, read by relation: personnel imports no app above it).
        open_unit.update(
            Officer.objects.filter(pk__in=ids[start : start + 5000], postings__end_date__isnull=True).values_list(
                "pk", "postings__unit__code"
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


def officers_by_number(numbers, officers=None) -> dict[str, Officer]:
    """The officers a file names by service number, among ``officers``, in a few queries for any file.

    A file that names officers (a posting, a party cell's secretary) passes the ones its actor sees,
    so an officer outside the scope is answered exactly as a number that does not exist (issue 16.7).
    The officer import passes none (every officer): it upserts by number, and a number already taken
    outside the scope must be refused, not created a second time."""
    found: dict[str, Officer] = {}
    officers = Officer.objects.all() if officers is None else officers
    for part in bulk.filtered_in(officers.select_related("unit"), "service_number", numbers):
        for officer in part:
            found[officer.service_number] = officer
    return found


def _apply_officers(actor, plans, existing: dict[str, Officer], units: dict[str, Unit], filename: str) -> ImportResult:
    result = ImportResult()
    to_create, to_update, log, status_changes, regrouped = [], [], [], [], []
    today = timezone.localdate()
    extras: dict[str, tuple] = {}
    current_extras = _current_extras([o.pk for o in existing.values()])
    for row, values, specialities in plans:
        number = values["service_number"]
        officer = existing.get(number)
        fields, wanted_extras = _officer_fields(values, units, specialities)
        if officer is None:
            key = search_key(f"{fields['full_name']} {number}")
            officer = bulk.new(Officer, {**fields, "service_number": number, "search_key": key})
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
        # Only a list that differs is replaced: an officer updated for another cell keeps their rows.
        changed_extras = tuple(
            w if w is not None and w != o else None for w, o in zip(wanted_extras, old_extras, strict=True)
        )
        if officer.status != before["status"]:
            status_changes.append(_status_change(officer, before["status"], today, filename))
        if officer.sex != before["sex"] or changed_extras != (None, None):
            regrouped.append(officer.pk)  # figures derived from officers may move (officers_changed)
        if snapshot(officer) != before or changed_extras != (None, None):
            to_update.append(officer)
            extras[number] = changed_extras
            log.append((officer, ChangeLog.Action.UPDATE, before))
            result.rows.append((row, number, "update"))
        else:
            result.rows.append((row, number, "unchanged"))
    bulk.insert(to_create)
    Officer.objects.bulk_update(to_update, [*PLAIN_FIELDS, "unit", "home_unit", "search_key"], batch_size=2000)
    _replace_extras([*to_create, *to_update], extras, stored=to_update)
    officers_changed.send(sender=Officer, officer_ids=regrouped)
    search.index_bulk(to_create, created=True)  # the one search (bulk writes send no signal)
    search.index_bulk(to_update)
    bulk.insert(status_changes)
    log += [(officer, ChangeLog.Action.CREATE, None) for officer in to_create]
    record_changes_bulk(actor=actor, entries=log, message=_("Nhập từ tệp {f}").format(f=filename))
    result.created, result.updated = len(to_create), len(to_update)
    result.unchanged = len(plans) - result.created - result.updated
    result.rows.sort()
    return result


def _officer_fields(values: dict, units: dict[str, Unit], specialities) -> tuple[dict, tuple]:
    """A row's plain fields and units (blank cells: the defaults), and its wanted specialities and
    languages (None: the file lacks the column, the officer keeps theirs)."""
    fields = {k: values[k] if values[k] is not None else DEFAULTS.get(k) for k in PLAIN_FIELDS}
    fields["unit"] = units[values["unit_code"]]
    fields["home_unit"] = units.get(values["home_unit_code"]) if values["home_unit_code"] else None
    languages = None if values["languages"] is None else sorted({search_key(n): n for n in values["languages"]}.items())
    return fields, (None if specialities is None else sorted(specialities), languages)


def _status_change(officer: Officer, previous: str, today, filename: str) -> StatusChange:
    """The status history row of a status a file changed (#4: history is appended)."""
    return bulk.new(
        StatusChange,
        {
            "officer": officer,
            "status": officer.status,
            "previous_status": previous,
            "effective_from": today,
            "reason": _("Nhập từ tệp {f}").format(f=filename),
        },
    )


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


def _replace_extras(officers: list[Officer], extras: dict[str, tuple], stored: list[Officer]) -> None:
    """Specialities and languages named in the file replace the officer's; an absent column keeps
    them. Only the ``stored`` officers (not those just created) can have rows to replace."""
    spec_for = [o for o in officers if extras[o.service_number][0] is not None]
    lang_for = [o for o in officers if extras[o.service_number][1] is not None]
    spec_ids = [o.pk for o in stored if extras[o.service_number][0] is not None]
    lang_ids = [o.pk for o in stored if extras[o.service_number][1] is not None]
    # A language kept in the new list keeps its flag (a foreign language stays foreign).
    ethnic = {}
    for part in bulk.filtered_in(Language.objects.all(), "officer_id", lang_ids):
        ethnic.update({(o, key): flag for o, key, flag in part.values_list("officer_id", "key", "is_ethnic_minority")})
    for part in bulk.filtered_in(Speciality.objects.all(), "officer_id", spec_ids):
        part.delete()
    for part in bulk.filtered_in(Language.objects.all(), "officer_id", lang_ids):
        part.delete()
    bulk.insert(
        [
            bulk.new(Speciality, {"officer": o, "kind": k, "grade": g})
            for o in spec_for
            for k, g in extras[o.service_number][0]
        ]
    )
    bulk.insert(
        [
            bulk.new(
                Language,
                {"officer": o, "key": key, "name": name, "is_ethnic_minority": ethnic.get((o.pk, key), True)},
            )
            for o in lang_for
            for key, name in extras[o.service_number][1]
        ]
    )
