"""A register's fields: each is a list column, an Excel column and an API key at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from cax.core.imports import Column

# The column every register's export carries and its import reads to find the row again (#14):
# the record's number, for kinds that have no natural key and for rows whose key cells were edited.
KEY = "id"
KEY_LABEL = gettext_lazy("Mã hồ sơ")


def attribute(obj: Any, key: str) -> Any:
    """``obj.a.b`` for the key ``a__b``; None past a missing link."""
    value = obj
    for part in key.split("__"):
        value = getattr(value, part, None) if value is not None else None
    return value


def _display(obj: Any, key: str) -> Any:
    getter = getattr(obj, f"get_{key}_display", None)
    if getter is not None:
        return getter()
    return attribute(obj, key)


@dataclass(frozen=True)
class Field:
    """One attribute of a record as users see it: a list column, an Excel column, an API key.

    ``parse`` turns a cell or an API value into Python (None: read-only, not imported). ``lookup``
    resolves parsed keys to objects in one query for the whole file (unit codes, say):
    ``lookup(keys, actor) -> {key: obj}``; a key it does not return is reported on its row.
    ``api_type`` is the type the API gives the value (int, bool, str…) where the model field does
    not say it: a computed ``value`` is text unless it names another type.
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
    api_type: Any = None

    def show(self, obj: Any) -> Any:
        return self.value(obj) if self.value is not None else _display(obj, self.key)

    def raw(self, obj: Any) -> Any:
        """The value the API sends: the computed one, else the stored one (a choice's code, not its label)."""
        return self.value(obj) if self.value is not None else attribute(obj, self.key)

    def column(self) -> Column:
        return Column(
            key=self.key,
            label=self.label,
            aliases=self.aliases,
            required=self.required,
            parse=self.parse or (lambda v: v),
            example=self.example,
        )
