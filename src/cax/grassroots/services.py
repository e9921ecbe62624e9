"""Every rule of the grassroots force: the form, the Excel import and the API all save through here."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.db.models import BooleanField, Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.changelog import record_change
from cax.core.exceptions import refuse_if_any
from cax.core.records.register import rows_for
from cax.core.records.services import save_record
from cax.core.text import vn_date
from cax.grassroots import extensions, policy
from cax.grassroots.models import (
    LAW_DEFAULT_TEAM_SIZE,
    LAW_MAX_AGE,
    LAW_MIN_AGE,
    LAW_MIN_RESIDENCE_MONTHS,
    AllowancePayment,
    Criteria,
    Education,
    Role,
    Team,
    TeamMember,
    TeamStatus,
)
from cax.units.kinds import is_commune_level, is_village


def may_issue_criteria(unit) -> bool:
    """The root (the law's numbers) and provinces (their People's Council's) issue criteria."""
    return unit.level <= 1


# -- criteria --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicable:
    min_age: int
    max_age: int
    min_residence_months: int
    default_team_size: int
    source: str


def criteria_for(unit) -> Applicable:
    """The criteria of the nearest ancestor (or the unit itself) that has a row; the law's otherwise."""
    ids = [*unit.ancestor_ids, unit.pk]
    row = Criteria.objects.filter(unit_id__in=ids).select_related("unit").order_by("-unit__level").first()
    if row is None:
        return Applicable(LAW_MIN_AGE, LAW_MAX_AGE, LAW_MIN_RESIDENCE_MONTHS, LAW_DEFAULT_TEAM_SIZE, _("Luật 30/2023"))
    return Applicable(row.min_age, row.max_age, row.min_residence_months, row.default_team_size, row.unit.name)


def _check_criteria(criteria: Criteria) -> None:
    fields = {}
    if criteria.unit_id and not may_issue_criteria(criteria.unit):
        fields["unit"] = [_("Chỉ cấp Bộ hoặc cấp tỉnh ban hành tiêu chuẩn; “{u}” không phải.").format(u=criteria.unit)]
    # Art. 13 fixes 18–70 and one year of residence: a province may tighten these, never loosen them.
    if criteria.min_age is not None and criteria.min_age < LAW_MIN_AGE:
        fields["min_age"] = [_("Tuổi tối thiểu không được thấp hơn {n} (Điều 13 Luật 30/2023).").format(n=LAW_MIN_AGE)]
    if criteria.max_age is not None and criteria.max_age > LAW_MAX_AGE:
        fields["max_age"] = [_("Tuổi tối đa không được cao hơn {n} (Điều 13 Luật 30/2023).").format(n=LAW_MAX_AGE)]
    if criteria.min_age is not None and criteria.max_age is not None and criteria.min_age > criteria.max_age:
        fields.setdefault("max_age", []).append(_("Tuổi tối đa phải lớn hơn hoặc bằng tuổi tối thiểu."))
    if criteria.min_residence_months is not None and criteria.min_residence_months < LAW_MIN_RESIDENCE_MONTHS:
        fields["min_residence_months"] = [
            _("Thời gian cư trú không được ít hơn {n} tháng (Điều 13 Luật 30/2023).").format(n=LAW_MIN_RESIDENCE_MONTHS)
        ]
    if criteria.default_team_size is not None and criteria.default_team_size < 1:
        fields["default_team_size"] = [_("Số thành viên mặc định phải từ 1 trở lên.")]
    refuse_if_any(fields)


def criteria_save(*, actor, instance, data) -> Criteria:
    return save_record(
        actor=actor,
        instance=instance,
        model=Criteria,
        data=data,
        perm=policy.CHANGE_CRITERIA,
        denied=_("Bạn không có quyền sửa tiêu chuẩn thành viên tổ bảo vệ ANTT."),
        validate=_check_criteria,
    )


# -- teams -----------------------------------------------------------------------------------------


def active_members_q(prefix: str = "", day: dt.date | None = None) -> Q:
    """A member is active until the day a ``left_on`` is recorded; on a past ``day``, a member who
    had joined by then and not yet left."""
    if day is None:
        return Q(**{f"{prefix}left_on__isnull": True})
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


def with_completeness(queryset: QuerySet, day: dt.date | None = None) -> QuerySet:
    """Annotates ``active_members``, ``active_leaders`` and ``is_complete`` on teams.

    The one definition of a complete team (kiện toàn), used by the list filter, the detail page, the
    API and the tile: status "established", exactly one active leader, and at least
    ``planned_members`` active members (leader and deputies included). On a past ``day``: the
    members active then, and a team established by then (its decision dated that day or before).
    """
    active = TeamMember.objects.filter(active_members_q(day=day), team=OuterRef("pk")).order_by().values("team")

    def count(members):
        return Coalesce(Subquery(members.annotate(n=Count("pk")).values("n")[:1]), 0, output_field=IntegerField())

    return queryset.annotate(
        active_members=count(active), active_leaders=count(active.filter(role=Role.LEADER))
    ).annotate(
        is_complete=Case(
            When(
                Q(status=TeamStatus.ESTABLISHED, active_leaders=1, active_members__gte=F("planned_members"))
                & (Q() if day is None else Q(decision_date__isnull=True) | Q(decision_date__lte=day)),
                then=True,
            ),
            default=False,
            output_field=BooleanField(),
        )
    )


def is_complete(team: Team) -> bool:
    return with_completeness(Team.objects.filter(pk=team.pk)).values_list("is_complete", flat=True).first() or False


def parse_village_codes(value) -> list[str]:
    """Village codes separated by ";" or ","."""
    return [code.strip() for code in str(value or "").replace(",", ";").split(";") if code.strip()]


def _resolve_villages(values, commune, actor) -> tuple[list, dict]:
    """Village units from codes (or units); every code must be an open village under ``commune``.

    Codes are looked up inside the actor's subtree only (issue 16.7): a code outside it is answered
    exactly as a code that does not exist, never with that village's name and commune. Units handed
    in as objects come from code (the demo, the system), not from a user."""
    from cax.units.models import Unit

    units = [v for v in values if isinstance(v, Unit)]
    codes = [v for v in values if not isinstance(v, Unit)]
    found = {u.code: u for u in rows_for(Unit, actor).current().filter(code__in=codes).select_related("unit_type")}
    errors = []
    for code in codes:
        if code not in found:
            errors.append(_("Không tìm thấy thôn, tổ dân phố mã “{c}”.").format(c=code))
        else:
            units.append(found[code])
    for unit in units:
        if not is_village(unit):
            errors.append(_("“{u}” ({c}) không phải là thôn hoặc tổ dân phố.").format(u=unit, c=unit.code))
        elif commune is not None and unit.parent_id != commune.pk:
            errors.append(_("{u} ({c}) không thuộc {commune}.").format(u=unit, c=unit.code, commune=commune))
    return units, ({"villages": errors} if errors else {})


def _next_team_code(commune) -> str:
    taken = set(Team.objects.filter(code__startswith=f"{commune.code}-T").values_list("code", flat=True))
    n = 1
    while f"{commune.code}-T{n:02d}" in taken:
        n += 1
    return f"{commune.code}-T{n:02d}"


def _team_problems(team: Team, villages: list, actor) -> tuple[list, dict[str, list[str]]]:
    """The team's villages resolved, and what keeps it from being saved: a unit that is not a
    commune, no or foreign villages, an established team without its decision, a future date."""
    fields = {}
    if not is_commune_level(team.unit):
        fields["unit"] = [_("Tổ bảo vệ ANTT phải thuộc một xã, phường; “{u}” không phải.").format(u=team.unit)]
    commune = None if fields else team.unit
    units, errors = _resolve_villages(villages, commune, actor)
    fields.update(errors)
    if not units and "villages" not in fields:
        fields["villages"] = [_("Tổ phải phụ trách ít nhất một thôn hoặc tổ dân phố (Điều 2 Luật 30/2023).")]
    if team.status == TeamStatus.ESTABLISHED and not (team.decision_number and team.decision_date):
        fields["decision_number"] = [
            _("Tổ đã thành lập phải có số và ngày quyết định thành lập của Chủ tịch UBND xã (Điều 14 Luật 30/2023).")
        ]
    if team.decision_date and team.decision_date > timezone.localdate():
        fields["decision_date"] = [_("Ngày quyết định {d} ở tương lai.").format(d=vn_date(team.decision_date))]
    return units, fields


def team_save(*, actor, instance, data) -> Team:
    data = dict(data)
    villages_given = "villages" in data
    wanted = parse_village_codes_or_units(data.pop("villages", None))
    chosen: list = []

    def validate(team: Team) -> None:
        current = wanted if villages_given else (list(team.villages.all()) if team.pk else [])
        units, fields = _team_problems(team, current, actor)
        if team.planned_members is None:
            team.planned_members = criteria_for(team.unit).default_team_size
        refuse_if_any(fields)
        if not team.code:
            team.code = _next_team_code(team.unit)
        chosen[:] = units

    team = save_record(
        actor=actor,
        instance=instance,
        model=Team,
        data=data,
        perm="grassroots.change_team",
        denied=_("Bạn không có quyền cập nhật tổ bảo vệ ANTT."),
        validate=validate,
    )
    # The change log does not see many-to-many fields: a new area is logged as its own entry.
    if villages_given and set(team.villages.values_list("pk", flat=True)) != {u.pk for u in chosen}:
        team.villages.set(chosen)
        record_change(
            actor=actor,
            obj=team,
            action="update",
            message=_("Địa bàn phụ trách: {v}").format(v="; ".join(sorted(u.code for u in chosen))),
        )
    return team


def parse_village_codes_or_units(value) -> list:
    from cax.units.models import Unit

    if value is None:
        return []
    if isinstance(value, models.QuerySet):
        return list(value)
    if isinstance(value, list | tuple):
        return [v if isinstance(v, Unit) else str(v).strip() for v in value if isinstance(v, Unit) or str(v).strip()]
    return parse_village_codes(value)


# -- members ---------------------------------------------------------------------------------------


def age_on(born: dt.date, day: dt.date) -> int:
    """Full years of age on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def may_accept_primary_education(commune) -> bool:
    """Art. 13(3): primary school suffices in border, ethnic-minority and remote communes."""
    return commune.is_border or commune.is_ethnic_minority or commune.is_remote


ID_NUMBER = re.compile(r"^\d{12}$")


def member_problems(member: TeamMember) -> dict[str, list[str]]:
    """Every criterion the member fails, keyed by the field to fix."""
    fields: dict[str, list[str]] = {}
    team = member.team
    commune = team.unit
    rules = criteria_for(commune)
    name = member.full_name or _("(chưa có tên)")
    today = timezone.localdate()
    if member.id_number and not ID_NUMBER.match(member.id_number):
        fields["id_number"] = [_("Số căn cước “{v}” phải gồm đúng 12 chữ số.").format(v=member.id_number)]
    _put(fields, "date_of_birth", _age_problem(member, rules, name))
    if member.date_of_birth and member.date_of_birth > today:
        fields["date_of_birth"] = [_("Ngày sinh {d} ở tương lai.").format(d=vn_date(member.date_of_birth))]
    _put(fields, "residence_since", _residence_problem(member, rules, name))
    fields.update(_health_and_schooling_problems(member, commune, name, today))
    if member.left_on is None and member.id_number and "id_number" not in fields:
        _put(fields, "id_number", _id_number_taken(member, team))
    if member.left_on is None and member.role == Role.LEADER:
        leader = (
            TeamMember.objects.filter(active_members_q(), team=team, role=Role.LEADER).exclude(pk=member.pk).first()
        )
        if leader is not None:
            fields["role"] = [
                _("{team} đã có tổ trưởng {leader}; mỗi tổ chỉ có một tổ trưởng.").format(team=team, leader=leader)
            ]
    if team.status == TeamStatus.DISSOLVED and member.left_on is None:
        fields["team"] = [_("{team} đã giải thể, không thể có thành viên đang hoạt động.").format(team=team)]
    return fields


def _put(fields: dict[str, list[str]], key: str, message: str | None) -> None:
    if message:
        fields[key] = [message]


def _age_problem(member: TeamMember, rules, name: str) -> str | None:
    """Too young, or too old without the commune chairman's decision, on the day of joining."""
    joined = member.joined_on
    if not (member.date_of_birth and joined):
        return None
    age = age_on(member.date_of_birth, joined)
    if age < rules.min_age:
        return _("Thành viên {name} mới {age} tuổi vào ngày {day}; tiêu chuẩn của {source}: {lo}–{hi} tuổi.").format(
            name=name, age=age, day=vn_date(joined), source=rules.source, lo=rules.min_age, hi=rules.max_age
        )
    if age > rules.max_age and not member.over_age_decision.strip():
        return _(
            "Thành viên {name} đã {age} tuổi vào ngày {day}, quá {hi} tuổi theo tiêu chuẩn của {source}; "
            "chỉ được tham gia khi có quyết định của Chủ tịch UBND xã (ghi vào “Quyết định cho phép quá tuổi”)."
        ).format(name=name, age=age, day=vn_date(joined), source=rules.source, hi=rules.max_age)
    return None


def _residence_problem(member: TeamMember, rules, name: str) -> str | None:
    """Resident in the area for fewer months than the criteria ask on the day of joining."""
    joined = member.joined_on
    if not (member.residence_since and joined):
        return None
    needed = add_months(member.residence_since, rules.min_residence_months)
    if needed <= joined:
        return None
    return _(
        "Thành viên {name} cư trú tại địa bàn từ {since}, đến ngày tham gia {day} chưa đủ {n} tháng "
        "(tiêu chuẩn của {source}); sớm nhất được tham gia từ {earliest}."
    ).format(
        name=name,
        since=vn_date(member.residence_since),
        day=vn_date(joined),
        n=rules.min_residence_months,
        source=rules.source,
        earliest=vn_date(needed),
    )


def _health_and_schooling_problems(member: TeamMember, commune, name: str, today: dt.date) -> dict[str, list[str]]:
    """The health certificate, the schooling the commune accepts, a leaving date not in the future."""
    fields: dict[str, list[str]] = {}
    if member.health_certificate_on is None:
        fields["health_certificate_on"] = [
            _("Thành viên {name} chưa có giấy khám sức khoẻ của cơ sở y tế (Điều 13 Luật 30/2023).").format(name=name)
        ]
    elif member.health_certificate_on > today:
        fields["health_certificate_on"] = [
            _("Ngày giấy khám sức khoẻ {d} ở tương lai.").format(d=vn_date(member.health_certificate_on))
        ]
    if member.education == Education.PRIMARY and not may_accept_primary_education(commune):
        fields["education"] = [
            _(
                "Thành viên {name} có trình độ tiểu học; {commune} không phải xã biên giới, vùng dân tộc thiểu số "
                "hay vùng sâu, vùng xa nên phải tốt nghiệp hoặc học hết THCS trở lên (Điều 13 Luật 30/2023)."
            ).format(name=name, commune=commune)
        ]
    if member.left_on and member.left_on > today:
        fields["left_on"] = [_("Ngày thôi tham gia {d} ở tương lai.").format(d=vn_date(member.left_on))]
    return fields


def _id_number_taken(member: TeamMember, team: Team) -> str | None:
    """An active member of any team already holds this identity number."""
    other = (
        TeamMember.objects.filter(active_members_q(), id_number=member.id_number)
        .exclude(pk=member.pk)
        .select_related("team")
        .first()
    )
    if other is None:
        return None
    if other.team.unit_id == team.unit_id:
        return _("Số căn cước {v} đã là thành viên đang hoạt động ({name}, {team}).").format(
            v=member.id_number, name=other.full_name, team=other.team.name
        )
    # Uniqueness is national, but who holds the number elsewhere is personal data of a unit
    # the person recording may not see: say only that it is taken.
    return _("Số căn cước {v} đã là thành viên đang hoạt động của một tổ ở đơn vị khác.").format(v=member.id_number)


def _check_member(member: TeamMember) -> None:
    fields = member_problems(member)
    refuse_if_any(fields)


def member_save(*, actor, instance, data) -> TeamMember:
    return save_record(
        actor=actor,
        instance=instance,
        model=TeamMember,
        data=data,
        perm="grassroots.change_teammember",
        denied=_("Bạn không có quyền cập nhật thành viên tổ bảo vệ ANTT."),
        validate=_check_member,
    )


def trained_exists(day: dt.date | None = None):
    """Whether a member has completed at least one course, by ``day`` when given: the training app
    keeps the courses and answers through grassroots.extensions (training builds on grassroots)."""
    return extensions.trained(day)


# -- allowances ------------------------------------------------------------------------------------


def _check_allowance(payment: AllowancePayment) -> None:
    fields = {}
    if payment.month:
        payment.month = payment.month.replace(day=1)
    member = payment.member
    if payment.amount is not None and payment.amount <= 0:
        fields["amount"] = [_("Số tiền phải lớn hơn 0.")]
    if payment.month:
        last_day = payment.month.replace(day=calendar.monthrange(payment.month.year, payment.month.month)[1])
        if member.joined_on > last_day or (member.left_on and member.left_on < payment.month):
            fields["month"] = [
                _("{name} không là thành viên trong tháng {m} (tham gia {j}{left}).").format(
                    name=member.full_name,
                    m=payment.month.strftime("%m/%Y"),
                    j=vn_date(member.joined_on),
                    left=_(", thôi {d}").format(d=vn_date(member.left_on)) if member.left_on else "",
                )
            ]
    if payment.paid_on and payment.paid_on > timezone.localdate():
        fields["paid_on"] = [_("Ngày chi {d} ở tương lai.").format(d=vn_date(payment.paid_on))]
    refuse_if_any(fields)


def allowance_save(*, actor, instance, data) -> AllowancePayment:
    return save_record(
        actor=actor,
        instance=instance,
        model=AllowancePayment,
        data=data,
        perm="grassroots.change_allowancepayment",
        denied=_("Bạn không có quyền cập nhật chi trả chế độ."),
        validate=_check_allowance,
    )
