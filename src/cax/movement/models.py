"""The all-people movement for protecting national security (phong trào toàn dân bảo vệ ANTQ).

Models of the movement (mô hình) and their replication points and periodic evaluations (HD
22/HD-BCA-V05), advanced examples (điển hình tiên tiến) linked to commendations, the yearly
recognition as "safe in security and order" (TT 124/2021/TT-BCA, amended by TT 48/2025/TT-BCA) and
the yearly rating of grassroots security teams (HD 01/HD-BCA-V05). Windows, deadlines, authorities,
criteria and caps are rule rows (reference data with effective dates and legal basis); every rule
lives in services.py. docs/movement.md explains the design.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cax.core.models import UnitOwned
from cax.core.records.model import RecordModel
from cax.core.scoping import ScopedQuerySet
from cax.movement.windows import Window

# -- reference rows ------------------------------------------------------------------------------


class EntityType(models.TextChoices):
    """Who may be recognised safe (TT 124/2021 Art. 1(2))."""

    RESIDENTIAL = "residential", _("Khu dân cư")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    AGENCY = "agency", _("Cơ quan")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    SCHOOL = "school", _("Cơ sở giáo dục")


class ModelType(models.Model):
    """A kind of model of the movement ("Tổ liên hộ tự quản về ANTT", "Camera an ninh"…)."""

    name = models.CharField(_("tên loại mô hình"), max_length=200, unique=True)
    description = models.CharField(_("mô tả"), max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)

    class Meta:
        verbose_name = _("loại mô hình")
        verbose_name_plural = _("loại mô hình phong trào")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Effective(models.Model):
    """A rule row's version: in force from ``effective_from`` to ``effective_to`` (open when empty)."""

    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    # False for a figure not read in the text of the law (the notes' [U]): shown as unverified.
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)

    class Meta:
        abstract = True


class RecognitionScheme(Effective):
    """How one entity type is recognised safe in a year: the assessment window (TT 124 Art. 8(2)),
    the registration period (Q1), the submission deadline (QĐ 510), the recognising authority."""

    entity_type = models.CharField(_("đối tượng"), max_length=16, choices=EntityType.choices)
    window_start_month = models.PositiveSmallIntegerField(_("kỳ đánh giá từ tháng"))
    window_start_day = models.PositiveSmallIntegerField(_("kỳ đánh giá từ ngày"))
    window_end_month = models.PositiveSmallIntegerField(_("kỳ đánh giá đến tháng"))
    window_end_day = models.PositiveSmallIntegerField(_("kỳ đánh giá đến ngày"))
    window_starts_previous_year = models.BooleanField(_("kỳ bắt đầu từ năm trước"), default=True)
    registration_end_month = models.PositiveSmallIntegerField(_("hạn đăng ký (tháng)"))
    registration_end_day = models.PositiveSmallIntegerField(_("hạn đăng ký (ngày)"))
    submission_month = models.PositiveSmallIntegerField(_("hạn gửi hồ sơ (tháng)"))
    submission_day = models.PositiveSmallIntegerField(_("hạn gửi hồ sơ (ngày)"))
    authority = models.CharField(_("cấp công nhận"), max_length=200)
    reminder_days = models.PositiveSmallIntegerField(_("nhắc trước khi hết kỳ (ngày)"), default=30)

    class Meta:
        verbose_name = _("quy định công nhận an toàn về ANTT")
        verbose_name_plural = _("quy định công nhận an toàn về ANTT")
        ordering = ["entity_type", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["entity_type", "effective_from"], name="movement_scheme_version"),
        ]

    def __str__(self) -> str:
        return f"{self.get_entity_type_display()} ({self.legal_basis})"

    @property
    def window(self) -> Window:
        return Window(
            self.window_start_month,
            self.window_start_day,
            self.window_end_month,
            self.window_end_day,
            self.window_starts_previous_year,
        )


class SafetyCriterion(Effective):
    """One criterion of the checklist an entity type is assessed against (TT 124 Art. 4–7)."""

    entity_type = models.CharField(_("đối tượng"), max_length=16, choices=EntityType.choices)
    number = models.PositiveSmallIntegerField(_("tiêu chí số"))
    text = models.CharField(_("nội dung tiêu chí"), max_length=500)

    class Meta:
        verbose_name = _("tiêu chí an toàn về ANTT")
        verbose_name_plural = _("tiêu chí an toàn về ANTT")
        ordering = ["entity_type", "number", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity_type", "number", "effective_from"], name="movement_criterion_version"
            ),
        ]

    def __str__(self) -> str:
        return _("Tiêu chí {n}: {text}").format(n=self.number, text=self.text)


class CapBase(models.TextChoices):
    RATED = "rated", _("Số tổ được xếp loại")
    GOOD = "good", _("Số tổ xếp loại tốt trở lên")


class RatingScheme(Effective):
    """The yearly rating of grassroots security teams (HD 01/HD-BCA-V05): its window, the months a
    team must have run to be rated, and the cap on "excellent" (a share of ``cap_base``)."""

    window_start_month = models.PositiveSmallIntegerField(_("kỳ xếp loại từ tháng"))
    window_start_day = models.PositiveSmallIntegerField(_("kỳ xếp loại từ ngày"))
    window_end_month = models.PositiveSmallIntegerField(_("kỳ xếp loại đến tháng"))
    window_end_day = models.PositiveSmallIntegerField(_("kỳ xếp loại đến ngày"))
    window_starts_previous_year = models.BooleanField(_("kỳ bắt đầu từ năm trước"), default=True)
    min_months = models.PositiveSmallIntegerField(_("số tháng hoạt động tối thiểu"))
    excellent_cap_percent = models.PositiveSmallIntegerField(_("tỷ lệ tối đa xếp loại xuất sắc (%)"))
    cap_base = models.CharField(_("tỷ lệ tính trên"), max_length=8, choices=CapBase.choices, default=CapBase.GOOD)
    reminder_days = models.PositiveSmallIntegerField(_("nhắc sau khi hết kỳ (ngày)"), default=45)

    class Meta:
        verbose_name = _("quy định xếp loại tổ bảo vệ ANTT")
        verbose_name_plural = _("quy định xếp loại tổ bảo vệ ANTT")
        ordering = ["-effective_from"]
        constraints = [models.UniqueConstraint(fields=["effective_from"], name="movement_rating_scheme_version")]

    def __str__(self) -> str:
        return self.legal_basis

    @property
    def window(self) -> Window:
        return Window(
            self.window_start_month,
            self.window_start_day,
            self.window_end_month,
            self.window_end_day,
            self.window_starts_previous_year,
        )


# -- models of the movement ------------------------------------------------------------------------


class Proposer(models.TextChoices):
    POLICE = "police", _("Công an")
    FRONT = "front", _("Mặt trận Tổ quốc")
    RESIDENTIAL = "residential", _("Khu dân cư")
    AGENCY = "agency", _("Cơ quan, doanh nghiệp, nhà trường")


class MovementModel(UnitOwned, RecordModel):
    """A model (mô hình) a commune builds: proposed, planned, established by a decision, then
    replicated and evaluated (its state on a day comes from those events, services.model_states)."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="movement_models"
    )
    name = models.CharField(_("tên mô hình"), max_length=300)
    model_type = models.ForeignKey(
        ModelType, verbose_name=_("loại mô hình"), on_delete=models.PROTECT, related_name="models"
    )
    proposer = models.CharField(_("đơn vị đề xuất"), max_length=12, choices=Proposer.choices)
    plan_date = models.DateField(_("ngày phê duyệt kế hoạch khảo sát"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định thành lập"), null=True, blank=True)
    decision_issuer = models.CharField(_("cơ quan quyết định"), max_length=200, blank=True)
    teams = models.ManyToManyField(
        "grassroots.Team", verbose_name=_("tổ vận hành"), related_name="movement_models", blank=True
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("mô hình phong trào")
        verbose_name_plural = _("mô hình phong trào toàn dân bảo vệ ANTQ")
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="movement_model_name_per_commune",
                violation_error_message=_("Xã này đã có một mô hình cùng tên."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def search_text(self) -> str:
        return f"{self.name} {self.model_type.name} {self.unit.name} {self.unit.code} {self.decision_number}"


class ReplicationPoint(RecordModel):
    """A place where the model is applied (điểm nhân rộng): a village of the tree or a named area."""

    model = models.ForeignKey(
        MovementModel, verbose_name=_("mô hình"), on_delete=models.PROTECT, related_name="replications"
    )
    area = models.ForeignKey(
        "units.Unit",
        verbose_name=_("thôn, tổ dân phố"),
        on_delete=models.PROTECT,
        related_name="movement_replications",
        null=True,
        blank=True,
    )
    place = models.CharField(_("địa bàn nhân rộng"), max_length=200, blank=True)
    started_on = models.DateField(_("ngày nhân rộng"))

    scope_unit_field = "model"
    scope_path_lookup = "model__unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("điểm nhân rộng mô hình")
        verbose_name_plural = _("điểm nhân rộng mô hình")
        ordering = ["model__unit__path", "model__name", "started_on"]

    def __str__(self) -> str:
        return f"{self.model} – {self.where}"

    @property
    def scope_unit(self):
        return self.model.unit

    @property
    def where(self) -> str:
        return self.place or (self.area.name if self.area_id else "")

    def search_text(self) -> str:
        return f"{self.model.name} {self.where} {self.area.code if self.area_id else ''}"


class EvaluationResult(models.TextChoices):
    EFFECTIVE = "effective", _("Hiệu quả")
    LIMITED = "limited", _("Hiệu quả chưa cao")
    INEFFECTIVE = "ineffective", _("Không hiệu quả")
    STOPPED = "stopped", _("Ngừng hoạt động")


class ModelEvaluation(RecordModel):
    """A periodic evaluation of a model: an event, appended and never changed afterwards."""

    model = models.ForeignKey(
        MovementModel, verbose_name=_("mô hình"), on_delete=models.PROTECT, related_name="evaluations"
    )
    evaluated_on = models.DateField(_("ngày đánh giá"))
    result = models.CharField(_("kết quả"), max_length=12, choices=EvaluationResult.choices)
    evaluator = models.CharField(_("đơn vị đánh giá"), max_length=200, blank=True)
    note = models.CharField(_("nhận xét"), max_length=500, blank=True)

    scope_unit_field = "model"
    scope_path_lookup = "model__unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá mô hình")
        verbose_name_plural = _("đánh giá định kỳ mô hình")
        ordering = ["model__unit__path", "model__name", "-evaluated_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "evaluated_on"],
                name="movement_one_evaluation_a_day",
                violation_error_message=_("Mô hình đã có đánh giá ngày này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} – {self.evaluated_on:%d/%m/%Y}"

    @property
    def scope_unit(self):
        return self.model.unit

    def search_text(self) -> str:
        return f"{self.model.name} {self.get_result_display()} {self.evaluator}"


# -- advanced examples -----------------------------------------------------------------------------


class ExampleKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")


class AdvancedExample(UnitOwned, RecordModel):
    """An advanced example (điển hình tiên tiến) of a year, with its model and commendations."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="movement_examples"
    )
    kind = models.CharField(_("cá nhân hay tập thể"), max_length=12, choices=ExampleKind.choices)
    name = models.CharField(_("tên cá nhân, tập thể"), max_length=200)
    year = models.PositiveSmallIntegerField(_("năm"))
    model = models.ForeignKey(
        MovementModel,
        verbose_name=_("mô hình"),
        on_delete=models.PROTECT,
        related_name="examples",
        null=True,
        blank=True,
    )
    commendations = models.ManyToManyField(
        "honours.Commendation", verbose_name=_("khen thưởng"), related_name="movement_examples", blank=True
    )
    achievement = models.CharField(_("thành tích"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("điển hình tiên tiến")
        verbose_name_plural = _("điển hình tiên tiến")
        ordering = ["-year", "unit__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name", "year"],
                name="movement_example_once_a_year",
                violation_error_message=_("Đơn vị đã ghi nhận điển hình này trong năm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def search_text(self) -> str:
        return f"{self.name} {self.unit.name} {self.unit.code} {self.achievement}"


# -- recognition as safe in security and order -----------------------------------------------------


class RecognitionResult(models.TextChoices):
    RECOGNISED = "recognised", _("Được công nhận")
    NOT_RECOGNISED = "not_recognised", _("Không được công nhận")


class SafetyRegistration(UnitOwned, RecordModel):
    """A yearly registration to be recognised safe in security and order (TT 124/2021): registered in
    Q1, assessed criterion by criterion at the end of its window, decided by the authority.

    ``unit`` is the commune that keeps it (for a commune's own registration, that commune); a
    residential area names its village (``area``); an agency, enterprise or school its name."""

    event_date_fields = ("registered_on",)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="movement_registrations"
    )
    entity_type = models.CharField(_("đối tượng"), max_length=16, choices=EntityType.choices)
    area = models.ForeignKey(
        "units.Unit",
        verbose_name=_("khu dân cư (thôn, tổ dân phố)"),
        on_delete=models.PROTECT,
        related_name="movement_area_registrations",
        null=True,
        blank=True,
    )
    entity_name = models.CharField(_("tên đơn vị đăng ký"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    registered_on = models.DateField(_("ngày đăng ký"))
    assessed_on = models.DateField(_("ngày tự đánh giá"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    authority = models.CharField(_("cấp công nhận"), max_length=200, blank=True)
    result = models.CharField(_("kết quả"), max_length=16, choices=RecognitionResult.choices, blank=True)
    certificate_number = models.CharField(_("số giấy công nhận"), max_length=60, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("đăng ký an toàn về ANTT")
        verbose_name_plural = _("đăng ký, công nhận an toàn về ANTT")
        ordering = ["-year", "unit__path", "entity_type", "entity_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "entity_type", "entity_name", "year"],
                name="movement_registration_once_a_year",
                violation_error_message=_("Đơn vị này đã đăng ký trong năm."),
            ),
            models.CheckConstraint(
                condition=Q(result="") | Q(decision_date__isnull=False),
                name="movement_result_has_decision",
                violation_error_message=_("Kết quả phải có ngày quyết định."),
            ),
        ]

    def __str__(self) -> str:
        return _("{name} – năm {year}").format(name=self.entity_name, year=self.year)

    def search_text(self) -> str:
        return f"{self.entity_name} {self.unit.name} {self.unit.code} {self.decision_number} {self.certificate_number}"


class CriterionAssessment(RecordModel):
    """Whether a registration meets one criterion of its checklist, with the evidence."""

    registration = models.ForeignKey(
        SafetyRegistration, verbose_name=_("đăng ký"), on_delete=models.PROTECT, related_name="assessments"
    )
    criterion = models.ForeignKey(
        SafetyCriterion, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="assessments"
    )
    met = models.BooleanField(_("đạt"))
    evidence = models.CharField(_("căn cứ, minh chứng"), max_length=500, blank=True)

    scope_unit_field = "registration"
    scope_path_lookup = "registration__unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá tiêu chí")
        verbose_name_plural = _("đánh giá tiêu chí an toàn về ANTT")
        ordering = ["registration", "criterion__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "criterion"],
                name="movement_criterion_once",
                violation_error_message=_("Tiêu chí này đã được đánh giá."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} – {self.criterion.number}"

    @property
    def scope_unit(self):
        return self.registration.unit

    def search_text(self) -> str:
        return f"{self.registration.entity_name} {self.criterion.text} {self.evidence}"


# -- team ratings ----------------------------------------------------------------------------------


class RatingLevel(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    DONE = "done", _("Hoàn thành nhiệm vụ")
    NOT_DONE = "not_done", _("Không hoàn thành nhiệm vụ")


class TeamRating(RecordModel):
    """The rating of a grassroots security team for a year (the window ending 14/11 of that year)."""

    team = models.ForeignKey(
        "grassroots.Team", verbose_name=_("tổ"), on_delete=models.PROTECT, related_name="movement_ratings"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    level = models.CharField(_("xếp loại"), max_length=12, choices=RatingLevel.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    scope_unit_field = "team"
    scope_path_lookup = "team__unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("xếp loại tổ bảo vệ ANTT")
        verbose_name_plural = _("xếp loại tổ bảo vệ ANTT")
        ordering = ["-year", "team__unit__path", "team__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year"],
                name="movement_rating_once_a_year",
                violation_error_message=_("Tổ đã được xếp loại năm này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} – {self.year}"

    @property
    def scope_unit(self):
        return self.team.unit

    def search_text(self) -> str:
        return f"{self.team.name} {self.team.code} {self.get_level_display()} {self.decision_number}"
