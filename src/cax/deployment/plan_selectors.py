"""Reads for the planner's pages: scoped lists and the result as a user reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cax.core.exceptions import NotVisible
from cax.core.text import matching_words
from cax.deployment import optimizer as opt
from cax.deployment import plan_texts
from cax.deployment.models import PlanAssignment, PlanScenario, PostingRole
from cax.deployment.planning import Loaded, is_stale, load, plan_of


def scenario_list(*, actor: Any, q: str = "", status: str = "") -> QuerySet[PlanScenario]:
    queryset = PlanScenario.objects.visible_to(actor).select_related("unit", "created_by")
    queryset = matching_words(queryset, q)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-pk")


def scenario_get(*, actor: Any, pk: int) -> PlanScenario:
    scenario = PlanScenario.objects.visible_to(actor).select_related("unit", "created_by", "approved_by").filter(pk=pk)
    scenario = scenario.first()
    if scenario is None:
        raise NotVisible(_("Không tìm thấy phương án."))
    return scenario


def assignment_list(
    *, scenario: PlanScenario, q: str = "", unit_id: int | None = None, changes_only: bool = False
) -> QuerySet[PlanAssignment]:
    """The scenario's rows; the scenario was fetched through ``visible_to`` by the caller."""
    queryset = scenario.assignments.select_related("officer", "unit", "current_unit")
    queryset = matching_words(queryset, q, field="officer__search_key")
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    rows = queryset.order_by("unit__path", "-role", "officer__full_name", "pk")
    if changes_only:
        rows = [a for a in rows if a.is_change]
    return rows


@dataclass
class UnitLine:
    unit_id: int
    name: str
    minimum: int
    maximum: int
    kept: int
    planned: int = 0
    chief: str = ""
    investigators: int = 0
    min_investigators: int = 0
    languages: list[str] = field(default_factory=list)
    speaker: bool = False

    @property
    def head_count(self) -> int:
        return self.kept + self.planned

    @property
    def ok(self) -> bool:
        return self.minimum <= self.head_count <= self.maximum


@dataclass
class PlanView:
    loaded: Loaded
    units: list[UnitLine]
    findings: list[tuple[str, str]]
    violations: list[str]
    compare: list[tuple[str, Any, Any, Any]]


# Lazy: makemessages extracts them (a bare tuple of strings never reached the catalog).
COMPARE_ROWS = (
    ("officers", gettext_lazy("Số cán bộ được bố trí")),
    ("total_km", gettext_lazy("Tổng khoảng cách đến nơi ở (km)")),
    ("cost", gettext_lazy("Tổng chi phí")),
    ("below_minimum", gettext_lazy("Đơn vị dưới mức tối thiểu")),
    ("above_maximum", gettext_lazy("Đơn vị vượt mức tối đa")),
    ("without_chief", gettext_lazy("Đơn vị không có Trưởng")),
    ("without_investigator", gettext_lazy("Đơn vị thiếu điều tra viên")),
    ("without_speaker", gettext_lazy("Đơn vị vùng dân tộc không có người biết tiếng")),
    ("hardship_far", gettext_lazy("Cán bộ hoàn cảnh khó khăn ở xa quá giới hạn")),
    ("moves", gettext_lazy("Số lần điều động")),
)


def plan_view(scenario: PlanScenario) -> PlanView:
    """Everything the result page shows, in a fixed number of queries whatever the plan's size."""
    loaded = load(scenario)
    names = {pk: u.name for pk, u in loaded.units.items()}
    officer_names = {pk: o.full_name for pk, o in loaded.officers.items()}
    findings = [
        plan_texts.finding_text(f["code"], f["detail"], names.get(f["place"], ""))
        for f in scenario.result.get("findings", [])
    ]
    plan = plan_of(scenario) if scenario.result.get("compare") else []
    violations = [
        plan_texts.violation_text(v.code, v.detail, names.get(v.place, ""), officer_names.get(v.officer, ""))
        for v in (opt.check(loaded.problem, plan) if plan else [])
    ]
    lines = {
        p.key: UnitLine(
            p.key,
            names.get(p.key, ""),
            p.minimum,
            p.maximum,
            p.kept,
            investigators=p.kept_investigators,
            min_investigators=p.min_investigators,
            languages=sorted(loaded.language_names.get(x, x) for x in p.languages),
            speaker=p.kept_speaker,
        )
        for p in loaded.problem.places
    }
    kept_chiefs = _kept_chiefs(loaded)
    officers = {o.key: o for o in loaded.problem.officers}
    places = {p.key: p for p in loaded.problem.places}
    for a in plan:
        line = lines.get(a.place)
        if line is None:
            continue
        officer = officers.get(a.officer)
        line.planned += 1
        if a.role == opt.CHIEF:
            line.chief = officer_names.get(a.officer, "")
        if officer is not None:
            line.investigators += officer.investigator
            line.speaker |= bool(officer.languages & places[a.place].languages)
    for key, name in kept_chiefs.items():
        if key in lines and not lines[key].chief:
            lines[key].chief = name
    compare = []
    figures = scenario.result.get("compare", {})
    if figures:
        for key, label in COMPARE_ROWS:
            compare.append(
                (str(label), figures["current"].get(key), figures["greedy"].get(key), figures["plan"].get(key))
            )
    return PlanView(loaded, sorted(lines.values(), key=lambda line: line.name), findings, violations, compare)


def _kept_chiefs(loaded: Loaded) -> dict[int, str]:
    pool = {o.key for o in loaded.problem.officers}
    chiefs = {}
    for officer_id, posting in loaded.current.items():
        if officer_id not in pool and posting.role == PostingRole.CHIEF:
            chiefs[posting.unit_id] = loaded.officers[officer_id].full_name
    return chiefs


def progress(scenario: PlanScenario) -> dict:
    return {"stale": is_stale(scenario), "percent": scenario.progress, "step": scenario.progress_text}
