"""Every write of the library: the form, the Excel import and the API save through here.

The secrecy rule is enforced twice: here, with a refusal that names the law in force on the day
(rule rows ``SecrecyRule``), and by the database's check constraint ``library_secret_document_is_a_stub``.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.changelog import record_change, snapshot
from cax.core.exceptions import DomainError, refuse_if_any
from cax.core.models import ChangeLog
from cax.core.records.services import save_record
from cax.core.scoping import is_under
from cax.core.text import search_key, vn_date
from cax.core.uploads import file_too_large_message
from cax.library import extraction, policy, secrecy
from cax.library import notices as library_notices
from cax.library.models import (
    Acknowledgement,
    Audience,
    Document,
    ProtectionPeriod,
    SecrecyLevel,
    SecrecyRule,
    TextStatus,
)

# Sent when the officers a document applies to are asked to read it (a new document, or a new
# audience): ``document``. The notifications the lead plugs in later listen here.


def secrecy_rule_on(day):
    return secrecy.in_force([r.row() for r in SecrecyRule.objects.all()], day)


def secret_refusal(level: str, day=None) -> str:
    """Why CAX keeps no body or file of a classified document, naming the law in force on ``day``."""
    day = day or timezone.localdate()
    label = SecrecyLevel(level).label
    rule = secrecy_rule_on(day)
    if rule is None:
        return _(
            "Tài liệu “{level}” không được lưu nội dung hay tệp trên CAX (hệ thống kết nối mạng). "
            "CAX chỉ giữ số, ngày, cơ quan ban hành, nơi giữ bản giấy và thời hạn bảo vệ."
        ).format(level=label)
    return _(
        "Tài liệu “{level}” không được lưu nội dung hay tệp trên CAX: {article} {law} nghiêm cấm soạn thảo, "
        "lưu giữ bí mật nhà nước trên thiết bị kết nối mạng (áp dụng ngày {day}). CAX chỉ giữ số, ngày, "
        "cơ quan ban hành, nơi giữ bản giấy và thời hạn bảo vệ."
    ).format(level=label, article=rule.article, law=rule.law, day=vn_date(day))


def _check_secrecy(doc: Document, fields: dict) -> None:
    if not doc.is_secret:
        for name in ("classified_on", "protection_until"):
            if getattr(doc, name):
                fields[name] = [_("Chỉ tài liệu có độ mật mới ghi ngày xác định độ mật và thời hạn bảo vệ.")]
        return
    if doc.summary.strip():
        fields["summary"] = [secret_refusal(doc.secrecy)]
    required = {
        "number": _("Tài liệu mật phải ghi số, ký hiệu."),
        "holder": _("Tài liệu mật phải ghi nơi, người giữ bản giấy."),
        "classified_on": _("Tài liệu mật phải ghi ngày xác định độ mật."),
    }
    for name, message in required.items():
        if not getattr(doc, name):
            fields[name] = [message]
    # A stub has nothing to read on CAX: it asks no one to acknowledge it here.
    doc.requires_acknowledgement = False
    if doc.classified_on and doc.protection_until is None:
        periods = [p.row() for p in ProtectionPeriod.objects.all()]
        found = secrecy.protection_end(doc.classified_on, periods, doc.secrecy)
        if found is None:
            fields["protection_until"] = [
                _("Không có quy định thời hạn bảo vệ áp dụng ngày {d}: hãy ghi thời hạn bảo vệ.").format(
                    d=vn_date(doc.classified_on)
                )
            ]
        else:
            doc.protection_until, row = found
            doc.protection_verified = row.verified
    elif doc.protection_until is not None:
        doc.protection_verified = True  # stated on the document itself (it may be shorter)
        if doc.classified_on and doc.protection_until < doc.classified_on:
            fields["protection_until"] = [_("Thời hạn bảo vệ phải sau ngày xác định độ mật.")]


def _check_audience(doc: Document, fields: dict) -> None:
    if doc.audience == Audience.ALL:
        doc.audience_unit = None
        doc.audience_unit_type = None
    elif doc.audience == Audience.SUBTREE:
        doc.audience_unit_type = None
        if doc.audience_unit is None:
            fields["audience_unit"] = [_("Chọn đơn vị áp dụng (tỉnh hoặc đơn vị và cấp dưới).")]
        elif doc.unit_id and not is_under(doc.audience_unit, doc.unit):
            fields["audience_unit"] = [_("Đơn vị áp dụng phải thuộc phạm vi của đơn vị đăng tải.")]
    elif doc.audience == Audience.UNIT_TYPE:
        doc.audience_unit = None
        if doc.audience_unit_type is None:
            fields["audience_unit_type"] = [_("Chọn loại đơn vị áp dụng.")]


def _check_replacement(doc: Document, fields: dict) -> None:
    seen, current = set(), doc.replaced_by
    while current is not None:
        if current.pk == doc.pk or current.pk in seen:
            fields["replaced_by"] = [_("Tài liệu không thể được thay thế bởi chính nó (kể cả qua tài liệu khác).")]
            return
        seen.add(current.pk)
        current = current.replaced_by


def _check_document(doc: Document) -> None:
    fields: dict[str, list[str]] = {}
    if doc.unit_id and doc.unit.unit_type.is_commune_level:
        fields["unit"] = [_("Tài liệu nghiệp vụ do Bộ hoặc Công an tỉnh đăng tải, không do Công an cấp xã.")]
    if doc.effective_from and doc.effective_to and doc.effective_to < doc.effective_from:
        fields["effective_to"] = [
            _("Ngày hết hiệu lực {e} trước ngày có hiệu lực {s}.").format(
                e=vn_date(doc.effective_to), s=vn_date(doc.effective_from)
            )
        ]
    doc.tags = ", ".join(t.strip() for t in doc.tags.split(",") if t.strip())
    _check_secrecy(doc, fields)
    _check_audience(doc, fields)
    _check_replacement(doc, fields)
    refuse_if_any(fields)


def _drop_file(doc: Document) -> str:
    """Remove the stored file and its text (a document just classified); the file goes after commit."""
    name, stored = doc.file_name, doc.file.name
    doc.file, doc.file_name, doc.content_type, doc.file_size, doc.sha256 = "", "", "", None, ""
    doc.file_text, doc.text_status = "", TextStatus.NO_FILE
    if stored:
        storage = Document._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(stored))
    return name


@transaction.atomic
def document_save(*, actor, instance, data) -> Document:
    before_audience = (
        None if instance is None else (instance.audience, instance.audience_unit_id, instance.audience_unit_type_id)
    )
    had_file = instance is not None and bool(instance.file)
    message = ""
    if had_file and secrecy.is_secret(data.get("secrecy") or instance.secrecy):
        message = _("Đã xoá tệp “{n}” và nội dung khỏi CAX vì tài liệu được xác định độ mật.").format(
            n=instance.file_name
        )
        _drop_file(instance)
    doc = save_record(
        actor=actor,
        instance=instance,
        model=Document,
        data=data,
        perm=policy.PUBLISH,
        denied=_("Bạn không có quyền đăng tải tài liệu nghiệp vụ."),
        validate=_check_document,
        message=message,
    )
    audience = (doc.audience, doc.audience_unit_id, doc.audience_unit_type_id)
    if doc.requires_acknowledgement and audience != before_audience:
        request_acknowledgement(doc, actor=actor)
    return doc


def request_acknowledgement(document: Document, *, actor=None) -> int:
    """The one place that asks a document's officers to read it: a notice to each user it applies
    to who has not confirmed yet, in the caller's transaction (the home page's to-do line reads the
    same state itself). A classified stub asks nobody: there is nothing in CAX to read."""
    if document.is_secret:
        return 0
    return library_notices.acknowledgement_requested(document, actor=actor)


def document_attach_file(*, actor, document: Document, name: str, content: bytes) -> Document:
    """Store a PDF or DOCX for ``document``, replacing any earlier file; refused for a classified one."""
    policy.require_publisher(actor, document)
    if document.is_secret:
        raise DomainError(secret_refusal(document.secrecy), fields={"file": [_("Không lưu tệp của tài liệu mật")]})
    limit = settings.CAX_ATTACHMENT_MAX_BYTES
    if len(content) > limit:
        raise DomainError(file_too_large_message(len(content), limit), fields={"file": [_("Tệp quá lớn")]})
    if not content:
        raise DomainError(_("Tệp rỗng."), fields={"file": [_("Tệp rỗng")]})
    extension = PurePath(name).suffix.lower()
    try:
        kind = extraction.sniff(content)
    except extraction.NotAllowed:
        raise DomainError(
            _("Chỉ nhận tệp PDF hoặc DOCX; nội dung tệp “{n}” không phải PDF hay DOCX.").format(n=PurePath(name).name),
            fields={"file": [_("Loại tệp không được phép")]},
        ) from None
    if extension != extraction.EXTENSIONS[kind]:
        raise DomainError(
            _("Nội dung tệp là {k} nhưng tên tệp có đuôi “{e}”.").format(k=kind.upper(), e=extension or "—"),
            fields={"file": [_("Nội dung không khớp với đuôi tệp")]},
        )
    text = search_key(extraction.extract_text(kind, content))
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=document.pk)
        before = snapshot(doc)
        old = doc.file.name
        doc.file_name = PurePath(name).name[:255]
        doc.content_type = extraction.CONTENT_TYPES[kind]
        doc.file_size = len(content)
        doc.sha256 = hashlib.sha256(content).hexdigest()
        doc.file_text = text
        doc.text_status = TextStatus.EXTRACTED if text else TextStatus.NO_TEXT
        # A random stored name: an uploaded name never reaches the file system.
        doc.file.save(f"{uuid.uuid4().hex}{extraction.EXTENSIONS[kind]}", ContentFile(content), save=False)
        doc.save()
        if old:
            storage = Document._meta.get_field("file").storage
            transaction.on_commit(lambda: storage.delete(old))
        record_change(
            actor=actor,
            obj=doc,
            action=ChangeLog.Action.UPDATE,
            before=before,
            message=_("Tải lên tệp {n}").format(n=doc.file_name)
            + ("" if text else "; " + _("tệp không có chữ đọc được")),
        )
    return doc


def document_acknowledge(*, actor, document: Document) -> Acknowledgement:
    """The user has read the document: one row, once; a second click returns the first."""
    policy.require_acknowledger(actor, document)
    with transaction.atomic():
        existing = Acknowledgement.objects.filter(document=document, user=actor).first()
        if existing is not None:
            return existing
        return Acknowledgement.objects.create(document=document, user=actor, unit=actor.unit)
