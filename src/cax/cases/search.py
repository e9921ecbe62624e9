"""Crime reports in the one search (issue 19.5): found by their number and summary only. The
reporter's identity (``Case.PERSONAL_FIELDS``) is never indexed nor shown: revealing it stays the
logged service ``reporter_identity_reveal``."""

from __future__ import annotations

from cax.core.search import Document


def document(case) -> Document:
    number = f"{case.serial}/{case.year}"
    summary = case.summary or ""
    return Document(title=number, body=f"{number} {summary}", line=summary[:160], unit_id=case.unit_id)
