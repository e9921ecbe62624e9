import re
import zlib

from django.urls import reverse

from cax.cases.models import IdentityAccess
from cax.cases.tests.test_register import register


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams expanded, to look for the embedded font's name."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"".join(parts)


def test_the_receipt_record_is_a_pdf_with_the_vietnamese_font_embedded(cast, login):
    case = register(cast.commune_officer, cast.commune_a, is_confidential=True)
    response = login(cast.commune_chief).get(reverse("cases:receipt_record", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    pdf = _inflated(response.content)
    # The app's own font (declared as "CAX Serif"), embedded as a subset, not left to the reader.
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+CAX-Serif", pdf)
    assert b"/FontFile2" in pdf
    assert IdentityAccess.objects.filter(case=case, channel="pdf").count() == 1


def test_leaders_cannot_print_it_and_other_communes_cannot_find_it(cast, login):
    case = register(cast.commune_officer, cast.commune_a)
    assert login(cast.province_leader).get(reverse("cases:receipt_record", args=[case.pk])).status_code == 403
    assert login(cast.commune_c_officer).get(reverse("cases:receipt_record", args=[case.pk])).status_code == 404
