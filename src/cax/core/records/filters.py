"""A register's list filters and the search every list, export, tile and API list runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.bounds import OutOfRange, check_day
from cax.core.exceptions import DomainError
from cax.core.records.registry import units
from cax.core.scoping import subtree_q
from cax.core.text import matching_words

if TYPE_CHECKING:
    from cax.core.records.register import Register

YES_NO = [("1", gettext_lazy("Có")), ("0", gettext_lazy("Không"))]


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
    # The choices are the usual values, not all of them (a period: the years offered, and any
    # "first..last" range a tile links to): the filter's ``apply`` checks what it is given.
    other_values: bool = False

    def choice_list(self) -> list[tuple[str, Any]]:
        return list(self.choices() if callable(self.choices) else self.choices)


def field_filter(key: str, label: Any, choices, lookup: str | None = None) -> Filter:
    """A filter on one model field (``lookup`` defaults to ``key``); booleans take "1"/"0"."""
    target = lookup or key

    def apply(queryset, value):
        if value in ("1", "0") and choices is YES_NO:
            return queryset.filter(**{target: value == "1"})
        return queryset.filter(**{target: value})

    return Filter(key=key, label=label, choices=choices, apply=apply)


def _iso_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise DomainError(_("“{v}” không phải là ngày (YYYY-MM-DD).").format(v=text)) from None
    return check_day(day)


def _known_choice(flt: Filter, value: str) -> None:
    """A value outside the filter's choices is refused (422), not handed to the database as is. A
    filter without choices (a date, a unit code typed in) checks its own value where it applies it."""
    choices = [] if flt.other_values else flt.choice_list()
    if choices and value not in {str(code) for code, _label in choices}:
        message = _("“{v}” không phải là một lựa chọn của “{f}”.").format(v=value, f=flt.label)
        raise OutOfRange(message, fields={flt.key: [message]})


def as_of(params) -> dt.date:
    text = (params.get("as_of") or "").strip()
    return _iso_date(text) if text else timezone.localdate()


def search(register: Register, actor, params) -> models.QuerySet:
    """The list for ``params`` (a QueryDict or dict): q, unit (code: its subtree) and the filters."""
    qs = register.queryset(actor)
    q = (params.get("q") or "").strip()
    if q:
        qs = matching_words(qs, q)
    unit_code = (params.get("unit") or "").strip()
    if unit_code:
        unit = units().by_codes({unit_code}, actor).get(unit_code)
        if unit is None:
            raise DomainError(_("Không tìm thấy đơn vị “{code}” trong phạm vi của bạn.").format(code=unit_code))
        # The same subtree rule as scoping: a row two units share is found under either.
        qs = qs.filter(subtree_q(register.model, unit.path))
    if register.date_field:
        for key, lookup in (("first", "gte"), ("last", "lte")):
            text = (params.get(key) or "").strip()
            if text:
                qs = qs.filter(**{f"{register.date_field}__{lookup}": _iso_date(text)})
    day = as_of(params) if any(f.dated for f in register.filters) else None
    for flt in register.filters:
        value = params.get(flt.key)
        if value not in (None, ""):
            _known_choice(flt, str(value))
            qs = flt.apply(qs, value, day) if flt.dated else flt.apply(qs, value)
    return qs
