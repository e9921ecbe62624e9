"""The official printouts (#6): Decree 30/2020 header, document number, Vietnamese text, embedded
font. Rendered to PNG with poppler's pdftoppm, the way a reader would see the page."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse
from PIL import Image

from cax.reports import printouts
from cax.reports.tests.factories import DAILY, MONTHLY, submit

DAY = dt.date(2026, 11, 10)
pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="./cax test installs poppler-utils")


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def _png(pdf: bytes, tmp_path) -> Image.Image:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    return Image.open(next(tmp_path.glob("page*.png"))).convert("L")


def _ink(image: Image.Image, box: tuple[float, float, float, float]) -> int:
    """Dark pixels inside a box given in fractions of the page (left, top, right, bottom)."""
    w, h = image.size
    region = image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    return sum(1 for p in region.getdata() if p < 128)


def test_submission_printout_has_the_decree_30_header_and_vietnamese_text(cast, tmp_path):
    submission = submit(cast, cast.commune_a, DAY, form_code=MONTHLY)
    pdf = printouts.submission_pdf(submission=submission)
    text = _text(pdf, tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 01/BC-CAX" in text
    assert "CÔNG AN XÃ ĐĂK HÀ" in text.upper()
    assert "Số người chết do tai nạn giao thông" in text
    assert "ngày 14 tháng 11 năm 2026" in text or "tháng" in text
    page = _png(pdf, tmp_path)
    assert page.size[0] < page.size[1], "A4 portrait"
    # Ink where Decree 30 puts things: the national motto top right, the issuing body top left.
    assert _ink(page, (0.55, 0.02, 0.98, 0.12)) > 200
    assert _ink(page, (0.05, 0.02, 0.45, 0.12)) > 200


def test_issued_rollup_prints_landscape_with_its_number(cast, login, tmp_path):
    submit(cast, cast.commune_a, DAY, values={"tngt_vu": "3"})
    key = DAY.isoformat()
    client = login(cast.province_leader)
    response = client.post(
        reverse("reports:rollup", args=[cast.province_a.pk]) + f"?form={DAILY}&first={key}&last={key}",
        {"action": "issue"},
    )
    pdf = client.get(response["Location"]).content
    text = _text(pdf, tmp_path)
    assert "Số: 01/BC-CAT" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Số vụ tai nạn giao thông" in text
    assert "Phụ lục: số liệu theo đơn vị" in text
    assert "Xã Đăk Hà" in text
    assert "Tổng cộng" in text
    page = _png(pdf, tmp_path)
    assert page.size[0] < page.size[1], "the report itself is portrait A4"
    assert _ink(page, (0.55, 0.02, 0.98, 0.12)) > 200
