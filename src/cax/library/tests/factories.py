"""Documents for the library's tests, saved through the register's service as a user would."""

from __future__ import annotations

import datetime as dt

from cax.library.registers import DOCUMENTS


def document(actor, unit, **data):
    values = {
        "unit": unit,
        "title": "Sổ tay nghiệp vụ Công an xã",
        "kind": "handbook",
        "issuer": "Công an tỉnh Quảng Ngãi",
        "number": "01/ST-CAT",
        "issued_on": dt.date(2026, 1, 5),
        "effective_from": dt.date(2026, 1, 15),
        "secrecy": "none",
        "audience": "subtree",
        "audience_unit": unit,
        **data,
    }
    return DOCUMENTS.save(actor=actor, instance=None, data=values)


def pdf_bytes(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()
