"""Persons under management in the one search (issue 19.5): a sensitive source, so their names are
never copied into core's shared index. The search runs here, through this app's own rule of who
reads names (``policy.sees_names``: the managing commune, the responsible department) and its own
selector; every search that shows names is written to the file access log. Anyone else gets no hit
and no count, exactly as if no person matched."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from cax.core.search import Hit
from cax.supervision import policy, selectors, services

LABEL = gettext_lazy("Đối tượng quản lý")


def search(*, actor, words: list[str], limit: int, channel: str = "web") -> list[Hit]:
    if not words or not policy.sees_names(actor):
        return []
    files = selectors.files(actor)
    for word in words:
        files = files.filter(identity__search_key__contains=word)
    found = list(files.order_by("identity__full_name", "pk")[:limit])
    if found:
        services.names_searched(actor=actor, words=words, rows=len(found), channel=channel)
    return [
        Hit(
            kind="persons",
            label=LABEL,
            title=file.identity.full_name,
            line=str(file.category),
            url=reverse("supervision:file_detail", args=[file.pk]),
            unit=file.unit.name,
        )
        for file in found
    ]
