"""How library documents appear in the list, Excel and the API (cax.core.records)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cax.core import formatting as fmt
from cax.core.imports import parse_bool, parse_choice, parse_date, parse_int, parse_text
from cax.core.records import filters
from cax.core.records.fields import Field
from cax.core.records.filters import Filter, field_filter
from cax.core.records.forms import RecordForm
from cax.core.records.register import Register
from cax.library import selectors, services
from cax.library.models import Audience, Document, DocumentKind, DocumentStatus, SecrecyLevel
from cax.units.fields import units_by_code


def documents_by_id(keys: set, actor) -> dict:
    return {d.pk: d for d in selectors.documents_for(actor).filter(pk__in=keys)}


def unit_types_by_code(keys: set, actor) -> dict:
    from cax.units.models import UnitType

    return {t.code: t for t in UnitType.objects.filter(code__in=keys)}


class DocumentRegister(Register):
    def queryset(self, actor, action: str = "view"):
        qs = super().queryset(actor, action)
        return qs.defer("file_text")  # the folded text is for the search only, never shown

    def search(self, actor, params):
        """The register's search, with the box also looking inside the files' text."""
        rest = params.copy() if hasattr(params, "copy") else dict(params)
        q = (rest.get("q") or "").strip()
        rest["q"] = ""
        return selectors.matching(filters.search(self, actor, rest), q)


class DocumentForm(RecordForm):
    class Meta:
        model = Document
        fields = [
            "unit",
            "title",
            "kind",
            "issuer",
            "number",
            "issued_on",
            "effective_from",
            "effective_to",
            "replaced_by",
            "tags",
            "summary",
            "secrecy",
            "classified_on",
            "holder",
            "protection_until",
            "audience",
            "audience_unit",
            "audience_unit_type",
            "requires_acknowledgement",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = selectors.documents_for(self.actor).exclude(pk=self.instance.pk)
        self.fields["protection_until"].help_text = _(
            "Để trống: 10 năm (Mật), 20 năm (Tối mật), 30 năm (Tuyệt mật) kể từ ngày xác định độ mật."
        )
        self.fields["summary"].help_text = _("Tài liệu có độ mật: để trống (CAX không lưu nội dung tài liệu mật).")


def _status(doc) -> str:
    return str(DocumentStatus(doc.status_on(timezone.localdate())).label)


def _replaced_by(doc):
    return doc.replaced_by_id


def _status_filter(queryset, value, day):
    return queryset.filter(selectors.status_q(value, day))


DOCUMENTS = DocumentRegister(
    model=Document,
    name="document",
    namespace="library",
    label=_("tài liệu nghiệp vụ"),
    label_plural=_("tài liệu nghiệp vụ"),
    view_perm="library.view_document",
    change_perm="library.change_document",
    fields=[
        Field("title", _("Tên tài liệu"), parse=parse_text(300), required=True, example="Sổ tay Công an xã"),
        Field(
            "kind",
            _("Loại tài liệu"),
            parse=parse_choice(DocumentKind.choices),
            required=True,
            example="Sổ tay nghiệp vụ",
        ),
        Field("number", _("Số, ký hiệu"), parse=parse_text(80), example="12/HD-CAT"),
        Field("issuer", _("Cơ quan ban hành"), parse=parse_text(200), required=True, example="Công an tỉnh Quảng Ngãi"),
        Field("issued_on", _("Ngày ban hành"), parse=parse_date, required=True, example="05/01/2026"),
        Field("effective_from", _("Hiệu lực từ"), parse=parse_date, required=True, example="15/01/2026"),
        Field("effective_to", _("Hiệu lực đến"), parse=parse_date, in_list=False),
        Field("status", _("Tình trạng"), value=_status),
        Field(
            "replaced_by",
            _("Được thay thế bởi (mã hồ sơ)"),
            value=_replaced_by,
            parse=parse_int(1),
            lookup=documents_by_id,
            in_list=False,
            api_type=int,
        ),
        Field("tags", _("Từ khoá"), parse=parse_text(300), in_list=False, example="tiếp công dân, cư trú"),
        Field("summary", _("Tóm tắt nội dung"), parse=parse_text(5000), in_list=False),
        Field("secrecy", _("Độ mật"), parse=parse_choice(SecrecyLevel.choices), required=True, example="Không mật"),
        Field("classified_on", _("Ngày xác định độ mật"), parse=parse_date, in_list=False),
        Field("holder", _("Nơi, người giữ bản giấy"), parse=parse_text(200), in_list=False),
        Field("protection_until", _("Thời hạn bảo vệ đến"), parse=parse_date, in_list=False),
        Field(
            "unit",
            _("Mã đơn vị đăng tải"),
            value=lambda d: d.unit.code,
            parse=parse_text(32),
            lookup=units_by_code,
            required=True,
            example="51",
            in_list=False,
        ),
        Field("unit_name", _("Đơn vị đăng tải"), value=lambda d: d.unit.name),
        Field(
            "audience",
            _("Áp dụng cho"),
            parse=parse_choice(Audience.choices),
            required=True,
            example="Tất cả Công an cấp xã",
        ),
        Field(
            "audience_unit",
            _("Mã đơn vị áp dụng"),
            value=lambda d: d.audience_unit.code if d.audience_unit_id else None,
            parse=parse_text(32),
            lookup=units_by_code,
            in_list=False,
        ),
        Field(
            "audience_unit_type",
            _("Mã loại đơn vị áp dụng"),
            value=lambda d: d.audience_unit_type.code if d.audience_unit_type_id else None,
            parse=parse_text(32),
            lookup=unit_types_by_code,
            in_list=False,
        ),
        Field("requires_acknowledgement", _("Yêu cầu xác nhận đã đọc"), parse=parse_bool, in_list=False, example="Có"),
        Field("file_name", _("Tệp"), in_list=False),
        Field(
            "file_size",
            _("Dung lượng tệp"),
            value=lambda d: fmt.number(d.file_size) if d.file_size else None,
            in_list=False,
        ),
        Field("text_status", _("Nội dung tệp"), in_list=False),
    ],
    form_class=DocumentForm,
    save=services.document_save,
    filters=[
        field_filter("kind", _("Loại tài liệu"), DocumentKind.choices),
        field_filter("secrecy", _("Độ mật"), SecrecyLevel.choices),
        field_filter("audience", _("Áp dụng cho"), Audience.choices),
        Filter("status", _("Tình trạng"), DocumentStatus.choices, _status_filter, dated=True),
    ],
    select_related=("unit", "replaced_by", "audience_unit", "audience_unit_type"),
    ordering=("-issued_on", "pk"),
    detail_template="library/document_detail.html",
    export_name="tai-lieu-nghiep-vu",
)


def _detail_context(request, doc) -> dict:
    from cax.library import policy

    user = request.user
    return {
        "can_upload": policy.can_publish(user, doc) and not doc.is_secret,
        "can_acknowledge": policy.can_acknowledge(user, doc),
        "acknowledgement": selectors.acknowledgement_of(actor=user, document=doc),
        "can_see_unread": policy.can_see_unread(user) and doc.requires_acknowledgement and not doc.is_secret,
        "replaces": list(selectors.documents_for(user).filter(replaced_by=doc)),
        "replaced_on": doc.replaced_on(),
        "status": _status(doc),
        "secret_notice": services.secret_refusal(doc.secrecy) if doc.is_secret else "",
    }


DOCUMENTS.detail_context = _detail_context
