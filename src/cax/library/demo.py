"""Demo documents of the demo province (``./cax up``): a handbook with its DOCX, a guidance
replaced by a newer one, a nationwide template and a Mật stub."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

from django.db import transaction
from django.utils import timezone

from cax.library import services
from cax.library.models import Document
from cax.library.registers import DOCUMENTS
from cax.units.models import Unit

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A minimal valid DOCX holding ``paragraphs`` (the demo's handbook, the tests' files)."""
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


HANDBOOK_TEXT = [
    "Sổ tay nghiệp vụ Công an xã",
    "Chương 1. Tiếp nhận, phân loại tin báo, tố giác tội phạm tại trụ sở Công an xã.",
    "Chương 2. Quản lý cư trú: đăng ký thường trú, tạm trú, thông báo lưu trú.",
    "Chương 3. Phối hợp với Tổ bảo vệ an ninh, trật tự ở cơ sở trong tuần tra ban đêm.",
]


def _provincial(province, **data) -> dict:
    """A document of the province's police, for every officer of the province."""
    return {
        "unit": province,
        "issuer": f"Công an {province.name}",
        "secrecy": "none",
        "audience": "subtree",
        "audience_unit": province,
        **data,
    }


def _save(data: dict) -> Document:
    return DOCUMENTS.save(actor=None, instance=None, data=data)


def _nationwide_template(root) -> dict:
    return {
        "unit": root,
        "title": "Biểu mẫu sổ đăng ký bí mật nhà nước đi, đến (mẫu 14, 15)",
        "kind": "template",
        "issuer": "Bộ Công an",
        "number": "24/2020/TT-BCA",
        "issued_on": dt.date(2020, 3, 10),
        "effective_from": dt.date(2020, 7, 1),
        "secrecy": "none",
        "audience": "all",
        "requires_acknowledgement": False,
    }


def _secret_stub(province, today: dt.date) -> dict:
    """A Mật document: only its reference stub, never a file (Law on protecting state secrets)."""
    issued = today - dt.timedelta(days=20)
    return _provincial(
        province,
        title="Kế hoạch bảo đảm an ninh (bản giấy)",
        kind="directive",
        number="17/KH-CAT",
        issued_on=issued,
        effective_from=issued,
        secrecy="mat",
        classified_on=issued,
        holder="Văn thư Công an tỉnh",
    )


@transaction.atomic
def load_demo(*, province) -> None:
    if Document.objects.in_subtree(province).exists():
        return
    today = timezone.localdate()

    def days_ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    handbook = _save(
        _provincial(
            province,
            title="Sổ tay nghiệp vụ Công an xã",
            kind="handbook",
            number="01/ST-CAT",
            issued_on=days_ago(40),
            effective_from=days_ago(30),
            tags="tin báo, cư trú, tuần tra",
            summary="Những việc Công an xã làm hằng ngày, theo từng chương.",
        )
    )
    services.document_attach_file(
        actor=None, document=handbook, name="so-tay-cong-an-xa.docx", content=docx_bytes(HANDBOOK_TEXT)
    )
    title = "Hướng dẫn tiếp công dân tại trụ sở Công an xã"
    new_guidance = _save(
        _provincial(
            province,
            title=f"{title} (thay thế)",
            kind="guidance",
            number="22/HD-CAT",
            issued_on=days_ago(12),
            effective_from=days_ago(10),
        )
    )
    _save(
        _provincial(
            province,
            title=title,
            kind="guidance",
            number="05/HD-CAT",
            issued_on=days_ago(400),
            effective_from=days_ago(390),
            replaced_by=new_guidance,
            requires_acknowledgement=False,
        )
    )
    root = Unit.objects.filter(parent__isnull=True).first()
    if root is not None:
        _save(_nationwide_template(root))
    _save(_secret_stub(province, today))
