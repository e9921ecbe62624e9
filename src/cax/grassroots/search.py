"""Grassroots security teams in the one search (issue 19.5): found by name, code, decision."""

from __future__ import annotations

from cax.core.search import Document


def document(team) -> Document:
    return Document(
        title=team.name, body=f"{team.code} {team.decision_number} {team.note}", line=team.code, unit_id=team.unit_id
    )
