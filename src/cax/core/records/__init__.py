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
- REST endpoints (list, detail, create, update) that accept the same values as the Excel columns,
  with request and response schemas generated from the field list.

Business rules stay in each app's ``services.py``: the register only points at the save function,
whose contract is ``save(*, actor, instance, data) -> obj`` raising DomainError (with ``fields``
keyed by model field names) when a rule refuses the data.

The modules, each importable alone (this package imports none of them until a name is asked for,
so ``models.py`` importing ``records.model`` loads no form, view or API code):

- ``model``: ``RecordModel``, the base of a register's model;
- ``fields``, ``filters``: ``Field``, ``Filter``, ``field_filter``, ``YES_NO``; the list's search;
- ``register``: ``Register``, ``rows_for``; ``registry``: ``all_registers``, how units are named;
- ``services``: ``save_record``, the one write; ``importing``: ``import_records``;
- ``forms``, ``views``, ``urls``: ``RecordForm``, ``detail_context``, ``urlpatterns_for``;
- ``schemas``, ``api``: the typed API schemas, ``add_api_routes``, ``api_row``, ``json_value``.

The unit fields (``unit_fields``, ``units_by_code``, ``UnitCodeField``) live in ``cax.units.fields``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# name → the module of this package that defines it
_EXPORTS = {
    "RecordModel": "model",
    "Field": "fields",
    "KEY": "fields",
    "KEY_LABEL": "fields",
    "Filter": "filters",
    "YES_NO": "filters",
    "field_filter": "filters",
    "Register": "register",
    "rows_for": "register",
    "all_registers": "registry",
    "save_record": "services",
    "import_records": "importing",
    "RecordForm": "forms",
    "detail_context": "views",
    "urlpatterns_for": "urls",
    "add_api_routes": "api",
    "api_row": "api",
    "json_value": "api",
    "values_from_body": "api",
}
_MOVED = {"unit_fields": "cax.units.fields", "units_by_code": "cax.units.fields", "UnitCodeField": "cax.units.fields"}

# Literal, for linters; a test keeps it equal to _EXPORTS.
__all__ = [
    "KEY",
    "KEY_LABEL",
    "YES_NO",
    "Field",
    "Filter",
    "RecordForm",
    "RecordModel",
    "Register",
    "add_api_routes",
    "all_registers",
    "api_row",
    "detail_context",
    "field_filter",
    "import_records",
    "json_value",
    "rows_for",
    "save_record",
    "urlpatterns_for",
    "values_from_body",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    if name in _MOVED:
        raise AttributeError(f"{name} moved to {_MOVED[name]} (core knows no units)")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from cax.core.records.api import add_api_routes, api_row, json_value, values_from_body
    from cax.core.records.fields import KEY, KEY_LABEL, Field
    from cax.core.records.filters import YES_NO, Filter, field_filter
    from cax.core.records.forms import RecordForm
    from cax.core.records.importing import import_records
    from cax.core.records.model import RecordModel
    from cax.core.records.register import Register, rows_for
    from cax.core.records.registry import all_registers
    from cax.core.records.services import save_record
    from cax.core.records.urls import urlpatterns_for
    from cax.core.records.views import detail_context
