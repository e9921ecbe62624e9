"""Units in the one search (issue 19.5): found by name and code."""

from __future__ import annotations

from cax.core.search import Document


def document(unit) -> Document:
    return Document(title=unit.name, body=unit.code, line=unit.code, unit_id=unit.pk)
