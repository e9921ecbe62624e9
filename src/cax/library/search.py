"""Documents in the one search (issue 19.5): found by their title, number, issuer, tags, summary and
the text of their file. Who finds one is who may read it (``Document.objects.visible_to``: the
audience and the publisher's subtree). A classified document is a stub: only its metadata is there."""

from __future__ import annotations

from cax.core.search import Document


def document(doc) -> Document:
    number = doc.number or ""
    return Document(
        title=doc.title,
        body=f"{number} {doc.issuer} {doc.tags} {doc.summary} {doc.file_text}",
        line=" · ".join(part for part in (number, doc.issuer) if part),
        unit_id=doc.unit_id,
    )
