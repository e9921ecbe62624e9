"""The grassroots security force (Lực lượng tham gia bảo vệ ANTT ở cơ sở, Law 30/2023/QH15).

A commune's teams (tổ bảo vệ ANTT) cover one or more villages; their members must meet the criteria
of Art. 13, whose numbers a province may tighten (``Criteria``). Every rule lives in services.py.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cax.core.models import UnitOwned
from cax.core.records.model import RecordModel
from cax.core.scoping import ScopedQuerySet

# The numbers of Law 30/2023 Art. 13 (age 18–70, residence ≥ 1 year). Used when no Criteria row
# applies, e.g. before the unit tree is loaded and the data migration could not create the root row.
LAW_MIN_AGE = 18
LAW_MAX_AGE = 70
LAW_MIN_RESIDENCE_MONTHS = 12
LAW_DEFAULT_TEAM_SIZE = 3


class Criteria(UnitOwned, RecordModel):
    """The member criteria and default team size that apply under ``unit`` (the root or a province).

    The row of the nearest ancestor of a commune applies (services.criteria_for).
    """

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="grassroots_criteria"
    )
    min_age = models.PositiveSmallIntegerField(_("tuổi tối thiểu"), default=LAW_MIN_AGE)
    max_age = models.PositiveSmallIntegerField(_("tuổi tối đa"), default=LAW_MAX_AGE)
    min_residence_months = models.PositiveSmallIntegerField(
        _("thời gian cư trú tối thiểu (tháng)"), default=LAW_MIN_RESIDENCE_MONTHS
    )
    default_team_size = models.PositiveSmallIntegerField(
        _("số thành viên mặc định của tổ"), default=LAW_DEFAULT_TEAM_SIZE
    )
    legal_basis = models.CharField(_("căn cứ (nghị quyết, quyết định)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tiêu chuẩn thành viên")
        verbose_name_plural = _("tiêu chuẩn thành viên")
        ordering = ["unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                name="grassroots_criteria_one_per_unit",
                violation_error_message=_("Đơn vị này đã có tiêu chuẩn."),
            ),
        ]

    def __str__(self) -> str:
        return _("Tiêu chuẩn của {unit}").format(unit=self.unit)

    def search_text(self) -> str:
        return f"{self.unit.name} {self.unit.code} {self.legal_basis}"


class TeamStatus(models.TextChoices):
    PLANNED = "planned", _("Dự kiến thành lập")
    ESTABLISHED = "established", _("Đã thành lập")
    DISSOLVED = "dissolved", _("Đã giải thể")


class Team(UnitOwned, RecordModel):
    """A team (tổ bảo vệ ANTT) of a commune, covering one or more of its villages (Art. 14)."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="grassroots_teams"
    )
    code = models.CharField(_("mã tổ"), max_length=40, unique=True)
    name = models.CharField(_("tên tổ"), max_length=200)
    villages = models.ManyToManyField(
        "units.Unit", verbose_name=_("địa bàn phụ trách (thôn, tổ dân phố)"), related_name="grassroots_area_teams"
    )
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    planned_members = models.PositiveSmallIntegerField(_("số thành viên theo quy định"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=TeamStatus.choices, default=TeamStatus.PLANNED)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("tổ bảo vệ ANTT")
        verbose_name_plural = _("tổ bảo vệ ANTT")
        ordering = ["unit__path", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="grassroots_team_name_per_commune",
                violation_error_message=_("Xã này đã có một tổ cùng tên."),
            ),
            models.CheckConstraint(
                condition=Q(planned_members__gte=1),
                name="grassroots_team_size_positive",
                violation_error_message=_("Số thành viên theo quy định phải từ 1 trở lên."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def search_text(self) -> str:
        return f"{self.name} {self.code} {self.unit.name} {self.unit.code} {self.decision_number}"


class Role(models.TextChoices):
    LEADER = "leader", _("Tổ trưởng")
    DEPUTY = "deputy", _("Tổ phó")
    MEMBER = "member", _("Tổ viên")


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Education(models.TextChoices):
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    VOCATIONAL = "vocational", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")
    UNIVERSITY = "university", _("Đại học trở lên")


class TeamMember(RecordModel):
    """A person recognised as a member of a team. Active while ``left_on`` is empty."""

    team = models.ForeignKey(Team, verbose_name=_("tổ"), on_delete=models.PROTECT, related_name="members")
    full_name = models.CharField(_("họ và tên"), max_length=150)
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices)
    date_of_birth = models.DateField(_("ngày sinh"))
    id_number = models.CharField(_("số căn cước"), max_length=12)
    role = models.CharField(_("chức danh"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("ngày tham gia"))
    left_on = models.DateField(_("ngày thôi tham gia"), null=True, blank=True)
    residence_since = models.DateField(_("cư trú tại địa bàn từ ngày"))
    health_certificate_on = models.DateField(_("ngày giấy khám sức khoẻ"))
    education = models.CharField(_("trình độ học vấn"), max_length=16, choices=Education.choices)
    over_age_decision = models.CharField(_("quyết định cho phép quá tuổi"), max_length=100, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)

    scope_unit_field = "team"
    scope_path_lookup = "team__unit__path"
    objects = ScopedQuerySet.as_manager()

    # Masked in the append-only change log: it can never erase them (Law 91/2025 on personal data).
    SENSITIVE_FIELDS = ("id_number", "date_of_birth", "phone")

    class Meta:
        verbose_name = _("thành viên tổ bảo vệ ANTT")
        verbose_name_plural = _("thành viên tổ bảo vệ ANTT")
        ordering = ["team__unit__path", "team__code", "role", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(left_on__isnull=True),
                name="grassroots_member_id_unique_active",
                violation_error_message=_("Số căn cước này đã là thành viên đang hoạt động."),
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(left_on__isnull=True, role="leader"),
                name="grassroots_one_active_leader",
                violation_error_message=_("Tổ đã có tổ trưởng đang hoạt động."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="grassroots_member_left_after_joined",
                violation_error_message=_("Ngày thôi tham gia phải sau ngày tham gia."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def scope_unit(self):
        return self.team.unit

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    def search_text(self) -> str:
        return f"{self.full_name} {self.id_number} {self.team.name} {self.team.code}"


class AllowanceKind(models.TextChoices):
    MONTHLY = "monthly", _("Hỗ trợ hằng tháng")
    INSURANCE = "insurance", _("Hỗ trợ đóng bảo hiểm")
    TRAINING = "training", _("Bồi dưỡng khi tập huấn")
    DUTY = "duty", _("Bồi dưỡng trực đêm, ngày nghỉ, lễ")
    OTHER = "other", _("Khác")


class AllowancePayment(RecordModel):
    """Money paid to a member under Art. 23; ``month`` is the first day of the month it is for."""

    event_date_fields = ("paid_on",)
    member = models.ForeignKey(
        TeamMember, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="allowances"
    )
    month = models.DateField(_("tháng"))
    kind = models.CharField(_("loại chế độ"), max_length=12, choices=AllowanceKind.choices)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    paid_on = models.DateField(_("ngày chi"))
    decision_ref = models.CharField(_("căn cứ chi (quyết định, chứng từ)"), max_length=100, blank=True)

    scope_unit_field = "member"
    scope_path_lookup = "member__team__unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chi trả chế độ")
        verbose_name_plural = _("chi trả chế độ")
        ordering = ["-month", "member__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month", "kind"],
                name="grassroots_allowance_once_per_month",
                violation_error_message=_("Thành viên đã được chi chế độ này trong tháng đó."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_kind_display()} {self.month:%m/%Y}"

    @property
    def scope_unit(self):
        return self.member.team.unit

    def search_text(self) -> str:
        return f"{self.member.full_name} {self.member.id_number} {self.get_kind_display()} {self.decision_ref}"
