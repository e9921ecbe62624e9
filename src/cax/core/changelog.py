"""record_change(): the single writer of the change log, called by every service."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from cax.core import bulk
from cax.core.auditchain import append_streamed
from cax.core.context import current_request_id
from cax.core.models import ChangeLog
from cax.core.revision import bump_after_commit
from cax.core.text import search_key

SYSTEM_ACTOR_NAME = "system"
# Never copied into the log: secrets, and derived search columns that only add noise.
SECRET_FIELDS = frozenset({"password", "token_hash", "search_key"})


_JSON_PLAIN = frozenset({str, int, bool, float, type(None)})


def _json_value(value: Any) -> Any:
    if value.__class__ in _JSON_PLAIN:
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, FieldFile):  # a FileField's value: its stored name ("" when none)
        return value.name or ""
    return value


def _masked(value: Any, key: str) -> Any:
    """A keyed digest: shows that a sensitive value changed, never what it was (Law 91/2025)."""
    if value in (None, ""):
        return value
    return _digest(key, str(value))


# Cached: an import masks the same birth dates, counts and flags for thousands of officers.
@functools.lru_cache(maxsize=65536)
def _digest(key: str, text: str) -> str:
    return "masked:" + hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()[:12]


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of ``obj`` as JSON-safe data (FKs as their ids).

    Fields a model lists in ``SENSITIVE_FIELDS`` are masked: the log is append-only, so whatever
    it copies can never be erased when the retention period ends.
    """
    model = obj._meta.model
    # request.user is a lazy proxy: its own __dict__ is not the user's, so read through it.
    loaded = obj.__dict__ if type(obj) is model else {}
    data, key = {}, settings.SECRET_KEY
    for attname, sensitive, direct in _snapshot_fields(model):
        # Straight from the instance's dict when loaded (an import snapshots every row); a deferred
        # field, or one whose descriptor wraps the value (a file), through the descriptor.
        value = _json_value(loaded[attname] if direct and attname in loaded else getattr(obj, attname))
        data[attname] = _masked(value, key) if sensitive else value
    return data


@functools.cache
def _snapshot_fields(model: type[models.Model]) -> tuple[tuple[str, bool, bool], ...]:
    """(attname, masked, stored as read) of each field a snapshot copies, once per model."""
    sensitive = getattr(model, "SENSITIVE_FIELDS", ())
    return tuple(
        (f.attname, f.name in sensitive, bulk.plain_attribute(f))
        for f in model._meta.concrete_fields
        if f.name not in SECRET_FIELDS
    )


GLOBAL_PATH = "/"


def _scope_path(obj: models.Model) -> str:
    """The unit path that scopes who may read this row; reference data without a unit is global."""
    if hasattr(obj, "changelog_unit_path"):
        return obj.changelog_unit_path() or GLOBAL_PATH
    return GLOBAL_PATH


def same_data(obj: models.Model, before: dict[str, Any] | None, after: dict[str, Any] | None) -> bool:
    """Equal snapshots, not counting ``auto_now`` stamps that every save() bumps."""
    if before is None or after is None:
        return before == after
    stamps = {f.attname for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)}
    return {k: v for k, v in before.items() if k not in stamps} == {k: v for k, v in after.items() if k not in stamps}


def _entry(
    actor: Any, obj: models.Model, action: str, before: dict[str, Any] | None, message: str, time=None
) -> ChangeLog | None:
    """The row to append, or None for an update that changed no field and carries no message.
    ``time``: the moment of a bulk write's rows (one transaction); None, now."""
    after = None if action == ChangeLog.Action.DELETE else snapshot(obj)
    if action == ChangeLog.Action.UPDATE and not message and same_data(obj, before, after):
        return None
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    actor_name = actor.get_username() if is_user else SYSTEM_ACTOR_NAME
    text = str(obj)
    return bulk.new(
        ChangeLog,
        {
            "actor": actor if is_user else None,
            "actor_name": actor_name,
            "request_id": current_request_id(),
            "action": action,
            "object_type": obj._meta.label_lower,
            "object_id": str(obj.pk),
            "object_repr": text[:300],
            "unit_path": _scope_path(obj),
            "before": before,
            "after": after,
            "message": message[:500],
            "search_key": search_key(f"{text} {actor_name} {obj._meta.label_lower} {message}")[:600],
            **({"time": time} if time is not None else {}),
        },
    )


def record_change(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    message: str = "",
) -> ChangeLog | None:
    """Append one change-log row.

    An update that changed no field and carries no message is skipped, so re-running an idempotent
    load leaves the log untouched; a message (e.g. "password reset") marks an event worth keeping.
    """
    entry = _entry(actor, obj, action, before, message)
    if entry is not None:
        entry.save()
        bump_after_commit()
    return entry


def record_changes_bulk(
    *, actor: Any, entries: list[tuple[models.Model, str, dict[str, Any] | None]], message: str = ""
) -> int:
    """The same rows as record_change, inserted in batches: imports of tens of thousands of rows.

    ``entries`` is [(object, action, before)].
    """
    now = timezone.now()
    # Made first (an object's scope may need a query, impossible while a COPY runs), then chained
    # and sent one by one: one COPY on PostgreSQL, storing rows while the next ones are hashed.
    rows = [row for obj, action, before in entries if (row := _entry(actor, obj, action, before, message, now))]
    written = append_streamed(ChangeLog, rows, lambda chained: bulk.insert_streamed(ChangeLog, chained))
    if written:
        bump_after_commit()
    return written


# -- reading the log in words (issue 17.2): the page shows labels, not model and field codes ----------


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


def _model_of(object_type: str) -> type[models.Model] | None:
    from django.apps import apps

    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):  # a model removed since the row was written
        return None


def object_type_label(object_type: str) -> str:
    """ "Cán bộ" for ``personnel.officer``; the code itself for a model that no longer exists."""
    from django.utils.text import capfirst

    model = _model_of(object_type)
    return str(capfirst(model._meta.verbose_name)) if model else object_type


def _shown(field: models.Field | None, value: Any) -> str:
    from django.utils.translation import gettext as _

    from cax.core import formatting

    if value is None or value == "":
        return "—"
    if isinstance(value, str) and value.startswith("masked:"):
        return _("(đã che)")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        return f"#{value}"  # an id, not a quantity: never grouped
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            if isinstance(field, models.DateTimeField):
                return formatting.datetime(dt.datetime.fromisoformat(value))
            return formatting.date(dt.date.fromisoformat(value))
        except ValueError:  # stored before the field's type changed: shown as stored
            return value
    if isinstance(value, list | dict):
        import json

        return json.dumps(value, ensure_ascii=False)
    return formatting.display(value)


def field_changes(object_type: str, before: dict | None, after: dict | None) -> list[FieldChange]:
    """The fields an entry changed, each named by its label with both values as users read them
    (a created row: every filled field; a deleted one: what it held)."""
    from django.utils.text import capfirst

    model = _model_of(object_type)
    fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
    before, after = before or {}, after or {}
    stamps = {name for name, f in fields.items() if getattr(f, "auto_now", False)}
    changes = []
    for name in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(name), after.get(name)
        if old == new or name in stamps or (old in (None, "") and new in (None, "")):
            continue
        field = fields.get(name)
        label = str(capfirst(field.verbose_name)) if field is not None else name
        changes.append(FieldChange(label, _shown(field, old), _shown(field, new)))
    return changes
