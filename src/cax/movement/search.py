"""Models of the movement in the one search (issue 19.5): found by their name, type, decision and
note, seen by whoever sees the commune that owns them."""

from __future__ import annotations

from cax.core.search import Document


def document(model) -> Document:
    decision = model.decision_number or ""
    return Document(
        title=model.name,
        body=f"{model.model_type.name} {decision} {model.decision_issuer} {model.note}",
        line=" · ".join(part for part in (str(model.model_type.name), decision) if part),
        unit_id=model.unit_id,
    )
