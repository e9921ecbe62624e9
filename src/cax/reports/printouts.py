"""Official printouts in the Decree 30/2020 layout (#6): a unit's report and an issued roll-up.

Header: the managing body and the issuing body on the left with "Số: NN/BC-…", the national motto
on the right; place and date; the title; the content; the signature block. Fonts are embedded from
the app's own static folder, so Vietnamese renders the same on any server.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from cax.cases.printouts import FONTS
from cax.core import formatting
from cax.reports import services
from cax.reports.models import IssuedReport, Submission
from cax.units.models import Unit


def _abbreviation(unit: Unit) -> str:
    """The issuing body's short code after the type ("BC-CAX"): commune police, province police."""
    return "CAX" if unit.unit_type.is_commune_level else ("CAT" if unit.parent_id else "BCA")


def _render(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, {**context, "fonts": FONTS.as_uri()})
    return HTML(string=html, base_url=str(FONTS)).write_pdf()


def _header(unit: Unit) -> dict:
    parent = unit.parent if unit.parent_id and unit.parent and unit.parent.parent_id else None
    return {"managing": parent, "issuer": unit}


def submission_pdf(*, submission: Submission) -> bytes:
    items = services.items_of(submission.version)
    values = {v.indicator_id: v for v in submission.values.all()}
    rows = []
    for item, section in services.with_section_breaks(items):
        value = values.get(item.indicator_id)
        if item.indicator.value_type == "text":
            shown = value.text if value else ""
        elif item.indicator.value_type == "boolean":
            shown = "" if value is None or value.number is None else ("Có" if value.number else "Không")
        else:
            shown = formatting.number(value.number if value else None)
        rows.append(
            {
                "section": section,
                "label": item.display_label,
                "measure": item.indicator.measure,
                "value": shown,
                "is_text": item.indicator.value_type == "text",
                "reason": value.correction_reason if value else "",
            }
        )
    signed = timezone.localtime(submission.first_submitted_at or timezone.now())
    return _render(
        "reports/print_submission.html",
        {
            **_header(submission.unit),
            "submission": submission,
            "rows": rows,
            "signed": signed,
            "number": f"{submission.document_number:02d}" if submission.document_number else "…",
            "code": f"{submission.form.document_code}-{_abbreviation(submission.unit)}",
        },
    )


def issued_pdf(*, issued: IssuedReport) -> bytes:
    """The totals per indicator in the body (portrait); the table by unit in an appendix (landscape)."""
    content = issued.content
    first = content.get("first_value", 1)
    # The frozen content keeps numbers in their machine form; the printout writes them as Vietnamese does.
    rows = [row[:first] + [formatting.number(cell) for cell in row[first:]] for row in content["rows"]]
    total = content["total"][:first] + [formatting.number(cell) for cell in content["total"][first:]]
    totals = list(zip(content["header"][first:], total[first:], strict=False))
    return _render(
        "reports/print_issued.html",
        {
            **_header(issued.unit),
            "issued": issued,
            "totals": totals,
            "rows": rows,
            "total": total,
            "signed": timezone.localtime(issued.issued_at),
            "number": f"{issued.number:02d}",
            "code": f"{issued.form.document_code}-{_abbreviation(issued.unit)}",
        },
    )
