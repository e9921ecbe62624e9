"""Writes of tens of thousands of new rows at once: the officer import (issue 20.4).

Django's ``Model.__init__`` costs about 20 µs a row and ``bulk_create`` as much again turning each
value into SQL parameters; at 120,000 officers with their change-log and search rows that was most
of a 45 s import. ``new`` builds an instance without ``__init__`` (every field set, defaults taken
as ``__init__`` takes them), and ``insert``/``upsert`` hand the rows to PostgreSQL by COPY; other
databases (SQLite, in development and tests) take them through ``bulk_create``, so both write the
same rows and the database checks every constraint either way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, connections, models
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

BATCH = 2000  # rows per INSERT where there is no COPY (SQLite limits the parameters of a statement)

# Field classes whose Python value psycopg writes as the database expects: no conversion needed.
# Anything else (JSON, date-times, decimals, custom fields) goes through the field's own
# get_db_prep_save, exactly as in Django's own INSERT.
_PLAIN = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.BigIntegerField,
        models.BooleanField,
        models.DateField,
        models.IntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SmallIntegerField,
        models.ForeignKey,
    }
)
_TEXT = frozenset({models.CharField, models.TextField})


_CALL = object()  # marks a default that must be called for each row (timezone.now, dict…)


@functools.cache
def _fields(model: type[models.Model]) -> tuple[tuple[str, str, models.Field, Any], ...]:
    """(attname, name, field, default): the default computed once when it is a constant."""
    return tuple(
        (
            f.attname,
            f.name,
            f,
            _CALL if (f.has_default() and callable(f.default)) or f.has_db_default() else f.get_default(),
        )
        for f in model._meta.concrete_fields
    )


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for one large write: building 120,000 rows of
    several tables keeps hundreds of thousands of objects alive, and each full collection walks
    them all (a third of the officer import's time, issue 20.4). Reference counting still frees
    everything that is not a cycle; the collector runs again when the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def new(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """An unsaved ``model(**values)``, without ``__init__``'s cost. ``values`` names fields (a
    related object by its field's name is cached on the instance: reading it runs no query) or
    attnames (``unit_id``); a field not named takes its default."""
    obj = model.__new__(model)
    obj._state = ModelState()
    data = obj.__dict__
    for attname, name, field, default in _fields(model):
        if attname in values:
            data[attname] = values[attname]
        elif name in values:
            related = values[name]
            if field.is_relation:
                data[attname] = None if related is None else related.pk
                field.set_cached_value(obj, related)
            else:
                data[attname] = related
        else:
            data[attname] = field.get_default() if default is _CALL else default
    return obj


def filtered_in(queryset: models.QuerySet, field_name: str, values, chunk: int = 5000) -> Iterator[models.QuerySet]:
    """``queryset.filter(<field_name>__in=values)`` for tens of thousands of values, in parts: one
    on PostgreSQL, with the values as a single array parameter (5,000 placeholders cost more to
    build and send than the query takes), chunks of ``chunk`` elsewhere (SQLite's parameter limit)."""
    values = list(values)
    if not values:
        return
    if connection.vendor == "postgresql":
        cast = queryset.model._meta.get_field(field_name).db_type(connections[connection.alias])
        yield queryset.filter(**{f"{field_name}__in": RawSQL(f"SELECT unnest(%s::{cast}[])", [values])})
        return
    for start in range(0, len(values), chunk):
        yield queryset.filter(**{f"{field_name}__in": values[start : start + chunk]})


def plain_attribute(field: models.Field) -> bool:
    """Whether the instance's ``__dict__`` holds the field's value as reading it gives it (not a
    file, whose descriptor wraps the stored name): readers of every row may skip the descriptor."""
    return field.descriptor_class in (DeferredAttribute, ForeignKeyDeferredAttribute)


def insert(objs: list[models.Model]) -> None:
    """Insert new rows of one model and set their ids (one COPY on PostgreSQL)."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model._base_manager.bulk_create(objs, batch_size=BATCH)
        return
    _reserve_ids(model, [o for o in objs if o.pk is None])
    _copy(model._meta.db_table, model._meta.concrete_fields, objs)
    _saved(objs)


def insert_streamed(model: type[models.Model], objs: Iterable[models.Model]) -> None:
    """Insert new rows made one at a time, without reading their ids back: on PostgreSQL each row
    goes to the COPY as it comes, so making the next ones overlaps with the server storing these."""
    if connection.vendor != "postgresql":
        model._base_manager.bulk_create(list(objs), batch_size=BATCH)
        return
    _copy(model._meta.db_table, [f for f in model._meta.concrete_fields if not f.primary_key], objs)


def upsert(objs: list[models.Model], *, unique_fields: list[str], update_fields: list[str]) -> None:
    """Insert rows, or rewrite the columns ``update_fields`` of the row with the same
    ``unique_fields``: ``bulk_create(update_conflicts=True)``, by COPY into a temporary table on
    PostgreSQL. The rows' ids are not read back."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model._base_manager.bulk_create(
            objs, batch_size=BATCH, update_conflicts=True, unique_fields=unique_fields, update_fields=update_fields
        )
        return
    meta, quote = model._meta, connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    target, staging = quote(meta.db_table), quote(f"cax_bulk_{meta.db_table}")
    conflict = ", ".join(quote(meta.get_field(name).column) for name in unique_fields)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in (quote(meta.get_field(n).column) for n in update_fields))
    with connection.cursor() as cursor:
        # Only the columns, none of the table's constraints or generated columns: a staging area.
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {columns} FROM {target} WITH NO DATA")
        _copy(f"cax_bulk_{meta.db_table}", fields, objs)
        cursor.execute(
            f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {staging} "
            f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
        )
        cursor.execute(f"DROP TABLE {staging}")
    _saved(objs)


def _reserve_ids(model: type[models.Model], objs: list[models.Model]) -> None:
    """Ids from the table's own sequence, as an INSERT would take them."""
    if not objs:
        return
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(objs)],
        )
        for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, value)


def _converter(field: models.Field):
    if type(field) in _PLAIN:
        return None
    # The connection itself, not django.db.connection's proxy: this runs once per value.
    prepare = functools.partial(field.get_db_prep_save, connection=connections[connection.alias])
    if type(field) in _TEXT:
        return lambda value: value if value is None or value.__class__ is str else prepare(value)
    if type(field) is models.DateTimeField:
        # An aware moment is what the field's own preparation sends to PostgreSQL unchanged.
        return lambda value: value if value.__class__ is dt.datetime and value.tzinfo else prepare(value)
    if type(field) is models.JSONField:
        # What the field's own adapter sends (Django's JSONField: SQL NULL for None), as text.
        dumps = functools.partial(json.dumps, cls=field.encoder)
        return lambda value: None if value is None else dumps(value)
    return prepare


def _copy(table: str, fields, objs: Iterable[models.Model]) -> None:
    """One COPY of ``objs`` (a list, or rows made as they are sent) into ``table``'s ``fields``."""
    from psycopg.copy import QueuedLibpqWriter

    fields = list(fields)
    getters = [(f.attname, _converter(f)) for f in fields]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    statement = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
    moments: list[tuple[str, Any]] | None = None
    with connection.cursor() as cursor:
        # A thread sends the data: rows are formatted here while the server stores the previous ones.
        # psycopg's own cursor (Django's debug wrapper takes no writer); its errors as Django's
        # (a constraint violation is an IntegrityError, as from any insert).
        raw = cursor.cursor
        with (
            connections[connection.alias].wrap_database_errors,
            raw.copy(statement, writer=QueuedLibpqWriter(raw)) as copy,
        ):
            for obj in objs:
                values = obj.__dict__
                if stamped:
                    # auto_now(_add): the moment of the first row for all (one transaction).
                    if moments is None:
                        moments = [(f.attname, f.pre_save(obj, add=True)) for f in stamped]
                    values.update(moments)
                copy.write_row(
                    [values[name] if convert is None else convert(values[name]) for name, convert in getters]
                )


def _saved(objs: list[models.Model]) -> None:
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
