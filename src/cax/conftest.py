"""Fixtures for every app's tests: the official unit tree, loaded once per session, and the cast."""

from __future__ import annotations

import pytest
from hypothesis import settings

from cax.core.testing.cast import Cast, build_cast

# No deadline on any property test: a time limit in a unit test fails on a loaded machine and
# measures nothing (speed targets live in bench/); each test's own settings still set its examples.
settings.register_profile("cax", deadline=None)
settings.load_profile("cax")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Loads today's official tree once into the test database (Data Hub's reference fixtures).

    Tests then run in transactions that roll back, so the tree is shared and never rebuilt. Under
    pytest-xdist each worker is its own session with its own database (pytest-django suffixes the
    name: test_cax_gw0, …; SQLite's is in memory), so each worker loads the tree once. The
    transactional tests that flush it run after the others on every worker, as pytest-django orders
    them and xdist's default `load` scheduling hands tests out in that order (docs/decisions/0007).
    """
    from cax.reports.standard import load_standard_forms
    from cax.units.official import load_official_units

    with django_db_blocker.unblock():
        load_official_units()
        load_standard_forms()


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture
def login(client):
    """Signs the test client in as a user and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Vietnamese): a page requested in English by an
    earlier test must not leave its language active for the next one."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
