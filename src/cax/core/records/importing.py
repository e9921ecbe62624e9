"""A register's Excel/CSV import: all or nothing, every row through the register's own service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.translation import gettext as _

from cax.core.changelog import same_data, snapshot
from cax.core.exceptions import DomainError, PermissionDenied
from cax.core.imports import ImportRejected, ImportResult, RowError, parse_code_list, parse_table
from cax.core.records.fields import KEY
from cax.core.records.services import blank_for, m2m_names, related_keys

if TYPE_CHECKING:
    from cax.core.records.register import Register


def resolve_lookups(register: Register, actor, parsed_rows: list[tuple[int, dict]], errors: list[RowError]):
    """Resolve looked-up fields for every row at once; returns [(row, data)] for rows without errors."""
    by_key = {f.key: f for f in register.importable()}
    resolved = {key: _lookup_all(f, parsed_rows, actor) for key, f in by_key.items() if f.lookup is not None}
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


def _lookup_all(f, parsed_rows, actor) -> dict:
    keys: set = set()
    for _row, values in parsed_rows:
        value = values.get(f.key)
        # A cell may hold several codes (a campaign's participating units).
        keys.update(value if isinstance(value, list | tuple) else [value] if value not in (None, "") else [])
    return f.lookup(keys, actor) if keys else {}


def import_records(register: Register, *, actor, filename: str, content: bytes, dry_run: bool) -> ImportResult:
    """All or nothing: every row goes through the register's service inside one transaction; any
    error in any row (parsing, lookup or a business rule) rolls everything back and is reported.

    A row that gives the key column (``KEY``, exported by every list) updates that record; a row
    without it is matched by the register's natural key, or is new. A row equal to the stored record
    is counted "không đổi" and not written at all."""
    if not actor.has_perm(register.change_perm):
        raise PermissionDenied(_("Bạn không có quyền nhập {what}.").format(what=register.label_plural))
    key_column = register.key_column()
    table = parse_table(filename, content, [key_column, *(f.column() for f in register.importable())])
    errors = list(table.errors)
    record_ids = {r.row: r.values.pop(KEY, None) for r in table.rows}
    # A column the file lacks leaves the field as it is: an update never blanks what it was not given.
    # A row whose cells did not parse is reported once, not again by the rules that miss the value.
    unreadable = {e.row for e in errors}
    given = [
        (r.row, {k: v for k, v in r.values.items() if k in table.present})
        for r in table.rows
        if r.row not in unreadable
    ]
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
    run = _Run(register, actor, result, errors)
    run.cells = {row: dict(values) for row, values in given}
    run.record_ids, run.instances, run.kept = record_ids, instances, kept
    with transaction.atomic():
        for row, data in rows:
            run.row(row, data)
        if errors:
            raise ImportRejected(errors)
        if dry_run:
            transaction.set_rollback(True)
    return result


class _Run:
    """One import's rows, in file order: which record each is, and whether it is written."""

    def __init__(self, register: Register, actor, result: ImportResult, errors: list[RowError]):
        self.register, self.actor, self.result, self.errors = register, actor, result, errors
        self.cells: dict[int, dict] = {}  # row → its cells as parsed, before any lookup
        self.record_ids: dict[int, Any] = {}  # row → the key column's record number, if given
        self.instances: dict[int, Any] = {}  # record number → the record
        self.kept: dict[int, dict] = {}  # row → references whose cell is unchanged
        self.labels = {f.key: str(f.label) for f in register.fields}
        self.seen: dict[tuple, int] = {}
        self.written: dict[int, int] = {}  # record pk → the row that wrote it

    def row(self, row: int, data: dict) -> None:
        register = self.register
        record_id = self.record_ids[row]
        instance = None
        if record_id is not None:
            # The key column names the record: it is updated even if its natural key cells were edited.
            instance = self.instances[record_id]
            data.update(self.kept[row])
        if self._repeats_natural_key(row, data):
            return
        if record_id is None:
            instance = register.existing(self.actor, data)
            if instance is not None:
                data.update(_stored_references(register, instance, self.cells[row]))
        if instance is not None and instance.pk in self.written:
            # Two rows of one file about one record: the second would silently overwrite the first.
            self.errors.append(RowError(row, "—", _("trùng với dòng {n}").format(n=self.written[instance.pk])))
            return
        if instance is not None and not _differs(instance, data):
            # The row says what is stored: nothing to write, so the service is not called (an
            # exported row the actor may read but not change, a national standard, re-imports too).
            self.written[instance.pk] = row
            self.result.unchanged += 1
            self.result.rows.append((row, str(instance), "unchanged"))
            return
        self._save(row, instance, data)

    def _repeats_natural_key(self, row: int, data: dict) -> bool:
        natural_key = self.register.natural_key
        if not natural_key or any(data.get(k) in (None, "") for k in natural_key):
            return False
        key = tuple(getattr(data[k], "pk", data[k]) for k in natural_key)
        if key in self.seen:
            column = self.labels.get(natural_key[-1], natural_key[-1])
            self.errors.append(RowError(row, column, _("trùng với dòng {n}").format(n=self.seen[key])))
            return True
        self.seen[key] = row
        return False

    def _save(self, row: int, instance, data: dict) -> None:
        before = _state(instance) if instance is not None else None
        try:
            with transaction.atomic():
                obj = self.register.save(actor=self.actor, instance=instance, data=dict(data))
        except DomainError as exc:
            if exc.fields:
                for key, messages in exc.fields.items():
                    for text in messages:
                        # A key the file has no column for (a cross-field rule's "__all__") is no column.
                        self.errors.append(RowError(row, self.labels.get(key, "—"), text))
            else:
                self.errors.append(RowError(row, "—", exc.message))
            return
        self.written[obj.pk] = row
        result = self.result
        if instance is None:
            action, result.created = "create", result.created + 1
        elif _changed(obj, before):
            action, result.updated = "update", result.updated + 1
        else:
            action, result.unchanged = "unchanged", result.unchanged + 1
        result.rows.append((row, str(obj), action))


def _state(obj) -> tuple[dict, dict]:
    """What an import compares before and after a row: the fields and the many-to-many sets."""
    return snapshot(obj), {f.name: related_keys(obj, f.name) for f in obj._meta.many_to_many}


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
    many = m2m_names(type(obj))
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
            if sorted(str(v) for v in wanted) != related_keys(obj, key):
                return True
        elif field.is_relation:
            if getattr(obj, field.attname) != getattr(value, "pk", value):
                return True
        elif getattr(obj, field.attname) != (blank_for(model, key) if value is None else value):
            return True
    return False
