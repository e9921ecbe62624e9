"""The seeded categories and rules (migration 0002) as the clock reads them from the database."""

from __future__ import annotations

import datetime as dt

import pytest

from cax.core.registry import registry
from cax.supervision import clock, deadlines
from cax.supervision.models import Category, Rule

pytestmark = pytest.mark.django_db

CATEGORIES = {
    "an_treo", "ctkgg", "hoan_tu", "tha_tu_dk", "tai_hoa_nhap", "giao_duc_xa", "ma_tuy", "sau_cai_nghien",
    "cam_di_khoi",
}  # fmt: skip


def test_every_category_of_the_issue_is_seeded_with_its_basis_and_supervisor():
    categories = {c.code: c for c in Category.objects.all()}
    assert set(categories) == CATEGORIES
    for category in categories.values():
        assert category.legal_basis
        assert category.supervising_body
        assert category.dossier_items


def test_every_rule_has_a_basis_and_the_july_2026_regime_is_a_version_of_its_own():
    assert not Rule.objects.filter(legal_basis="").exists()
    rules = clock.engine_rules()
    assert deadlines.handover_due(
        dt.datetime(2026, 7, 2, 8, tzinfo=dt.UTC), category="ma_tuy", rules=rules, calendar=clock.calendar()
    ) == dt.datetime(2026, 7, 3, 8, tzinfo=dt.UTC)
    before = deadlines.rule_in_force(rules, "ma_tuy", "residence_check", dt.date(2026, 6, 30))
    after = deadlines.rule_in_force(rules, "ma_tuy", "residence_check", dt.date(2026, 7, 1))
    assert before.effective_to == dt.date(2026, 6, 30)
    assert after.effective_from == dt.date(2026, 7, 1)


def test_figures_not_read_in_the_law_are_flagged_unverified():
    report = Rule.objects.get(category__code="an_treo", code="report")
    assert not report.verified
    assert report.note
    assert Rule.objects.get(category__code="ctkgg", code="custody_credit").verified


def test_categories_and_rules_are_edited_at_the_reference_site():
    models = {r.model for r in registry.reference}
    assert {"supervision.Category", "supervision.Rule"} <= models
