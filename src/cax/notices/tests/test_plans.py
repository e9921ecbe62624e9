"""A posting plan that has been run and waits for approval tells whoever may approve it (issue 19.4)."""

from __future__ import annotations

import pytest

from cax.deployment.models import PlanStatus
from cax.deployment.tests.test_planning import create, pool, run, small_norm  # noqa: F401
from cax.notices.models import Notice

pytestmark = pytest.mark.django_db


def test_a_plan_ready_tells_the_planners_of_its_unit_and_above(cast, pool, django_capture_on_commit_callbacks):  # noqa: F811
    scenario = run(create(cast), django_capture_on_commit_callbacks, cast.province_staff)
    assert scenario.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE)
    told = set(Notice.objects.filter(kind="deployment.plan_ready").values_list("user_id", flat=True))
    # Administrators (top level) and the province's personnel staff may approve; leaders only read.
    assert told == {cast.admin.pk, cast.province_staff.pk}
    assert Notice.objects.filter(kind="deployment.plan_ready").first().url == f"/plans/{scenario.pk}/"
