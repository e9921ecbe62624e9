"""Roles and what each may do (docs/permissions.md mirrors this table).

Scope (which units) comes from the user's unit subtree; the role decides which actions apply.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")
    MINISTRY_LEADER = "ministry_leader", _("Lãnh đạo Bộ")
    PROVINCE_LEADER = "province_leader", _("Lãnh đạo Công an tỉnh")
    PROVINCE_STAFF = "province_staff", _("Cán bộ Phòng Tổ chức cán bộ tỉnh")
    DEPARTMENT_STAFF = "department_staff", _("Cán bộ phòng nghiệp vụ")
    COMMUNE_CHIEF = "commune_chief", _("Trưởng Công an xã")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ Công an xã")
    AUDITOR = "auditor", _("Kiểm tra, thanh tra")


VIEW_UNITS = "units.view_unit"
CHANGE_UNITS = "units.change_unit"
VIEW_USERS = "accounts.view_user"
CHANGE_USERS = "accounts.change_user"
VIEW_CHANGELOG = "core.view_changelog"
VIEW_SECURITY_LOG = "accounts.view_securityevent"
VIEW_OFFICERS = "personnel.view_officer"
CHANGE_OFFICERS = "personnel.change_officer"
VIEW_POSTINGS = "deployment.view_posting"
CHANGE_POSTINGS = "deployment.change_posting"
# The posting planner (#7): personnel staff build and approve plans; leaders and auditors read them.
VIEW_PLANS = "deployment.view_planscenario"
CHANGE_PLANS = "deployment.change_planscenario"
VIEW_PARTY = ("deployment.view_partycell", "deployment.view_committeeseat")
CHANGE_PARTY = ("deployment.change_partycell", "deployment.change_committeeseat")

VIEW_CASES = "cases.view_case"
CHANGE_CASES = "cases.change_case"
# Reporter identities: only the receiving commune and the handling (investigating) department.
VIEW_IDENTITY = "cases.view_identity"
VIEW_IDENTITY_LOG = "cases.view_identityaccess"
_CASE_WORK = frozenset({VIEW_CASES, CHANGE_CASES, VIEW_IDENTITY})

# The procedures desk (issue 18): the commune's officers run it and alone read the names it keeps;
# every level above sees its figures (counts), never a dossier or a name.
DESK_MODELS = ("procedures.dossier", "procedures.declaration")
COUNT_DESK = frozenset({"procedures.count_dossier", "procedures.count_declaration"})
VIEW_DESK_NAMES = "procedures.view_personaldata"
VIEW_DESK_NAME_LOG = "procedures.view_identityread"
_DESK_WORK = (
    frozenset(f"procedures.{action}_{model.split('.')[1]}" for action in ("view", "change") for model in DESK_MODELS)
    | COUNT_DESK
    | {VIEW_DESK_NAMES}
)

# Periodic reports (#6): officers fill in, the chief signs and sends, the upper level reviews.
VIEW_REPORTS = "reports.view_submission"
CHANGE_REPORTS = "reports.change_submission"
SUBMIT_REPORTS = "reports.submit_submission"
APPROVE_REPORTS = "reports.approve_submission"
IMPORT_REPORT_VALUES = "reports.import_value"
ISSUE_REPORTS = "reports.add_issuedreport"
VIEW_ISSUED_REPORTS = "reports.view_issuedreport"
_REVIEW_REPORTS = frozenset({APPROVE_REPORTS, ISSUE_REPORTS})


# The rest of the programme (#8). Permission names follow "<app>.<action>_<model>" because
# ``visible_to`` checks the view permission of each model it reads.
def _each(action: str, *models: str) -> frozenset[str]:
    return frozenset(f"{model.split('.')[0]}.{action}_{model.split('.')[1]}" for model in models)


GRASSROOTS_MODELS = ("grassroots.team", "grassroots.teammember", "grassroots.allowancepayment")
VIEW_GRASSROOTS = _each("view", *GRASSROOTS_MODELS, "grassroots.criteria")
CHANGE_GRASSROOTS = _each("change", *GRASSROOTS_MODELS)
CHANGE_GRASSROOTS_CRITERIA = "grassroots.change_criteria"  # the province's age range and team size
FACILITIES_MODELS = ("facilities.headquarters", "facilities.equipment", "facilities.equipmentevent")
VIEW_FACILITIES = _each("view", *FACILITIES_MODELS, "facilities.equipmentstandard")
CHANGE_FACILITIES = _each("change", *FACILITIES_MODELS)
CHANGE_EQUIPMENT_STANDARD = "facilities.change_equipmentstandard"
VIEW_PETITIONS = _each("view", "petitions.petition", "petitions.conference")
RAISE_PETITIONS = "petitions.change_petition"  # record a request raised by a unit
CHANGE_CONFERENCES = "petitions.change_conference"
ANSWER_PETITIONS = "petitions.answer_petition"  # answer on the spot, or as the assigned department
ASSIGN_PETITIONS = "petitions.assign_petition"  # hand a request to a provincial department
HONOURS_MODELS = ("honours.casualty", "honours.commendation", "honours.emulationcampaign")
VIEW_HONOURS = _each("view", *HONOURS_MODELS)
CHANGE_HONOURS = _each("change", *HONOURS_MODELS)
# The all-people movement (#19): commune police keep their commune's records, province staff all.
MOVEMENT_MODELS = (
    "movement.movementmodel",
    "movement.replicationpoint",
    "movement.modelevaluation",
    "movement.advancedexample",
    "movement.safetyregistration",
    "movement.criterionassessment",
    "movement.teamrating",
)
VIEW_MOVEMENT = _each("view", *MOVEMENT_MODELS)
CHANGE_MOVEMENT = _each("change", *MOVEMENT_MODELS)
VIEW_TRAINING = _each("view", "training.course", "training.participant")
CHANGE_TRAINING = _each("change", "training.course", "training.participant")
# Persons under local management (#18): names for the managing commune and the province department
# responsible for the category only; every other level reads counts (docs/supervision.md).
VIEW_SUPERVISION_NAMES = "supervision.view_supervisionfile"
VIEW_SUPERVISION_DEPARTMENT = "supervision.view_department_files"
CHANGE_SUPERVISION = "supervision.change_supervisionfile"
VIEW_SUPERVISION_FIGURES = "supervision.view_figures"
VIEW_SUPERVISION_ACCESS_LOG = "supervision.view_fileaccess"
_SUPERVISE = frozenset({VIEW_SUPERVISION_NAMES, CHANGE_SUPERVISION})
# Officers' regimes (issue 19): the rate rows and the area classification are read by everyone and
# kept by province personnel; what an officer is owed is personal data, read by personnel, leaders,
# the commune chief (their commune) and auditors.
REGIME_MODELS = ("regimes.entitlementrate", "regimes.areaclassification")
VIEW_REGIMES = _each("view", *REGIME_MODELS)
CHANGE_REGIMES = _each("change", *REGIME_MODELS)
VIEW_ENTITLEMENTS = "regimes.view_entitlement"
# The document library (#19.3): everyone reads what applies to them and acknowledges it; the
# ministry and the provinces' leaders, departments and staff publish; chiefs see who has not read.
VIEW_LIBRARY = "library.view_document"
PUBLISH_LIBRARY = "library.change_document"
ACKNOWLEDGE_LIBRARY = "library.add_acknowledgement"
VIEW_LIBRARY_UNREAD = "library.view_unread"
_LIBRARY_PUBLISH = frozenset({PUBLISH_LIBRARY, VIEW_LIBRARY_UNREAD})
VIEW_PAIRING = "pairing.view_pairing"
CHANGE_PAIRING = "pairing.change_pairing"
_READ_PROGRAMME = (
    VIEW_GRASSROOTS
    | VIEW_FACILITIES
    | VIEW_PETITIONS
    | VIEW_HONOURS
    | VIEW_MOVEMENT
    | VIEW_TRAINING
    | VIEW_REGIMES
    | {VIEW_PAIRING, VIEW_SUPERVISION_FIGURES, VIEW_LIBRARY, ACKNOWLEDGE_LIBRARY}
)
# Province staff keep the provincial records; commune police keep their own teams and equipment.
_KEEP_PROGRAMME = (
    CHANGE_GRASSROOTS
    | CHANGE_FACILITIES
    | CHANGE_HONOURS
    | CHANGE_MOVEMENT
    | CHANGE_TRAINING
    | CHANGE_REGIMES
    | {VIEW_ENTITLEMENTS}
    | {CHANGE_GRASSROOTS_CRITERIA, CHANGE_EQUIPMENT_STANDARD, RAISE_PETITIONS, CHANGE_CONFERENCES}
    | {ANSWER_PETITIONS, ASSIGN_PETITIONS, CHANGE_PAIRING}
)
_COMMUNE_PROGRAMME = CHANGE_GRASSROOTS | CHANGE_FACILITIES | CHANGE_MOVEMENT | {RAISE_PETITIONS}

# Everyone reads the staffing picture of their own subtree; province personnel staff keep it.
_READ = (
    frozenset({VIEW_UNITS, VIEW_OFFICERS, VIEW_POSTINGS, *VIEW_PARTY, VIEW_REPORTS, VIEW_ISSUED_REPORTS})
    | _READ_PROGRAMME
    | COUNT_DESK
)
_KEEP_STAFFING = frozenset({CHANGE_OFFICERS, CHANGE_POSTINGS, *CHANGE_PARTY, VIEW_PLANS, CHANGE_PLANS})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: _READ
    | _KEEP_STAFFING
    | _REVIEW_REPORTS
    | _KEEP_PROGRAMME
    | {CHANGE_UNITS, VIEW_USERS, CHANGE_USERS, VIEW_CHANGELOG, VIEW_SECURITY_LOG, VIEW_CASES, IMPORT_REPORT_VALUES}
    | {VIEW_SUPERVISION_ACCESS_LOG}
    | _LIBRARY_PUBLISH,
    Role.MINISTRY_LEADER: _READ | {VIEW_CASES, ISSUE_REPORTS, VIEW_ENTITLEMENTS} | _LIBRARY_PUBLISH,
    # Leaders answer requests at a conference and hand them to departments (seed 004).
    Role.PROVINCE_LEADER: _READ
    | _REVIEW_REPORTS
    | {
        VIEW_CASES,
        VIEW_PLANS,
        VIEW_ENTITLEMENTS,
        CHANGE_CONFERENCES,
        RAISE_PETITIONS,
        ANSWER_PETITIONS,
        ASSIGN_PETITIONS,
    }
    | _LIBRARY_PUBLISH,
    Role.PROVINCE_STAFF: _READ
    | _KEEP_STAFFING
    | _REVIEW_REPORTS
    | _KEEP_PROGRAMME
    | {CHANGE_UNITS, IMPORT_REPORT_VALUES}
    | _LIBRARY_PUBLISH,
    Role.DEPARTMENT_STAFF: _READ
    | _CASE_WORK
    | CHANGE_TRAINING
    | {ANSWER_PETITIONS, VIEW_SUPERVISION_DEPARTMENT}
    | _LIBRARY_PUBLISH,
    Role.COMMUNE_CHIEF: _READ
    | _CASE_WORK
    | _DESK_WORK
    | _COMMUNE_PROGRAMME
    | _SUPERVISE
    | {CHANGE_REPORTS, SUBMIT_REPORTS, VIEW_ENTITLEMENTS, VIEW_LIBRARY_UNREAD},
    Role.COMMUNE_OFFICER: _READ
    | _CASE_WORK
    | _DESK_WORK
    | CHANGE_GRASSROOTS
    | CHANGE_MOVEMENT
    | _SUPERVISE
    | {CHANGE_REPORTS},
    Role.AUDITOR: _READ
    | {VIEW_USERS, VIEW_CHANGELOG, VIEW_SECURITY_LOG, VIEW_CASES, VIEW_IDENTITY_LOG, VIEW_PLANS, VIEW_DESK_NAME_LOG}
    | {VIEW_ENTITLEMENTS}
    | {VIEW_SUPERVISION_ACCESS_LOG, VIEW_LIBRARY_UNREAD},
}
