"""Administrators edit form definitions at /reference/ (#6); versions in use are frozen."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from cax.core.models import ChangeLog
from cax.reports.models import FormVersion, ValidationRule
from cax.reports.tests.factories import DAILY, form, submit

DAY = dt.date(2026, 11, 10)


def _version():
    return FormVersion.objects.filter(form=form(DAILY)).order_by("number").first()


def test_forms_and_versions_listed_for_administrators(cast, login):
    client = login(cast.admin)
    assert client.get(reverse("reference:reports_reportform_changelist")).status_code == 200
    assert client.get(reverse("reference:reports_formversion_change", args=[_version().pk])).status_code == 200
    assert login(cast.province_staff).get(reverse("reference:reports_formversion_changelist")).status_code == 302


def test_version_in_use_is_frozen_and_copied_as_a_new_version(cast, login):
    submit(cast, cast.commune_a, DAY)
    version = _version()
    client = login(cast.admin)
    url = reverse("reference:reports_formversion_change", args=[version.pk])
    assert client.post(url, {"due_days": "3"}).status_code == 403
    response = client.post(
        reverse("reference:reports_formversion_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [version.pk]},
        follow=True,
    )
    assert response.status_code == 200
    new = FormVersion.objects.filter(form=version.form).order_by("-number").first()
    assert new.pk != version.pk
    assert new.valid_from > version.valid_from
    assert new.items.count() == version.items.count()
    assert new.rules.count() == version.rules.count()
    assert set(new.reporting_unit_types.all()) == set(version.reporting_unit_types.all())
    assert ChangeLog.objects.filter(object_type="reports.formversion", object_id=str(new.pk)).exists()


def test_rule_naming_an_unknown_indicator_is_refused(cast):
    import pytest
    from django.core.exceptions import ValidationError

    rule = ValidationRule(version=_version(), left="khong_co", operator="<=", right="tngt_vu", message="x")
    with pytest.raises(ValidationError, match="khong_co"):
        rule.full_clean()
    rule = ValidationRule(version=_version(), left="tngt_chet +", operator="<=", right="tngt_vu", message="x")
    with pytest.raises(ValidationError):
        rule.full_clean()
