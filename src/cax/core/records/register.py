"""``Register``: everything the generic pages, the import and the API know about one record kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from cax.core.exceptions import NotVisible
from cax.core.imports import Column, RowError, parse_int
from cax.core.records import filters, importing, registry
from cax.core.records.fields import KEY, KEY_LABEL, Field
from cax.core.records.filters import Filter
from cax.core.records.model import RecordModel


def rows_for(model, actor, action: str = "view"):
    """The rows ``actor`` may see; the system (actor None: demo loads, commands) sees every row."""
    return model.objects.all() if actor is None else model.objects.visible_to(actor, action)


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
        registry.add(self)

    @property
    def kind(self) -> str:
        """``namespace.name``: names the register in import batches and API schemas."""
        return f"{self.namespace}.{self.name}"

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
        return filters.search(self, actor, params)

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
        return importing.resolve_lookups(self, actor, parsed_rows, errors)

    def existing(self, actor, data: dict):
        if not self.natural_key or any(data.get(k) in (None, "") for k in self.natural_key):
            return None
        return rows_for(self.model, actor).filter(**{k: data[k] for k in self.natural_key}).first()
