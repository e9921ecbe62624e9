"""Requests raised by commune police and what became of them (seed 004: "Lắng nghe ý kiến của
Công an xã" — leaders answer on the spot or assign a department to study and answer)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cax.core.models import UnitOwned
from cax.core.records.model import RecordModel
from cax.core.scoping import ScopedQuerySet


class Conference(UnitOwned, RecordModel):
    """A meeting where commune police raise requests to leaders (hội nghị, buổi làm việc)."""

    event_date_fields = ("held_on",)
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT)
    title = models.CharField(_("tên hội nghị"), max_length=300)
    held_on = models.DateField(_("ngày tổ chức"))
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    chaired_by = models.CharField(_("chủ trì"), max_length=300, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    def search_text(self) -> str:
        return f"{self.title} {self.place} {self.chaired_by} {self.unit.name}"


class Topic(models.TextChoices):
    STAFFING = "staffing", _("Biên chế, bố trí cán bộ")
    HEADQUARTERS = "headquarters", _("Trụ sở, trang thiết bị")
    ALLOWANCES = "allowances", _("Chế độ, chính sách")
    REPORTING = "reporting", _("Chế độ báo cáo, giấy tờ")
    LAW = "law", _("Pháp luật, thủ tục")
    OTHER = "other", _("Khác")


class Source(models.TextChoices):
    CONFERENCE = "conference", _("Hội nghị")
    DOCUMENT = "document", _("Văn bản")
    VISIT = "visit", _("Kiểm tra, làm việc tại cơ sở")
    OTHER = "other", _("Khác")


class Status(models.TextChoices):
    OPEN = "open", _("Chưa trả lời")
    ASSIGNED = "assigned", _("Đã giao phòng nghiên cứu")
    ANSWERED = "answered", _("Đã trả lời")


def unanswered_q(day) -> Q:
    """Raised by ``day`` and not answered by then: read off the dates, so any past day is true."""
    return Q(raised_on__lte=day) & (Q(answered_on__isnull=True) | Q(answered_on__gt=day))


def overdue_q(day) -> Q:
    """Assigned to a department by ``day``, due before it, not answered by then: the one definition
    of overdue, for today and for any past day (the overview at an as-of date)."""
    return Q(assigned_department__isnull=False, assigned_on__lte=day, due_on__lt=day) & unanswered_q(day)


class PetitionQuerySet(ScopedQuerySet):
    def overdue(self, today):
        return self.filter(overdue_q(today))

    def unanswered(self):
        return self.exclude(status=Status.ANSWERED)


class Petition(UnitOwned, RecordModel):
    """A request (kiến nghị, đề xuất) raised by a unit.

    It is answered on the spot (``answered_on_spot``) or assigned to a provincial department with a
    due date, which then answers it. Visible from the raising unit's subtree and from the assigned
    department's, so the department's staff see exactly what they were given.
    """

    event_date_fields = ("raised_on",)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị kiến nghị"), on_delete=models.PROTECT, related_name="petitions"
    )
    conference = models.ForeignKey(
        Conference,
        verbose_name=_("hội nghị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices, default=Source.CONFERENCE)
    source_ref = models.CharField(_("số văn bản, nơi ghi nhận"), max_length=200, blank=True)
    raised_on = models.DateField(_("ngày kiến nghị"))
    topic = models.CharField(_("lĩnh vực"), max_length=20, choices=Topic.choices)
    text = models.TextField(_("nội dung kiến nghị"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.OPEN)
    assigned_department = models.ForeignKey(
        "units.Unit",
        verbose_name=_("phòng được giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_petitions",
    )
    assigned_on = models.DateField(_("ngày giao"), null=True, blank=True)
    due_on = models.DateField(_("hạn trả lời"), null=True, blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_by = models.CharField(_("người trả lời"), max_length=300, blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    answered_on_spot = models.BooleanField(_("trả lời tại chỗ"), default=False)
    answered_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản ghi trả lời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminders = models.PositiveSmallIntegerField(_("số lần nhắc"), default=0)
    last_reminded_on = models.DateField(_("nhắc lần cuối"), null=True, blank=True)

    scope_path_lookups = ("unit__path", "assigned_department__path")
    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="assigned") | (Q(assigned_department__isnull=False) & Q(due_on__isnull=False)),
                name="petition_assigned_has_department_and_due_date",
                violation_error_message=_("Kiến nghị đã giao phải có phòng được giao và hạn trả lời."),
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | (Q(answered_on__isnull=False) & ~Q(answer="")),
                name="petition_answered_has_answer",
                violation_error_message=_("Kiến nghị đã trả lời phải có nội dung và ngày trả lời."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(assigned_on__isnull=True) | Q(due_on__gte=F("assigned_on")),
                name="petition_due_after_assigned",
                violation_error_message=_("Hạn trả lời phải sau ngày giao."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk or '—'} {self.unit.name}: {self.text[:60]}"

    def search_text(self) -> str:
        department = self.assigned_department.name if self.assigned_department_id else ""
        return f"{self.unit.name} {self.unit.code} {self.text} {self.answer} {self.answered_by} {department}"

    def is_overdue(self, today) -> bool:
        return (
            self.assigned_department_id is not None
            and self.assigned_on is not None
            and self.assigned_on <= today
            and self.due_on is not None
            and self.due_on < today
            and (self.answered_on is None or self.answered_on > today)
        )
