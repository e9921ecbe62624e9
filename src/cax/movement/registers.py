"""How the movement's records appear in lists, Excel and the API (cax.core.records)."""

from __future__ import annotations

from functools import partial

from django import forms
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from cax.core.imports import parse_bool, parse_choice, parse_code_list, parse_date, parse_int, parse_text
from cax.core.records.fields import Field
from cax.core.records.filters import YES_NO, Filter, field_filter
from cax.core.records.forms import RecordForm
from cax.core.records.register import Register, rows_for
from cax.grassroots.models import Team
from cax.grassroots.registers import teams_by_code
from cax.honours.models import Commendation
from cax.movement import services
from cax.movement.models import (
    AdvancedExample,
    CriterionAssessment,
    EntityType,
    EvaluationResult,
    ExampleKind,
    ModelEvaluation,
    ModelType,
    MovementModel,
    Proposer,
    RatingLevel,
    RecognitionResult,
    ReplicationPoint,
    SafetyCriterion,
    SafetyRegistration,
    TeamRating,
)
from cax.movement.services import ModelState
from cax.units.fields import unit_fields, units_by_code
from cax.units.kinds import is_commune_level, is_village

STATE_CHOICES = [
    (ModelState.PLANNED, _("Đang xây dựng")),
    (ModelState.RUNNING, _("Đang hoạt động")),
    (ModelState.STOPPED, _("Ngừng hoạt động")),
]


def year_choices():
    year = timezone.localdate().year
    return [(str(y), str(y)) for y in range(year, year - 6, -1)]


def year_filter(lookup: str = "year") -> Filter:
    def apply(queryset, value):
        try:
            return queryset.filter(**{lookup: int(value)})
        except ValueError:
            return queryset.none()

    return Filter("year", _("Năm"), year_choices, apply)


def _codes(objects) -> str:
    return "; ".join(sorted(o.code for o in objects))


def _ids(objects) -> str:
    return "; ".join(sorted(str(o.pk) for o in objects))


def types_by_name(keys: set, actor) -> dict:
    return {t.name: t for t in ModelType.objects.filter(name__in=keys)}


def models_by_id(keys: set, actor) -> dict:
    ids = [int(k) for k in keys if str(k).isdigit()]
    return {m.pk: m for m in rows_for(MovementModel, actor).filter(pk__in=ids).select_related("unit")}


def registrations_by_id(keys: set, actor) -> dict:
    ids = [int(k) for k in keys if str(k).isdigit()]
    return {r.pk: r for r in rows_for(SafetyRegistration, actor).filter(pk__in=ids).select_related("unit")}


def commendations_by_id(keys: set, actor) -> dict:
    ids = [int(k) for k in keys if str(k).isdigit()]
    found = rows_for(Commendation, actor).filter(pk__in=ids).select_related("unit")
    return {str(c.pk): c for c in found}


class CodesField(forms.CharField):
    """Several records typed as codes (teams) or numbers (commendations), separated by ";"."""

    def __init__(self, *, lookup, actor, **kwargs):
        self.lookup, self.actor = lookup, actor
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        keys = parse_code_list(super().clean(value))
        found = self.lookup(set(keys), self.actor)
        missing = [k for k in keys if k not in found]
        if missing:
            raise forms.ValidationError(_gettext("Không tìm thấy: {v}.").format(v=", ".join(missing)))
        return [found[k] for k in keys]


# -- models ------------------------------------------------------------------------------------


class ModelRegister(Register):
    def queryset(self, actor, action: str = "view"):
        replications = (
            ReplicationPoint.objects.filter(model=OuterRef("pk")).order_by().values("model").annotate(n=Count("pk"))
        )
        return services.with_state(super().queryset(actor, action)).annotate(
            replication_count=Coalesce(Subquery(replications.values("n")[:1]), 0, output_field=IntegerField())
        )


def _state_label(model) -> str:
    today = timezone.localdate()
    if not (model.decision_date and model.decision_date <= today):
        state = ModelState.PLANNED
    elif getattr(model, "last_result", None) == EvaluationResult.STOPPED:
        state = ModelState.STOPPED
    else:
        state = ModelState.RUNNING
    return str(dict(STATE_CHOICES)[state])


def _state_filter(queryset, value, day):
    matching = services.with_state(MovementModel.objects.all(), day).filter(services.model_state_q(value, day))
    return queryset.filter(pk__in=matching.values("pk"))


class ModelForm(RecordForm):
    unit_kinds = staticmethod(is_commune_level)

    class Meta:
        model = MovementModel
        fields = [
            "unit",
            "name",
            "model_type",
            "proposer",
            "plan_date",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "teams",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"] = CodesField(
            lookup=teams_by_code,
            actor=self.actor,
            label=_("Mã tổ bảo vệ ANTT vận hành"),
            help_text=_("Các mã tổ cách nhau bởi dấu chấm phẩy, ví dụ 23500-T01; 23500-T02."),
        )
        if self.instance.pk:
            self.initial["teams"] = _codes(self.instance.teams.all())


MODELS = ModelRegister(
    model=MovementModel,
    name="model",
    namespace="movement",
    label=_("mô hình"),
    label_plural=_("mô hình phong trào toàn dân bảo vệ ANTQ"),
    view_perm="movement.view_movementmodel",
    change_perm="movement.change_movementmodel",
    fields=[
        Field("name", _("Tên mô hình"), parse=parse_text(300), required=True, example="Tổ liên hộ tự quản thôn 1"),
        *unit_fields(_("Mã xã"), _("Xã, phường"), kinds=is_commune_level, required=True),
        Field(
            "model_type",
            _("Loại mô hình"),
            value=lambda m: m.model_type.name,
            parse=parse_text(200),
            lookup=types_by_name,
            required=True,
            example="Tổ liên hộ tự quản về ANTT",
        ),
        Field("proposer", _("Đơn vị đề xuất"), parse=parse_choice(Proposer.choices), required=True, example="Công an"),
        Field("plan_date", _("Ngày phê duyệt kế hoạch khảo sát"), parse=parse_date, in_list=False),
        Field("decision_number", _("Số quyết định thành lập"), parse=parse_text(60), example="12/QĐ-UBND"),
        Field("decision_date", _("Ngày quyết định thành lập"), parse=parse_date, example="15/03/2024"),
        Field("decision_issuer", _("Cơ quan quyết định"), parse=parse_text(200), in_list=False),
        Field(
            "teams",
            _("Mã tổ vận hành"),
            value=lambda m: _codes(m.teams.all()),
            parse=parse_code_list,
            lookup=teams_by_code,
            example="23500-T01",
            in_list=False,
        ),
        Field("replication_count", _("Số điểm nhân rộng"), value=lambda m: m.replication_count, api_type=int),
        Field("state", _("Tình trạng"), value=_state_label),
        Field("note", _("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=ModelForm,
    save=services.model_save,
    filters=[
        Filter("state", _("Tình trạng"), STATE_CHOICES, _state_filter, dated=True),
        Filter(
            "model_type",
            _("Loại mô hình"),
            lambda: [(str(t.pk), t.name) for t in ModelType.objects.all()],
            lambda qs, v: qs.filter(model_type_id=v),
        ),
        field_filter("proposer", _("Đơn vị đề xuất"), Proposer.choices),
    ],
    natural_key=("unit", "name"),
    select_related=("unit", "model_type"),
    prefetch_related=("teams",),
    detail_template="movement/model_detail.html",
    export_name="mo-hinh-phong-trao",
    help_text=_(
        "Mô hình đang hoạt động: đã có quyết định thành lập và lần đánh giá gần nhất không ghi ngừng hoạt động "
        "(Hướng dẫn 22/HD-BCA-V05)."
    ),
)


def _model_context(request, model) -> dict:
    return {
        "replications": list(model.replications.select_related("area").order_by("started_on")),
        "evaluations": list(model.evaluations.order_by("-evaluated_on")),
        "examples": list(model.examples.order_by("-year")),
        "teams": list(model.teams.all()),
        "replication_register": REPLICATIONS,
        "evaluation_register": EVALUATIONS,
    }


MODELS.detail_context = _model_context


# -- replication points and evaluations --------------------------------------------------------


def _model_field() -> Field:
    return Field(
        "model",
        _("Mã mô hình"),
        value=lambda r: r.model_id,
        parse=parse_int(1),
        lookup=models_by_id,
        required=True,
        example="1",
        api_type=int,
    )


class ModelChildForm(RecordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = rows_for(MovementModel, self.actor, "change").select_related("unit")


class ReplicationForm(ModelChildForm):
    class Meta:
        model = ReplicationPoint
        fields = ["model", "area", "place", "started_on"]


REPLICATIONS = Register(
    model=ReplicationPoint,
    name="replication",
    namespace="movement",
    label=_("điểm nhân rộng"),
    label_plural=_("điểm nhân rộng mô hình"),
    view_perm="movement.view_replicationpoint",
    change_perm="movement.change_replicationpoint",
    fields=[
        _model_field(),
        Field("model_name", _("Mô hình"), value=lambda r: r.model.name),
        Field("commune", _("Xã, phường"), value=lambda r: r.model.unit.name),
        Field(
            "area",
            _("Mã thôn, tổ dân phố"),
            value=lambda r: r.area.code if r.area_id else "",
            parse=parse_text(32),
            lookup=partial(units_by_code, kinds=is_village),
            example="23500-T01",
        ),
        Field("place", _("Địa bàn nhân rộng"), parse=parse_text(200), example="Khu phố 3"),
        Field("started_on", _("Ngày nhân rộng"), parse=parse_date, required=True, example="01/06/2024"),
    ],
    form_class=ReplicationForm,
    save=services.replication_save,
    select_related=("model__unit", "area"),
    ordering=("model__unit__path", "model__name", "started_on"),
    export_name="diem-nhan-rong-mo-hinh",
)


class EvaluationForm(ModelChildForm):
    class Meta:
        model = ModelEvaluation
        fields = ["model", "evaluated_on", "result", "evaluator", "note"]


EVALUATIONS = Register(
    model=ModelEvaluation,
    name="evaluation",
    namespace="movement",
    label=_("đánh giá mô hình"),
    label_plural=_("đánh giá định kỳ mô hình"),
    view_perm="movement.view_modelevaluation",
    change_perm="movement.change_modelevaluation",
    fields=[
        _model_field(),
        Field("model_name", _("Mô hình"), value=lambda e: e.model.name),
        Field("commune", _("Xã, phường"), value=lambda e: e.model.unit.name),
        Field("evaluated_on", _("Ngày đánh giá"), parse=parse_date, required=True, example="30/11/2025"),
        Field("result", _("Kết quả"), parse=parse_choice(EvaluationResult.choices), required=True, example="Hiệu quả"),
        Field("evaluator", _("Đơn vị đánh giá"), parse=parse_text(200), example="Công an xã"),
        Field("note", _("Nhận xét"), parse=parse_text(500), in_list=False),
    ],
    form_class=EvaluationForm,
    save=services.evaluation_save,
    filters=[field_filter("result", _("Kết quả"), EvaluationResult.choices)],
    natural_key=("model", "evaluated_on"),
    select_related=("model__unit",),
    ordering=("model__unit__path", "model__name", "-evaluated_on"),
    export_name="danh-gia-mo-hinh",
    help_text=_("Mỗi lần đánh giá được ghi thêm, không sửa; tình trạng của mô hình theo lần đánh giá gần nhất."),
)


# -- advanced examples -------------------------------------------------------------------------


class ExampleForm(RecordForm):
    class Meta:
        model = AdvancedExample
        fields = ["unit", "kind", "name", "year", "model", "commendations", "achievement"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = rows_for(MovementModel, self.actor).select_related("unit")
        self.fields["commendations"] = CodesField(
            lookup=commendations_by_id,
            actor=self.actor,
            label=_("Mã khen thưởng"),
            help_text=_("Mã hồ sơ của các khen thưởng (danh sách Khen thưởng), cách nhau bởi dấu chấm phẩy."),
        )
        if self.instance.pk:
            self.initial["commendations"] = _ids(self.instance.commendations.all())


EXAMPLES = Register(
    model=AdvancedExample,
    name="example",
    namespace="movement",
    label=_("điển hình tiên tiến"),
    label_plural=_("điển hình tiên tiến"),
    view_perm="movement.view_advancedexample",
    change_perm="movement.change_advancedexample",
    fields=[
        Field("name", _("Tên cá nhân, tập thể"), parse=parse_text(200), required=True, example="Ông Nguyễn Văn B"),
        Field(
            "kind", _("Cá nhân hay tập thể"), parse=parse_choice(ExampleKind.choices), required=True, example="Cá nhân"
        ),
        *unit_fields(_("Mã đơn vị"), _("Đơn vị"), required=True),
        Field("year", _("Năm"), parse=parse_int(2000, 2100), required=True, example="2025"),
        Field(
            "model",
            _("Mã mô hình"),
            value=lambda e: e.model_id,
            parse=parse_int(1),
            lookup=models_by_id,
            api_type=int,
            in_list=False,
        ),
        Field("model_name", _("Mô hình"), value=lambda e: e.model.name if e.model_id else ""),
        Field(
            "commendations",
            _("Mã khen thưởng"),
            value=lambda e: _ids(e.commendations.all()),
            parse=parse_code_list,
            lookup=commendations_by_id,
            in_list=False,
        ),
        Field(
            "commendation_list",
            _("Khen thưởng"),
            value=lambda e: "; ".join(f"{c.get_form_display()} ({c.decision_number})" for c in e.commendations.all()),
        ),
        Field("achievement", _("Thành tích"), parse=parse_text(500), in_list=False),
    ],
    form_class=ExampleForm,
    save=services.example_save,
    filters=[year_filter(), field_filter("kind", _("Cá nhân hay tập thể"), ExampleKind.choices)],
    natural_key=("unit", "name", "year"),
    select_related=("unit", "model"),
    prefetch_related=("commendations",),
    export_name="dien-hinh-tien-tien",
)


# -- recognition -------------------------------------------------------------------------------


STAGES = [
    ("registered", _("Đã đăng ký, chưa tự đánh giá")),
    ("assessed", _("Đã tự đánh giá, chờ quyết định")),
    ("decided", _("Đã có quyết định")),
]


def _stage(registration) -> str:
    if registration.result:
        key = "decided"
    elif registration.assessed_on:
        key = "assessed"
    else:
        key = "registered"
    return str(dict(STAGES)[key])


def _stage_filter(queryset, value):
    if value == "decided":
        return queryset.exclude(result="")
    if value == "assessed":
        return queryset.filter(result="", assessed_on__isnull=False)
    return queryset.filter(result="", assessed_on__isnull=True)


def _recognised_filter(queryset, value, day):
    standing = services.standing_registrations(SafetyRegistration.objects.all(), day).filter(services.recognised_q())
    ids = standing.values("pk")
    return queryset.filter(pk__in=ids) if value == "1" else queryset.exclude(pk__in=ids)


class RegistrationRegister(Register):
    def queryset(self, actor, action: str = "view"):
        met = (
            CriterionAssessment.objects.filter(registration=OuterRef("pk"), met=True)
            .order_by()
            .values("registration")
            .annotate(n=Count("pk"))
        )
        return (
            super()
            .queryset(actor, action)
            .annotate(criteria_met=Coalesce(Subquery(met.values("n")[:1]), 0, output_field=IntegerField()))
        )


class RegistrationForm(RecordForm):
    unit_kinds = staticmethod(is_commune_level)

    class Meta:
        model = SafetyRegistration
        fields = [
            "unit",
            "entity_type",
            "area",
            "entity_name",
            "year",
            "registered_on",
            "assessed_on",
            "decision_number",
            "decision_date",
            "authority",
            "result",
            "certificate_number",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity_name"].help_text = _("Cơ quan, doanh nghiệp, nhà trường; xã và khu dân cư lấy tên đơn vị.")
        self.fields["authority"].help_text = _("Để trống: lấy cấp công nhận theo quy định của năm.")


REGISTRATIONS = RegistrationRegister(
    model=SafetyRegistration,
    name="registration",
    namespace="movement",
    label=_("đăng ký an toàn về ANTT"),
    label_plural=_("đăng ký, công nhận an toàn về ANTT"),
    view_perm="movement.view_safetyregistration",
    change_perm="movement.change_safetyregistration",
    fields=[
        *unit_fields(_("Mã xã"), _("Xã, phường"), kinds=is_commune_level, required=True),
        Field(
            "entity_type",
            _("Đối tượng"),
            parse=parse_choice(EntityType.choices),
            required=True,
            example="Xã, phường, đặc khu",
        ),
        Field(
            "area",
            _("Mã khu dân cư"),
            value=lambda r: r.area.code if r.area_id else "",
            parse=parse_text(32),
            lookup=partial(units_by_code, kinds=is_village),
            in_list=False,
        ),
        Field("entity_name", _("Tên đơn vị đăng ký"), parse=parse_text(200)),
        Field("year", _("Năm"), parse=parse_int(2000, 2100), required=True, example="2025"),
        Field("registered_on", _("Ngày đăng ký"), parse=parse_date, required=True, example="15/02/2025"),
        Field("assessed_on", _("Ngày tự đánh giá"), parse=parse_date, in_list=False),
        Field("criteria_met", _("Số tiêu chí đạt"), value=lambda r: r.criteria_met, api_type=int),
        Field("stage", _("Giai đoạn"), value=_stage),
        Field("decision_number", _("Số quyết định công nhận"), parse=parse_text(60), in_list=False),
        Field("decision_date", _("Ngày quyết định"), parse=parse_date),
        Field("authority", _("Cấp công nhận"), parse=parse_text(200), in_list=False),
        Field("result", _("Kết quả"), parse=parse_choice(RecognitionResult.choices)),
        Field("certificate_number", _("Số giấy công nhận"), parse=parse_text(60), in_list=False),
        Field("note", _("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=RegistrationForm,
    save=services.registration_save,
    filters=[
        year_filter(),
        field_filter("entity_type", _("Đối tượng"), EntityType.choices),
        Filter("stage", _("Giai đoạn"), STAGES, _stage_filter),
        Filter("recognised", _("Đang được công nhận"), YES_NO, _recognised_filter, dated=True),
        Filter(
            "due",
            _("Sắp hết kỳ, chưa tự đánh giá"),
            [("1", _("Có"))],
            lambda qs, v, day: qs.filter(services.due_q(day)),
            dated=True,
        ),
    ],
    natural_key=("unit", "entity_type", "entity_name", "year"),
    select_related=("unit", "area"),
    detail_template="movement/registration_detail.html",
    export_name="dang-ky-an-toan-antt",
    help_text=_(
        "Thông tư 124/2021/TT-BCA: đăng ký trong quý I, tự đánh giá theo từng tiêu chí khi hết kỳ, "
        "cấp có thẩm quyền quyết định công nhận và cấp giấy công nhận."
    ),
)


def _registration_context(request, registration) -> dict:
    done = {a.criterion_id: a for a in registration.assessments.select_related("criterion")}
    checklist = [(c, done.get(c.pk)) for c in services.criteria_for(registration.entity_type, registration.year)]
    scheme = services.scheme_for(registration.entity_type, registration.year)
    window = scheme.window.of(registration.year) if scheme else None
    return {"checklist": checklist, "scheme": scheme, "window": window, "assessment_register": ASSESSMENTS}


REGISTRATIONS.detail_context = _registration_context


class AssessmentForm(RecordForm):
    class Meta:
        model = CriterionAssessment
        fields = ["registration", "criterion", "met", "evidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = rows_for(SafetyRegistration, self.actor, "change").select_related("unit")
        self.fields["criterion"].queryset = SafetyCriterion.objects.all()


ASSESSMENTS = Register(
    model=CriterionAssessment,
    name="assessment",
    namespace="movement",
    label=_("đánh giá tiêu chí"),
    label_plural=_("đánh giá tiêu chí an toàn về ANTT"),
    view_perm="movement.view_criterionassessment",
    change_perm="movement.change_criterionassessment",
    fields=[
        Field(
            "registration",
            _("Mã đăng ký"),
            value=lambda a: a.registration_id,
            parse=parse_int(1),
            lookup=registrations_by_id,
            required=True,
            api_type=int,
            example="1",
        ),
        Field("entity_name", _("Đơn vị đăng ký"), value=lambda a: a.registration.entity_name),
        Field("year", _("Năm"), value=lambda a: a.registration.year, api_type=int),
        Field(
            "criterion",
            _("Tiêu chí số"),
            value=lambda a: a.criterion.number,
            parse=parse_int(1, 99),
            required=True,
            api_type=int,
            example="1",
        ),
        Field("criterion_text", _("Nội dung tiêu chí"), value=lambda a: a.criterion.text, in_list=False),
        Field("met", _("Đạt"), parse=parse_bool, value=lambda a: a.met, api_type=bool, required=True, example="Có"),
        Field("evidence", _("Căn cứ, minh chứng"), parse=parse_text(500), in_list=False),
    ],
    form_class=AssessmentForm,
    save=services.assessment_save,
    filters=[field_filter("met", _("Đạt"), YES_NO)],
    natural_key=("registration", "criterion"),
    select_related=("registration__unit", "criterion"),
    ordering=("registration__unit__path", "registration__year", "criterion__number"),
    export_name="danh-gia-tieu-chi-an-toan",
)


# -- team ratings ------------------------------------------------------------------------------


class RatingForm(RecordForm):
    class Meta:
        model = TeamRating
        fields = ["team", "year", "level", "decision_number", "decided_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = rows_for(Team, self.actor, "change").select_related("unit")


RATINGS = Register(
    model=TeamRating,
    name="rating",
    namespace="movement",
    label=_("xếp loại tổ bảo vệ ANTT"),
    label_plural=_("xếp loại tổ bảo vệ ANTT"),
    view_perm="movement.view_teamrating",
    change_perm="movement.change_teamrating",
    fields=[
        Field(
            "team",
            _("Mã tổ"),
            value=lambda r: r.team.code,
            parse=parse_text(40),
            lookup=teams_by_code,
            required=True,
            example="23500-T01",
        ),
        Field("team_name", _("Tổ"), value=lambda r: r.team.name),
        Field("commune", _("Xã, phường"), value=lambda r: r.team.unit.name),
        Field("year", _("Năm"), parse=parse_int(2000, 2100), required=True, example="2025"),
        Field(
            "level",
            _("Xếp loại"),
            parse=parse_choice(
                RatingLevel.choices,
                {
                    "Xuất sắc": RatingLevel.EXCELLENT,
                    "Tốt": RatingLevel.GOOD,
                    "Hoàn thành": RatingLevel.DONE,
                    "Không hoàn thành": RatingLevel.NOT_DONE,
                },
            ),
            required=True,
            example="Hoàn thành tốt nhiệm vụ",
        ),
        Field("decision_number", _("Số quyết định"), parse=parse_text(60), in_list=False),
        Field("decided_on", _("Ngày quyết định"), parse=parse_date, required=True, example="25/11/2025"),
        Field("note", _("Ghi chú"), parse=parse_text(500), in_list=False),
    ],
    form_class=RatingForm,
    save=services.rating_save,
    filters=[year_filter(), field_filter("level", _("Xếp loại"), RatingLevel.choices)],
    natural_key=("team", "year"),
    select_related=("team__unit",),
    ordering=("-year", "team__unit__path", "team__code"),
    export_name="xep-loai-to-bao-ve-antt",
    help_text=_(
        "Hướng dẫn 01/HD-BCA-V05: kỳ xếp loại 15/11 năm trước đến 14/11; tổ hoạt động chưa đủ thời gian tối thiểu "
        "không xếp loại; số tổ xuất sắc không quá tỷ lệ quy định."
    ),
)
