"""Postings of officers to commune police, staffing norms and the party side (chi bộ, cấp ủy)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cax.core.scoping import ScopedQuerySet


class PostingRole(models.TextChoices):
    CHIEF = "chief", _("Trưởng Công an")
    DEPUTY = "deputy", _("Phó Trưởng Công an")
    OFFICER = "officer", _("Cán bộ, chiến sĩ")


class PostingQuerySet(ScopedQuerySet):
    def active_on(self, day) -> PostingQuerySet:
        """Postings in force on ``day``: started on or before it, not ended before it."""
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class Posting(models.Model):
    """An officer posted to a commune-level police unit in a role (quyết định điều động, bố trí).

    The full history is kept: a transfer ends one posting and starts the next. An open posting has
    no ``end_date``; the database allows one open posting per officer and one open chief per unit.
    """

    officer = models.ForeignKey(
        "personnel.Officer", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="postings"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="postings")
    role = models.CharField(_("chức danh"), max_length=10, choices=PostingRole.choices, default=PostingRole.OFFICER)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    scope_path_lookup = "unit__path"
    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định bố trí")
        verbose_name_plural = _("quyết định bố trí")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "start_date", "end_date"], name="posting_unit_dates_idx"),
            models.Index(fields=["start_date", "end_date"], name="posting_dates_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="posting_end_after_start",
                violation_error_message=_("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."),
            ),
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(end_date__isnull=True),
                name="posting_one_open_per_officer",
                violation_error_message=_("Cán bộ đang có một quyết định bố trí chưa kết thúc."),
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(end_date__isnull=True, role="chief"),
                name="posting_one_open_chief_per_unit",
                violation_error_message=_("Đơn vị đã có Trưởng Công an đương nhiệm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} → {self.unit} ({self.get_role_display()}, {self.start_date:%d/%m/%Y})"

    def changelog_unit_path(self) -> str:
        return self.unit.path


class StaffingNorm(models.Model):
    """A staffing norm (định biên) with effective dates: a minimum and a target head count and the
    roles a unit must have. The most specific norm in force wins: a unit's own, then its province's
    for its unit type, its province's, the unit type's, then the national default (nothing set)."""

    province = models.ForeignKey(
        "units.Unit",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="province_norms",
    )
    unit_type = models.ForeignKey(
        "units.UnitType", verbose_name=_("loại đơn vị"), null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unit_norms",
    )
    minimum = models.PositiveSmallIntegerField(_("tối thiểu"))
    target = models.PositiveSmallIntegerField(_("định biên"))
    requires_chief = models.BooleanField(_("phải có Trưởng"), default=True)
    min_investigators = models.PositiveSmallIntegerField(_("số điều tra viên tối thiểu"), default=0)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("định biên")
        verbose_name_plural = _("định biên")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gte=F("minimum")),
                name="norm_target_at_least_minimum",
                violation_error_message=_("Định biên phải lớn hơn hoặc bằng mức tối thiểu."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="norm_dates_ordered",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        where = self.unit or self.province or self.unit_type or _("toàn quốc")
        return f"{where}: ≥{self.minimum} ({self.effective_from:%d/%m/%Y})"

    @property
    def specificity(self) -> int:
        if self.unit_id:
            return 4
        if self.province_id and self.unit_type_id:
            return 3
        if self.province_id:
            return 2
        return 1 if self.unit_type_id else 0


class PartyCell(models.Model):
    """The party cell (chi bộ) of a commune police unit."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="party_cells"
    )
    founded_on = models.DateField(_("ngày thành lập"))
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    secretary = models.ForeignKey(
        "personnel.Officer",
        verbose_name=_("bí thư"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_path_lookup = "unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chi bộ")
        verbose_name_plural = _("chi bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(dissolved_on__isnull=True),
                name="party_cell_one_open_per_unit",
                violation_error_message=_("Đơn vị đã có chi bộ."),
            ),
        ]

    def __str__(self) -> str:
        return f"Chi bộ {self.unit}"

    def changelog_unit_path(self) -> str:
        return self.unit.path


class Committee(models.TextChoices):
    EXECUTIVE = "executive", _("Ban Chấp hành Đảng bộ xã")
    STANDING = "standing", _("Ban Thường vụ Đảng ủy xã")


class CommitteeSeat(models.Model):
    """An officer's seat on the commune party executive (BCH) or standing (BTV) committee."""

    officer = models.ForeignKey(
        "personnel.Officer", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="committee_seats"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="committee_seats"
    )
    committee = models.CharField(_("cấp ủy"), max_length=12, choices=Committee.choices)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)

    scope_path_lookup = "unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cấp ủy viên")
        verbose_name_plural = _("cấp ủy viên")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="seat_end_after_start",
                violation_error_message=_("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.get_committee_display()} {self.unit}"

    def changelog_unit_path(self) -> str:
        return self.unit.path
