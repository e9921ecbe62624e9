"""The administrative-procedures desk (thủ tục hành chính) of a commune police unit.

Procedure types and their processing times are reference data: each time limit is a rule row with
its legal basis and dates of validity (the Residence Law, the Căn cước Law and their decrees change),
read by ``clock.py`` with the deadline arithmetic of ``cax.cases.deadlines``. Dossiers
(hồ sơ) and the light intake rows of lưu trú notices and foreigners' declarations keep what the desk
needs to run, not a copy of the national population database: the person's name and number live in
``PersonalData``, shown only to the managing commune, every read logged, erased after retention.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cax.core.models import AppendOnlyLog, AppendOnlyQuerySet, UnitOwned, chain_unique
from cax.core.records.model import RecordModel
from cax.core.scoping import ScopedQuerySet


class Sector(models.TextChoices):
    RESIDENCE = "residence", _("Cư trú")
    ID_CARD = "id_card", _("Căn cước")
    EXIT_ENTRY = "exit_entry", _("Xuất nhập cảnh, người nước ngoài")
    E_ID = "e_id", _("Định danh điện tử")
    BUSINESS = "business", _("Ngành nghề kinh doanh có điều kiện về ANTT")
    VEHICLES = "vehicles", _("Đăng ký xe, giấy phép lái xe")


class Kind(models.TextChoices):
    DOSSIER = "dossier", _("Hồ sơ thủ tục hành chính")
    DECLARATION = "declaration", _("Thông báo, khai báo (tiếp nhận ngay)")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    PORTAL = "portal", _("Cổng dịch vụ công")
    VNEID = "vneid", _("Ứng dụng VNeID")
    POST = "post", _("Bưu chính")


# The channels counted as online in the online share (QĐ 766/QĐ-TTg, group "cung cấp trực tuyến").
ONLINE = (Channel.PORTAL, Channel.VNEID)


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Đã giải quyết, trả kết quả")
    REFUSED = "refused", _("Từ chối (có văn bản nêu lý do)")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")


class ProcedureType(models.Model):
    """A procedure the commune police handle (đăng ký thường trú, cấp căn cước…): reference data."""

    code = models.SlugField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=200)
    field = models.CharField(_("lĩnh vực"), max_length=16, choices=Sector.choices)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.DOSSIER)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ProcessingRule(models.Model):
    """One version of a procedure's time limit (thời hạn giải quyết), counted from the moment the
    dossier is complete and valid (or, for a notice, from the person's arrival)."""

    class Unit(models.TextChoices):
        HOURS = "hours", _("giờ")
        CALENDAR_DAYS = "calendar_days", _("ngày")
        WORKING_DAYS = "working_days", _("ngày làm việc")
        CUTOFF = "cutoff", _("trước giờ chốt trong ngày")

    procedure = models.ForeignKey(
        ProcedureType, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="rules"
    )
    amount = models.PositiveSmallIntegerField(_("thời hạn"), default=0)
    unit = models.CharField(_("đơn vị tính"), max_length=16, choices=Unit.choices)
    remote_amount = models.PositiveSmallIntegerField(_("thời hạn vùng sâu, vùng xa"), null=True, blank=True)
    cutoff_time = models.TimeField(_("giờ chốt trong ngày"), null=True, blank=True)
    next_day_time = models.TimeField(_("sau giờ chốt: trước giờ này ngày hôm sau"), null=True, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    unverified = models.BooleanField(
        _("chưa đối chiếu văn bản gốc"),
        default=False,
        help_text=_("Thời hạn lấy từ nguồn thứ cấp; cần đối chiếu Công báo trước khi dựa vào."),
    )

    class Meta:
        verbose_name = _("thời hạn giải quyết thủ tục")
        verbose_name_plural = _("thời hạn giải quyết thủ tục")
        ordering = ["procedure__sort_order", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "valid_from"],
                name="processing_rule_version",
                violation_error_message=_("Thủ tục này đã có một thời hạn hiệu lực từ ngày này."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="processing_rule_dates_in_order",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày có hiệu lực."),
            ),
            models.CheckConstraint(
                condition=~Q(unit="cutoff") | (Q(cutoff_time__isnull=False) & Q(next_day_time__isnull=False)),
                name="processing_rule_cutoff_has_times",
                violation_error_message=_("Thời hạn theo giờ chốt phải có giờ chốt và giờ của ngày hôm sau."),
            ),
            models.CheckConstraint(
                condition=Q(remote_amount__isnull=True) | Q(remote_amount__gte=F("amount")),
                name="processing_rule_remote_not_shorter",
                violation_error_message=_("Thời hạn vùng sâu, vùng xa không được ngắn hơn thời hạn thường."),
            ),
        ]

    def __str__(self) -> str:
        if self.unit == self.Unit.CUTOFF:
            return f"{self.procedure}: {self.get_unit_display()} {self.cutoff_time:%H:%M} ({self.legal_basis})"
        return f"{self.procedure}: {self.amount} {self.get_unit_display()} ({self.legal_basis})"


class PersonalData(UnitOwned):
    """The few facts on a person the desk keeps (Law 91/2025: purpose limitation): a name and a
    document number, held by the managing commune only; erased after the retention period."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("Công an xã quản lý"), on_delete=models.PROTECT, related_name="+"
    )
    full_name = models.CharField(_("họ tên"), max_length=200)
    id_number = models.CharField(_("số định danh / hộ chiếu"), max_length=20, blank=True)
    nationality = models.CharField(_("quốc tịch"), max_length=60, blank=True)
    purged_at = models.DateTimeField(_("đã xoá lúc"), null=True, blank=True)

    FIELDS = ("full_name", "id_number", "nationality")
    SENSITIVE_FIELDS = FIELDS  # masked in the change log (core.changelog.snapshot)

    class Meta:
        verbose_name = _("thông tin cá nhân")
        verbose_name_plural = _("thông tin cá nhân")

    def __str__(self) -> str:
        return f"#{self.pk}"


class DossierQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def overdue(self, now):
        return self.filter(overdue_q(now))


def overdue_q(now) -> Q:
    """Complete, not resolved by ``now`` and past its legal due time: the one definition of
    overdue (the list filter, the tile, the home page, the figures, the benchmark)."""
    # Two branches rather than an OR inside one: the first is what the partial index on open
    # dossiers holds, so the database reads it as an index range (bench/run.py procedures).
    return Q(due_at__lt=now, resolved_at__isnull=True) | Q(due_at__lt=now, resolved_at__gt=now)


def due_between_q(start, end) -> Q:
    """Open and due in [start, end): the home page's "due today"."""
    return Q(resolved_at__isnull=True, due_at__gte=start, due_at__lt=end)


class Dossier(UnitOwned, RecordModel):
    """One dossier at the desk: received, complete (the clock starts), due, resolved."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("Công an xã tiếp nhận"), on_delete=models.PROTECT, related_name="dossiers"
    )
    procedure = models.ForeignKey(
        ProcedureType, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    channel = models.CharField(_("hình thức nộp"), max_length=16, choices=Channel.choices)
    reference = models.CharField(_("số hồ sơ"), max_length=40, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    complete_at = models.DateTimeField(_("thời điểm hồ sơ đầy đủ, hợp lệ"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn trả kết quả"), null=True, blank=True)
    rule = models.ForeignKey(
        ProcessingRule, verbose_name=_("thời hạn áp dụng"), on_delete=models.PROTECT, null=True, blank=True
    )
    promised_at = models.DateTimeField(_("ngày hẹn lại (phiếu xin lỗi)"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("lý do từ chối / ghi chú kết quả"), max_length=500, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    applicant = models.OneToOneField(
        PersonalData, verbose_name=_("người nộp"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ thủ tục hành chính")
        verbose_name_plural = _("hồ sơ thủ tục hành chính")
        ordering = ["-received_at", "-pk"]
        permissions = [("count_dossier", _("Xem số liệu hồ sơ thủ tục hành chính"))]
        indexes = [
            # The overdue list of a province (bench/run.py procedures) and the figures: open dossiers by unit, due time.
            models.Index(fields=["unit", "due_at"], condition=Q(resolved_at__isnull=True), name="dossier_open_due_idx"),
            models.Index(fields=["unit", "received_at"], name="dossier_unit_received_idx"),
            models.Index(fields=["unit", "resolved_at"], name="dossier_unit_resolved_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(complete_at__isnull=True) | Q(complete_at__gte=F("received_at")),
                name="dossier_complete_after_received",
                violation_error_message=_("Hồ sơ không thể đầy đủ trước khi được tiếp nhận."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("received_at")),
                name="dossier_resolved_after_received",
                violation_error_message=_("Không thể trả kết quả trước khi tiếp nhận hồ sơ."),
            ),
            models.CheckConstraint(
                condition=(Q(resolved_at__isnull=True) & Q(outcome=""))
                | (Q(resolved_at__isnull=False) & ~Q(outcome="")),
                name="dossier_outcome_with_resolution",
                violation_error_message=_("Hồ sơ đã trả kết quả phải có kết quả, và ngược lại."),
            ),
            models.CheckConstraint(
                condition=Q(complete_at__isnull=True, due_at__isnull=True)
                | Q(complete_at__isnull=False, due_at__isnull=False),
                name="dossier_due_once_complete",
                violation_error_message=_("Hạn trả kết quả được tính khi hồ sơ đầy đủ, hợp lệ."),
            ),
        ]

    def __str__(self) -> str:
        label = self.reference or f"#{self.pk or '—'}"
        return f"{label} — {self.procedure}"

    def search_text(self) -> str:
        # No personal data: the search key outlives the retention period and is read by every list.
        return f"{self.reference} {self.procedure.name} {self.procedure.code} {self.unit.name} {self.note}"

    @property
    def is_online(self) -> bool:
        return self.channel in ONLINE

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.due_at is not None and self.due_at < now and (self.resolved_at is None or self.resolved_at > now)

    @property
    def on_time(self) -> bool | None:
        """Resolved on or before the legal due time; None while open (or never complete)."""
        if self.resolved_at is None or self.due_at is None:
            return None
        return self.resolved_at <= self.due_at


class ApologySlip(models.Model):
    """A phiếu xin lỗi và hẹn lại ngày trả kết quả: the desk's written apology for a late dossier
    with the new date promised. Slips are added, never changed; the dossier keeps the latest date."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="apologies")
    issued_at = models.DateTimeField(_("ngày lập phiếu"))
    new_due_at = models.DateTimeField(_("ngày hẹn trả kết quả mới"))
    previous_due_at = models.DateTimeField(_("hạn trước đó"))
    reason = models.CharField(_("lý do chậm"), max_length=500)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    issued_by_name = models.CharField(_("người lập phiếu"), max_length=150)

    scope_path_lookup = "dossier__unit__path"
    permission_model = "procedures.Dossier"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại ngày trả kết quả")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại ngày trả kết quả")
        ordering = ["issued_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_at__gt=F("previous_due_at")),
                name="apology_new_date_later",
                violation_error_message=_("Ngày hẹn mới phải sau hạn trước đó."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.new_due_at:%d/%m/%Y}"


class Declaration(UnitOwned, RecordModel):
    """A lưu trú notice or a foreigner's temporary-residence declaration: who, where, from, to, and
    when it reached the commune police, against the deadline counted from the arrival."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("Công an xã tiếp nhận"), on_delete=models.PROTECT, related_name="declarations"
    )
    procedure = models.ForeignKey(
        ProcedureType, verbose_name=_("loại thông báo"), on_delete=models.PROTECT, related_name="declarations"
    )
    channel = models.CharField(_("hình thức"), max_length=16, choices=Channel.choices)
    place = models.CharField(_("nơi lưu trú"), max_length=300)
    host = models.CharField(_("chủ hộ / cơ sở lưu trú"), max_length=200, blank=True)
    stay_from = models.DateField(_("lưu trú từ ngày"))
    stay_to = models.DateField(_("đến ngày"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("thời điểm đến"))
    declared_at = models.DateTimeField(_("thời điểm thông báo"))
    due_at = models.DateTimeField(_("hạn thông báo"))
    rule = models.ForeignKey(ProcessingRule, verbose_name=_("thời hạn áp dụng"), on_delete=models.PROTECT)
    person = models.OneToOneField(
        PersonalData, verbose_name=_("người lưu trú"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("thông báo lưu trú, khai báo tạm trú")
        verbose_name_plural = _("thông báo lưu trú, khai báo tạm trú")
        ordering = ["-declared_at", "-pk"]
        permissions = [("count_declaration", _("Xem số liệu thông báo lưu trú, khai báo tạm trú"))]
        indexes = [models.Index(fields=["unit", "declared_at"], name="declaration_unit_declared_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(stay_to__isnull=True) | Q(stay_to__gte=F("stay_from")),
                name="declaration_stay_in_order",
                violation_error_message=_("Ngày kết thúc lưu trú phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} — {self.place} ({self.stay_from:%d/%m/%Y})"

    def search_text(self) -> str:
        return f"{self.procedure.name} {self.place} {self.host} {self.unit.name}"

    @property
    def is_late(self) -> bool:
        return self.declared_at > self.due_at


class IdentityReadQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    pass


class IdentityRead(AppendOnlyLog):
    """Who read a person's name at the desk, when, through which channel (Law 91/2025 accountability).

    Append-only and hash-chained like cases' identity-access log (core.models.AppendOnlyLog)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(PersonalData, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    channel = models.CharField(max_length=10)  # "web" | "api"

    scope_path_lookup = "unit__path"
    objects = IdentityReadQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("lượt xem thông tin cá nhân tại bộ phận thủ tục")
        verbose_name_plural = _("lượt xem thông tin cá nhân tại bộ phận thủ tục")
        constraints = [chain_unique("procedures_identityread")]

    def __str__(self) -> str:
        return f"{self.user_id} read person {self.person_id} at {self.at:%Y-%m-%d %H:%M}"
