"""Imports of deployment's records from XLSX/CSV with Vietnamese headers (#4; moved from personnel
in issue 15.2): postings (quyết định bố trí: Bổ nhiệm / Điều động / Kết thúc), party cells (chi bộ)
and committee seats (cấp ủy viên).

Each goes through deployment's own services row by row, inside one transaction, so the overlap and
single-chief rules are the services' own; any refused row rejects the whole file. The officer import
page (/officers/import/) and ``./cax import postings|party_cells|committee_seats`` offer them through
``core.registry`` (deployment.apps).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.exceptions import DomainError
from cax.core.imports import (
    CellError,
    Column,
    ImportRejected,
    ImportResult,
    RowError,
    parse_choice,
    parse_date,
    parse_table,
    parse_text,
)
from cax.core.records.register import rows_for
from cax.deployment import levels, policy
from cax.deployment.models import Committee, Posting, PostingEndReason, PostingRole
from cax.deployment.services import (
    committee_seat_record,
    open_posting,
    party_cell_record,
    posting_create,
    posting_end,
    posting_transfer,
)
from cax.deployment.titles import normalize_role
from cax.personnel.imports import officers_by_number
from cax.personnel.models import Officer
from cax.units.kinds import unit_for_date
from cax.units.models import Unit


def _parse_role(value: Any) -> str:
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


def _label(columns, key: str):
    return next(c.label for c in columns if c.key == key)


def postings_import(**kwargs) -> ImportResult:
    """Each row is one decision, through the posting services (the same as the officer's page and
    the API): bổ nhiệm (posting_create), điều động (posting_transfer), kết thúc (posting_end). A row
    equal to a posting already recorded is "không đổi", so an export imports back unchanged."""
    # Oldest first: a file with an officer's whole history applies in order.
    return _row_by_row(
        POSTING_COLUMNS, _write_posting, order=lambda r: (_day(r) or dt.date.min, r.row), check=_check_posting, **kwargs
    )


def _kind(values) -> str:
    return values["kind"] or "create"


def _day(row):
    return row.values["end_date"] if _kind(row.values) == "end" else row.values["start_date"]


def _check_posting(row, errors) -> None:
    needed = ("end_date",) if _kind(row.values) == "end" else ("unit_code", "start_date")
    for key in needed:
        if not row.values[key]:
            errors.append(RowError(row.row, _label(POSTING_COLUMNS, key), _("bắt buộc với loại quyết định này")))


def _write_posting(values, officers, units, actor) -> str:
    officer, kind = officers[values["service_number"]], _kind(values)
    decision = {"decision_number": values["decision_number"] or "", "decision_date": values["decision_date"]}
    if kind == "end":
        return _end_posting(values, officer, actor, decision)
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


def _end_posting(values, officer, actor, decision: dict) -> str:
    """A "Kết thúc" row: ends the officer's open posting (in the unit the row names, if it names one)."""
    posting = open_posting(officer)
    if posting is None and officer.postings.filter(end_date=values["end_date"]).exists():
        return "unchanged"  # this decision is already recorded
    if posting is None:
        raise DomainError(_("cán bộ không có quyết định bố trí đang mở để kết thúc"), fields={"end_date": []})
    if values["unit_code"] and values["unit_code"] != posting.unit.code:
        raise DomainError(
            _("cán bộ đang được bố trí tại “{c}”, không phải “{u}”").format(c=posting.unit.code, u=values["unit_code"]),
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


def _row_by_row(columns, write, *, actor, filename, content, dry_run, order=None, check=None) -> ImportResult:
    """Checks officer and unit codes up front (among those the actor sees: one outside the scope is
    answered as an unknown code, #16.7), then calls ``write(values, officers, units, actor)``
    per row (in ``order``) inside one transaction; any refused row rejects the whole file.
    ``units`` maps a code to every unit that had it (today's and the closed ones), for the write to
    pick the one valid on the row's date."""
    policy.require_poster(actor)
    parsed = parse_table(filename, content, columns)
    errors = list(parsed.errors)
    keys = {c.key for c in columns}
    numbers = {r.values.get(k): r.row for r in parsed.rows for k in ("service_number", "secretary") if r.values.get(k)}
    officers = officers_by_number(list(numbers), rows_for(Officer, actor))
    codes = {r.values["unit_code"] for r in parsed.rows if r.values.get("unit_code")}
    units: dict[str, list[Unit]] = defaultdict(list)
    for unit in rows_for(Unit, actor).filter(code__in=codes).select_related("unit_type", "parent"):
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
    # One rebuild of each commune's staffing levels after the whole file, not one per row.
    with transaction.atomic(), levels.batch():
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
