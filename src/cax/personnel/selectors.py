"""Reads of the officer registry, always through ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _

from cax.core.exceptions import NotVisible
from cax.core.text import matching_words, search_key
from cax.personnel.models import Language, Officer, Speciality


def officer_list(
    *,
    actor: Any,
    q: str = "",
    unit=None,
    sex: str = "",
    rank: str = "",
    status: str = "",
    speciality: str = "",
    language: str = "",
    is_party_member: bool | None = None,
) -> QuerySet[Officer]:
    queryset = (
        Officer.objects.visible_to(actor)
        .select_related("unit", "next_unit", "home_unit")
        .prefetch_related("specialities", "languages")
    )
    queryset = matching_words(queryset, q)
    if unit is not None:
        queryset = queryset.in_subtree(unit.path)
    for field, value in (("sex", sex), ("rank", rank), ("status", status)):
        if value:
            queryset = queryset.filter(**{field: value})
    # The many-valued filters as EXISTS, not joins: no row repeats, so no DISTINCT over every column,
    # which made the page's COUNT and ORDER BY sort the whole scope (issue 20).
    if speciality:
        queryset = queryset.filter(Exists(Speciality.objects.filter(officer=OuterRef("pk"), kind=speciality)))
    if language:
        queryset = queryset.filter(Exists(Language.objects.filter(officer=OuterRef("pk"), key=search_key(language))))
    if is_party_member is not None:
        queryset = queryset.filter(is_party_member=is_party_member)
    return queryset.order_by("full_name", "service_number")


def officer_get(*, actor: Any, pk: int | None = None, service_number: str | None = None) -> Officer:
    queryset = (
        Officer.objects.visible_to(actor)
        .select_related("unit", "next_unit", "home_unit")
        .prefetch_related(
            "specialities",
            "languages",
            Prefetch("postings", queryset=_postings().select_related("unit").order_by("-start_date")),
        )
    )
    officer = (
        queryset.filter(pk=pk).first() if pk is not None else queryset.filter(service_number=service_number).first()
    )
    if officer is None:
        raise NotVisible(_("Không tìm thấy cán bộ."))
    return officer


def _postings():
    """The postings of officers, reached through the relation: deployment builds on personnel, so
    personnel names no deployment module."""
    return Officer._meta.get_field("postings").related_model.objects.all()
