"""Unit endpoints: list, detail, children and subtree, all within the caller's scope."""
# No "from __future__ import annotations": django-ninja must resolve Query[...] types at import time.

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from cax.api.pagination import PagePagination
from cax.units import selectors

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

    @staticmethod
    def resolve_type(unit) -> str:
        return unit.unit_type.code

    @staticmethod
    def resolve_type_name(unit) -> str:
        return str(unit.unit_type.name)

    @staticmethod
    def resolve_parent_code(unit) -> str | None:
        return unit.parent.code if unit.parent_id else None


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
    return selectors.unit_list(
        actor=request.auth,
        q=filters.q,
        unit_type=filters.type,
        level=filters.level,
        flags=filters.flags(),
        include_closed=filters.include_closed,
        parent=parent,
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
