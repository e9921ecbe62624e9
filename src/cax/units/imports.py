"""Unit tree import from XLSX/CSV (#3): all-or-nothing, every error by row and column.

A dry run executes the very same writes inside a transaction that is rolled back, so its preview
is exactly what a real run would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.exceptions import DomainError
from cax.core.imports import (
    Column,
    ImportRejected,
    RowError,
    parse_bool,
    parse_code_list,
    parse_date,
    parse_decimal,
    parse_int,
    parse_table,
    parse_text,
)
from cax.core.scoping import is_under
from cax.core.text import search_key, vn_date
from cax.units.models import Unit, UnitType
from cax.units.services import unit_create, unit_set_successors, unit_update

COLUMNS = [
    Column("code", gettext_lazy("Mã"), ("code", "ma don vi"), True, parse_text(32), "23296"),
    Column("name", gettext_lazy("Tên"), ("name", "ten don vi"), True, parse_text(200), "Xã Đắk Hà"),
    Column("type", gettext_lazy("Loại"), ("type", "loai don vi"), True, parse_text(100), "xa"),
    Column(
        "parent_code",
        gettext_lazy("Mã đơn vị cấp trên"),
        ("parent", "parent_code", "ma cap tren"),
        False,
        parse_text(32),
        "51",
    ),
    Column("valid_from", gettext_lazy("Hiệu lực từ"), ("valid_from",), False, parse_date, "01/07/2025"),
    Column("valid_to", gettext_lazy("Hiệu lực đến"), ("valid_to",), False, parse_date, ""),
    Column("is_border", gettext_lazy("Biên giới"), ("is_border", "border"), False, parse_bool, "Không"),
    Column(
        "is_ethnic_minority",
        gettext_lazy("Vùng dân tộc thiểu số"),
        ("is_ethnic_minority", "dtts"),
        False,
        parse_bool,
        "Có",
    ),
    Column("is_remote", gettext_lazy("Vùng sâu, vùng xa"), ("is_remote", "remote"), False, parse_bool, "Có"),
    Column("is_key_security", gettext_lazy("Trọng điểm ANTT"), ("is_key_security",), False, parse_bool, "Không"),
    Column("population", gettext_lazy("Dân số"), ("population",), False, parse_int(0, 100_000_000), 12500),
    Column("latitude", gettext_lazy("Vĩ độ"), ("latitude", "lat"), False, parse_decimal(-90, 90), Decimal("14.4")),
    Column(
        "longitude",
        gettext_lazy("Kinh độ"),
        ("longitude", "lon", "lng"),
        False,
        parse_decimal(-180, 180),
        Decimal("107.9"),
    ),
    Column(
        "local_languages",
        gettext_lazy("Tiếng dân tộc tại địa bàn"),
        ("local_languages", "tieng dan toc"),
        False,
        parse_code_list,
        "Xơ Đăng; Ba Na",
    ),
    Column(
        "successor_codes",
        gettext_lazy("Mã đơn vị kế thừa"),
        ("successors", "successor_codes", "ke thua"),
        False,
        parse_code_list,
        "",
    ),
]
ATTRIBUTES = (
    "valid_from",
    "valid_to",
    "is_border",
    "is_ethnic_minority",
    "is_remote",
    "is_key_security",
    "population",
    "local_languages",
    "latitude",
    "longitude",
)
# Lazy, like the parse errors' labels: a cross-row error must read in the language of whoever views it.
_LABEL = {c.key: c.label for c in COLUMNS}


@dataclass
class RowOutcome:
    row: int
    code: str
    name: str
    action: str  # "create" | "update" | "unchanged"
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    outcomes: list[RowOutcome]
    ignored_headers: list[str]
    dry_run: bool

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


@dataclass
class _Row:
    row: int
    values: dict[str, Any]
    unit_type: UnitType | None = None
    existing: Unit | None = None
    parent_row: _Row | None = None
    parent_unit: Unit | None = None
    successor_rows: list[_Row] = field(default_factory=list)
    successor_units: list[Unit] = field(default_factory=list)
    depth: int = 0


def units_import(*, actor: Any, filename: str, content: bytes, dry_run: bool) -> ImportResult:
    """Validate the whole file, then apply it in one transaction (rolled back on a dry run)."""
    parsed = parse_table(filename, content, COLUMNS)
    rows = [_Row(r.row, r.values) for r in parsed.rows]
    errors = list(parsed.errors)
    if not rows:
        raise DomainError(_("Tệp không có dòng dữ liệu nào."))
    _resolve(actor, rows, errors)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        outcomes = _apply(actor, rows, filename, ends_given="valid_to" in parsed.present)
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(outcomes=outcomes, ignored_headers=parsed.ignored_headers, dry_run=dry_run)


def _resolve(actor: Any, rows: list[_Row], errors: list[RowError]) -> None:
    types = {}
    for unit_type in UnitType.objects.all():
        types[search_key(unit_type.code)] = unit_type
        types[search_key(str(unit_type.name))] = unit_type
    by_code: dict[str, _Row] = {}
    for row in rows:
        code, type_name = row.values["code"], row.values["type"]
        if code and code in by_code:
            errors.append(
                RowError(row.row, _LABEL["code"], _("mã “{c}” trùng với dòng {r}").format(c=code, r=by_code[code].row))
            )
        elif code:
            by_code[code] = row
        if type_name:
            row.unit_type = types.get(search_key(type_name))
            if row.unit_type is None:
                errors.append(
                    RowError(row.row, _LABEL["type"], _("loại đơn vị “{t}” không tồn tại").format(t=type_name))
                )
        start, end = row.values["valid_from"], row.values["valid_to"]
        if start and end and end < start:
            errors.append(RowError(row.row, _LABEL["valid_to"], _("phải sau ngày hiệu lực từ")))
    _match_existing(actor, rows, errors)
    _resolve_parents(actor, rows, by_code, errors)
    _resolve_successors(rows, by_code, errors)
    _check_cycles(rows, errors)


def _db_units_by_code(codes: set[str]) -> dict[str, list[Unit]]:
    found: dict[str, list[Unit]] = {}
    for unit in Unit.objects.filter(code__in=codes).select_related("unit_type"):
        found.setdefault(unit.code, []).append(unit)
    return found


def _overlaps(unit: Unit, start, end) -> bool:
    """Whether the unit's validity shares a day with [start, end] (None = unbounded)."""
    return (unit.valid_from is None or end is None or unit.valid_from <= end) and (
        unit.valid_to is None or start is None or unit.valid_to >= start
    )


def _candidate(row: _Row, units: list[Unit]) -> tuple[Unit | None, list[Unit]]:
    """The unit a row is about: the one with its code whose validity overlaps the row's (#14).

    A code names one unit at any date, so re-importing a unit's row with an end date closes that
    unit instead of creating a second one. Among several overlapping units (a code an open unit
    reuses), the one with the same dates wins, then the open one for a row that closes it.
    Returns (the match or None, the overlapping units when they are too many to choose from).
    """
    start, end = row.values["valid_from"], row.values["valid_to"]
    overlapping = [u for u in units if _overlaps(u, start, end)]
    exact = [u for u in overlapping if u.valid_to == end and (start is None or u.valid_from == start)]
    closing = [u for u in overlapping if u.valid_to is None and end is not None]
    for found in (exact, overlapping, closing):
        if len(found) == 1:
            return found[0], []
    return None, overlapping


def _match_existing(actor: Any, rows: list[_Row], errors: list[RowError]) -> None:
    """A row updates (or closes) the unit with the same code and overlapping validity; it creates a
    unit only when no unit with that code existed during the row's validity."""
    existing = _db_units_by_code({r.values["code"] for r in rows if r.values["code"]})
    changeable = (
        set(Unit.objects.visible_to(actor, "change").filter(code__in=existing).values_list("pk", flat=True))
        if actor is not None
        else None
    )
    for row in rows:
        row.existing, ambiguous = _candidate(row, existing.get(row.values["code"], []))
        matched = [*ambiguous, *([row.existing] if row.existing else [])]
        if changeable is not None and any(u.pk not in changeable for u in matched):
            # Units outside the actor's subtree are never named (issue 16.7): the code is refused as
            # one the actor may not change, whatever else the row says.
            errors.append(
                RowError(
                    row.row,
                    _LABEL["code"],
                    _("đơn vị “{c}” nằm ngoài phạm vi bạn được sửa").format(c=row.values["code"]),
                )
            )
            continue
        if ambiguous:
            errors.append(
                RowError(
                    row.row,
                    _LABEL["code"],
                    _(
                        "mã “{c}” ứng với {n} đơn vị trong thời gian hiệu lực của dòng ({u}); ghi rõ “{f}” và “{t}”"
                    ).format(
                        c=row.values["code"],
                        n=len(ambiguous),
                        u="; ".join(_validity_label(u) for u in ambiguous),
                        f=_LABEL["valid_from"],
                        t=_LABEL["valid_to"],
                    ),
                )
            )


def _validity_label(unit: Unit) -> str:
    start = vn_date(unit.valid_from) if unit.valid_from else "…"
    return f"{unit.name} {start} → {vn_date(unit.valid_to) if unit.valid_to else _('nay')}"


def _resolve_parents(actor: Any, rows: list[_Row], by_code: dict[str, _Row], errors: list[RowError]) -> None:
    outside = {c for r in rows if (c := r.values["parent_code"]) and c not in by_code}
    db_parents = _db_units_by_code(outside)
    changeable = (
        set(Unit.objects.visible_to(actor, "change").filter(code__in=outside).values_list("pk", flat=True))
        if actor is not None
        else None
    )
    for row in rows:
        parent_code = row.values["parent_code"]
        if not parent_code:
            if row.unit_type is not None and row.unit_type.code != "ministry":
                errors.append(RowError(row.row, _LABEL["parent_code"], _("thiếu giá trị bắt buộc")))
            continue
        if parent_code in by_code:
            row.parent_row = by_code[parent_code]
            continue
        # A code an open unit reuses: the parent is the unit of that code that existed with the row.
        start, end = row.values["valid_from"], row.values["valid_to"]
        candidates = sorted(
            db_parents.get(parent_code, []),
            key=lambda u: (not _overlaps(u, start, end), u.valid_to is not None, u.valid_to),
        )
        if not candidates:
            errors.append(
                RowError(
                    row.row,
                    _LABEL["parent_code"],
                    _("không có đơn vị cấp trên mã “{c}” trong phạm vi của bạn").format(c=parent_code),
                )
            )
        elif (
            changeable is not None
            and candidates[0].pk not in changeable
            and not (row.existing is not None and row.existing.parent_id == candidates[0].pk)
        ):
            # A parent outside the actor's subtree is refused, unless it is the unit's own parent
            # already: a province's export names the ministry as its parent and must import back.
            errors.append(
                RowError(
                    row.row,
                    _LABEL["parent_code"],
                    _("không có đơn vị cấp trên mã “{c}” trong phạm vi của bạn").format(c=parent_code),
                )
            )
        else:
            row.parent_unit = candidates[0]


def _resolve_successors(rows: list[_Row], by_code: dict[str, _Row], errors: list[RowError]) -> None:
    """Successors (a merged unit's heirs) are units of the file or open units of the database."""
    wanted = {code for r in rows for code in (r.values["successor_codes"] or []) if code not in by_code}
    open_units = {u.code: u for u in Unit.objects.current().filter(code__in=wanted)}
    for row in rows:
        for code in row.values["successor_codes"] or []:
            if code == row.values["code"]:
                errors.append(RowError(row.row, _LABEL["successor_codes"], _("một đơn vị không thể kế thừa chính nó")))
            elif code in by_code:
                row.successor_rows.append(by_code[code])
            elif code in open_units:
                row.successor_units.append(open_units[code])
            else:
                errors.append(
                    RowError(row.row, _LABEL["successor_codes"], _("không có đơn vị kế thừa mã “{c}”").format(c=code))
                )


def _check_cycles(rows: list[_Row], errors: list[RowError]) -> None:
    """Parent chains inside the file must end in the database or at a root, and never loop back."""
    for row in rows:
        seen: list[_Row] = []
        current: _Row | None = row
        while current is not None and current not in seen:
            seen.append(current)
            current = current.parent_row
        if current is not None:
            errors.append(
                RowError(
                    row.row,
                    _LABEL["parent_code"],
                    _("tạo thành vòng lặp: {chain}").format(
                        chain=" → ".join(r.values["code"] for r in [*seen, current])
                    ),
                )
            )
            continue
        row.depth = len(seen)
        top = seen[-1].parent_unit
        moved = [r.existing for r in seen if r.existing is not None]
        if top is not None and any(is_under(top, unit) for unit in moved):
            errors.append(
                RowError(
                    row.row,
                    _LABEL["parent_code"],
                    _("tạo thành vòng lặp: đơn vị cấp trên “{c}” đang là cấp dưới của đơn vị này").format(c=top.code),
                )
            )


def _apply(actor: Any, rows: list[_Row], filename: str, ends_given: bool) -> list[RowOutcome]:
    message = _("Nhập từ tệp {f}").format(f=filename)
    created: dict[int, Unit] = {}
    outcomes = []
    errors: list[RowError] = []
    for row in sorted(rows, key=lambda r: r.depth):  # parents before children
        values = row.values
        parent = created.get(id(row.parent_row)) or (row.parent_row.existing if row.parent_row else row.parent_unit)
        # An empty cell or absent column leaves the attribute as it is (new units get the model default),
        # so a file of codes and names never wipes flags set earlier. An empty end date in a file that
        # has the column means "still open": re-importing a closed unit's row without one reopens it.
        attrs = {k: values[k] for k in ATTRIBUTES if values[k] is not None or (k == "valid_to" and ends_given)}
        try:
            if row.existing is None:
                created[id(row)] = unit_create(
                    actor=actor,
                    code=values["code"],
                    name=values["name"],
                    unit_type=row.unit_type,
                    parent=parent,
                    message=message,
                    **attrs,
                )
                outcomes.append(RowOutcome(row.row, values["code"], values["name"], "create"))
            else:
                outcomes.append(_update(actor, row, parent, attrs, message))
        except DomainError as exc:
            errors.append(RowError(row.row, _LABEL["code"], exc.message))
    if errors:
        raise ImportRejected(errors)
    _link_successors(actor, rows, created, outcomes, message)
    return sorted(outcomes, key=lambda o: o.row)


def _link_successors(actor: Any, rows: list[_Row], created: dict[int, Unit], outcomes, message: str) -> None:
    """After every unit exists: a successor may be a row further down the same file."""
    by_row = {o.row: o for o in outcomes}
    for row in rows:
        if row.values["successor_codes"] is None:
            continue
        unit = created.get(id(row)) or row.existing
        heirs = [created.get(id(r)) or r.existing for r in row.successor_rows] + row.successor_units
        if unit_set_successors(actor=actor, unit=unit, successors=heirs, message=message):
            outcome = by_row[row.row]
            outcome.changes.append(_LABEL["successor_codes"])
            if outcome.action == "unchanged":
                outcome.action = "update"


def _update(actor: Any, row: _Row, parent: Unit | None, attrs: dict[str, Any], message: str) -> RowOutcome:
    unit, values = row.existing, row.values
    wanted = {"name": values["name"], "unit_type": row.unit_type, "parent": parent, **attrs}
    changes = {k: v for k, v in wanted.items() if getattr(unit, k) != v}
    if changes:
        unit_update(actor=actor, unit=unit, message=message, **changes)
    action = "update" if changes else "unchanged"
    return RowOutcome(row.row, values["code"], values["name"], action, [_label_of(k) for k in changes])


def _label_of(key: str) -> str:
    if key in _LABEL:
        return _LABEL[key]
    return {"name": _LABEL["name"], "unit_type": _LABEL["type"], "parent": _LABEL["parent_code"]}.get(key, key)
