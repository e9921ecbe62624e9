"""Postings of officers to commune police, staffing norms and the party side (chi bộ, cấp ủy)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cax.core.models import UnitOwned
from cax.core.scoping import ScopedQuerySet

FOREVER = dt.date.max  # the last day of a staffing level still in force


class PostingRole(models.TextChoices):
    CHIEF = "chief", _("Trưởng Công an")
    DEPUTY = "deputy", _("Phó Trưởng Công an")
    OFFICER = "officer", _("Cán bộ, chiến sĩ")


class PostingEndReason(models.TextChoices):
    """Why a posting ended (lý do kết thúc), recorded with the decision that ended it."""

    TRANSFER = "transfer", _("Điều động đến đơn vị khác")
    RETIREMENT = "retirement", _("Nghỉ hưu")
    STUDY = "study", _("Đi học")
    LEAVE = "leave", _("Nghỉ chế độ, nghỉ dài hạn")
    DIED_ON_DUTY = "died_on_duty", _("Hy sinh khi làm nhiệm vụ")
    INJURED_ON_DUTY = "injured_on_duty", _("Bị thương khi làm nhiệm vụ")
    TRANSFERRED_OUT = "transferred_out", _("Chuyển công tác ra ngoài lực lượng Công an xã")
    OTHER = "other", _("Khác")


class PostingQuerySet(ScopedQuerySet):
    def active_on(self, day) -> PostingQuerySet:
        """Postings in force on ``day``: started on or before it, not ended before it."""
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class Posting(UnitOwned):
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
    # The decision that ended the posting, kept beside the one that started it: nothing is overwritten.
    end_reason = models.CharField(_("lý do kết thúc"), max_length=20, choices=PostingEndReason.choices, blank=True)
    end_decision_number = models.CharField(_("số quyết định kết thúc"), max_length=50, blank=True)
    end_decision_date = models.DateField(_("ngày quyết định kết thúc"), null=True, blank=True)
    end_note = models.CharField(_("ghi chú kết thúc"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

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


class StaffingLevel(UnitOwned):
    """One commune's staffing figures from ``day`` to ``until`` (issue 20.3).

    A step function over the postings, kept by ``deployment.levels`` in the same transaction as
    every write that changes it: a row starts wherever a posting starts or ends, or the unit opens
    or closes, and lasts until the day before the next one (the last row: until ``FOREVER``). The
    figures on a day are the one row in force that day (``day`` ≤ it ≤ ``until``): an index range
    of one row per commune for today, whatever the length of the history.
    ``head_change`` and ``covered_change`` are the row's change against the one before, which
    ``StaffingMonth`` sums per month.
    """

    # Read from the unit's side (the dashboards start from the communes open that day); the unique
    # key (unit, day) is the unit's index.
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="staffing_levels", db_index=False)
    day = models.DateField()
    until = models.DateField(default=FOREVER)
    head_count = models.PositiveIntegerField(default=0)
    female = models.PositiveIntegerField(default=0)
    chiefs = models.PositiveIntegerField(default=0)
    investigators = models.PositiveIntegerField(default=0)
    speakers = models.PositiveIntegerField(default=0)  # officers who speak one of the unit's local languages
    head_change = models.IntegerField(default=0)
    covered_change = models.SmallIntegerField(default=0)  # +1: the first officer arrives; -1: the last leaves

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="staffing_level_key")]
        indexes = [
            # The rows in force on a day: per commune (a province), or all of them (the country).
            models.Index(fields=["unit", "until"], name="staffing_level_unit_until_idx"),
            models.Index(fields=["until"], name="staffing_level_until_idx"),
            models.Index(fields=["day"], name="staffing_level_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.day}: {self.head_count}"


class StaffingMonth(UnitOwned):
    """The changes of one commune's staffing levels within a calendar month (``month`` is its first
    day), so that a month-end series reads a row per commune and month instead of every posting."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    month = models.DateField()
    head_change = models.IntegerField(default=0)
    covered_change = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="staffing_month_key")]
        indexes = [models.Index(fields=["month"], name="staffing_month_month_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.month:%m/%Y}: {self.head_change:+d}"


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


class PartyCell(UnitOwned):
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


class Committee(models.TextChoices):
    EXECUTIVE = "executive", _("Ban Chấp hành Đảng bộ xã")
    STANDING = "standing", _("Ban Thường vụ Đảng ủy xã")


class CommitteeSeat(UnitOwned):
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


class PlanPool(models.TextChoices):
    UNPOSTED = "unposted", _("Cán bộ chưa bố trí (không có quyết định đang hiệu lực)")
    VOLUNTEERS = "volunteers", _("Cán bộ được chọn (tự nguyện điều động) và cán bộ chưa bố trí")
    EVERYONE = "everyone", _("Toàn bộ cán bộ trong đơn vị")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa chạy")
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tính")
    OPTIMAL = "optimal", _("Tối ưu (đã chứng minh)")
    FEASIBLE = "feasible", _("Khả thi (còn khoảng cách tối ưu)")
    INFEASIBLE = "infeasible", _("Không có phương án")
    CANCELLED = "cancelled", _("Đã hủy")
    FAILED = "failed", _("Lỗi")
    APPROVED = "approved", _("Đã phê duyệt")


class PlanScenario(UnitOwned):
    """A posting plan (phương án bố trí): a pool of officers, the communes of a unit, the rules and
    weights; the solver's result is kept in ``PlanAssignment`` rows and ``result``.

    Defaults are configuration, edited per scenario in the form: the chief rank ceiling is Trung tá
    (Law on CAND, art. 25 as amended 2023), the rest are starting weights to tune.
    """

    name = models.CharField(_("tên phương án"), max_length=200)
    search_key = models.CharField(max_length=255, db_index=True, editable=False, default="")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị lập phương án"), on_delete=models.PROTECT, related_name="plans"
    )
    start_date = models.DateField(_("ngày hiệu lực điều động"))
    pool = models.CharField(_("nguồn cán bộ"), max_length=12, choices=PlanPool.choices, default=PlanPool.UNPOSTED)
    volunteers = models.ManyToManyField(
        "personnel.Officer", verbose_name=_("cán bộ được chọn"), blank=True, related_name="+"
    )
    # The communes to fill; none chosen means every commune-level unit under ``unit``.
    target_units = models.ManyToManyField(
        "units.Unit", verbose_name=_("các xã cần bố trí"), blank=True, related_name="+"
    )
    # Hard rules
    extra_over_target = models.PositiveSmallIntegerField(_("tối đa vượt định biên"), default=4)
    chief_min_rank = models.CharField(_("cấp bậc tối thiểu của Trưởng"), max_length=32, default="senior_lieutenant")
    chief_max_rank = models.CharField(_("cấp bậc tối đa của Trưởng"), max_length=32, default="lieutenant_colonel")
    chief_min_years = models.PositiveSmallIntegerField(_("thâm niên tối thiểu của Trưởng (năm)"), default=5)
    require_speaker = models.BooleanField(_("xã vùng dân tộc phải có người biết tiếng"), default=True)
    hardship_max_km = models.DecimalField(
        _("khoảng cách tối đa cho cán bộ hoàn cảnh khó khăn (km)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        default=30,
    )
    keep_current = models.BooleanField(_("giữ nguyên vị trí hiện tại"), default=False)
    forbid_home = models.BooleanField(_("không bố trí về xã quê quán"), default=False)
    candidates = models.PositiveIntegerField(_("số xã gần nhất xét cho mỗi cán bộ (0 = tất cả)"), default=0)
    # Soft costs (one km of an ordinary officer's distance = 1)
    km_weight = models.DecimalField(_("trọng số mỗi km"), max_digits=7, decimal_places=2, default=1)
    hardship_km_weight = models.DecimalField(
        _("trọng số mỗi km (hoàn cảnh khó khăn)"), max_digits=7, decimal_places=2, default=3
    )
    unused_skill_cost = models.DecimalField(
        _("chi phí tiếng dân tộc không được dùng"), max_digits=9, decimal_places=2, default=20
    )
    missing_skill_cost = models.DecimalField(
        _("chi phí cán bộ không biết tiếng tại xã vùng dân tộc"), max_digits=9, decimal_places=2, default=20
    )
    move_cost = models.DecimalField(_("chi phí mỗi lần điều động"), max_digits=9, decimal_places=2, default=30)
    chief_change_cost = models.DecimalField(_("chi phí thay Trưởng"), max_digits=9, decimal_places=2, default=10)
    tree_km_near = models.DecimalField(
        _("km quy đổi: cùng đơn vị cấp trên trực tiếp"), max_digits=7, decimal_places=1, default=15
    )
    tree_km_mid = models.DecimalField(
        _("km quy đổi: cùng cấp trên hai bậc"), max_digits=7, decimal_places=1, default=60
    )
    tree_km_far = models.DecimalField(_("km quy đổi: xa hơn"), max_digits=7, decimal_places=1, default=300)
    time_limit = models.PositiveIntegerField(_("thời gian tính tối đa (giây)"), default=300)
    # Run state
    status = models.CharField(_("trạng thái"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    progress_text = models.CharField(_("bước"), max_length=100, blank=True)
    cancel_requested = models.BooleanField(default=False)
    heartbeat = models.DateTimeField(null=True, blank=True)
    run_started_at = models.DateTimeField(null=True, blank=True)
    run_finished_at = models.DateTimeField(null=True, blank=True)
    objective = models.FloatField(_("tổng chi phí"), null=True, blank=True)
    bound = models.FloatField(_("cận dưới"), null=True, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    # Approval
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phương án bố trí")
        verbose_name_plural = _("phương án bố trí")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class PlanAssignment(models.Model):
    """One officer's place in a plan, with what the solver (or a person) decided and why."""

    scenario = models.ForeignKey(PlanScenario, on_delete=models.CASCADE, related_name="assignments")
    officer = models.ForeignKey("personnel.Officer", verbose_name=_("cán bộ"), on_delete=models.PROTECT)
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị đề xuất"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("chức danh"), max_length=10, choices=PostingRole.choices, default=PostingRole.OFFICER)
    current_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị hiện tại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_role = models.CharField(_("chức danh hiện tại"), max_length=10, blank=True)
    km = models.FloatField(_("khoảng cách (km)"), default=0)
    cost = models.FloatField(_("chi phí"), default=0)
    reasons = models.JSONField(_("lý do"), default=list, blank=True)
    edited = models.BooleanField(_("sửa tay"), default=False)

    scope_path_lookup = "scenario__unit__path"

    class Meta:
        verbose_name = _("đề xuất bố trí")
        verbose_name_plural = _("đề xuất bố trí")
        ordering = ["unit__path", "-role", "officer__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "officer"], name="plan_assignment_one_per_officer"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} → {self.unit} ({self.get_role_display()})"

    @property
    def is_move(self) -> bool:
        return self.current_unit_id != self.unit_id

    @property
    def is_change(self) -> bool:
        """Needs a new posting: another unit, or another role in the same one."""
        return self.is_move or self.role != self.current_role
