"""What kind of file an upload really is (its leading bytes, not its name) and its text.

PDF text comes from pypdf (pure Python, docs/decisions/0011-library-pdf-text-pypdf.md); a DOCX is
a zip of XML, read with the standard library. A file that yields no text (a scanned PDF) is still
kept: the caller records that it has none.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

PDF, DOCX = "pdf", "docx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Word's own parts that hold text a reader sees: the body, headers, footers, notes.
_DOCX_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
MAX_TEXT_CHARS = 2_000_000  # a 500-page handbook is ~1.5M characters; more is not text but noise


class NotAllowed(ValueError):
    """The content is neither a PDF nor a DOCX (whatever its name says)."""


def sniff(content: bytes) -> str:
    """``PDF`` or ``DOCX`` from the bytes themselves; NotAllowed for anything else."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if "word/document.xml" in archive.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            pass
    raise NotAllowed("not a PDF or DOCX")


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        parts = []
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            if sum(len(p) for p in parts) > MAX_TEXT_CHARS:
                break
        return "\n".join(parts)
    except (PdfReadError, ValueError, KeyError, TypeError):
        # A damaged or encrypted PDF is kept without text rather than refused.
        return ""


def _docx_text(content: bytes) -> str:
    parts: list[str] = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        members = [n for n in _DOCX_PARTS if n in names]
        members += sorted(n for n in names if n.startswith(("word/header", "word/footer")) and n.endswith(".xml"))
        for name in members:
            info = archive.getinfo(name)
            if info.file_size > 50 * MAX_TEXT_CHARS:  # a zip bomb is not read
                continue
            try:
                root = ElementTree.fromstring(archive.read(name))
            except ElementTree.ParseError:
                continue
            for paragraph in root.iter(f"{_W}p"):
                parts.append("".join(t.text or "" for t in paragraph.iter(f"{_W}t")))
    return "\n".join(parts)


def extract_text(kind: str, content: bytes) -> str:
    """The readable text of a file of ``kind``, at most MAX_TEXT_CHARS characters ("" if none)."""
    text = _pdf_text(content) if kind == PDF else _docx_text(content)
    return text[:MAX_TEXT_CHARS].strip()
