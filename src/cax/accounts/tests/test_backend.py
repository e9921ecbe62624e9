"""Permissions behind Django's API (issue 15.4): ``user.has_perm`` answers from the role table, and
with an object from the unit scope; templates ask the same; each app's policy turns a rule the
services enforce into the yes/no a page shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from cax.accounts.roles import ROLE_PERMISSIONS, Role
from cax.core.exceptions import NotVisible, PermissionDenied
from cax.core.policy import allows, require
from cax.core.testing.cast import make_user

pytestmark = pytest.mark.django_db


def test_has_perm_without_an_object_is_the_role_table(cast):
    for role in Role.values:
        user = cast.by_role(role)
        for perm in (
            "cases.change_case",
            "deployment.change_posting",
            "core.view_changelog",
            "reports.approve_submission",
        ):
            assert user.has_perm(perm) == (perm in ROLE_PERMISSIONS[role]), (role, perm)


def test_has_perm_with_an_object_also_needs_it_in_the_scope(cast):
    chief = cast.commune_chief  # Xã Đăk Hà: may record crime reports in their commune only
    assert chief.has_perm("cases.change_case", cast.commune_a)
    assert not chief.has_perm("cases.change_case", cast.commune_b)  # the neighbour
    assert not chief.has_perm("cases.change_case", cast.province_a)  # the province above
    # Scope never grants a right the role lacks.
    assert not chief.has_perm("deployment.change_posting", cast.commune_a)


def test_an_object_reached_through_another_follows_its_owner(cast):
    from cax.deployment.tests.factories import officer

    posted_here = officer(cast.commune_a)
    assert cast.province_staff.has_perm("personnel.change_officer", posted_here)
    assert not cast.commune_c_officer.has_perm("personnel.view_officer", posted_here)


def test_an_inactive_user_has_no_permission(cast):
    cast.admin.is_active = False
    assert not cast.admin.has_perm("units.view_unit")
    assert not cast.admin.has_module_perms("units")
    assert cast.admin.get_all_permissions() == set()


def test_module_perms_and_all_permissions_come_from_the_role(cast):
    officer = cast.commune_officer
    assert officer.has_module_perms("cases")
    assert not officer.has_module_perms("core")  # the change log is for auditors and administrators
    assert officer.get_all_permissions() == set(ROLE_PERMISSIONS[Role.COMMUNE_OFFICER])
    assert officer.get_all_permissions(cast.commune_b) == set()


def test_templates_ask_the_same_questions(cast):
    template = Template(
        "{% if perms.cases.change_case %}ghi{% endif %}|"
        "{% has_perm 'cases.change_case' here as here_ok %}{% has_perm 'cases.change_case' there as there_ok %}"
        "{{ here_ok }}/{{ there_ok }}"
    )
    from django.contrib.auth.context_processors import PermWrapper

    for user, expected in ((cast.commune_chief, "ghi|True/False"), (cast.auditor, "|False/False")):
        context = Context({"user": user, "perms": PermWrapper(user), "here": cast.commune_a, "there": cast.commune_b})
        assert template.render(context) == expected


def test_require_refuses_with_the_reason_or_a_404_and_allows_turns_it_into_a_button(cast):
    with pytest.raises(PermissionDenied, match="không có quyền"):
        require(cast.auditor, "cases.change_case", "Bạn không có quyền ghi sổ.")
    with pytest.raises(NotVisible):
        require(cast.commune_chief, "cases.change_case", "Bạn không có quyền ghi sổ.", cast.commune_b)
    require(None, "cases.change_case", "…")  # the system (commands, demo loads) may
    assert allows(require, cast.commune_chief, "cases.change_case", "…", cast.commune_a)
    assert not allows(require, cast.commune_chief, "cases.change_case", "…", cast.commune_b)


def test_review_belongs_to_the_upper_level_only(cast):
    from cax.reports import policy

    assert policy.can_review(cast.province_staff, cast.commune_a)
    assert not policy.can_review(cast.province_staff, cast.province_a)  # its own unit's report
    assert not policy.can_review(cast.commune_chief, cast.commune_a)  # a commune never reviews itself
    assert not policy.can_review(cast.province_staff, cast.commune_c)  # another province


def test_the_entry_page_shows_what_the_services_allow(cast):
    """A draft of the commune: the officer edits but does not send, the chief sends, the province
    reviews; nobody edits it once sent."""
    from cax.reports import policy, services
    from cax.reports.tests.factories import DAILY, form

    report_form = form(DAILY)
    period = report_form.period_of(timezone.localdate())
    draft = services.submission_open(actor=cast.commune_officer, form=report_form, unit=cast.commune_a, period=period)
    now = timezone.now()
    assert policy.can_edit(cast.commune_officer, draft, now)
    assert not policy.can_submit(cast.commune_officer, draft, now)
    assert policy.can_submit(cast.commune_chief, draft, now)
    assert not policy.can_edit(cast.province_staff, draft, now)  # the upper level reads and reviews
    assert not policy.can_edit(cast.commune_c_officer, draft, now)  # another commune's officer
    draft.status = "submitted"
    assert not policy.can_edit(cast.commune_chief, draft, now)
    later = now + dt.timedelta(days=400)
    draft.status = "draft"
    assert not policy.can_edit(cast.commune_chief, draft, later)  # locked long after the period


def test_petition_actions_follow_both_units_of_a_request(cast):
    from cax.core.testing.units import make_department
    from cax.petitions import policy
    from cax.petitions import services as petitions
    from cax.petitions.registers import PETITIONS

    department = make_department(cast.province_a)
    petition = PETITIONS.save(
        actor=None,
        instance=None,
        data={"unit": cast.commune_a, "raised_on": timezone.localdate(), "topic": "staffing", "text": "Thiếu"},
    )
    petitions.petition_assign(actor=None, petition=petition, department=department, due_on=timezone.localdate())
    staff_of_department = make_user("phong.pv01", Role.DEPARTMENT_STAFF, department)
    assert policy.can_answer(staff_of_department, petition)  # what was given to their department
    assert not policy.can_assign(staff_of_department, petition)
    assert policy.can_remind(cast.province_staff, petition)
    assert not policy.can_answer(cast.commune_c_officer, petition)


def test_the_request_factory_user_sees_the_menu_the_role_allows(cast):
    from cax.core.context_processors import navigation

    request = RequestFactory().get("/")
    request.user = cast.commune_officer
    labels = [str(label) for label, _url in navigation(request)["menu"]]
    assert "Tin báo, tố giác" in labels
    assert "Phương án bố trí" not in labels
    request.user = cast.province_staff
    assert "Phương án bố trí" in [str(label) for label, _url in navigation(request)["menu"]]
