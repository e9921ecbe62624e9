"""The printable receipt record (biên bản tiếp nhận), laid out after Decree 30/2020 Appendix I.

Fonts come from the app's own static folder, so the PDF looks the same on any server and embeds
a font with every Vietnamese glyph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cax.cases.models import Case

FONTS = Path(settings.BASE_DIR) / "static" / "cax" / "fonts"


def receipt_record_pdf(*, case: Case, identity: dict[str, Any] | None) -> bytes:
    from weasyprint import HTML

    ancestors = case.unit.ancestor_ids
    province = case.unit.parent if case.unit.parent_id and len(ancestors) >= 2 else None
    html = render_to_string(
        "cases/receipt_record.html",
        {
            "case": case,
            "identity": identity,
            "province": province,
            "received": timezone.localtime(case.received_at),
            "fonts": FONTS.as_uri(),
        },
    )
    return HTML(string=html, base_url=str(FONTS)).write_pdf()
