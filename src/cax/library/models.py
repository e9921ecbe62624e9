"""The operational document library (issue 19 part 3): handbooks, guidance, templates and legal
texts; who they apply to; who has read them; and the secrecy rule that keeps classified content
out of CAX (docs/library.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cax.core.models import ImmutableRecordError, UnitOwned
from cax.core.records.model import RecordModel
from cax.core.scoping import ScopedQuerySet, permission_name, subtree_q
from cax.library import secrecy


class DocumentKind(models.TextChoices):
    HANDBOOK = "handbook", _("Sổ tay nghiệp vụ")
    GUIDANCE = "guidance", _("Hướng dẫn nghiệp vụ")
    TEMPLATE = "template", _("Biểu mẫu")
    LEGAL = "legal", _("Văn bản quy phạm pháp luật")
    DIRECTIVE = "directive", _("Chỉ thị, công văn")
    OTHER = "other", _("Tài liệu khác")


class SecrecyLevel(models.TextChoices):
    NONE = secrecy.NONE, _("Không mật")
    MAT = secrecy.MAT, _("Mật")
    TOI_MAT = secrecy.TOI_MAT, _("Tối mật")
    TUYET_MAT = secrecy.TUYET_MAT, _("Tuyệt mật")


class Audience(models.TextChoices):
    ALL = "all", _("Tất cả Công an cấp xã")
    SUBTREE = "subtree", _("Một tỉnh hoặc đơn vị và cấp dưới")
    UNIT_TYPE = "unit_type", _("Một loại đơn vị")


class TextStatus(models.TextChoices):
    NO_FILE = "", _("Chưa có tệp")
    EXTRACTED = "extracted", _("Đã đọc được nội dung")
    NO_TEXT = "no_text", _("Tệp không có chữ đọc được (ví dụ bản quét)")


def ancestor_paths(path: str) -> list[str]:
    """ "/1/35/2104/" → ["/1/", "/1/35/", "/1/35/2104/"]: the unit and every unit above it."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class DocumentQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = "view"):
        """Reading follows the audience, not only the publisher: a user sees what was published in
        their subtree (the publisher's side) and every document whose audience takes in their unit
        or lies in their subtree. Writing stays with the publisher's subtree."""
        if action != "view":
            return super().visible_to(user, action)
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if not user.has_perm(permission_name(self.model, action)) or not user.scope_path:
            return self.none()
        return self.filter(audience_q(user.unit) | subtree_q(self.model, user.scope_path))

    def applying_to(self, unit):
        """Documents whose audience takes in ``unit`` (the officers who must read them)."""
        return self.filter(applies_q(unit))


def _commune_level(unit, yes: bool = True):
    """Whether ``unit`` is commune-level, as a condition of the query itself: the home page asks
    this of every user, and reading the unit's type would cost a query of its own."""
    from cax.units.models import UnitType

    return Exists(UnitType.objects.filter(pk=unit.unit_type_id, is_commune_level=yes))


def applies_q(unit) -> Q:
    """The audience rule for one unit: every commune-level unit, a subtree it lies in, its type."""
    return (
        Q(audience=Audience.SUBTREE, audience_unit__path__in=ancestor_paths(unit.path))
        | Q(audience=Audience.UNIT_TYPE, audience_unit_type_id=unit.unit_type_id)
        | (Q(audience=Audience.ALL) & Q(_commune_level(unit)))
    )


def audience_q(unit) -> Q:
    """What a user of ``unit`` may read by audience: what applies to the unit, a nationwide
    document, a subtree audience inside the unit's own subtree (a province reads what its communes
    were sent) and, above the communes, a unit-type audience."""
    return (
        applies_q(unit)
        | Q(audience=Audience.ALL)
        | Q(audience=Audience.SUBTREE, audience_unit__path__startswith=unit.path)
        # Above the communes a unit-type audience lies (mostly) in one's subtree: the province reads it.
        | (Q(audience=Audience.UNIT_TYPE) & Q(_commune_level(unit, yes=False)))
    )


class Document(UnitOwned, RecordModel):
    """One document in the library; ``unit`` is the publishing unit (its scope for writing).

    A document classified Mật or above is a stub: number, date, issuer, holder and protection
    period only; its body, file and text are never stored (a rule row and a check constraint).
    """

    event_date_fields = ()
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị đăng tải"), on_delete=models.PROTECT, related_name="library_documents"
    )
    title = models.CharField(_("tên tài liệu"), max_length=300)
    kind = models.CharField(_("loại tài liệu"), max_length=16, choices=DocumentKind.choices)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    number = models.CharField(_("số, ký hiệu"), max_length=80, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("được thay thế bởi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
    )
    tags = models.CharField(_("từ khoá"), max_length=300, blank=True, help_text=_("Cách nhau bằng dấu phẩy."))
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)
    secrecy = models.CharField(_("độ mật"), max_length=10, choices=SecrecyLevel.choices, default=SecrecyLevel.NONE)
    classified_on = models.DateField(_("ngày xác định độ mật"), null=True, blank=True)
    holder = models.CharField(_("nơi, người giữ bản giấy"), max_length=200, blank=True)
    protection_until = models.DateField(_("thời hạn bảo vệ đến"), null=True, blank=True)
    protection_verified = models.BooleanField(_("thời hạn đã đối chiếu luật"), default=True, editable=False)
    audience = models.CharField(_("áp dụng cho"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    audience_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị áp dụng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    audience_unit_type = models.ForeignKey(
        "units.UnitType",
        verbose_name=_("loại đơn vị áp dụng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requires_acknowledgement = models.BooleanField(_("yêu cầu xác nhận đã đọc"), default=True)
    # The file: stored under a random name, served only by the download view (never MEDIA_URL).
    file = models.FileField(_("tệp"), upload_to="library/%Y/", blank=True, editable=False)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True, editable=False)
    content_type = models.CharField(_("kiểu tệp"), max_length=100, blank=True, editable=False)
    file_size = models.PositiveIntegerField(_("dung lượng"), null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # The file's text folded (cax.core.text.search_key), for the list's search; never shown.
    file_text = models.TextField(blank=True, editable=False)
    text_status = models.CharField(
        _("nội dung tệp"), max_length=10, choices=TextStatus.choices, blank=True, default="", editable=False
    )

    objects = DocumentQuerySet.as_manager()
    # The change log keeps a digest of the text, not the text: a whole handbook would bloat the
    # append-only log (the message names the file).
    SENSITIVE_FIELDS = ("file_text",)

    class Meta:
        verbose_name = _("tài liệu nghiệp vụ")
        verbose_name_plural = _("tài liệu nghiệp vụ")
        ordering = ["-issued_on", "pk"]
        permissions = [("view_unread", "Xem danh sách chưa xác nhận đã đọc")]
        constraints = [
            # Law 29/2018/QH14 Art. 5(5), Law 117/2025/QH15: no secret content on a networked system.
            models.CheckConstraint(
                condition=Q(secrecy=secrecy.NONE) | Q(summary="", file="", file_name="", file_text="", sha256=""),
                name="library_secret_document_is_a_stub",
                violation_error_message=_("Tài liệu có độ mật không được lưu nội dung hay tệp trên CAX."),
            ),
            models.CheckConstraint(
                condition=Q(audience=Audience.ALL, audience_unit__isnull=True, audience_unit_type__isnull=True)
                | Q(audience=Audience.SUBTREE, audience_unit__isnull=False, audience_unit_type__isnull=True)
                | Q(audience=Audience.UNIT_TYPE, audience_unit__isnull=True, audience_unit_type__isnull=False),
                name="library_document_audience_consistent",
                violation_error_message=_("Phạm vi áp dụng không khớp với đơn vị hoặc loại đơn vị đã chọn."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="library_document_effective_order",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày có hiệu lực."),
            ),
            models.CheckConstraint(
                condition=~Q(replaced_by=models.F("pk")),
                name="library_document_not_replaced_by_itself",
                violation_error_message=_("Tài liệu không thể thay thế chính nó."),
            ),
        ]
        indexes = [models.Index(fields=["audience", "audience_unit_type"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip() if self.number else self.title

    def search_text(self) -> str:
        return f"{self.title} {self.number} {self.issuer} {self.tags} {self.summary}"

    @property
    def is_secret(self) -> bool:
        return secrecy.is_secret(self.secrecy)

    def replaced_on(self):
        """The day a replacement takes over: the replacing document's own effective date."""
        return self.replaced_by.effective_from if self.replaced_by_id else None

    def status_on(self, day=None) -> str:
        day = day or timezone.localdate()
        if self.replaced_by_id and self.replaced_by.effective_from <= day:
            return "replaced"
        if day < self.effective_from:
            return "pending"
        if self.effective_to and day > self.effective_to:
            return "expired"
        return "in_force"


class DocumentStatus(models.TextChoices):
    IN_FORCE = "in_force", _("Đang có hiệu lực")
    PENDING = "pending", _("Chưa có hiệu lực")
    REPLACED = "replaced", _("Đã được thay thế")
    EXPIRED = "expired", _("Hết hiệu lực")


class AcknowledgementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError("Xác nhận đã đọc không thể sửa.")

    def delete(self):
        raise ImmutableRecordError("Xác nhận đã đọc không thể xoá.")


class Acknowledgement(models.Model):
    """ "Read and acknowledged": one row per user per document, appended, never changed."""

    document = models.ForeignKey(
        Document, verbose_name=_("tài liệu"), on_delete=models.PROTECT, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xác nhận"), on_delete=models.PROTECT, related_name="+"
    )
    # The user's unit when they acknowledged: a later transfer does not move the row.
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("xác nhận lúc"), default=timezone.now)

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        verbose_name = _("xác nhận đã đọc")
        verbose_name_plural = _("xác nhận đã đọc")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="library_acknowledged_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} – {self.document_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError("Xác nhận đã đọc không thể sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Xác nhận đã đọc không thể xoá.")


class SecrecyRule(models.Model):
    """The rule "no body, no file above không mật", one row per law in force, with its basis: the
    refusal names the law of the day (docs/library.md)."""

    law = models.CharField(_("văn bản"), max_length=200)
    article = models.CharField(_("điều, khoản"), max_length=200)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("quy tắc lưu trữ tài liệu mật")
        verbose_name_plural = _("quy tắc lưu trữ tài liệu mật")
        ordering = ["-effective_from"]
        constraints = [models.UniqueConstraint(fields=["effective_from"], name="library_secrecy_rule_version")]

    def __str__(self) -> str:
        return f"{self.law}, {self.article}"

    def row(self) -> secrecy.RuleRow:
        return secrecy.RuleRow(self.effective_from, self.effective_to, self.law, self.article, verified=self.verified)


class ProtectionPeriod(models.Model):
    """How long a level is protected, counted from the classification date (Law 29/2018 Art. 19)."""

    level = models.CharField(_("độ mật"), max_length=10, choices=SecrecyLevel.choices[1:])
    years = models.PositiveSmallIntegerField(_("số năm"))
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)

    class Meta:
        verbose_name = _("thời hạn bảo vệ bí mật nhà nước")
        verbose_name_plural = _("thời hạn bảo vệ bí mật nhà nước")
        ordering = ["level", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["level", "effective_from"], name="library_protection_period_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.years} ({self.legal_basis})"

    def row(self) -> secrecy.RuleRow:
        return secrecy.RuleRow(
            self.effective_from,
            self.effective_to,
            self.legal_basis,
            years=self.years,
            level=self.level,
            verified=self.verified,
        )
