"""Courses (khoá đào tạo, tập huấn) and who attended them: officers and grassroots team members."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cax.core.models import UnitOwned
from cax.core.records.model import RecordModel
from cax.core.scoping import ScopedQuerySet


class Topic(models.TextChoices):
    POLITICS_LAW = "politics_law", _("Chính trị, pháp luật")
    PROFESSIONAL = "professional", _("Nghiệp vụ chuyên môn")
    GRASSROOTS = "grassroots", _("Bồi dưỡng tổ bảo vệ ANTT ở cơ sở")
    LANGUAGE = "language", _("Tiếng dân tộc thiểu số")
    IT = "it", _("Công nghệ thông tin, Đề án 06")
    OTHER = "other", _("Khác")


class Course(UnitOwned, RecordModel):
    """A course organised by ``unit`` (the scope) from ``starts_on`` to ``ends_on``."""

    event_date_fields = ("starts_on",)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="training_courses"
    )
    code = models.CharField(_("mã khoá học"), max_length=40, unique=True)
    title = models.CharField(_("tên khoá học"), max_length=250)
    topic = models.CharField(_("chủ đề"), max_length=16, choices=Topic.choices)
    language = models.CharField(_("tiếng dân tộc"), max_length=50, blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    place = models.CharField(_("địa điểm"), max_length=250, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("khoá đào tạo, tập huấn")
        verbose_name_plural = _("khoá đào tạo, tập huấn")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="training_course_ends_after_start",
                violation_error_message=_("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def search_text(self) -> str:
        return f"{self.title} {self.code} {self.language} {self.place} {self.unit.name}"


class Result(models.TextChoices):
    EXCELLENT = "excellent", _("Giỏi")
    GOOD = "good", _("Khá")
    PASS = "pass", _("Đạt")
    FAIL = "fail", _("Không đạt")


class Participant(RecordModel):
    """One person on one course: an officer or a team member, never both.

    Written by the organiser (scope: the course's unit); also visible from the person's own unit,
    so a commune sees the training of its officers and team members wherever it was held.
    """

    course = models.ForeignKey(
        Course, verbose_name=_("khoá học"), on_delete=models.PROTECT, related_name="participants"
    )
    officer = models.ForeignKey(
        "personnel.Officer",
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
    )
    team_member = models.ForeignKey(
        "grassroots.TeamMember",
        verbose_name=_("thành viên tổ bảo vệ ANTT"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
    )
    completed = models.BooleanField(_("hoàn thành"), default=False)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    certificate_number = models.CharField(_("số chứng chỉ"), max_length=60, blank=True)
    result = models.CharField(_("kết quả"), max_length=12, choices=Result.choices, blank=True)

    scope_unit_field = "course"
    scope_path_lookup = "course__unit__path"
    scope_path_lookups = ("course__unit__path", "officer__unit__path", "team_member__team__unit__path")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("học viên")
        verbose_name_plural = _("học viên")
        ordering = ["course", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=True, team_member__isnull=False)
                | Q(officer__isnull=False, team_member__isnull=True),
                name="training_participant_one_person",
                violation_error_message=_("Học viên phải là một cán bộ hoặc một thành viên tổ, không phải cả hai."),
            ),
            models.UniqueConstraint(
                fields=["course", "officer"],
                condition=Q(officer__isnull=False),
                name="training_officer_once_per_course",
                violation_error_message=_("Cán bộ đã có trong khoá học này."),
            ),
            models.UniqueConstraint(
                fields=["course", "team_member"],
                condition=Q(team_member__isnull=False),
                name="training_member_once_per_course",
                violation_error_message=_("Thành viên đã có trong khoá học này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} – {self.course}"

    @property
    def scope_unit(self):
        return self.course.unit

    @property
    def person(self):
        return self.officer if self.officer_id else self.team_member

    @property
    def person_name(self) -> str:
        person = self.person
        return person.full_name if person is not None else ""

    def search_text(self) -> str:
        person = self.person
        key = person.service_number if self.officer_id else (person.id_number if person else "")
        return f"{self.person_name} {key} {self.course.title} {self.course.code} {self.certificate_number}"
