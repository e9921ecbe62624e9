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

# Periodic reports (#6): officers fill in, the chief signs and sends, the upper level reviews.
VIEW_REPORTS = "reports.view_submission"
CHANGE_REPORTS = "reports.change_submission"
SUBMIT_REPORTS = "reports.submit_submission"
APPROVE_REPORTS = "reports.approve_submission"
IMPORT_REPORT_VALUES = "reports.import_value"
ISSUE_REPORTS = "reports.add_issuedreport"
VIEW_ISSUED_REPORTS = "reports.view_issuedreport"
_REVIEW_REPORTS = frozenset({APPROVE_REPORTS, ISSUE_REPORTS})

# Everyone reads the staffing picture of their own subtree; province personnel staff keep it.
_READ = frozenset({VIEW_UNITS, VIEW_OFFICERS, VIEW_POSTINGS, *VIEW_PARTY, VIEW_REPORTS, VIEW_ISSUED_REPORTS})
_KEEP_STAFFING = frozenset({CHANGE_OFFICERS, CHANGE_POSTINGS, *CHANGE_PARTY, VIEW_PLANS, CHANGE_PLANS})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: _READ
    | _KEEP_STAFFING
    | _REVIEW_REPORTS
    | {CHANGE_UNITS, VIEW_USERS, CHANGE_USERS, VIEW_CHANGELOG, VIEW_CASES, IMPORT_REPORT_VALUES},
    Role.MINISTRY_LEADER: _READ | {VIEW_CASES, ISSUE_REPORTS},
    Role.PROVINCE_LEADER: _READ | _REVIEW_REPORTS | {VIEW_CASES, VIEW_PLANS},
    Role.PROVINCE_STAFF: _READ | _KEEP_STAFFING | _REVIEW_REPORTS | {CHANGE_UNITS, IMPORT_REPORT_VALUES},
    Role.DEPARTMENT_STAFF: _READ | _CASE_WORK,
    Role.COMMUNE_CHIEF: _READ | _CASE_WORK | {CHANGE_REPORTS, SUBMIT_REPORTS},
    Role.COMMUNE_OFFICER: _READ | _CASE_WORK | {CHANGE_REPORTS},
    Role.AUDITOR: _READ | {VIEW_USERS, VIEW_CHANGELOG, VIEW_CASES, VIEW_IDENTITY_LOG, VIEW_PLANS},
}
