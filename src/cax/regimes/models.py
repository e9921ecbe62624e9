"""Officers' regimes (chế độ, chính sách, issue 19): entitlement types and their dated rates, the
dated area classification of communes, and the rotation rule. What an officer is owed is computed
from these and the postings (``entitlements.py``), never stored."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cax.core import formatting as fmt
from cax.core.records.model import RecordModel
from cax.core.scoping import ScopedQuerySet, permission_name, subtree_q
from cax.deployment.models import PostingRole
from cax.personnel.choices import SpecialityKind
from cax.regimes import entitlements


class Kind(models.TextChoices):
    CENTRAL = "central", _("Phụ cấp theo quy định của Trung ương")
    PROVINCIAL = "provincial", _("Hỗ trợ thêm của tỉnh")
    DIFFICULT_AREA = "difficult_area", _("Phụ cấp vùng khó khăn")
    HOUSING = "housing", _("Hỗ trợ nhà ở")
    MEAL = "meal", _("Hỗ trợ tiền ăn")


class Proration(models.TextChoices):
    CALENDAR_DAYS = entitlements.CALENDAR_DAYS, _("Theo số ngày hưởng trong tháng")
    FIRST_DAY = entitlements.FIRST_DAY, _("Cả tháng nếu được hưởng từ ngày đầu tháng")


class AreaAttribute(models.TextChoices):
    REMOTE = "remote", _("Vùng sâu, vùng xa")
    BORDER = "border", _("Biên giới")
    ETHNIC_MINORITY = "ethnic_minority", _("Vùng dân tộc thiểu số")


# The unit's current flag that seeds each attribute's history (units.Unit keeps no history).
UNIT_FLAGS = {
    AreaAttribute.REMOTE: "is_remote",
    AreaAttribute.BORDER: "is_border",
    AreaAttribute.ETHNIC_MINORITY: "is_ethnic_minority",
}


class EntitlementType(models.Model):
    """A kind of allowance or support (loại chế độ): reference data with its legal basis.

    Types in one ``exclusive_group`` are not cumulative: on each day only the highest rate of the
    group is owed (Hà Nội's 27/11/2025 resolution against NQ 38/2024)."""

    code = models.CharField(_("mã chế độ"), max_length=32, unique=True)
    name = models.CharField(_("tên chế độ"), max_length=200)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300)
    exclusive_group = models.CharField(
        _("nhóm chỉ hưởng mức cao nhất"),
        max_length=32,
        blank=True,
        help_text=_("Các chế độ cùng nhóm không cộng dồn: mỗi ngày chỉ hưởng mức cao nhất."),
    )
    proration = models.CharField(
        _("cách tính theo tháng"), max_length=16, choices=Proration.choices, default=Proration.CALENDAR_DAYS
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("loại chế độ")
        verbose_name_plural = _("loại chế độ")
        ordering = ["kind", "code"]
        permissions = [("view_entitlement", _("Xem chế độ được hưởng của cán bộ"))]

    def __str__(self) -> str:
        return self.name


class RateQuerySet(ScopedQuerySet):
    """Everyone with the right reads the national rows and those of the units above and below them;
    only the owner's subtree changes a row (national rows: the ministry level)."""

    def visible_to(self, user, action="view"):
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if not user.has_perm(permission_name(self.model, action)) or not user.unit_id:
            return self.none()
        below = subtree_q(self.model, user.scope_path)
        if action != "view":
            return self.filter(below)
        return self.filter(below | Q(unit_id__in=[*user.unit.ancestor_ids, user.unit_id]))


class EntitlementRate(RecordModel):
    """A rate (mức hưởng) of a type, in VND per month, from ``effective_from`` to ``effective_to``,
    for the whole country (``unit`` = Bộ Công an) or one province, for postings whose unit has every
    required area attribute that day (and the role or speciality, when named).

    Rates marked ``verified=False`` come from unconfirmed sources (notes tagged [U]) and are shown
    as such until someone checks the text."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("phạm vi áp dụng"), on_delete=models.PROTECT, related_name="entitlement_rates"
    )
    entitlement_type = models.ForeignKey(
        EntitlementType, verbose_name=_("loại chế độ"), on_delete=models.PROTECT, related_name="rates"
    )
    amount = models.PositiveBigIntegerField(_("mức (đồng/tháng)"))
    requires_remote = models.BooleanField(_("chỉ vùng sâu, vùng xa"), default=False)
    requires_border = models.BooleanField(_("chỉ xã biên giới"), default=False)
    requires_ethnic_minority = models.BooleanField(_("chỉ vùng dân tộc thiểu số"), default=False)
    role = models.CharField(_("chỉ chức danh"), max_length=10, choices=PostingRole.choices, blank=True)
    speciality = models.CharField(_("chỉ chuyên môn"), max_length=20, choices=SpecialityKind.choices, blank=True)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    basis = models.CharField(_("căn cứ"), max_length=300)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    objects = RateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mức hưởng chế độ")
        verbose_name_plural = _("mức hưởng chế độ")
        ordering = ["entitlement_type__code", "unit__path", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="regimes_rate_ends_after_start",
                violation_error_message=_("Ngày hết hiệu lực phải bằng hoặc sau ngày bắt đầu hiệu lực."),
            ),
        ]

    def __str__(self) -> str:
        # No amount here: the change log keeps this text as written, and a number in it would be
        # shown in the writer's language to every reader.
        return f"{self.entitlement_type} – {self.unit.name} ({fmt.date(self.effective_from)})"

    def search_text(self) -> str:
        t = self.entitlement_type
        return f"{t.name} {t.code} {self.basis} {self.unit.name}"

    @property
    def attributes(self) -> frozenset[str]:
        return frozenset(
            attribute
            for attribute, required in (
                (AreaAttribute.REMOTE, self.requires_remote),
                (AreaAttribute.BORDER, self.requires_border),
                (AreaAttribute.ETHNIC_MINORITY, self.requires_ethnic_minority),
            )
            if required
        )


class AreaClassification(RecordModel):
    """One attribute of a commune (vùng sâu, biên giới, dân tộc thiểu số) from ``valid_from`` to
    ``valid_to``, on a basis (the list of extremely disadvantaged communes, a decision…).

    Entitlements read the classification in force on each day, so ending or starting a row today
    never changes what was owed before."""

    event_date_fields = ("valid_from",)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị cấp xã"), on_delete=models.PROTECT, related_name="area_classifications"
    )
    attribute = models.CharField(_("đặc điểm địa bàn"), max_length=16, choices=AreaAttribute.choices)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    basis = models.CharField(_("căn cứ"), max_length=300)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân loại địa bàn")
        verbose_name_plural = _("phân loại địa bàn")
        ordering = ["unit__path", "attribute", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="regimes_area_ends_after_start",
                violation_error_message=_("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."),
            ),
            models.UniqueConstraint(
                fields=["unit", "attribute", "valid_from"],
                name="regimes_area_once_per_start",
                violation_error_message=_("Đơn vị đã có phân loại này từ cùng ngày."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_attribute_display()} ({self.valid_from:%d/%m/%Y})"

    def search_text(self) -> str:
        return f"{self.unit.name} {self.unit.code} {self.get_attribute_display()} {self.basis}"


class RotationRule(models.Model):
    """How many years an officer serves in one commune before rotation is due (luân chuyển).

    No public rule was found (notes §2, [U]): the row is reference data, ``verified=False`` until
    a text is found."""

    years = models.PositiveSmallIntegerField(_("số năm công tác tại một xã"))
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    basis = models.CharField(_("căn cứ"), max_length=300)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)

    class Meta:
        verbose_name = _("quy định luân chuyển")
        verbose_name_plural = _("quy định luân chuyển")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=1),
                name="regimes_rotation_years_positive",
                violation_error_message=_("Số năm phải từ 1 trở lên."),
            ),
        ]

    def __str__(self) -> str:
        return _("{n} năm, từ {d}").format(n=self.years, d=self.effective_from.strftime("%d/%m/%Y"))
