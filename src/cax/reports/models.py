"""Periodic reports (báo cáo định kỳ, #6): form definitions as data, submissions, values, roll-up.

A form (``ReportForm``) keeps what identifies it: code, periodicity, calendar, and its indicators
(``Indicator``, whose code, type and aggregation never change once used). Everything else lives in
a ``FormVersion``: sections and labels (``FormItem``), due and lock rules, which unit types report,
validation rules. A period is reported on the version in force on its first day, and a version in
use is frozen, so changing a form never rewrites past submissions.

``RollupCell`` holds per unit, indicator and bucket (the calendar month for daily forms, the period
itself otherwise) the sum, the count and the last value of the counted submissions. It is rewritten
in the same transaction as every submission step, so a roll-up never waits for a nightly build.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cax.core.models import UnitOwned
from cax.core.scoping import ScopedQuerySet
from cax.reports import periods


class Periodicity(models.TextChoices):
    DAILY = periods.DAILY, _("Hằng ngày")
    WEEKLY = periods.WEEKLY, _("Hằng tuần")
    MONTHLY = periods.MONTHLY, _("Hằng tháng")
    QUARTERLY = periods.QUARTERLY, _("Hằng quý")
    YEARLY = periods.YEARLY, _("Hằng năm")


class CalendarKind(models.TextChoices):
    CALENDAR = periods.CALENDAR, _("Tháng dương lịch (ngày 1 đến cuối tháng)")
    ADMINISTRATIVE = periods.ADMINISTRATIVE, _("Kỳ chốt số liệu hành chính (15 tháng trước đến 14, NĐ 09/2019)")


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Số nguyên ≥ 0")
    DECIMAL = "decimal", _("Số thập phân")
    TEXT = "text", _("Văn bản")
    BOOLEAN = "boolean", _("Có / không")


NUMERIC_TYPES = frozenset({ValueType.INTEGER, ValueType.DECIMAL, ValueType.BOOLEAN})


class Aggregation(models.TextChoices):
    FLOW = "sum", _("Cộng dồn các kỳ (số phát sinh)")
    STOCK = "last", _("Giá trị kỳ cuối (số hiện có)")


code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*$", _("Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ.")
)


class ReportForm(models.Model):
    code = models.SlugField(_("mã biểu mẫu"), max_length=40, unique=True)
    name = models.CharField(_("tên biểu mẫu"), max_length=200)
    periodicity = models.CharField(_("tần suất"), max_length=16, choices=Periodicity.choices)
    calendar = models.CharField(
        _("lịch kỳ báo cáo"), max_length=16, choices=CalendarKind.choices, default=CalendarKind.CALENDAR
    )
    document_code = models.CharField(
        _("ký hiệu văn bản"), max_length=20, default="BC", help_text=_("Viết tắt tên loại văn bản, ví dụ BC (Báo cáo).")
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def period_of(self, day):
        return periods.period_of(self.periodicity, self.calendar, day)

    def parse_period(self, key):
        return periods.parse_key(self.periodicity, self.calendar, key)


class Indicator(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(_("mã chỉ tiêu"), max_length=40, validators=[code_validator])
    name = models.CharField(_("tên chỉ tiêu"), max_length=255)
    value_type = models.CharField(_("kiểu giá trị"), max_length=16, choices=ValueType.choices)
    aggregation = models.CharField(
        _("cách tổng hợp"), max_length=8, choices=Aggregation.choices, default=Aggregation.FLOW
    )
    measure = models.CharField(_("đơn vị tính"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["form", "code"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="indicator_code_per_form")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def is_numeric(self) -> bool:
        return self.value_type in NUMERIC_TYPES


class FormVersion(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("phiên bản"))
    valid_from = models.DateField(_("áp dụng từ kỳ bắt đầu ngày"))
    due_days = models.PositiveSmallIntegerField(
        _("hạn gửi: số ngày sau khi hết kỳ"), default=0, help_text=_("0 = ngay trong ngày cuối kỳ.")
    )
    due_time = models.TimeField(_("hạn gửi: giờ"), default="16:00")
    lock_days = models.PositiveSmallIntegerField(
        _("khóa sổ: số ngày sau khi hết kỳ"),
        default=10,
        help_text=_("Sau thời điểm này không sửa, gửi được nữa, trừ khi cấp trên cho phép."),
    )
    reporting_unit_types = models.ManyToManyField(
        "units.UnitType", verbose_name=_("loại đơn vị phải báo cáo"), related_name="+"
    )
    note = models.CharField(_("ghi chú thay đổi"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản biểu mẫu")
        verbose_name_plural = _("phiên bản biểu mẫu")
        ordering = ["form", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="form_version_number"),
            models.UniqueConstraint(fields=["form", "valid_from"], name="form_version_valid_from"),
            models.CheckConstraint(
                condition=Q(lock_days__gte=models.F("due_days")),
                name="form_version_lock_after_due",
                violation_error_message=_("Ngày khóa sổ không được trước hạn gửi."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form} — v{self.number} ({self.valid_from:%d/%m/%Y})"

    @property
    def is_in_use(self) -> bool:
        return self.submissions.exists()


class FormItem(models.Model):
    """One indicator's place on a version of the form."""

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="+")
    section = models.CharField(_("mục"), max_length=200, blank=True)
    label = models.CharField(_("nhãn trên biểu"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=True)
    prefill_source = models.CharField(_("lấy số liệu từ CAX"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("dòng biểu mẫu")
        verbose_name_plural = _("dòng biểu mẫu")
        ordering = ["version", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "indicator"], name="form_item_once_per_version")]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.label or self.indicator.name


class Severity(models.TextChoices):
    ERROR = "error", _("Lỗi: không cho gửi")
    WARNING = "warning", _("Cảnh báo: phải giải trình")


class ValidationRule(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="rules")
    left = models.CharField(_("vế trái"), max_length=255)
    operator = models.CharField(
        _("phép so sánh"),
        max_length=2,
        choices=[("<=", "≤"), ("<", "<"), ("==", "="), ("!=", "≠"), (">=", "≥"), (">", ">")],
    )
    right = models.CharField(_("vế phải"), max_length=255)
    severity = models.CharField(_("mức độ"), max_length=8, choices=Severity.choices, default=Severity.ERROR)
    message = models.CharField(_("thông báo"), max_length=255)

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["version", "pk"]

    def __str__(self) -> str:
        return f"{self.left} {self.get_operator_display()} {self.right}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from cax.reports import expressions

        errors = {}
        # The version may be unsaved (a rule added with a new version in the admin): use the form
        # it belongs to either way.
        version = self._meta.get_field("version").get_cached_value(self, None)
        if version is None and self.version_id:
            version = FormVersion.objects.filter(pk=self.version_id).first()
        form_id = version.form_id if version is not None else None
        known = set(Indicator.objects.filter(form_id=form_id).values_list("code", flat=True)) if form_id else None
        for side in ("left", "right"):
            try:
                terms = expressions.parse(getattr(self, side))
            except expressions.ExpressionError as exc:
                errors[side] = str(exc)
                continue
            unknown = sorted(expressions.codes(terms) - known) if known is not None else []
            if unknown:
                errors[side] = _("Không có chỉ tiêu: {c}.").format(c=", ".join(unknown))
        if errors:
            raise ValidationError(errors)


class Status(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")
    LOCKED = "locked", _("Đã khóa")


# Submissions whose values count in completeness and roll-up: a returned report is out until resent.
COUNTED = (Status.SUBMITTED, Status.APPROVED, Status.LOCKED)


class SubmissionQuerySet(ScopedQuerySet):
    def counted(self) -> SubmissionQuerySet:
        return self.filter(status__in=COUNTED)


class Submission(UnitOwned):
    """One unit's report for one period (biểu báo cáo của một đơn vị trong một kỳ)."""

    form = models.ForeignKey(ReportForm, verbose_name=_("biểu mẫu"), on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    period_key = models.CharField(_("kỳ"), max_length=10)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_nil = models.BooleanField(_("không có số liệu phát sinh"), default=False)
    due_at = models.DateTimeField(_("hạn gửi"))
    lock_at = models.DateTimeField(_("khóa sổ lúc"))
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("duyệt / trả lại lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người duyệt"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    return_note = models.TextField(_("lý do trả lại"), blank=True)
    document_year = models.PositiveSmallIntegerField(_("năm văn bản"), null=True, blank=True)
    document_number = models.PositiveIntegerField(_("số văn bản"), null=True, blank=True)
    warning_comments = models.JSONField(_("giải trình cảnh báo"), default=dict, blank=True)
    imported = models.BooleanField(_("nhập từ dữ liệu cũ"), default=False)
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-period_start", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "period_start"], name="submission_once_per_period"),
            models.UniqueConstraint(
                fields=["unit", "document_year", "document_number"],
                condition=Q(document_number__isnull=False),
                name="submission_document_number",
            ),
        ]
        indexes = [models.Index(fields=["form", "period_start", "status"], name="submission_form_period_idx")]

    def __str__(self) -> str:
        return f"{self.form} — {self.unit} — {self.period_label}"

    @property
    def period(self) -> periods.Period:
        return periods.Period(self.period_start, self.period_end, self.period_key, self.form.periodicity)

    @property
    def period_label(self) -> str:
        return self.period.label()

    @property
    def is_late(self) -> bool:
        """Timeliness is judged on the first submission: fixing a returned report is not lateness."""
        return self.first_submitted_at is not None and self.first_submitted_at > self.due_at

    @property
    def document_reference(self) -> str:
        return f"{self.document_number:02d}/{self.form.document_code}" if self.document_number else ""


class Value(models.Model):
    """A value of one indicator in one submission. No row, or ``number`` None, means not reported;
    0 is a reported zero."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    number = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=4, null=True, blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    prefilled = models.DecimalField(_("số liệu từ CAX"), max_digits=20, decimal_places=4, null=True, blank=True)
    confirmed = models.BooleanField(_("đã xác nhận"), default=False)
    correction_reason = models.CharField(_("lý do điều chỉnh"), max_length=255, blank=True)

    # Owned through its submission: read by the submission's unit subtree (roll-ups, exchange).
    scope_path_lookup = "submission__unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        constraints = [models.UniqueConstraint(fields=["submission", "indicator"], name="value_once_per_submission")]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.number if self.number is not None else self.text}"

    def changelog_unit_path(self) -> str:
        return self.submission.unit.path


class RollupCell(UnitOwned):
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    bucket = models.DateField()
    total = models.DecimalField(max_digits=24, decimal_places=4)
    reports = models.PositiveIntegerField()
    last_value = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    last_period = models.DateField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "bucket", "unit"], name="rollup_cell_key")]
        indexes = [models.Index(fields=["unit", "bucket"], name="rollup_unit_bucket_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_id}/{self.bucket}"


class LockException(UnitOwned):
    """The upper level reopens one unit's locked period until a given time (mở khóa kỳ báo cáo)."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    until = models.DateTimeField(_("cho phép đến"))
    reason = models.CharField(_("lý do"), max_length=255)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mở khóa kỳ báo cáo")
        verbose_name_plural = _("mở khóa kỳ báo cáo")

    def __str__(self) -> str:
        return f"{self.form} — {self.unit} — {self.period_start:%d/%m/%Y} → {self.until:%d/%m/%Y %H:%M}"


class DocumentCounter(models.Model):
    """Decree 30/2020: document numbers start at 01 on 1 January, per issuing unit."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="report_document_counter")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class IssuedReport(UnitOwned):
    """A roll-up issued as an official document: its number and the figures as printed, frozen."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    form = models.ForeignKey(ReportForm, verbose_name=_("biểu mẫu"), on_delete=models.PROTECT, related_name="+")
    first_period = models.CharField(_("từ kỳ"), max_length=10)
    last_period = models.CharField(_("đến kỳ"), max_length=10)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    content = models.JSONField(default=dict)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("ban hành lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tổng hợp đã ban hành")
        verbose_name_plural = _("báo cáo tổng hợp đã ban hành")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.form.document_code} — {self.unit}"
