"""The officer registry (hồ sơ cán bộ): who the regular commune police are."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cax.core.scoping import ScopedQuerySet
from cax.personnel.choices import Education, InvestigatorGrade, OfficerStatus, Rank, Sex, SpecialityKind


class OfficerQuerySet(ScopedQuerySet):
    pass


class Officer(models.Model):
    """A police officer (cán bộ, chiến sĩ).

    ``unit`` is where the officer belongs now: the commune of the open posting, otherwise the
    managing unit (usually the province). Posting services keep it in step; scoping uses it, so a
    commune chief sees the officers posted to that commune and the province sees all of its own.
    """

    service_number = models.CharField(_("số hiệu"), max_length=20, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    search_key = models.CharField(max_length=200, db_index=True, editable=False)
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=50, blank=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị hiện tại"), on_delete=models.PROTECT, related_name="officers"
    )
    home_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("nơi gia đình sinh sống"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_officers",
    )
    rank = models.CharField(_("cấp bậc hàm"), max_length=32, choices=Rank.choices)
    education = models.CharField(_("trình độ"), max_length=16, choices=Education.choices, blank=True)
    service_start = models.DateField(_("ngày vào ngành"), null=True, blank=True)
    is_party_member = models.BooleanField(_("đảng viên"), default=False)
    party_joined_on = models.DateField(_("ngày vào Đảng"), null=True, blank=True)
    dependants = models.PositiveSmallIntegerField(_("số người phụ thuộc"), default=0)
    has_hardship = models.BooleanField(_("hoàn cảnh khó khăn"), default=False)
    family_notes = models.TextField(_("ghi chú hoàn cảnh gia đình"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=OfficerStatus.choices, default=OfficerStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    scope_path_lookup = "unit__path"
    objects = OfficerQuerySet.as_manager()

    # Personal fields: shown only inside the viewer's scope and tagged for personal-data rules (Law 91/2025).
    PERSONAL_FIELDS = (
        "date_of_birth",
        "ethnicity",
        "home_unit",
        "dependants",
        "has_hardship",
        "family_notes",
        "is_party_member",
        "party_joined_on",
    )

    # Masked in the append-only change log (core.changelog.snapshot): it can never erase them.
    SENSITIVE_FIELDS = ("date_of_birth", "ethnicity", "dependants", "has_hardship", "family_notes")

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["full_name", "service_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_joined_on__isnull=True) | Q(is_party_member=True),
                name="officer_party_date_needs_membership",
                violation_error_message=_("Chỉ đảng viên mới có ngày vào Đảng."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.service_number})"

    def changelog_unit_path(self) -> str:
        return self.unit.path


class Speciality(models.Model):
    """A speciality of an officer (chuyên môn): investigator with grade, legal, IT, traffic…"""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="specialities")
    kind = models.CharField(_("chuyên môn"), max_length=20, choices=SpecialityKind.choices)
    grade = models.CharField(_("ngạch"), max_length=16, choices=InvestigatorGrade.choices, blank=True)

    scope_path_lookup = "officer__unit__path"

    class Meta:
        verbose_name = _("chuyên môn")
        verbose_name_plural = _("chuyên môn")
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "kind"],
                name="speciality_unique_per_officer",
                violation_error_message=_("Cán bộ đã có chuyên môn này."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display() + (f" ({self.get_grade_display()})" if self.grade else "")


class Language(models.Model):
    """A language an officer speaks besides Vietnamese (ngoại ngữ, tiếng dân tộc thiểu số)."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(_("ngôn ngữ"), max_length=50)
    key = models.CharField(max_length=50, db_index=True, editable=False)
    is_ethnic_minority = models.BooleanField(_("tiếng dân tộc thiểu số"), default=False)

    class Meta:
        verbose_name = _("ngôn ngữ")
        verbose_name_plural = _("ngôn ngữ")
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "key"],
                name="language_unique_per_officer",
                violation_error_message=_("Cán bộ đã có ngôn ngữ này."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
