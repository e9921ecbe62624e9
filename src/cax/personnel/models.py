"""The officer registry (hồ sơ cán bộ): who the regular commune police are."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cax.core import db  # noqa: F401  (registers the in_subquery lookup)
from cax.core.models import QuickChoiceLabels, UnitOwned
from cax.core.scoping import ScopedQuerySet, path_q, unit_path
from cax.personnel.choices import Education, InvestigatorGrade, OfficerStatus, Rank, Sex, SpecialityKind
from cax.units.models import Unit


def current_unit_q(path: str, prefix: str = "", on=None) -> Q:
    """Officers whose unit on ``on`` (today) lies in the subtree at ``path``: the stored unit until a
    planned move's date, the planned unit from that date. ``prefix`` reaches officers through a
    relation ("officer__")."""
    on = on or timezone.localdate()
    moved = Q(**{f"{prefix}next_unit_from__lte": on})
    # The subtree's units as a subquery of ids, not a join on each unit's path: an index scan of the
    # officers of those units, where the join read every officer of the country (issue 20).
    units = Unit.objects.filter(path_q("path", path)).order_by().values("pk")
    return (moved & Q(**{f"{prefix}next_unit__in_subquery": units})) | (
        ~moved & Q(**{f"{prefix}unit__in_subquery": units})
    )


def has_moved(next_unit_id, next_unit_from, day) -> bool:
    """Whether a planned move has taken effect on ``day``: the rule of ``Officer.current_unit``, also
    for rows read as plain values (the API's officer list)."""
    return bool(next_unit_id and next_unit_from and next_unit_from <= day)


class OfficerQuerySet(ScopedQuerySet):
    def in_subtree(self, unit_or_path, lookup: str | None = None, on=None) -> OfficerQuerySet:
        """Officers whose current unit (on ``on``, today by default) is in the subtree of a unit (or
        at a path): an officer's own rule (decision 0006), not the stored unit alone."""
        if lookup is not None:
            return super().in_subtree(unit_or_path, lookup)
        return self.filter(current_unit_q(unit_path(unit_or_path), on=on))


class Officer(QuickChoiceLabels, UnitOwned):
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
    # A posting decided for a later date (điều động từ ngày …) changes the officer's unit on that date
    # by itself: reads take ``next_unit`` from ``next_unit_from`` on, so no job has to run. The
    # posting services keep both in step with the postings (deployment.services.sync_officer_unit).
    next_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị sẽ chuyển đến"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_officers",
    )
    next_unit_from = models.DateField(_("chuyển đến từ ngày"), null=True, blank=True)
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

    @classmethod
    def subtree_q(cls, path: str, prefix: str = "") -> Q:
        return current_unit_q(path, prefix)

    @property
    def current_unit(self):
        """The unit today: the planned one from its date on."""
        if has_moved(self.next_unit_id, self.next_unit_from, timezone.localdate()):
            return self.next_unit
        return self.unit

    @property
    def planned_move(self):
        """(unit, from) of a move decided for a later date, or None."""
        planned = self.next_unit_id and self.next_unit_from
        if planned and not has_moved(self.next_unit_id, self.next_unit_from, timezone.localdate()):
            return self.next_unit, self.next_unit_from
        return None

    def changelog_unit_path(self) -> str:
        return self.current_unit.path

    def scope_paths(self) -> list[str]:
        """Where the officer belongs for a permission on this row: today's unit (``subtree_q``'s rule)."""
        return [self.current_unit.path]


class StatusChange(models.Model):
    """One change of an officer's status (đang công tác, nghỉ phép, nghỉ hưu…) with its decision: the
    officer's status history, appended, never rewritten."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(_("trạng thái"), max_length=20, choices=OfficerStatus.choices)
    previous_status = models.CharField(_("trạng thái trước"), max_length=20, choices=OfficerStatus.choices)
    effective_from = models.DateField(_("có hiệu lực từ"))
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    scope_path_lookup = "officer__unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("thay đổi trạng thái cán bộ")
        verbose_name_plural = _("thay đổi trạng thái cán bộ")
        ordering = ["-effective_from", "-pk"]
        indexes = [models.Index(fields=["officer", "effective_from"], name="status_change_officer_idx")]

    def __str__(self) -> str:
        return f"{self.officer}: {self.get_status_display()} ({self.effective_from:%d/%m/%Y})"

    def changelog_unit_path(self) -> str:
        return self.officer.changelog_unit_path()


class Speciality(QuickChoiceLabels, models.Model):
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


class ServiceAgeRule(models.Model):
    """Ages that make an officer's dates plausible (tuổi phục vụ), with effective dates: nobody is
    posted, joins the service or the party before ``minimum_age``; an officer still serving is
    younger than ``maximum_age``. Reference data: the law sets the ages and changes them."""

    minimum_age = models.PositiveSmallIntegerField(_("tuổi tối thiểu"))
    maximum_age = models.PositiveSmallIntegerField(_("hạn tuổi phục vụ cao nhất"))
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quy định tuổi phục vụ")
        verbose_name_plural = _("quy định tuổi phục vụ")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(maximum_age__gt=models.F("minimum_age")),
                name="service_age_max_above_min",
                violation_error_message=_("Hạn tuổi cao nhất phải lớn hơn tuổi tối thiểu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minimum_age}–{self.maximum_age} ({self.effective_from:%d/%m/%Y})"
