"""The home page's staffing lines (issue 17): the province's units below the norm and without a
chief, as the staffing page lists them; the ministry's national figures with their trend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cax.core.todo import FIGURE, LATE, trend_days
from cax.deployment import todo
from cax.deployment.models import PostingRole
from cax.deployment.tests.factories import START, posted

pytestmark = pytest.mark.django_db


def test_the_province_lines_count_the_rows_of_the_staffing_page(cast, login):
    for _ in range(12):
        posted(cast.commune_a)  # Đăk Hà at the norm of 12 …
    posted(cast.commune_b, role=PostingRole.CHIEF)  # … Kon Tum below it, with a chief
    below, chiefless = todo.todo(actor=cast.province_leader, now=timezone.now())
    assert below.severity == LATE
    page = login(cast.province_leader).get(below.url.split("#")[0]).context["summary"]
    assert below.count == len(page.below_norm)
    assert cast.commune_a.code not in {u.code for u in page.below_norm}
    assert chiefless.count == len(page.without_chief)
    assert cast.commune_b.code not in {u.code for u in page.without_chief}
    assert (below.url.endswith("#below-norm"), chiefless.url.endswith("#without-chief")) == (True, True)


def test_the_ministry_sees_national_figures_with_a_month_and_a_year_ago(cast):
    today = timezone.localdate()
    month_ago, year_ago = trend_days(today)
    assert year_ago >= START  # the official tree's first day: the year-ago column still counts units
    posted(cast.commune_a, start=year_ago - dt.timedelta(days=1))
    posted(cast.commune_a, start=month_ago - dt.timedelta(days=1))
    posted(cast.commune_c, start=today)
    coverage, officers, cells = todo.todo(actor=cast.ministry_leader, now=timezone.now())
    assert {line.severity for line in (coverage, officers, cells)} == {FIGURE}
    assert officers.figure == "3"
    assert [value for _when, value in officers.trend] == ["2", "1"]
    assert [when for when, _value in officers.trend] == [month_ago.strftime("%d/%m/%Y"), year_ago.strftime("%d/%m/%Y")]
    assert coverage.detail.startswith("2/")
    assert todo.todo(actor=cast.commune_officer, now=timezone.now()) == []
