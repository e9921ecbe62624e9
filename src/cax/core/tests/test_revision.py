import datetime as dt

import pytest

from cax.core import revision
from cax.deployment.selectors import staffing_summary
from cax.deployment.services import posting_create
from cax.personnel.choices import Rank, Sex
from cax.personnel.services import officer_upsert
from cax.units.services import unit_update

DAY = dt.date(2025, 8, 1)

# These tests use no cast: creating users would schedule the transaction's one revision bump
# before django_capture_on_commit_callbacks starts watching.


@pytest.fixture
def units(db):
    from cax.units.models import Unit

    return {
        code: Unit.objects.select_related("unit_type", "parent").get(code=code, valid_to__isnull=True)
        for code in ("51", "23500", "23293")
    }


@pytest.fixture
def figures_cache(settings):
    settings.CAX_FIGURES_CACHE_SIZE = 4
    revision.clear()
    yield
    revision.clear()


def _new_officer(number: str, unit):
    officer, _action = officer_upsert(
        actor=None, service_number=number, full_name="Lê Văn Thử", sex=Sex.MALE, rank=Rank.CAPTAIN, unit=unit
    )
    return officer


def test_a_committed_posting_shows_at_once_despite_the_cache(units, figures_cache, django_capture_on_commit_callbacks):
    assert staffing_summary(actor=None, unit=units["51"], as_of=DAY).head_count == 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        posting_create(actor=None, officer=_new_officer("77000001", units["51"]), unit=units["23500"], start_date=DAY)
    assert len(callbacks) == 1
    assert staffing_summary(actor=None, unit=units["51"], as_of=DAY).head_count == 1


def test_figures_are_reused_until_a_write_commits(units, figures_cache, django_capture_on_commit_callbacks):
    first = staffing_summary(actor=None, unit=units["51"], as_of=DAY)
    assert staffing_summary(actor=None, unit=units["51"], as_of=DAY) is first
    with django_capture_on_commit_callbacks(execute=False):
        unit_update(actor=None, unit=units["23293"], population=1234)
    # Not committed yet: no reader may see the write, so the cached figures stand.
    assert staffing_summary(actor=None, unit=units["51"], as_of=DAY) is first


def test_one_transaction_bumps_the_revision_once_however_many_writes(units, django_capture_on_commit_callbacks):
    before = revision.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for population in (1, 2, 3):
            unit_update(actor=None, unit=units["23293"], population=population)
    assert len(callbacks) == 1
    assert revision.current() == before + 1


def test_cached_tree_counts_follow_a_committed_unit(units, figures_cache, django_capture_on_commit_callbacks):
    from cax.units.models import Unit, UnitType
    from cax.units.services import unit_create

    def counts():
        province = Unit.objects.with_tree_counts().get(pk=units["51"].pk)
        return province.child_count, province.commune_count

    before = counts()
    assert before == (Unit.objects.current().filter(parent=units["51"]).count(), before[1])
    assert before[1] == Unit.objects.current().commune_level().in_subtree(units["51"]).count()
    with django_capture_on_commit_callbacks(execute=True):
        unit_create(
            actor=None,
            code="99999",
            name="Xã Thử Nghiệm",
            unit_type=UnitType.objects.get(code=units["23500"].unit_type.code),
            parent=units["51"],
        )
    assert counts() == (before[0] + 1, before[1] + 1)
