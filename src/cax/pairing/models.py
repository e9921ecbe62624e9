"""Provincial departments paired with the communes they support (seed 000: "phân công các phòng
nghiệp vụ phụ trách, giúp đỡ Công an xã")."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cax.core.records.model import RecordModel
from cax.core.scoping import ScopedQuerySet


class Pairing(RecordModel):
    """Department ``department`` supports commune ``commune`` from ``since`` (until ``until``).

    Visible from either side's subtree: the department's staff see their communes, the commune sees
    who supports it, and the province sees both.
    """

    department = models.ForeignKey(
        "units.Unit", verbose_name=_("phòng nghiệp vụ"), on_delete=models.PROTECT, related_name="paired_communes"
    )
    commune = models.ForeignKey(
        "units.Unit", verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="paired_departments"
    )
    since = models.DateField(_("từ ngày"))
    until = models.DateField(_("đến ngày"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    scope_unit_field = "department"
    scope_path_lookup = "department__path"
    scope_path_lookups = ("department__path", "commune__path")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công phụ trách xã")
        verbose_name_plural = _("phân công phụ trách xã")
        ordering = ["department__path", "commune__path", "-since"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "commune", "since"],
                name="pairing_unique_start",
                violation_error_message=_("Phòng này đã được phân công phụ trách xã này từ ngày đó."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="pairing_until_after_since",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} → {self.commune}"

    def search_text(self) -> str:
        return f"{self.department.name} {self.department.code} {self.commune.name} {self.commune.code} {self.note}"
