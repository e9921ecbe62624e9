"""The crime-report register (sổ tiếp nhận nguồn tin về tội phạm) of each receiving unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cax.cases.choices import (
    AttachmentKind,
    Channel,
    EventKind,
    Kind,
    NonProsecutionGround,
    ReporterKind,
    Status,
    SuspensionGround,
    rule_label,
)
from cax.core.models import AppendOnlyLog, AppendOnlyQuerySet, UnitOwned, chain_unique
from cax.core.scoping import ScopedQuerySet


class DeadlineRule(models.Model):
    """A legal deadline as data (thời hạn): the law changes, so each version has effective dates."""

    class Unit(models.TextChoices):
        HOURS = "hours", _("giờ")
        CALENDAR_DAYS = "calendar_days", _("ngày")
        WORKING_DAYS = "working_days", _("ngày làm việc")
        MONTHS = "months", _("tháng")

    code = models.SlugField(_("mã quy tắc"), max_length=40)
    amount = models.PositiveSmallIntegerField(_("thời hạn"))
    unit = models.CharField(_("đơn vị tính"), max_length=16, choices=Unit.choices)
    remote_amount = models.PositiveSmallIntegerField(_("thời hạn vùng sâu, vùng xa"), null=True, blank=True)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)

    class Meta:
        verbose_name = _("quy tắc thời hạn")
        verbose_name_plural = _("quy tắc thời hạn")
        ordering = ["code", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="deadline_rule_version")]

    def __str__(self) -> str:
        return f"{self.code}: {self.amount} {self.get_unit_display()} ({self.legal_basis})"


class Holiday(models.Model):
    """A public holiday (ngày nghỉ lễ, Tết), skipped by rules counted in working days."""

    day = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên"), max_length=100)

    class Meta:
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class OffenceCategory(models.Model):
    """Offence group (nhóm tội danh), by chapter of the Penal Code; data, extendable."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên nhóm tội"), max_length=200)

    class Meta:
        verbose_name = _("nhóm tội danh")
        verbose_name_plural = _("nhóm tội danh")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReceivingBody(models.Model):
    """A body outside CAX that a report can be transferred to (Viện kiểm sát, Tòa án, Kiểm lâm, Hải quan…).

    Reference data (/reference/): the list changes with the law (Art. 35 CPC names the bodies assigned
    investigative activities), so it is rows, not choices. Units inside CAX are picked from the unit tree.
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=200)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("cơ quan tiếp nhận ngoài CAX")
        verbose_name_plural = _("cơ quan tiếp nhận ngoài CAX")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class RegisterCounter(models.Model):
    """The last serial number used in a unit's register for a year.

    Incremented under a row lock in the same transaction as the new entry, so a serial is never
    used twice, and a rolled-back registration gives its number back: no gaps either.
    """

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="register_counter_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class CaseQuerySet(ScopedQuerySet):
    pass


class Case(UnitOwned):
    """One entry of the register: a denunciation, report, petition or confession and its handling."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị tiếp nhận"), on_delete=models.PROTECT, related_name="cases"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    serial = models.PositiveIntegerField(_("số thứ tự"))
    kind = models.CharField(_("loại nguồn tin"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("hình thức tiếp nhận"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi sổ"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    receiving_officer = models.ForeignKey(
        "personnel.Officer",
        verbose_name=_("cán bộ tiếp nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Reporter identity: sensitive personal data (Law 91/2025), shown only to authorised roles of the
    # receiving and handling units, and every view of a confidential identity is logged.
    reporter_kind = models.CharField(_("người báo tin là"), max_length=16, choices=ReporterKind.choices)
    reporter_name = models.CharField(_("họ tên / tên cơ quan"), max_length=200)
    reporter_id_number = models.CharField(_("số định danh / CCCD"), max_length=20, blank=True)
    reporter_contact = models.CharField(_("liên hệ"), max_length=200, blank=True)
    reporter_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    is_confidential = models.BooleanField(_("yêu cầu giữ bí mật"), default=False)
    summary = models.TextField(_("nội dung tóm tắt"))
    search_key = models.CharField(max_length=400, db_index=True, editable=False, default="")
    incident_at = models.DateTimeField(_("thời điểm xảy ra"), null=True, blank=True)
    incident_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("nơi xảy ra"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        OffenceCategory, verbose_name=_("nhóm tội danh"), on_delete=models.PROTECT, null=True, blank=True
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    due_at = models.DateTimeField(_("hạn xử lý hiện tại"), null=True, blank=True, db_index=True)
    due_rule = models.CharField(_("quy tắc thời hạn"), max_length=40, blank=True)
    transferred_to = models.CharField(_("chuyển đến"), max_length=200, blank=True)
    # A transfer names either a unit of CAX (the report then gets an entry in that unit's register, which
    # points back here) or a body outside CAX from the reference list; `transferred_to` is what is shown.
    transferred_to_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("chuyển đến đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    transferred_to_body = models.ForeignKey(
        ReceivingBody, verbose_name=_("chuyển đến cơ quan"), on_delete=models.PROTECT, null=True, blank=True
    )
    transferred_from = models.ForeignKey(
        "self",
        verbose_name=_("do đơn vị khác chuyển đến"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_entries",
    )
    # The 24-hour duty to send a decision to the procuracy (CPC Art. 148(2), 154, 158): the deadline of
    # the earliest decision not sent yet; empty when every decision has been sent.
    procuracy_due_at = models.DateTimeField(_("hạn gửi Viện kiểm sát"), null=True, blank=True, db_index=True)
    non_prosecution_ground = models.CharField(
        _("căn cứ không khởi tố"), max_length=20, choices=NonProsecutionGround.choices, blank=True
    )
    suspension_ground = models.CharField(
        _("căn cứ tạm đình chỉ"), max_length=20, choices=SuspensionGround.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("trùng với"), on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = CaseQuerySet.as_manager()
    PERSONAL_FIELDS = ("reporter_name", "reporter_id_number", "reporter_contact", "reporter_address")
    SENSITIVE_FIELDS = PERSONAL_FIELDS  # masked in the change log (core.changelog.snapshot)

    class Meta:
        verbose_name = _("nguồn tin về tội phạm")
        verbose_name_plural = _("nguồn tin về tội phạm")
        ordering = ["-year", "-serial"]
        indexes = [
            models.Index(fields=["unit", "status", "due_at"], name="case_unit_status_due_idx"),
            # Overdue tiles over a province or the nation: open statuses, past a date, any unit.
            models.Index(fields=["status", "due_at"], name="case_status_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "serial"],
                name="case_serial_unique_per_unit_year",
                violation_error_message=_("Số thứ tự đã được dùng trong sổ năm này."),
            ),
            models.CheckConstraint(
                condition=Q(incident_at__isnull=True) | Q(incident_at__lte=F("received_at")),
                name="case_incident_not_after_receipt",
                violation_error_message=_("Thời điểm xảy ra không thể sau thời điểm tiếp nhận."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial}/{self.year} — {self.unit}"

    @property
    def due_rule_label(self) -> str:
        return rule_label(self.due_rule)


class CaseEvent(models.Model):
    """A step of the workflow: who moved the case from which status to which, when, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("loại"), max_length=20, choices=EventKind.choices, default=EventKind.STEP)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField(_("thời điểm"))
    note = models.TextField(_("ghi chú"), blank=True)
    due_at = models.DateTimeField(_("hạn sau bước này"), null=True, blank=True)
    due_rule = models.CharField(max_length=40, blank=True)
    # On a decision: when it must reach the procuracy. The as-of figures read the duty from here.
    procuracy_due_at = models.DateTimeField(_("hạn gửi Viện kiểm sát"), null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        # The state of a case at a past moment is its last event up to then (selectors.clock_figures).
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def due_rule_label(self) -> str:
        return rule_label(self.due_rule)


class Attachment(models.Model):
    """A file attached to a case (biên bản tiếp nhận, ghi âm…); stored under a random name."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("loại tệp"), max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(upload_to="cases/%Y/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    # Owned through its case, and read with the case's right: whoever may read the case gets its files.
    scope_path_lookup = "case__unit__path"
    permission_model = "cases.Case"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class IdentityAccessQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    pass


class IdentityAccess(AppendOnlyLog):
    """Who saw a confidential reporter's identity, and when (Law 91/2025 accountability).

    Append-only and hash-chained like the change log (core.models.AppendOnlyLog, issue 16.2).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="identity_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Set when the row is made, not during the insert: the row's hash covers it.
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    channel = models.CharField(max_length=10)  # "web" | "api" | "pdf"

    scope_path_lookup = "case__unit__path"
    objects = IdentityAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("lượt xem danh tính được giữ bí mật")
        verbose_name_plural = _("lượt xem danh tính được giữ bí mật")
        constraints = [chain_unique("cases_identityaccess")]

    # The channel by name: the stored word is a key (a choices= here would cost a migration for no rule).
    CHANNEL_LABELS = {"web": _("Trang web"), "api": _("API"), "pdf": _("Biên bản tiếp nhận (PDF)")}

    def __str__(self) -> str:
        return f"{self.user_id} saw case {self.case_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def channel_label(self) -> str:
        return str(self.CHANNEL_LABELS.get(self.channel, self.channel))
