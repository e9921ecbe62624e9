"""Headquarters (trụ sở) and equipment (trang thiết bị) of commune police units (#8).

The equipment standard (định mức) is data: the ministry's national list, which a province may
override item by item. Figures on the overview compare what units hold with it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cax.core.models import UnitOwned
from cax.core.records.model import RecordModel
from cax.core.scoping import ScopedQuerySet, permission_name, subtree_q


class HeadquartersStatus(models.TextChoices):
    NONE = "none", _("Chưa có")
    BORROWED = "borrowed", _("Mượn")
    TEMPORARY = "temporary", _("Tạm")
    UNDER_CONSTRUCTION = "under_construction", _("Đang xây dựng")
    BUILT = "built", _("Đã xây dựng xong")


class FundingSource(models.TextChoices):
    CENTRAL = "central", _("Ngân sách trung ương")
    LOCAL = "local", _("Ngân sách địa phương")
    SOCIALIZATION = "socialization", _("Xã hội hoá, đóng góp")
    MIXED = "mixed", _("Kết hợp nhiều nguồn")
    OTHER = "other", _("Nguồn khác")


class EquipmentCategory(models.TextChoices):
    VEHICLE = "vehicle", _("Phương tiện đi lại")
    COMMUNICATIONS = "communications", _("Thông tin liên lạc")
    SUPPORT_TOOLS = "support_tools", _("Vũ khí, công cụ hỗ trợ")
    IT_OFFICE = "it_office", _("Tin học, văn phòng")
    OTHER = "other", _("Khác")


class Condition(models.TextChoices):
    GOOD = "good", _("Tốt")
    NEEDS_REPAIR = "needs_repair", _("Cần sửa chữa")
    BROKEN = "broken", _("Hỏng")


class EquipmentStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("Đang sử dụng")
    UNDER_REPAIR = "under_repair", _("Đang sửa chữa")
    LOST = "lost", _("Mất")
    WRITTEN_OFF = "written_off", _("Đã thanh lý")


class EventKind(models.TextChoices):
    ASSIGNED = "assigned", _("Cấp phát, đưa vào sử dụng")
    SENT_FOR_REPAIR = "sent_for_repair", _("Gửi sửa chữa")
    REPAIRED = "repaired", _("Đã sửa xong")
    LOST = "lost", _("Bị mất")
    WRITTEN_OFF = "written_off", _("Thanh lý")
    TRANSFERRED = "transferred", _("Điều chuyển")


class Headquarters(UnitOwned, RecordModel):
    """The headquarters of one commune police unit: one row per unit, its status and how it was funded."""

    unit = models.OneToOneField(
        "units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="headquarters"
    )
    status = models.CharField(
        _("tình trạng trụ sở"), max_length=20, choices=HeadquartersStatus.choices, default=HeadquartersStatus.NONE
    )
    year = models.PositiveSmallIntegerField(
        _("năm xây dựng / khởi công"), null=True, blank=True, help_text=_("Năm hoàn thành, hoặc năm khởi công.")
    )
    funding_source = models.CharField(_("nguồn kinh phí"), max_length=20, choices=FundingSource.choices, blank=True)
    amount = models.BigIntegerField(_("kinh phí (đồng)"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    area = models.DecimalField(_("diện tích (m²)"), max_digits=10, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("trụ sở Công an xã")
        verbose_name_plural = _("trụ sở Công an xã")
        ordering = ["unit__path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="headquarters_amount_not_negative",
                violation_error_message=_("Kinh phí không được âm."),
            ),
            models.CheckConstraint(
                condition=~Q(status="built") | Q(year__isnull=False),
                name="headquarters_built_has_year",
                violation_error_message=_("Trụ sở đã xây dựng xong phải có năm xây dựng."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Trụ sở {unit}").format(unit=self.unit))

    def search_text(self) -> str:
        return f"{self.unit.name} {self.unit.code} {self.address} {self.note}"


class StandardQuerySet(ScopedQuerySet):
    """Everyone reads the national standard and the overrides of the units above and below them;
    only the owner's subtree may change a row (the national rows: the ministry level)."""

    def visible_to(self, user, action="view"):
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if not user.has_perm(permission_name(self.model, action)) or not user.unit_id:
            return self.none()
        below = subtree_q(self.model, user.scope_path)
        if action != "view":
            return self.filter(below | Q(unit__isnull=True)) if user.scope_is_top_level else self.filter(below)
        above = [*user.unit.ancestor_ids, user.unit_id]
        return self.filter(below | Q(unit__isnull=True) | Q(unit_id__in=above))


class EquipmentStandard(UnitOwned, RecordModel):
    """How many of an item each commune police unit should hold, from ``valid_from``.

    ``unit`` empty is the national standard (Bộ Công an); a province's row with the same ``code``
    overrides it for the province's communes (quantity 0: the item is not required there).
    The national rows have no unit so the standard exists before the unit tree is loaded.
    """

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="equipment_standards",
        help_text=_("Để trống: định mức toàn quốc của Bộ Công an; mã tỉnh: định mức riêng của tỉnh."),
    )
    code = models.CharField(_("mã trang bị"), max_length=32)
    name = models.CharField(_("tên trang bị"), max_length=200)
    category = models.CharField(_("nhóm"), max_length=20, choices=EquipmentCategory.choices)
    quantity = models.PositiveSmallIntegerField(_("số lượng mỗi Công an xã"))
    valid_from = models.DateField(_("áp dụng từ"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("định mức trang thiết bị")
        verbose_name_plural = _("định mức trang thiết bị")
        ordering = ["category", "code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "code", "valid_from"],
                name="standard_unique_per_owner",
                violation_error_message=_("Đơn vị này đã có định mức cho mã trang bị này từ ngày đó."),
            ),
            # NULLs are distinct in a unique index, so the national rows need their own.
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                condition=Q(unit__isnull=True),
                name="standard_unique_national",
                violation_error_message=_("Định mức toàn quốc đã có mã trang bị này từ ngày đó."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def scope_unit(self):
        if self.unit_id:
            return self.unit
        from cax.units.models import Unit

        return Unit.objects.filter(parent__isnull=True).order_by("path").first()

    def changelog_unit_path(self) -> str:
        # National rows belong to the root: its users may edit them and read their history.
        unit = self.scope_unit
        return unit.path if unit is not None else ""

    @property
    def owner_label(self) -> str:
        return self.unit.code if self.unit_id else str(_("BCA (toàn quốc)"))

    def search_text(self) -> str:
        return f"{self.code} {self.name} {self.owner_label}"


class Equipment(UnitOwned, RecordModel):
    """Items a commune police unit holds: one row per kind and state (3 radios in service), or one
    identified item (a vehicle by its plate)."""

    standard = models.ForeignKey(
        EquipmentStandard,
        verbose_name=_("mục định mức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="equipment",
    )
    name = models.CharField(
        _("tên trang bị"), max_length=200, blank=True, help_text=_("Bắt buộc khi trang bị không thuộc định mức.")
    )
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    condition = models.CharField(_("chất lượng"), max_length=20, choices=Condition.choices, default=Condition.GOOD)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=EquipmentStatus.choices, default=EquipmentStatus.IN_SERVICE
    )
    acquired_on = models.DateField(_("ngày tiếp nhận"), null=True, blank=True)
    funding_source = models.CharField(_("nguồn kinh phí"), max_length=20, choices=FundingSource.choices, blank=True)
    identifier = models.CharField(_("biển số / số hiệu"), max_length=64, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("trang thiết bị")
        verbose_name_plural = _("trang thiết bị")
        ordering = ["unit__path", "standard__category", "standard__code", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "identifier"],
                condition=~Q(identifier=""),
                name="equipment_identifier_unique_per_unit",
                violation_error_message=_("Đơn vị đã có một trang bị với biển số / số hiệu này."),
            ),
        ]

    def __str__(self) -> str:
        label = self.display_name
        return f"{label} ({self.identifier})" if self.identifier else label

    @property
    def display_name(self) -> str:
        return self.name or (self.standard.name if self.standard_id else "")

    def search_text(self) -> str:
        code = self.standard.code if self.standard_id else ""
        return f"{self.display_name} {code} {self.identifier} {self.unit.name} {self.unit.code} {self.note}"


class EquipmentEvent(RecordModel):
    """Something that happened to equipment: recorded through ``services.event_record``, which
    moves the equipment's status and condition in the same transaction."""

    event_date_fields = ("date",)
    equipment = models.ForeignKey(
        Equipment, verbose_name=_("trang thiết bị"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("loại sự kiện"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("ngày"))
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    to_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("điều chuyển đến đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.CharField(_("số văn bản, biên bản"), max_length=200, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    scope_unit_field = "equipment"
    scope_path_lookup = "equipment__unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện trang thiết bị")
        verbose_name_plural = _("sự kiện trang thiết bị")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.equipment} ({self.date:%d/%m/%Y})"

    @property
    def scope_unit(self):
        return self.equipment.unit

    def search_text(self) -> str:
        return f"{self.get_kind_display()} {self.equipment.search_text()} {self.document} {self.note}"
