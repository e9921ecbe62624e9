"""Unit endpoints: list, detail, children and subtree, all within the caller's scope."""
# No "from __future__ import annotations": django-ninja must resolve Query[...] types at import time.

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from cax.api.pagination import PagePagination
from cax.units import selectors
from cax.units.models import tree_counts

router = Router()


class UnitOut(Schema):
    id: int
    code: str
    name: str
    type: str
    type_name: str
    parent_code: str | None
    level: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    is_border: bool
    is_ethnic_minority: bool
    is_remote: bool
    is_key_security: bool
    population: int | None
    latitude: Decimal | None
    longitude: Decimal | None
    child_count: int | None = None
    commune_count: int | None = None

    # A row of a list (``_UnitRows``) is a dict with every value already read; a unit of the
    # detail endpoint is a model instance.
    @staticmethod
    def resolve_type(unit) -> str:
        return unit["type"] if isinstance(unit, dict) else unit.unit_type.code

    @staticmethod
    def resolve_type_name(unit) -> str:
        return unit["type_name"] if isinstance(unit, dict) else str(unit.unit_type.name)

    @staticmethod
    def resolve_parent_code(unit) -> str | None:
        if isinstance(unit, dict):
            return unit["parent_code"]
        return unit.parent.code if unit.parent_id else None


class _UnitRows:
    """A unit list as the API pages it: one query of plain values (the type's and the parent's
    code joined in, no model instances) and the tree's counts of ``tree_counts`` (cached per data
    revision), mapped to ``UnitOut``'s keys; ``PagePagination`` counts it and slices it (issue 20)."""

    PLAIN = (
        "id",
        "code",
        "name",
        "level",
        "valid_from",
        "valid_to",
        "is_border",
        "is_ethnic_minority",
        "is_remote",
        "is_key_security",
        "population",
        "latitude",
        "longitude",
    )

    def __init__(self, units):
        self.units = units.select_related(None)

    def count(self) -> int:
        return self.units.count()

    def __getitem__(self, window: slice) -> list[dict]:
        rows = list(self.units.values(*self.PLAIN, "unit_type__code", "unit_type__name", "parent__code")[window])
        children, communes = tree_counts()
        return [
            {
                **{key: row[key] for key in self.PLAIN},
                "type": row["unit_type__code"],
                "type_name": row["unit_type__name"],
                "parent_code": row["parent__code"],
                "child_count": children.get(row["id"], 0),
                "commune_count": communes.get(row["id"], 0),
            }
            for row in rows
        ]


class UnitFilters(Schema):
    q: str = ""
    type: str = ""
    level: int | None = None
    is_border: bool = False
    is_ethnic_minority: bool = False
    is_remote: bool = False
    is_key_security: bool = False
    include_closed: bool = False

    def flags(self) -> tuple[str, ...]:
        return tuple(flag for flag in selectors.FLAG_FIELDS if getattr(self, flag))


def _list(request, filters: UnitFilters, parent=None):
    return _UnitRows(
        selectors.unit_list(
            actor=request.auth,
            q=filters.q,
            unit_type=filters.type,
            level=filters.level,
            flags=filters.flags(),
            include_closed=filters.include_closed,
            parent=parent,
            with_counts=False,
        )
    )


@router.get("", response=list[UnitOut], summary="Danh sách đơn vị trong phạm vi")
@paginate(PagePagination)
def list_units(request, filters: Query[UnitFilters]):
    return _list(request, filters)


@router.get("/{code}", response=UnitOut, summary="Chi tiết đơn vị")
def get_unit(request, code: str):
    return selectors.unit_get_by_code(actor=request.auth, code=code)


@router.get("/{code}/children", response=list[UnitOut], summary="Đơn vị trực thuộc")
@paginate(PagePagination)
def list_children(request, code: str, filters: Query[UnitFilters]):
    parent = selectors.unit_get_by_code(actor=request.auth, code=code)
    return _list(request, filters, parent=parent)


@router.get("/{code}/subtree", response=list[UnitOut], summary="Toàn bộ cây đơn vị bên dưới")
@paginate(PagePagination)
def list_subtree(request, code: str, include_closed: bool = False):
    unit = selectors.unit_get_by_code(actor=request.auth, code=code)
    return selectors.unit_subtree(actor=request.auth, unit=unit, include_closed=include_closed)
