"""Officers killed or injured on duty, commendations and emulation campaigns (seed 001: "23 đồng chí
hy sinh, 414 đồng chí bị thương từ năm 2018"; "phát động phong trào thi đua")."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cax.core.models import UnitOwned
from cax.core.records.model import RecordModel
from cax.core.scoping import ScopedQuerySet, path_q, subtree_q


class CasualtyKind(models.TextChoices):
    KILLED = "killed", _("Hy sinh")
    INJURED = "injured", _("Bị thương")


class Cause(models.TextChoices):
    CRIME = "crime", _("Đấu tranh, truy bắt tội phạm")
    TRAFFIC = "traffic", _("Tuần tra, kiểm soát giao thông")
    RESCUE = "rescue", _("Cứu nạn, cứu hộ, phòng cháy, thiên tai")
    OTHER = "other", _("Nhiệm vụ khác")


class Severity(models.TextChoices):
    LIGHT = "light", _("Nhẹ")
    SERIOUS = "serious", _("Nặng")
    CRITICAL = "critical", _("Đặc biệt nặng")


class Casualty(UnitOwned, RecordModel):
    """An officer killed or injured on duty. ``unit`` is the unit at the time, not the officer's
    current one: the figure belongs to where it happened even after transfers or merges."""

    event_date_fields = ("date",)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="honours_casualties"
    )
    officer = models.ForeignKey(
        "personnel.Officer",
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="casualties",
    )
    # Copied from the officer when there is one, so lists and exports need no join and a record
    # survives for people who were never in the officer registry (before 2018, say).
    full_name = models.CharField(_("họ và tên"), max_length=150)
    kind = models.CharField(_("hình thức"), max_length=10, choices=CasualtyKind.choices)
    date = models.DateField(_("ngày xảy ra"))
    place = models.CharField(_("nơi xảy ra"), max_length=300, blank=True)
    circumstances = models.TextField(_("hoàn cảnh"), blank=True)
    cause = models.CharField(_("nhóm nguyên nhân"), max_length=10, choices=Cause.choices)
    severity = models.CharField(_("mức độ thương tích"), max_length=10, choices=Severity.choices, blank=True)
    recognition = models.CharField(_("quyết định công nhận liệt sĩ / thương binh"), max_length=200, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("cán bộ hy sinh, bị thương")
        verbose_name_plural = _("cán bộ hy sinh, bị thương")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date", "kind"], name="casualty_date_kind_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(kind="killed", officer__isnull=False),
                name="casualty_killed_once",
                violation_error_message=_("Cán bộ này đã được ghi nhận hy sinh."),
            ),
            models.CheckConstraint(
                condition=Q(kind="injured") | Q(severity=""),
                name="casualty_severity_only_injured",
                violation_error_message=_("Chỉ ghi mức độ thương tích cho trường hợp bị thương."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.get_kind_display()} {self.date:%d/%m/%Y}"

    def search_text(self) -> str:
        number = self.officer.service_number if self.officer_id else ""
        return f"{self.full_name} {number} {self.unit.name} {self.unit.code} {self.place} {self.recognition}"


class CommendationForm(models.TextChoices):
    ORDER = "order", _("Huân chương")
    MEDAL = "medal", _("Huy chương")
    PM_CERTIFICATE = "pm_certificate", _("Bằng khen của Thủ tướng Chính phủ")
    MINISTER_CERTIFICATE = "minister_certificate", _("Bằng khen của Bộ trưởng Bộ Công an")
    PROVINCE_CERTIFICATE = "province_certificate", _("Bằng khen của UBND tỉnh")
    MERIT_CERTIFICATE = "merit_certificate", _("Giấy khen")
    EMULATION_FIGHTER = "emulation_fighter", _("Chiến sĩ thi đua")
    EMULATION_FLAG = "emulation_flag", _("Cờ thi đua")
    VICTORIOUS_UNIT = "victorious_unit", _("Danh hiệu Đơn vị quyết thắng")
    ADVANCED_UNIT = "advanced_unit", _("Danh hiệu Đơn vị tiên tiến")
    OTHER = "other", _("Hình thức khác")


class CampaignQuerySet(ScopedQuerySet):
    def visible_to(self, user, action="view"):
        """The organiser's subtree, and also every unit taking part: a commune sees the province's
        campaign it joined. A subquery, not a join, so a campaign is never listed twice."""
        scoped = super().visible_to(user, action)
        if scoped.query.is_empty():
            return scoped
        taking_part = EmulationCampaign.participants.through.objects.filter(
            path_q("unit__path", user.scope_path)
        ).values("emulationcampaign_id")
        return self.filter(subtree_q(self.model, user.scope_path) | Q(pk__in=taking_part))


class EmulationCampaign(UnitOwned, RecordModel):
    """An emulation campaign (phong trào thi đua) launched by ``unit`` for units of its subtree."""

    event_date_fields = ("starts_on",)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị phát động"), on_delete=models.PROTECT, related_name="honours_campaigns"
    )
    name = models.CharField(_("tên phong trào"), max_length=300)
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc"))
    description = models.TextField(_("nội dung"), blank=True)
    participants = models.ManyToManyField(
        "units.Unit", verbose_name=_("đơn vị tham gia"), blank=True, related_name="honours_campaigns_joined"
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name", "starts_on"],
                name="campaign_unique_per_unit_start",
                violation_error_message=_("Đơn vị đã phát động phong trào cùng tên, cùng ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("Ngày kết thúc phải từ ngày bắt đầu trở đi."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def search_text(self) -> str:
        return f"{self.name} {self.unit.name} {self.unit.code}"


class Commendation(UnitOwned, RecordModel):
    """A commendation or award (khen thưởng) to an officer, or to the unit itself when no officer."""

    event_date_fields = ("decision_date",)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="honours_commendations"
    )
    officer = models.ForeignKey(
        "personnel.Officer",
        verbose_name=_("cán bộ được khen"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
    )
    form = models.CharField(_("hình thức khen thưởng"), max_length=24, choices=CommendationForm.choices)
    issuer = models.CharField(_("cơ quan quyết định"), max_length=200)
    # The issuer folded (case, diacritics, spacing): "UBND tỉnh Quảng Ngãi" typed two ways is one body.
    issuer_key = models.CharField(max_length=200, editable=False, db_index=True)
    decision_number = models.CharField(_("số quyết định"), max_length=50)
    decision_date = models.DateField(_("ngày quyết định"))
    reason = models.TextField(_("thành tích"), blank=True)
    campaign = models.ForeignKey(
        EmulationCampaign,
        verbose_name=_("phong trào thi đua"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
    )

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-decision_date", "-id"]
        indexes = [models.Index(fields=["decision_date"], name="commendation_date_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_key", "decision_number", "officer"],
                condition=Q(officer__isnull=False),
                name="commendation_unique_officer",
                violation_error_message=_("Cán bộ này đã có khen thưởng theo số quyết định này của cơ quan này."),
            ),
            models.UniqueConstraint(
                fields=["issuer_key", "decision_number", "unit"],
                condition=Q(officer__isnull=True),
                name="commendation_unique_unit",
                violation_error_message=_("Đơn vị này đã có khen thưởng theo số quyết định này của cơ quan này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} – {self.recipient_name}"

    @property
    def recipient_name(self) -> str:
        return self.officer.full_name if self.officer_id else self.unit.name

    def search_text(self) -> str:
        number = self.officer.service_number if self.officer_id else ""
        return (
            f"{self.recipient_name} {number} {self.unit.name} {self.unit.code} {self.issuer} {self.decision_number} "
            f"{self.get_form_display()}"
        )
