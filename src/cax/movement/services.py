"""Every rule of the movement: the form, the Excel import and the API all save through here.

The rule rows (windows, deadlines, authorities, criteria, the rating cap) are read for the year a
record is about: the newest version in force at some time during that year (a law changed in July
applies to that year's assessment, made in November)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.exceptions import DomainError, refuse_if_any
from cax.core.records.services import save_record
from cax.core.text import vn_date
from cax.movement import windows
from cax.movement.models import (
    AdvancedExample,
    CapBase,
    CriterionAssessment,
    EntityType,
    EvaluationResult,
    ModelEvaluation,
    MovementModel,
    RatingLevel,
    RatingScheme,
    RecognitionResult,
    RecognitionScheme,
    ReplicationPoint,
    SafetyCriterion,
    SafetyRegistration,
    TeamRating,
)
from cax.units.kinds import is_commune_level, is_village

# -- rule rows -------------------------------------------------------------------------------------


def in_force_during(queryset: QuerySet, year: int) -> QuerySet:
    """The rule rows in force at some time during ``year``, newest version first."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return queryset.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=first), effective_from__lte=last
    ).order_by("-effective_from")


def scheme_for(entity_type: str, year: int) -> RecognitionScheme | None:
    return in_force_during(RecognitionScheme.objects.filter(entity_type=entity_type), year).first()


def criteria_for(entity_type: str, year: int) -> list[SafetyCriterion]:
    """The checklist of ``entity_type`` for ``year``: per criterion number, its newest version."""
    found: dict[int, SafetyCriterion] = {}
    for criterion in in_force_during(SafetyCriterion.objects.filter(entity_type=entity_type), year):
        found.setdefault(criterion.number, criterion)
    return [found[n] for n in sorted(found)]


def rating_scheme_for(year: int) -> RatingScheme | None:
    return in_force_during(RatingScheme.objects.all(), year).first()


def rating_scheme_on(day: dt.date) -> RatingScheme | None:
    return (
        RatingScheme.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day), effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )


def _no_scheme(what: str, year: int) -> DomainError:
    return DomainError(
        _("Chưa có quy định {what} áp dụng cho năm {year}: bổ sung tại danh mục quy định.").format(what=what, year=year)
    )


def _future(fields: dict, key: str, day: dt.date | None, label: str) -> None:
    if day and day > timezone.localdate():
        fields.setdefault(key, []).append(_("{label} {d} ở tương lai.").format(label=label, d=vn_date(day)))


# -- models of the movement ------------------------------------------------------------------------


def _check_model(model: MovementModel, teams: list | None) -> None:
    fields: dict[str, list[str]] = {}
    if model.unit_id and not is_commune_level(model.unit):
        fields["unit"] = [_("Mô hình thuộc một xã, phường; “{u}” không phải.").format(u=model.unit)]
    if model.decision_date and not model.decision_number:
        fields["decision_number"] = [_("Có ngày quyết định thành lập thì phải có số quyết định.")]
    if model.decision_number and not model.decision_date:
        fields["decision_date"] = [_("Có số quyết định thành lập thì phải có ngày quyết định.")]
    if model.plan_date and model.decision_date and model.decision_date < model.plan_date:
        fields["decision_date"] = [
            _("Quyết định thành lập ({d}) không thể trước ngày phê duyệt kế hoạch khảo sát ({p}).").format(
                d=vn_date(model.decision_date), p=vn_date(model.plan_date)
            )
        ]
    _future(fields, "plan_date", model.plan_date, _("Ngày phê duyệt kế hoạch"))
    _future(fields, "decision_date", model.decision_date, _("Ngày quyết định"))
    for team in teams or []:
        if model.unit_id and team.unit_id != model.unit_id:
            fields.setdefault("teams", []).append(
                _("Tổ {team} ({code}) không thuộc {unit}.").format(team=team.name, code=team.code, unit=model.unit)
            )
    refuse_if_any(fields)


def model_save(*, actor, instance, data) -> MovementModel:
    teams = data.get("teams")
    return save_record(
        actor=actor,
        instance=instance,
        model=MovementModel,
        data=data,
        perm="movement.change_movementmodel",
        denied=_("Bạn không có quyền cập nhật mô hình phong trào."),
        validate=lambda obj: _check_model(obj, list(teams) if teams is not None else None),
    )


def last_evaluation(field: str, day: dt.date | None):
    """A subquery of a model's latest evaluation on or before ``day`` (any day when None)."""
    evaluations = ModelEvaluation.objects.filter(model=OuterRef("pk"))
    if day is not None:
        evaluations = evaluations.filter(evaluated_on__lte=day)
    return Subquery(evaluations.order_by("-evaluated_on").values(field)[:1])


class ModelState:
    PLANNED = "planned"
    RUNNING = "running"
    STOPPED = "stopped"


def model_state_q(state: str, day: dt.date) -> Q:
    """A model on ``day``: being built (no decision by then), running (established, its latest
    evaluation by then not "stopped"), stopped. Needs ``with_state`` annotations."""
    established = Q(decision_date__isnull=False, decision_date__lte=day)
    stopped = Q(last_result=EvaluationResult.STOPPED)
    if state == ModelState.PLANNED:
        return ~established
    if state == ModelState.STOPPED:
        return established & stopped
    # A model never evaluated has no result (NULL), which a bare negation would drop.
    return established & (Q(last_result__isnull=True) | ~stopped)


def with_state(queryset: QuerySet, day: dt.date | None = None) -> QuerySet:
    """Annotates ``last_result`` and ``last_evaluated_on``: the latest evaluation by ``day``."""
    return queryset.annotate(
        last_result=last_evaluation("result", day), last_evaluated_on=last_evaluation("evaluated_on", day)
    )


def state_of(model: MovementModel, day: dt.date) -> str:
    if not (model.decision_date and model.decision_date <= day):
        return ModelState.PLANNED
    last = model.evaluations.filter(evaluated_on__lte=day).order_by("-evaluated_on").first()
    return ModelState.STOPPED if last and last.result == EvaluationResult.STOPPED else ModelState.RUNNING


def _check_replication(point: ReplicationPoint) -> None:
    fields: dict[str, list[str]] = {}
    model = point.model
    if not point.area_id and not point.place.strip():
        fields["place"] = [_("Ghi thôn, tổ dân phố hoặc tên địa bàn nhân rộng.")]
    if point.area_id and not is_village(point.area):
        fields["area"] = [_("“{u}” không phải là thôn hoặc tổ dân phố.").format(u=point.area)]
    if point.started_on and not (model.decision_date and point.started_on >= model.decision_date):
        fields["started_on"] = [
            _("Mô hình {m} chỉ được nhân rộng sau khi có quyết định thành lập{d}.").format(
                m=model, d=_(" (ngày {d})").format(d=vn_date(model.decision_date)) if model.decision_date else ""
            )
        ]
    _future(fields, "started_on", point.started_on, _("Ngày nhân rộng"))
    refuse_if_any(fields)


def replication_save(*, actor, instance, data) -> ReplicationPoint:
    return save_record(
        actor=actor,
        instance=instance,
        model=ReplicationPoint,
        data=data,
        perm="movement.change_replicationpoint",
        denied=_("Bạn không có quyền cập nhật điểm nhân rộng mô hình."),
        validate=_check_replication,
    )


def _check_evaluation(evaluation: ModelEvaluation) -> None:
    fields: dict[str, list[str]] = {}
    model = evaluation.model
    if evaluation.pk:
        # An evaluation is an event: once recorded its finding stays as it was (a new finding is a new
        # evaluation); only the remarks and the evaluator's name may be completed, in the change log.
        stored = ModelEvaluation.objects.get(pk=evaluation.pk)
        changed = [f for f in ("model_id", "evaluated_on", "result") if getattr(stored, f) != getattr(evaluation, f)]
        if changed:
            raise DomainError(
                _("Đánh giá đã ghi không được sửa; hãy ghi một lần đánh giá mới."),
                fields={changed[0].removesuffix("_id"): [_("Đánh giá đã ghi không được sửa.")]},
            )
    if evaluation.evaluated_on and not (model.decision_date and evaluation.evaluated_on >= model.decision_date):
        fields["evaluated_on"] = [
            _("Mô hình {m} chưa có quyết định thành lập vào ngày {d}: chưa thể đánh giá.").format(
                m=model, d=vn_date(evaluation.evaluated_on)
            )
        ]
    _future(fields, "evaluated_on", evaluation.evaluated_on, _("Ngày đánh giá"))
    refuse_if_any(fields)


def evaluation_save(*, actor, instance, data) -> ModelEvaluation:
    return save_record(
        actor=actor,
        instance=instance,
        model=ModelEvaluation,
        data=data,
        perm="movement.change_modelevaluation",
        denied=_("Bạn không có quyền ghi đánh giá mô hình."),
        validate=_check_evaluation,
    )


# -- advanced examples -----------------------------------------------------------------------------


def _check_example(example: AdvancedExample, commendations: list | None) -> None:
    fields: dict[str, list[str]] = {}
    if example.year and example.year > timezone.localdate().year:
        fields["year"] = [_("Năm {y} chưa đến.").format(y=example.year)]
    unit = example.unit
    if example.model_id and not (example.model.unit.path.startswith(unit.path)):
        fields["model"] = [_("Mô hình {m} không thuộc {u}.").format(m=example.model, u=unit)]
    for commendation in commendations or []:
        if not commendation.unit.path.startswith(unit.path):
            fields.setdefault("commendations", []).append(
                _("Khen thưởng số {n} không thuộc {u}.").format(n=commendation.decision_number, u=unit)
            )
    refuse_if_any(fields)


def example_save(*, actor, instance, data) -> AdvancedExample:
    commendations = data.get("commendations")
    return save_record(
        actor=actor,
        instance=instance,
        model=AdvancedExample,
        data=data,
        perm="movement.change_advancedexample",
        denied=_("Bạn không có quyền cập nhật điển hình tiên tiến."),
        validate=lambda obj: _check_example(obj, list(commendations) if commendations is not None else None),
    )


# -- recognition as safe in security and order -----------------------------------------------------


def _entity_problems(registration: SafetyRegistration) -> dict[str, list[str]]:
    """Who registers: the commune itself, one of its villages, or a named agency, enterprise, school."""
    fields: dict[str, list[str]] = {}
    unit, kind = registration.unit, registration.entity_type
    if not is_commune_level(unit):
        return {"unit": [_("Đăng ký do xã, phường quản lý; “{u}” không phải.").format(u=unit)]}
    if kind == EntityType.COMMUNE:
        if registration.area_id:
            fields["area"] = [_("Xã, phường đăng ký cho chính mình: không ghi khu dân cư.")]
        registration.entity_name = unit.name
    elif kind == EntityType.RESIDENTIAL:
        area = registration.area if registration.area_id else None
        if area is None:
            fields["area"] = [_("Khu dân cư đăng ký phải ghi mã thôn, tổ dân phố.")]
        elif not is_village(area) or area.parent_id != unit.pk:
            fields["area"] = [_("{a} ({c}) không phải thôn, tổ dân phố của {u}.").format(a=area, c=area.code, u=unit)]
        else:
            registration.entity_name = area.name
    else:
        if registration.area_id:
            fields["area"] = [_("Cơ quan, doanh nghiệp, nhà trường không ghi khu dân cư.")]
        if not registration.entity_name.strip():
            fields["entity_name"] = [_("Ghi tên cơ quan, doanh nghiệp hoặc nhà trường đăng ký.")]
    return fields


def registration_problems(registration: SafetyRegistration, scheme: RecognitionScheme) -> dict[str, list[str]]:
    """Registered in the period the scheme allows, self-assessed inside the window and before the
    submission deadline with every criterion assessed, decided after that with number and authority;
    "recognised" only when every criterion is met, with its certificate number."""
    fields: dict[str, list[str]] = {}
    year = registration.year
    registration_end = windows.day_of(year, scheme.registration_end_month, scheme.registration_end_day)
    if registration.registered_on and not (dt.date(year, 1, 1) <= registration.registered_on <= registration_end):
        fields["registered_on"] = [
            _("Đăng ký năm {y} phải trong khoảng 01/01/{y} – {last} ({basis}); ngày {d} nằm ngoài.").format(
                y=year, last=vn_date(registration_end), basis=scheme.legal_basis, d=vn_date(registration.registered_on)
            )
        ]
    _future(fields, "registered_on", registration.registered_on, _("Ngày đăng ký"))
    assessments = list(registration.assessments.select_related("criterion")) if registration.pk else []
    if registration.assessed_on:
        _put_all(fields, _assessment_problems(registration, scheme, {a.criterion_id for a in assessments}))
    if registration.result or registration.decision_number or registration.decision_date:
        _put_all(fields, _decision_problems(registration, scheme))
    if registration.result == RecognitionResult.RECOGNISED:
        failed = sorted(a.criterion.number for a in assessments if not a.met)
        if failed:
            fields.setdefault("result", []).append(
                _("Không đạt tiêu chí {c}: không thể công nhận (Thông tư 124/2021/TT-BCA).").format(
                    c=", ".join(str(n) for n in failed)
                )
            )
        if not registration.certificate_number:
            fields["certificate_number"] = [_("Được công nhận thì ghi số giấy công nhận.")]
    elif registration.certificate_number:
        fields["certificate_number"] = [_("Chỉ đơn vị được công nhận mới có giấy công nhận.")]
    return fields


def _put_all(fields: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    for key, messages in more.items():
        fields.setdefault(key, []).extend(messages)


def _assessment_problems(registration, scheme, assessed: set[int]) -> dict[str, list[str]]:
    """The self-assessment: inside the window, by the submission deadline, every criterion assessed."""
    fields: dict[str, list[str]] = {}
    year, day = registration.year, registration.assessed_on
    start, end = scheme.window.of(year)
    submission = windows.day_of(year, scheme.submission_month, scheme.submission_day)
    if not (start <= day <= submission):
        fields["assessed_on"] = [
            _(
                "Tự đánh giá năm {y} trong kỳ {a} – {b} và trước hạn gửi hồ sơ {s} ({basis}); ngày {d} nằm ngoài."
            ).format(
                y=year,
                a=vn_date(start),
                b=vn_date(end),
                s=vn_date(submission),
                basis=scheme.legal_basis,
                d=vn_date(day),
            )
        ]
    checklist = criteria_for(registration.entity_type, year)
    if not checklist:
        fields.setdefault("assessed_on", []).append(
            _("Chưa có bộ tiêu chí của {t} năm {y}: bổ sung tại danh mục tiêu chí trước khi tự đánh giá.").format(
                t=registration.get_entity_type_display(), y=year
            )
        )
    missing = [c for c in checklist if c.pk not in assessed]
    if missing:
        fields.setdefault("assessed_on", []).append(
            _("Chưa đánh giá tiêu chí: {c}.").format(c=", ".join(str(c.number) for c in missing))
        )
    _future(fields, "assessed_on", day, _("Ngày tự đánh giá"))
    return fields


def _decision_problems(registration, scheme) -> dict[str, list[str]]:
    """The decision: after the self-assessment, with its number, date and result."""
    fields: dict[str, list[str]] = {}
    if not registration.assessed_on:
        fields["decision_date"] = [_("Chưa tự đánh giá: chưa thể có quyết định công nhận.")]
    if not registration.decision_number:
        fields["decision_number"] = [_("Ghi số quyết định.")]
    if not registration.decision_date:
        fields.setdefault("decision_date", []).append(_("Ghi ngày quyết định."))
    if not registration.result:
        fields["result"] = [_("Ghi kết quả: được hay không được công nhận.")]
    if not registration.authority:
        registration.authority = scheme.authority
    day = registration.decision_date
    if day and registration.assessed_on and day < registration.assessed_on:
        fields.setdefault("decision_date", []).append(
            _("Ngày quyết định {d} trước ngày tự đánh giá {a}.").format(
                d=vn_date(day), a=vn_date(registration.assessed_on)
            )
        )
    _future(fields, "decision_date", day, _("Ngày quyết định"))
    return fields


def _check_registration(registration: SafetyRegistration) -> None:
    fields = _entity_problems(registration)
    scheme = scheme_for(registration.entity_type, registration.year) if registration.year else None
    if scheme is None and registration.year:
        raise _no_scheme(_("công nhận an toàn về ANTT"), registration.year)
    if scheme is not None:
        for key, messages in registration_problems(registration, scheme).items():
            fields.setdefault(key, []).extend(messages)
    refuse_if_any(fields)


def registration_save(*, actor, instance, data) -> SafetyRegistration:
    return save_record(
        actor=actor,
        instance=instance,
        model=SafetyRegistration,
        data=data,
        perm="movement.change_safetyregistration",
        denied=_("Bạn không có quyền cập nhật đăng ký an toàn về ANTT."),
        validate=_check_registration,
    )


def _check_assessment(assessment: CriterionAssessment) -> None:
    fields: dict[str, list[str]] = {}
    registration = assessment.registration
    criterion = assessment.criterion
    if registration.result:
        fields["registration"] = [
            _("Đăng ký {r} đã có quyết định: không sửa đánh giá tiêu chí.").format(r=registration)
        ]
    if criterion.pk not in {c.pk for c in criteria_for(registration.entity_type, registration.year)}:
        fields["criterion"] = [
            _("Tiêu chí {n} không thuộc bộ tiêu chí của {t} năm {y}.").format(
                n=criterion.number, t=registration.get_entity_type_display(), y=registration.year
            )
        ]
    refuse_if_any(fields)


def assessment_save(*, actor, instance, data) -> CriterionAssessment:
    data = dict(data)
    number = data.get("criterion")
    if isinstance(number, int):
        # Files and the API name a criterion by its number in the registration's checklist.
        registration = data.get("registration") or (instance.registration if instance is not None else None)
        if registration is None:
            raise DomainError(_("Chưa chọn đăng ký."), fields={"registration": [_("Bắt buộc.")]})
        found = [c for c in criteria_for(registration.entity_type, registration.year) if c.number == number]
        if not found:
            message = _("Bộ tiêu chí của {t} năm {y} không có tiêu chí số {n}.").format(
                t=registration.get_entity_type_display(), y=registration.year, n=number
            )
            raise DomainError(message, fields={"criterion": [message]})
        data["criterion"] = found[0]
    return save_record(
        actor=actor,
        instance=instance,
        model=CriterionAssessment,
        data=data,
        perm="movement.change_criterionassessment",
        denied=_("Bạn không có quyền đánh giá tiêu chí."),
        validate=_check_assessment,
    )


def standing_registrations(queryset: QuerySet, day: dt.date) -> QuerySet:
    """Each entity's latest decided registration by ``day``: recognition is yearly (TT 124 Art. 3),
    so a recognition stands until the same entity's next decision, and lapses when the next year
    passes without one (only the decisions of ``day``'s year and the year before stand)."""
    newer = SafetyRegistration.objects.filter(
        unit=OuterRef("unit"),
        entity_type=OuterRef("entity_type"),
        entity_name=OuterRef("entity_name"),
        year__gt=OuterRef("year"),
        decision_date__lte=day,
    )
    return queryset.filter(decision_date__lte=day, year__gte=day.year - 1).exclude(result="").filter(~Exists(newer))


def due_q(day: dt.date) -> Q:
    """Registrations not yet self-assessed (nor decided) whose window closes within the scheme's
    reminder days of ``day``, or has closed with the submission deadline still ahead."""
    condition = Q(pk__in=[])
    in_force = RecognitionScheme.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=day), effective_from__lte=day
    ).order_by("-effective_from")
    newest: dict[str, RecognitionScheme] = {}
    for row in in_force:  # one query for every entity type
        newest.setdefault(row.entity_type, row)
    for scheme in newest.values():
        entity_type = scheme.entity_type
        year = day.year  # the window of year Y ends, and its dossier is due, in Y
        _start, end = scheme.window.of(year)
        submission = windows.day_of(year, scheme.submission_month, scheme.submission_day)
        if (end - day).days <= scheme.reminder_days and day <= submission:
            condition |= Q(entity_type=entity_type, year=year)
    return condition & Q(assessed_on__isnull=True, result="")


def recognised_q() -> Q:
    return Q(result=RecognitionResult.RECOGNISED)


# -- team ratings ----------------------------------------------------------------------------------


def _check_rating(rating: TeamRating) -> None:
    fields: dict[str, list[str]] = {}
    scheme = rating_scheme_for(rating.year) if rating.year else None
    if scheme is None:
        raise _no_scheme(_("xếp loại tổ bảo vệ ANTT"), rating.year)
    start, end = scheme.window.of(rating.year)
    team = rating.team
    since = team.decision_date
    if since is None:
        fields["team"] = [_("{t} chưa có quyết định thành lập: chưa xếp loại.").format(t=team)]
    elif not windows.has_run(since, end, scheme.min_months):
        fields["team"] = [
            _(
                "{t} thành lập ngày {d}, đến hết kỳ xếp loại {e} mới hoạt động {m} tháng; tổ hoạt động dưới {n} "
                "tháng không xếp loại ({basis})."
            ).format(
                t=team,
                d=vn_date(since),
                e=vn_date(end),
                m=windows.full_months(since, end),
                n=scheme.min_months,
                basis=scheme.legal_basis,
            )
        ]
    if rating.decided_on and rating.decided_on < start:
        fields["decided_on"] = [
            _("Ngày quyết định {d} trước kỳ xếp loại năm {y} ({a} – {b}).").format(
                d=vn_date(rating.decided_on), y=rating.year, a=vn_date(start), b=vn_date(end)
            )
        ]
    _future(fields, "decided_on", rating.decided_on, _("Ngày quyết định"))
    if not fields:
        _put_cap(fields, rating, scheme)
    refuse_if_any(fields)


def _put_cap(fields: dict, rating: TeamRating, scheme: RatingScheme) -> None:
    """The commune's "excellent" ratings of the year, this one as it would be saved, within the cap."""
    others = TeamRating.objects.filter(team__unit_id=rating.team.unit_id, year=rating.year).exclude(pk=rating.pk)
    levels = [*others.values_list("level", flat=True), rating.level]
    excellent = levels.count(RatingLevel.EXCELLENT)
    if not excellent:
        return
    if scheme.cap_base == CapBase.RATED:
        base = len(levels)
    else:
        base = sum(1 for level in levels if level in (RatingLevel.EXCELLENT, RatingLevel.GOOD))
    cap = windows.excellent_cap(scheme.excellent_cap_percent, base)
    if excellent > cap:
        fields["level"] = [
            _(
                "{u} năm {y} sẽ có {e} tổ xuất sắc trên {b} ({base}); tối đa {p}% là {c} tổ ({basis}). "
                "Xếp loại các tổ khác trước hoặc giảm số tổ xuất sắc."
            ).format(
                u=rating.team.unit,
                y=rating.year,
                e=excellent,
                b=base,
                base=CapBase(scheme.cap_base).label.lower(),
                p=scheme.excellent_cap_percent,
                c=cap,
                basis=scheme.legal_basis,
            )
        ]


def rating_save(*, actor, instance, data) -> TeamRating:
    return save_record(
        actor=actor,
        instance=instance,
        model=TeamRating,
        data=data,
        perm="movement.change_teamrating",
        denied=_("Bạn không có quyền xếp loại tổ bảo vệ ANTT."),
        validate=_check_rating,
    )
