"""Requests in the one search (issue 19.5): found by their text, reference and answer. A request is
visible from the raising commune and the assigned department (``Petition.scope_path_lookups``)."""

from __future__ import annotations

from cax.core.search import Document


def document(petition) -> Document:
    text = petition.text or ""
    return Document(
        title=text[:160],
        body=f"{text} {petition.source_ref} {petition.answer}",
        line=petition.source_ref,
        unit_id=petition.unit_id,
    )
