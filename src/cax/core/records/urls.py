"""The URL patterns of one register."""

from __future__ import annotations

from django.urls import path

from cax.core.records.register import Register
from cax.core.records.views import (
    record_detail,
    record_edit,
    record_import,
    record_import_preview,
    record_import_template,
    record_list,
)


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
