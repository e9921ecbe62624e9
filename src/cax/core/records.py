"""Registers: one description of a kind of record gives its list, detail, edit, import, export and API.

NetBox's generic views, for CAX (#8). A domain app describes each record kind once, as a
``Register``: its model, its fields (label, how to show the value, how to parse it from a cell or an
API body), filters, the edit form and the service that saves it. Every register then gets, with no
code of its own:

- a list page with a search box that ignores diacritics, filters, the unit subtree filter,
  pagination and Excel export, in a constant number of queries;
- a detail page with the object's change history (for users who may read the change log);
- create and edit pages that call the app's service, so a rule lives in one place;
- an Excel/CSV import (upload → preview → confirm) that is all or nothing, every bad row reported
  by row number and column, each row saved through the same service as the form; the list's own
  Excel export imports back (its key column ``Mã hồ sơ`` names each row's record, and a row equal
  to the stored record is counted "không đổi" and not written);
- REST endpoints (list, detail, create, update) that accept the same values as the Excel columns.

Business rules stay in each app's ``services.py``: the register only points at the save function,
whose contract is ``save(*, actor, instance, data) -> obj`` raising DomainError (with ``fields``
keyed by model field names) when a rule refuses the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core import import_flow
from cax.core.changelog import record_change, same_data, snapshot
from cax.core.exceptions import DomainError, NotVisible, PermissionDenied, refuse_if_any
from cax.core.exports import xlsx_response
from cax.core.idempotency import submit_once
from cax.core.imports import (
    CellError,
    Column,
    ImportRejected,
    ImportResult,
    RowError,
    parse_code_list,
    parse_int,
    parse_table,
    parse_text,
)
from cax.core.listing import paginate, query_without_page, wants_excel
from cax.core.scoping import is_within_scope, require_write, subtree_q
from cax.core.text import matching_words, search_key


class RecordModel(models.Model):
    """What every register's model has: a unit that scopes it, a search key, timestamps.

    ``scope_unit_field`` names the field that decides the owning unit (``"unit"`` by default); a
    row owned through another row (a team member through its team) names that FK and overrides
    ``scope_unit`` (``return self.team.unit``) and ``scope_path_lookup`` (``"team__unit__path"``).
    The change log and the write check use ``scope_unit``.
    """

    search_key = models.CharField(_("khoá tìm kiếm"), max_length=500, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(gettext_lazy("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("cập nhật lúc"), auto_now=True)

    scope_unit_field = "unit"
    scope_path_lookup = "unit__path"
    # Dates of the real event a row records (issue 14): each must fall inside the owning unit's
    # validity, so a commune merged away in 2025 keeps its earlier events and refuses later ones.
    event_date_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def scope_unit(self):
        return getattr(self, self.scope_unit_field)

    def changelog_unit_path(self) -> str:
        unit = self.scope_unit
        return unit.path if unit is not None else ""

    def search_text(self) -> str:
        """The words the list's search box finds this row by."""
        return str(self)


# -- fields, filters, the register ----------------------------------------------------------------


def _display(obj: Any, key: str) -> Any:
    getter = getattr(obj, f"get_{key}_display", None)
    if getter is not None:
        return getter()
    value = obj
    for part in key.split("__"):
        value = getattr(value, part, None) if value is not None else None
    return value


@dataclass(frozen=True)
class Field:
    """One attribute of a record as users see it: a list column, an Excel column, an API key.

    ``parse`` turns a cell or an API value into Python (None: read-only, not imported). ``lookup``
    resolves parsed keys to objects in one query for the whole file (unit codes, say):
    ``lookup(keys, actor) -> {key: obj}``; a key it does not return is reported on its row.
    """

    key: str
    label: Any
    value: Callable[[Any], Any] | None = None
    parse: Callable[[Any], Any] | None = None
    lookup: Callable[[set, Any], dict] | None = None
    required: bool = False
    example: str = ""
    aliases: tuple[str, ...] = ()
    in_list: bool = True

    def show(self, obj: Any) -> Any:
        return self.value(obj) if self.value is not None else _display(obj, self.key)

    def column(self) -> Column:
        return Column(
            key=self.key,
            label=self.label,
            aliases=self.aliases,
            required=self.required,
            parse=self.parse or (lambda v: v),
            example=self.example,
        )


@dataclass(frozen=True)
class Filter:
    """A list filter: a select of ``choices`` applied by ``apply(queryset, value)``.

    Dashboard tiles drill down by linking to the list with these keys in the query string.
    """

    key: str
    label: Any
    choices: Callable[[], list[tuple[str, Any]]] | list[tuple[str, Any]]
    apply: Callable[..., models.QuerySet]
    # A state on a day (overdue, unanswered): ``apply(queryset, value, day)`` with the list's
    # ``as_of`` (today when not given), so a tile of a past period and its list agree.
    dated: bool = False

    def choice_list(self) -> list[tuple[str, Any]]:
        return list(self.choices() if callable(self.choices) else self.choices)


def _as_of(params) -> dt.date:
    text = (params.get("as_of") or "").strip()
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DomainError(_("“{v}” không phải là ngày (YYYY-MM-DD).").format(v=text)) from None


def field_filter(key: str, label: Any, choices, lookup: str | None = None) -> Filter:
    """A filter on one model field (``lookup`` defaults to ``key``); booleans take "1"/"0"."""
    target = lookup or key

    def apply(queryset, value):
        if value in ("1", "0") and choices is YES_NO:
            return queryset.filter(**{target: value == "1"})
        return queryset.filter(**{target: value})

    return Filter(key=key, label=label, choices=choices, apply=apply)


YES_NO = [("1", gettext_lazy("Có")), ("0", gettext_lazy("Không"))]

# The column every register's export carries and its import reads to find the row again (#14):
# the record's number, for kinds that have no natural key and for rows whose key cells were edited.
KEY = "id"
KEY_LABEL = gettext_lazy("Mã hồ sơ")

_REGISTERS: list[Register] = []  # every Register ever declared, in order (all_registers())


@dataclass
class Register:
    """Everything the generic pages, import and API need to know about one kind of record."""

    model: type[RecordModel]
    name: str  # URL names: "<namespace>:<name>_list", "_detail", "_create", "_edit", "_import"…
    namespace: str
    label: Any  # "tổ bảo vệ ANTT"
    label_plural: Any
    view_perm: str
    change_perm: str
    fields: list[Field]
    form_class: type[forms.ModelForm]
    save: Callable[..., Any]
    filters: list[Filter] = field(default_factory=list)
    natural_key: tuple[str, ...] = ()  # field keys that find the existing row on import (upsert)
    date_field: str = ""  # a date the list filters by period (?first=YYYY-MM-DD&last=…), as tiles do
    select_related: tuple[str, ...] = ("unit",)
    prefetch_related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ()
    detail_template: str = "core/records/detail.html"
    detail_context: Callable[[Any, Any], dict] | None = None  # (request, obj) → extra context
    list_template: str = "core/records/list.html"
    export_name: str = ""
    help_text: Any = ""

    def __post_init__(self):
        # A register may name its key column itself (requests: "Số"); the others get "Mã hồ sơ".
        if not any(f.key == KEY for f in self.fields):
            self.fields = [Field(KEY, KEY_LABEL, value=lambda obj: obj.pk, in_list=False), *self.fields]
        _REGISTERS.append(self)

    @property
    def key_field(self) -> Field:
        return next(f for f in self.fields if f.key == KEY)

    def key_column(self) -> Column:
        """The key as the import reads it: a row that gives it updates that record, whatever else changed."""
        return Column(key=KEY, label=self.key_field.label, parse=parse_int(1))

    # -- reads ----------------------------------------------------------------------------------

    def queryset(self, actor, action: str = "view"):
        qs = self.model.objects.visible_to(actor, action)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs.order_by(*self.ordering) if self.ordering else qs

    def get(self, actor, pk: int):
        obj = self.queryset(actor).filter(pk=pk).first()
        if obj is None:
            raise NotVisible(_("Không tìm thấy."))
        return obj

    def search(self, actor, params) -> models.QuerySet:
        """The list for ``params`` (a QueryDict or dict): q, unit (code: its subtree) and the filters."""
        qs = self.queryset(actor)
        q = (params.get("q") or "").strip()
        if q:
            qs = matching_words(qs, q)
        unit_code = (params.get("unit") or "").strip()
        if unit_code:
            from cax.units.models import Unit

            unit = Unit.objects.visible_to(actor).filter(code=unit_code).newest_first().first()
            if unit is None:
                raise DomainError(_("Không tìm thấy đơn vị “{code}” trong phạm vi của bạn.").format(code=unit_code))
            # The same subtree rule as scoping: a row two units share is found under either.
            qs = qs.filter(subtree_q(self.model, unit.path))
        if self.date_field:
            for key, lookup in (("first", "gte"), ("last", "lte")):
                text = (params.get(key) or "").strip()
                if text:
                    try:
                        day = dt.date.fromisoformat(text)
                    except ValueError:
                        raise DomainError(_("“{v}” không phải là ngày (YYYY-MM-DD).").format(v=text)) from None
                    qs = qs.filter(**{f"{self.date_field}__{lookup}": day})
        day = _as_of(params) if any(f.dated for f in self.filters) else None
        for flt in self.filters:
            value = params.get(flt.key)
            if value not in (None, ""):
                qs = flt.apply(qs, value, day) if flt.dated else flt.apply(qs, value)
        return qs

    def headers(self, *, listing: bool = False) -> list[str]:
        return [str(f.label) for f in self.fields if f.in_list or not listing]

    def cells(self, obj, *, listing: bool = False) -> list[Any]:
        return [f.show(obj) for f in self.fields if f.in_list or not listing]

    def importable(self) -> list[Field]:
        return [f for f in self.fields if f.parse is not None]

    def url(self, which: str, *args) -> str:
        return reverse(f"{self.namespace}:{self.name}_{which}", args=args)

    # -- writes: import and API share this path ----------------------------------------------

    def rows_to_data(self, actor, parsed_rows: list[tuple[int, dict]], errors: list[RowError]):
        """Resolve looked-up fields for every row at once; returns [(row, data)] for rows without errors."""
        by_key = {f.key: f for f in self.importable()}
        resolved: dict[str, dict] = {}
        for f in by_key.values():
            if f.lookup is not None:
                keys: set = set()
                for _row, values in parsed_rows:
                    value = values.get(f.key)
                    # A cell may hold several codes (a campaign's participating units).
                    keys.update(
                        value if isinstance(value, list | tuple) else [value] if value not in (None, "") else []
                    )
                resolved[f.key] = f.lookup(keys, actor) if keys else {}
        out = []
        for row, values in parsed_rows:
            data = {}
            ok = True
            for key, value in values.items():
                f = by_key.get(key)
                if f is None:
                    continue
                if f.lookup is not None and value not in (None, ""):
                    wanted = list(value) if isinstance(value, list | tuple) else [value]
                    missing = [v for v in wanted if v not in resolved[key]]
                    for v in missing:
                        errors.append(RowError(row, str(f.label), _("không tìm thấy “{v}”").format(v=v)))
                    if missing:
                        ok = False
                        continue
                    found = [resolved[key][v] for v in wanted]
                    value = found if isinstance(value, list | tuple) else found[0]
                data[key] = value
            if ok:
                out.append((row, data))
        return out

    def existing(self, actor, data: dict):
        if not self.natural_key or any(data.get(k) in (None, "") for k in self.natural_key):
            return None
        return rows_for(self.model, actor).filter(**{k: data[k] for k in self.natural_key}).first()


def all_registers() -> list[Register]:
    """Every register of the installed apps (each app's ``registers.py``), for checks that must
    cover a register added later without being told about it."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("registers")
    return list(_REGISTERS)


def rows_for(model, actor, action: str = "view"):
    """The rows ``actor`` may see; the system (actor None: demo loads, commands) sees every row."""
    return model.objects.all() if actor is None else model.objects.visible_to(actor, action)


# -- the generic write ------------------------------------------------------------------------


def _m2m_names(model) -> set[str]:
    return {f.name for f in model._meta.many_to_many}


def _blank_for(model, key: str):
    """An empty cell for a text column stored NOT NULL is the empty string."""
    field = model._meta.get_field(key)
    return "" if isinstance(field, models.CharField | models.TextField) and not field.null else None


def save_record(
    *,
    actor,
    instance,
    model,
    data: dict,
    perm: str,
    denied: str,
    validate: Callable[[Any], None] | None = None,
    message: str = "",
):
    """Create or update one record: scope check (old and new unit), the app's rules, model
    validation, save, many-to-many, change log. ``validate(obj)`` raises DomainError(fields=…)."""
    creating = instance is None
    obj = model() if creating else instance
    if not creating:
        require_write(actor, perm, obj.scope_unit, denied)
    before = None if creating else snapshot(obj)
    many = _m2m_names(model)
    relations = {k: data[k] for k in data if k in many}
    related_before = {} if creating else {k: _related_keys(obj, k) for k in relations}
    for key, value in data.items():
        if key not in many:
            setattr(obj, key, _blank_for(model, key) if value is None else value)
    try:
        unit = obj.scope_unit
    except ObjectDoesNotExist:  # the owning unit (or the team that gives it) is not set yet
        unit = None
    if unit is None:
        raise DomainError(_("Chưa chọn đơn vị."), fields={obj.scope_unit_field: [_("Bắt buộc.")]})
    require_write(actor, perm, unit, denied)
    _check_unit_validity(obj, unit)
    if validate is not None:
        validate(obj)
    try:
        obj.full_clean()
    except ValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        first = next(iter(fields.values()))[0] if fields else _("Dữ liệu không hợp lệ.")
        raise DomainError(first, fields=fields) from None
    key = search_key(obj.search_text())[:500]
    # An update that changes nothing writes nothing (not even updated_at): re-importing an export
    # must leave the database as it was.
    if creating or key != obj.search_key or not same_data(obj, before, snapshot(obj)):
        obj.search_key = key
        obj.save()
    notes = [message] if message else []
    for name, value in relations.items():
        getattr(obj, name).set(value or [])
        after = _related_keys(obj, name)
        if not creating and after != related_before[name]:
            # The change log's snapshots hold concrete fields only: a new set is logged in words.
            label = capfirst(model._meta.get_field(name).verbose_name)
            notes.append(f"{label}: {'; '.join(after)}")
    record_change(
        actor=actor, obj=obj, action="create" if creating else "update", before=before, message="; ".join(notes)
    )
    return obj


def _check_unit_validity(obj, unit) -> None:
    from cax.units.kinds import validity_problem

    problems = {}
    for name in type(obj).event_date_fields:
        problem = validity_problem(unit, getattr(obj, name))
        if problem:
            problems[name] = [problem]
    refuse_if_any(problems)


def _related_keys(obj, name: str) -> list[str]:
    """A many-to-many value as users name its rows (unit codes), sorted: comparable and printable."""
    return sorted(str(getattr(r, "code", None) or r.pk) for r in getattr(obj, name).all())


def import_records(register: Register, *, actor, filename: str, content: bytes, dry_run: bool) -> ImportResult:
    """All or nothing: every row goes through the register's service inside one transaction; any
    error in any row (parsing, lookup or a business rule) rolls everything back and is reported.

    A row that gives the key column (``KEY``, exported by every list) updates that record; a row
    without it is matched by the register's natural key, or is new. A row equal to the stored record
    is counted "không đổi" and not written at all."""
    if not actor.has_cax_perm(register.change_perm):
        raise PermissionDenied(_("Bạn không có quyền nhập {what}.").format(what=register.label_plural))
    key_column = register.key_column()
    table = parse_table(filename, content, [key_column, *(f.column() for f in register.importable())])
    errors = list(table.errors)
    labels = {f.key: str(f.label) for f in register.fields}
    record_ids = {r.row: r.values.pop(KEY, None) for r in table.rows}
    # A column the file lacks leaves the field as it is: an update never blanks what it was not given.
    # A row whose cells did not parse is reported once, not again by the rules that miss the value.
    unreadable = {e.row for e in errors}
    given = [
        (r.row, {k: v for k, v in r.values.items() if k in table.present})
        for r in table.rows
        if r.row not in unreadable
    ]
    cells = {row: dict(values) for row, values in given}
    instances = _by_key(register, actor, {i for i in record_ids.values() if i is not None})
    kept: dict[int, dict] = {}  # row → references whose cell is unchanged: the stored rows, not looked up
    to_resolve = []
    for row, values in given:
        record_id = record_ids[row]
        if record_id is not None and record_id not in instances:
            errors.append(RowError(row, str(key_column.label), _("không tìm thấy “{v}”").format(v=record_id)))
            continue
        if record_id is not None:
            kept[row] = _stored_references(register, instances[record_id], values)
            values = {k: v for k, v in values.items() if k not in kept[row]}
        to_resolve.append((row, values))
    rows = register.rows_to_data(actor, to_resolve, errors)
    result = ImportResult(dry_run=dry_run, ignored_headers=table.ignored_headers)
    seen: dict[tuple, int] = {}
    written: dict[int, int] = {}  # record pk → the row that wrote it
    with transaction.atomic():
        for row, data in rows:
            record_id = record_ids[row]
            if record_id is not None:
                # The key column names the record: it is updated even if its natural key cells were edited.
                instance = instances[record_id]
                data.update(kept[row])
            if register.natural_key and all(data.get(k) not in (None, "") for k in register.natural_key):
                key = tuple(getattr(data[k], "pk", data[k]) for k in register.natural_key)
                if key in seen:
                    column = labels.get(register.natural_key[-1], register.natural_key[-1])
                    errors.append(RowError(row, column, _("trùng với dòng {n}").format(n=seen[key])))
                    continue
                seen[key] = row
            if record_id is None:
                instance = register.existing(actor, data)
                if instance is not None:
                    data.update(_stored_references(register, instance, cells[row]))
            if instance is not None and instance.pk in written:
                # Two rows of one file about one record: the second would silently overwrite the first.
                errors.append(RowError(row, "—", _("trùng với dòng {n}").format(n=written[instance.pk])))
                continue
            if instance is not None and not _differs(instance, data):
                # The row says what is stored: nothing to write, so the service is not called (an
                # exported row the actor may read but not change, a national standard, re-imports too).
                written[instance.pk] = row
                result.unchanged += 1
                result.rows.append((row, str(instance), "unchanged"))
                continue
            before = _state(instance) if instance is not None else None
            try:
                with transaction.atomic():
                    obj = register.save(actor=actor, instance=instance, data=dict(data))
            except DomainError as exc:
                if exc.fields:
                    for key, messages in exc.fields.items():
                        for text in messages:
                            errors.append(RowError(row, labels.get(key, key), text))
                else:
                    errors.append(RowError(row, "—", exc.message))
                continue
            written[obj.pk] = row
            if instance is None:
                action, result.created = "create", result.created + 1
            elif _changed(obj, before):
                action, result.updated = "update", result.updated + 1
            else:
                action, result.unchanged = "unchanged", result.unchanged + 1
            result.rows.append((row, str(obj), action))
        if errors:
            raise ImportRejected(errors)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _state(obj) -> tuple[dict, dict]:
    """What an import compares before and after a row: the fields and the many-to-many sets."""
    return snapshot(obj), {f.name: _related_keys(obj, f.name) for f in obj._meta.many_to_many}


def _changed(obj, before: tuple[dict, dict]) -> bool:
    fields, related = _state(obj)
    return not same_data(obj, before[0], fields) or related != before[1]


def _by_key(register: Register, actor, ids: set[int]) -> dict[int, Any]:
    """The records the key column names, as the actor sees them (a few queries for any file)."""
    found: dict[int, Any] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 5000):
        found.update({o.pk: o for o in register.queryset(actor).filter(pk__in=wanted[start : start + 5000])})
    return found


def _stored_references(register: Register, obj, cells: dict) -> dict:
    """The looked-up references of ``obj`` whose cell says what the export shows, as stored.

    Such a cell is not looked up again: a code may resolve to another row than the stored one (an
    item code to the national standard when the record points at a province's), or to none for
    this actor (a request's conference, recorded by the province), and an unchanged cell must
    neither move the record nor refuse the file."""
    kept = {}
    many = _m2m_names(type(obj))
    for f in register.importable():
        if f.lookup is None or f.key not in cells:
            continue
        cell, shown = cells[f.key], f.show(obj)
        if f.key in many or isinstance(cell, list | tuple):
            if sorted(_as_cell(c) for c in cell or []) == sorted(parse_code_list(shown)):
                kept[f.key] = list(getattr(obj, f.key).all())
        elif _as_cell(shown) == _as_cell(cell):
            kept[f.key] = getattr(obj, f.key)
    return kept


def _as_cell(value) -> str:
    return "" if value is None else str(value).strip()


def _differs(obj, data: dict) -> bool:
    """Whether ``data`` (a row's resolved values) says anything other than what ``obj`` stores.

    False only when every value is equal to the stored one; anything it cannot compare counts as
    different, so the row goes to the service, which has the last word."""
    model = type(obj)
    for key, value in data.items():
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            return True
        if field.many_to_many:
            wanted = list(value or [])
            if any(isinstance(v, models.Model) for v in wanted):
                wanted = [str(getattr(v, "code", None) or v.pk) for v in wanted]
            if sorted(str(v) for v in wanted) != _related_keys(obj, key):
                return True
        elif field.is_relation:
            if getattr(obj, field.attname) != getattr(value, "pk", value):
                return True
        elif getattr(obj, field.attname) != (_blank_for(model, key) if value is None else value):
            return True
    return False


def values_from_body(register: Register, body: dict, *, actor, partial: bool = False) -> dict:
    """An API body (the Excel column keys) → service data; errors name the keys."""
    columns = {f.key: f for f in register.importable()}
    unknown = sorted(set(body) - set(columns))
    if unknown:
        raise DomainError(
            _("Trường không hợp lệ: {keys}.").format(keys=", ".join(unknown)),
            fields={k: [_("không có trường này")] for k in unknown},
        )
    parsed: dict[str, Any] = {}
    fields: dict[str, list[str]] = {}
    for key, f in columns.items():
        if key not in body:
            if f.required and not partial:
                fields[key] = [_("thiếu giá trị bắt buộc")]
            continue
        raw = body[key]
        if raw in (None, ""):
            if f.required:
                fields[key] = [_("thiếu giá trị bắt buộc")]
            parsed[key] = None
            continue
        try:
            parsed[key] = f.parse(raw)
        except CellError as exc:
            fields[key] = [str(exc)]
    if fields:
        raise DomainError(_("Dữ liệu gửi lên không hợp lệ."), fields=fields)
    errors: list[RowError] = []
    rows = register.rows_to_data(actor, [(1, parsed)], errors)
    if errors:
        by_label = {str(f.label): f.key for f in register.fields}
        raise DomainError(errors[0].message, fields={by_label.get(e.column, e.column): [e.message] for e in errors})
    return rows[0][1]


def json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return getattr(value, "code", None) or value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Manager | models.QuerySet):
        return [json_value(v) for v in value.all()]
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str | dict):
        return value
    return str(value)


def api_row(register: Register, obj) -> dict:
    """One record as the API returns it: id, the unit's code, every field by key (raw values)."""
    row = {"id": obj.pk, "unit_code": obj.scope_unit.code if obj.scope_unit else None}
    for f in register.fields:
        if f.value is not None:
            row[f.key] = json_value(f.value(obj))
        else:
            value = obj
            for part in f.key.split("__"):
                value = getattr(value, part, None) if value is not None else None
            row[f.key] = json_value(value)
    return row


# -- lookups shared by registers ------------------------------------------------------------------


def units_by_code(keys: set, actor, *, kinds: Callable[[Any], bool] | None = None) -> dict:
    """Units with these codes inside the actor's subtree (one query): the open one, else the one that
    ended last, so a merged commune's history can still be recorded (each row's dates are then
    checked against its validity)."""
    from cax.units.models import Unit

    found = Unit.objects.visible_to(actor).filter(code__in=keys).select_related("unit_type").newest_first()
    units: dict = {}
    for unit in found:
        if kinds is None or kinds(unit):
            units.setdefault(unit.code, unit)
    return units


def unit_fields(
    code_label: Any,
    name_label: Any,
    *,
    kinds: Callable[[Any], bool] | None = None,
    required: bool = False,
    example: str = "23500",
    code_in_list: bool = True,
) -> list[Field]:
    """The owning unit as most registers show it: its code (imported and sent by the API, looked up
    in the actor's subtree, of the allowed kinds) and its name (shown and exported only)."""
    lookup = units_by_code if kinds is None else partial(units_by_code, kinds=kinds)
    return [
        Field(
            "unit",
            code_label,
            value=lambda obj: obj.unit.code,
            parse=parse_text(32),
            lookup=lookup,
            required=required,
            example=example,
            in_list=code_in_list,
        ),
        Field("unit_name", name_label, value=lambda obj: obj.unit.name),
    ]


class UnitCodeField(forms.CharField):
    """A unit picked by its code (or its exact name) inside the user's subtree: a select of 3,321
    communes is unusable on the office PCs this runs on."""

    def __init__(
        self, *, actor=None, kinds: Callable[[Any], bool] | None = None, include_closed: bool = False, **kwargs
    ):
        self.actor, self.kinds, self.include_closed = actor, kinds, include_closed
        kwargs.setdefault("label", gettext_lazy("Mã đơn vị"))
        kwargs.setdefault("help_text", gettext_lazy("Mã đơn vị hành chính, ví dụ 23500."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        from cax.units.models import Unit

        if isinstance(value, Unit):
            return value.code
        if isinstance(value, int):
            unit = Unit.objects.filter(pk=value).only("code").first()
            return unit.code if unit else value
        return value

    def clean(self, value):
        from cax.units.models import Unit

        text = super().clean(value)
        if not text:
            return None
        qs = Unit.objects.visible_to(self.actor).select_related("unit_type")
        # A record's own unit may be a closed one (its history); other unit fields name open units.
        qs = qs.newest_first() if self.include_closed else qs.current()
        unit = qs.filter(code=text).first() or qs.filter(search_key=search_key(text)).first()
        if unit is None or (self.kinds is not None and not self.kinds(unit)):
            raise ValidationError(_("Không có đơn vị “{v}” phù hợp trong phạm vi của bạn.").format(v=text))
        return unit


class RecordForm(forms.ModelForm):
    """Base for a register's edit form: knows its actor and picks units by code."""

    unit_kinds: Callable[[Any], bool] | None = None

    def __init__(self, *args, actor=None, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)
        for name, formfield in list(self.fields.items()):
            model_field = (
                self._meta.model._meta.get_field(name)
                if name in {f.name for f in self._meta.model._meta.get_fields()}
                else None
            )
            if model_field is not None and getattr(model_field, "related_model", None) is not None:
                from cax.units.models import Unit

                if model_field.related_model is Unit and not model_field.many_to_many:
                    owning = name == self._meta.model.scope_unit_field
                    self.fields[name] = UnitCodeField(
                        actor=actor,
                        kinds=self.unit_kinds if owning else None,
                        include_closed=owning and bool(self._meta.model.event_date_fields),
                        required=formfield.required,
                        label=formfield.label,
                        initial=getattr(self.instance, f"{name}_id", None),
                    )
            if isinstance(self.fields[name].widget, forms.DateInput):
                self.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


# -- generic views ---------------------------------------------------------------------------


def _require(user, perm: str, message: str) -> None:
    if not user.has_cax_perm(perm):
        raise PermissionDenied(message)


def _may_view(user, register: Register) -> None:
    _require(user, register.view_perm, _("Bạn không có quyền xem {what}.").format(what=register.label_plural))


def _may_change(user, register: Register) -> None:
    _require(user, register.change_perm, _("Bạn không có quyền sửa {what}.").format(what=register.label_plural))


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm"), required=False)
    unit = forms.CharField(label=gettext_lazy("Mã đơn vị"), required=False)

    def __init__(self, *args, register: Register, **kwargs):
        super().__init__(*args, **kwargs)
        if register.date_field:
            for key, label in (("first", gettext_lazy("Từ ngày")), ("last", gettext_lazy("Đến ngày"))):
                self.fields[key] = forms.DateField(
                    label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                )
        for flt in register.filters:
            self.fields[flt.key] = forms.ChoiceField(
                label=flt.label, required=False, choices=[("", "—"), *flt.choice_list()]
            )
        if any(flt.dated for flt in register.filters):
            self.fields["as_of"] = forms.DateField(
                label=gettext_lazy("Tình trạng tại ngày"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )


@login_required
def record_list(request, register: Register):
    _may_view(request.user, register)
    form = FilterForm(request.GET or None, register=register)
    try:
        records = register.search(request.user, request.GET)
        error = ""
    except DomainError as exc:
        records, error = register.queryset(request.user).none(), exc.message
    if wants_excel(request):
        return xlsx_response(
            register.export_name or register.name,
            str(register.label_plural)[:31],
            register.headers(),
            (register.cells(obj) for obj in records.iterator(chunk_size=2000)),
        )
    page = paginate(request, records)
    return render(
        request,
        register.list_template,
        {
            "register": register,
            "form": form,
            "error": error,
            "page": page,
            "rows": [(obj, register.cells(obj, listing=True)) for obj in page],
            "headers": register.headers(listing=True),
            "query": query_without_page(request),
            "can_change": request.user.has_cax_perm(register.change_perm),
        },
    )


def detail_context(request, register: Register, obj) -> dict:
    """What the detail template needs; app views that re-render a detail (a refused action) reuse it."""
    context = {
        "register": register,
        "object": obj,
        "values": [(f.label, f.show(obj)) for f in register.fields],
        "can_change": request.user.has_cax_perm(register.change_perm)
        and is_within_scope(request.user, obj.changelog_unit_path()),
        "history": _history(request.user, obj),
    }
    if register.detail_context is not None:
        context.update(register.detail_context(request, obj))
    return context


@login_required
def record_detail(request, pk: int, register: Register):
    _may_view(request.user, register)
    obj = register.get(request.user, pk)
    return render(request, register.detail_template, detail_context(request, register, obj))


def _history(user, obj) -> list:
    from cax.accounts.roles import VIEW_CHANGELOG
    from cax.core.models import ChangeLog

    if not user.has_cax_perm(VIEW_CHANGELOG):
        return []
    return list(
        ChangeLog.objects.visible_to(user)
        .filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-time")[:50]
    )


@login_required
@submit_once
def record_edit(request, register: Register, pk: int | None = None):
    _may_change(request.user, register)
    instance = register.get(request.user, pk) if pk is not None else None
    initial = {}
    from cax.units.models import Unit

    scope_field = register.model._meta.get_field(register.model.scope_unit_field)
    if instance is None and request.user.unit.unit_type.is_commune_level and scope_field.related_model is Unit:
        initial[register.model.scope_unit_field] = request.user.unit.code
    for key in request.GET:  # "Add a member" from a team's page pre-fills the team
        initial[key] = request.GET[key]
    # The form gets its own copy: validating a ModelForm writes the posted values onto its instance,
    # and the service must see the stored row (the change log's "before", the old unit's scope).
    form_instance = register.get(request.user, pk) if pk is not None else None
    form = register.form_class(request.POST or None, instance=form_instance, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                obj = register.save(actor=request.user, instance=instance, data=form.data_for_service())
        except DomainError as exc:
            _attach(form, exc)
        else:
            from django.contrib import messages

            messages.success(request, _("Đã lưu."))
            return redirect(register.url("detail", obj.pk))
    return render(request, "core/records/edit.html", {"register": register, "form": form, "object": instance})


def _attach(form: forms.Form, exc: DomainError) -> None:
    placed = False
    for key, messages in (exc.fields or {}).items():
        target = key if key in form.fields else None
        for text in messages:
            form.add_error(target, text)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp Excel (.xlsx) hoặc CSV"))


@login_required
@submit_once
def record_import(request, register: Register):
    _may_change(request.user, register)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = import_flow.store_upload(request, kind=_kind(register), upload=form.cleaned_data["file"])
        return redirect(register.url("import_preview", batch.uuid))
    return render(
        request,
        "core/records/import.html",
        {"register": register, "form": form, "columns": register.importable(), "key": register.key_field},
    )


def _kind(register: Register) -> str:
    return f"{register.namespace}.{register.name}"


@login_required
@submit_once
def record_import_preview(request, batch, register: Register):
    _may_change(request.user, register)

    def importer(**kwargs):
        return import_records(register, **kwargs)

    context = import_flow.run_batch(request, batch_uuid=batch, importers={_kind(register): importer})
    context["register"] = register
    return render(request, "core/records/import_preview.html", context)


@login_required
def record_import_template(request, register: Register):
    return import_flow.template_response([f.column() for f in register.importable()], f"mau-{register.name}.xlsx")


def urlpatterns_for(register: Register, prefix: str) -> list:
    """The URL patterns of one register under ``prefix`` ("teams/")."""
    kw = {"register": register}
    n = register.name
    return [
        path(f"{prefix}", record_list, kw, name=f"{n}_list"),
        path(f"{prefix}new/", record_edit, kw, name=f"{n}_create"),
        path(f"{prefix}<int:pk>/", record_detail, kw, name=f"{n}_detail"),
        path(f"{prefix}<int:pk>/edit/", record_edit, kw, name=f"{n}_edit"),
        path(f"{prefix}import/", record_import, kw, name=f"{n}_import"),
        path(f"{prefix}import/<uuid:batch>/", record_import_preview, kw, name=f"{n}_import_preview"),
        path(f"{prefix}import/template.xlsx", record_import_template, kw, name=f"{n}_import_template"),
    ]


# -- API -----------------------------------------------------------------------------------------


def add_api_routes(router, register: Register, slug: str, tag: str) -> None:
    """GET /slug (q, unit, the list's filters, page, page_size), GET /slug/{id}, POST /slug,
    PATCH /slug/{id}.

    Bodies use the keys of the Excel template's columns and accept the same values (unit codes,
    choice codes or labels, dd/mm/yyyy or ISO dates)."""
    from ninja import Body, Status

    from cax.api.pagination import MAX_PAGE_SIZE

    filter_keys = [f.key for f in register.filters]
    doc_keys = ", ".join(f"`{f.key}` ({f.label})" for f in register.importable())
    op = f"{register.namespace}_{register.name}"

    @router.get(
        f"/{slug}",
        tags=[tag],
        response=dict,
        operation_id=f"{op}_list",
        summary=str(register.label_plural),
        description="Lọc: `q`, `unit` (mã đơn vị: cả cây đơn vị dưới nó)"
        + (f", `first`, `last` (YYYY-MM-DD, theo `{register.date_field}`)" if register.date_field else "")
        + "".join(f", `{k}`" for k in filter_keys)
        + "; `page`, `page_size`. Trả về `{items, count, page, page_size}`.",
    )
    def list_records(request, page: int = 1, page_size: int = 50):
        _may_view(request.auth, register)
        page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
        keys = ["q", "unit", "first", "last", *filter_keys]
        records = register.search(request.auth, {k: request.GET.get(k) for k in keys})
        offset = (page - 1) * page_size
        return {
            "items": [api_row(register, obj) for obj in records[offset : offset + page_size]],
            "count": records.count(),
            "page": page,
            "page_size": page_size,
        }

    @router.get(f"/{slug}/{{record_id}}", tags=[tag], response=dict, operation_id=f"{op}_get")
    def get_record(request, record_id: int):
        _may_view(request.auth, register)
        return api_row(register, register.get(request.auth, record_id))

    @router.post(
        f"/{slug}", tags=[tag], response={201: dict}, operation_id=f"{op}_create", description=f"Trường: {doc_keys}."
    )
    def create_record(request, payload: dict = Body(...)):  # noqa: B008
        _may_change(request.auth, register)
        data = values_from_body(register, payload, actor=request.auth)
        with transaction.atomic():
            obj = register.save(actor=request.auth, instance=None, data=data)
        return Status(201, api_row(register, register.get(request.auth, obj.pk)))

    @router.patch(
        f"/{slug}/{{record_id}}",
        tags=[tag],
        response=dict,
        operation_id=f"{op}_update",
        description=f"Trường: {doc_keys}.",
    )
    def update_record(request, record_id: int, payload: dict = Body(...)):  # noqa: B008
        _may_change(request.auth, register)
        instance = register.get(request.auth, record_id)
        data = values_from_body(register, payload, actor=request.auth, partial=True)
        with transaction.atomic():
            obj = register.save(actor=request.auth, instance=instance, data=data)
        return api_row(register, register.get(request.auth, obj.pk))
