"""Officers in the one search (issue 19.5): found by name and service number. Who sees one is
``Officer.objects.visible_to`` (the posting in force), read when the search runs, so the unit kept
on the row is only what the hit shows."""

from __future__ import annotations

from cax.core.search import Document


def document(officer) -> Document:
    return Document(
        title=officer.full_name, body=officer.service_number, line=officer.service_number, unit_id=officer.unit_id
    )
