"""The demo week, counted by hand, is what the figures page, the tile, the API and the monthly
report's section VII say; the demo breaks no rule of the audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cax.core.audit import violations
from cax.procedures import demo, selectors
from cax.procedures.models import Declaration, Dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(cast):
    demo.load_demo(province=cast.province_a)
    # From the week's Monday to today: the dossiers resolved after their week count too.
    return demo.week_start(timezone.localdate()), timezone.localdate()


def test_the_demo_week_has_the_hand_counted_figures(cast, week):
    first, last = week
    f = selectors.figures(actor=cast.commune_chief, unit=cast.commune_a, first=first, last=last)
    # demo.WEEK by hand: 12 received; 5 online (portal ×3, VNeID ×2); 11 resolved, of which 9 on
    # time (the tạm trú of Tuesday and the thường trú of Wednesday late, the latter with a slip);
    # the Thursday "điều chỉnh" still open, past its 3 working days.
    assert (f.received, f.online, f.resolved, f.on_time, f.overdue, f.apologies) == (12, 5, 11, 9, 1, 1)
    assert f.on_time_rate == 81.8
    assert f.online_share == 41.7
    # demo.NOTICES: 7, the lưu trú at 23:30 and the foreigner's after 14 hours late.
    assert (f.declarations, f.late_declarations) == (7, 2)


def test_a_province_leader_sees_the_same_figures_but_no_dossier(cast, week):
    first, last = week
    f = selectors.figures(actor=cast.province_leader, unit=cast.province_a, first=first, last=last)
    assert (f.received, f.on_time, f.resolved) == (12, 9, 11)
    assert not Dossier.objects.visible_to(cast.province_leader).exists()
    assert not Declaration.objects.visible_to(cast.province_leader).exists()


def test_loading_the_demo_twice_adds_nothing(cast, week):
    demo.load_demo(province=cast.province_a)
    assert Dossier.objects.count() == len(demo.WEEK)


def test_the_demo_obeys_the_audit(week):
    assert [str(v) for v in violations() if "thủ tục" in v.rule or "lưu trú" in v.rule] == []


def test_the_audit_finds_a_due_time_written_around_the_clock(cast, week):
    dossier = Dossier.objects.filter(resolved_at__isnull=True).first()
    Dossier.objects.filter(pk=dossier.pk).update(due_at=dossier.due_at + dt.timedelta(days=3))
    found = [v for v in violations() if v.rule == "hồ sơ thủ tục hành chính"]
    assert len(found) == 1
    assert "theo quy tắc" in found[0].message


def test_the_monthly_report_is_prefilled_from_the_desk(cast, week):
    from cax.reports import prefill

    first, last = week
    unit_ids = [cast.commune_a.pk]
    values = {
        code: prefill.compute(code, unit_ids, first, last)[cast.commune_a.pk]
        for code in ("procedures_received", "procedures_resolved", "procedures_on_time", "procedures_online")
    }
    assert values == {
        "procedures_received": 12,
        "procedures_resolved": 11,
        "procedures_on_time": 9,
        "procedures_online": 5,
    }
    # Section VII of the standard monthly form names these sources.
    from cax.reports.models import FormItem

    items = FormItem.objects.filter(
        version__form__code="bc-antt-thang",
        version__valid_from=dt.date(2025, 7, 1),
        indicator__code__startswith="tthc_",
    )
    assert {i.indicator.code: i.prefill_source for i in items} == {
        "tthc_tiep_nhan": "procedures_received",
        "tthc_truc_tuyen": "procedures_online",
        "tthc_giai_quyet": "procedures_resolved",
        "tthc_dung_han": "procedures_on_time",
        "tthc_qua_han": "procedures_overdue",
    }
    assert all(i.section.startswith("VII.") for i in items)
