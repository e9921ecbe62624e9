"""What the apps register for the shared pages (issue 15.2): every entry resolves, and core names no app."""

from __future__ import annotations

import ast
import pathlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import import_string

from cax.core.reference_admin import site
from cax.core.registry import registry

pytestmark = pytest.mark.django_db

CORE = pathlib.Path(__file__).resolve().parents[1]
APPS = {"units", "accounts", "api", "cases", "deployment", "reports", "personnel"} | {
    "grassroots",
    "facilities",
    "petitions",
    "honours",
    "training",
    "pairing",
}


# The API's plumbing sits with core (.importlinter): the one error shape, pagination, Idempotency-Key.
PLUMBING = {"cax.api.errors", "cax.api.idempotency", "cax.api.pagination"}


def _app_imports(path: pathlib.Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
        found += [n for n in names if n.split(".")[:2][-1] in APPS and n.startswith("cax.") and n not in PLUMBING]
    return found


def test_core_imports_no_app_outside_its_tests():
    offenders = {}
    for path in CORE.rglob("*.py"):
        relative = path.relative_to(CORE).parts
        # Tests and test helpers build real users and units.
        if relative[0] in ("tests", "testing", "migrations"):
            continue
        if names := _app_imports(path):
            offenders[str(path.relative_to(CORE))] = names
    assert offenders == {}


def test_every_menu_entry_resolves_and_every_module_has_one(cast):
    names = {entry.url_name for entry in registry.menu}
    for entry in registry.menu:
        reverse(entry.url_name, args=[cast.root.pk] if entry.with_unit else [])
    modules = {name.split(":")[0] for name in names if ":" in name}
    assert {"grassroots", "facilities", "petitions", "honours", "training", "pairing"} <= modules


def test_the_menu_shows_what_the_role_may_open(cast, login):
    officer = login(cast.commune_officer).get(reverse("units:list")).content.decode()
    assert reverse("grassroots:team_list") in officer
    assert reverse("plans:list") not in officer  # planning is for personnel staff
    staff = login(cast.province_staff).get(reverse("units:list")).content.decode()
    assert reverse("plans:list") in staff


def test_every_unit_link_tile_provider_demo_loader_and_import_resolves(cast):
    for link in registry.unit_links:
        reverse(link.url_name, args=[cast.commune_a.pk] if link.by == "pk" else [])
    for contribution in (*registry.tiles, *registry.demo_loaders):
        assert callable(import_string(contribution.dotted))
    for kind in registry.imports:
        assert import_string(kind.columns)
        assert callable(import_string(kind.importer))
    assert {k.kind for k in registry.imports_of("officers")} == {
        "officers",
        "postings",
        "party_cells",
        "committee_seats",
    }


def test_every_search_source_resolves(cast):
    """Each source of the one search (issue 19.5) names a model and its document, or a searcher;
    its kind is unique and its URL opens an object."""
    from django.apps import apps

    kinds = [s.kind for s in registry.search]
    assert len(kinds) == len(set(kinds))
    assert {"units", "officers", "cases", "petitions", "teams", "persons"} <= set(kinds)
    for source in registry.search:
        if source.searcher:
            assert callable(import_string(source.searcher))
            assert not source.model
            continue
        assert apps.get_model(source.model)
        assert callable(import_string(source.document))
        assert reverse(source.url_name, args=[1])


def test_every_registered_reference_model_is_on_the_reference_site():
    models = {apps.get_model(entry.model) for entry in registry.reference}
    assert models <= set(site._registry)
    assert len(models) == len(registry.reference) == 21


def test_registering_twice_adds_nothing():
    before = list(registry.menu)
    apps.get_app_config("grassroots").ready()
    assert registry.menu == before
