"""What the apps contribute to the pages every app shares (issue 15.2): the menu, the overview's tiles
and its links to the registers, the reference data editors, file imports, parts of one app's page
that another adds, and the demo loaders.

Core knows no app: each app fills this registry from its ``AppConfig.ready()`` and core's pages read
it. Entries name code by dotted path or URL name, so registering imports nothing and a renamed target
fails the tests that walk the registry (``core/tests/test_registry.py``), not a user's page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import pgettext_lazy

# The menu's groups, in the bar's order (issue 17.4). Fixed: an app files its entries under one of
# these, it does not invent a seventh (the bar must stay on one line at 1366 px).
MENU_GROUPS: dict[str, Any] = {
    "personnel": pgettext_lazy("nhóm menu", "Cán bộ"),
    "operations": pgettext_lazy("nhóm menu", "Nghiệp vụ"),
    "reports": pgettext_lazy("nhóm menu", "Báo cáo"),
    "movement": pgettext_lazy("nhóm menu", "Phong trào"),
    "logistics": pgettext_lazy("nhóm menu", "Hậu cần"),
    "admin": pgettext_lazy("nhóm menu", "Quản trị"),
}


@dataclass(frozen=True)
class MenuEntry:
    """One link of the top menu, in ``group`` (a key of ``MENU_GROUPS``; empty: a link of its own on
    the bar). ``with_unit``: the URL takes the user's unit id (their own page). ``when``: dotted path of
    ``(user) -> bool`` for a rule the role table does not express (the /reference/ site's). ``covers``:
    URL names (``fnmatch`` patterns, "namespace:name") whose pages belong to this module, for the
    breadcrumbs and the current mark; default: the entry's whole namespace."""

    label: Any
    url_name: str
    perm: str = ""  # shown only to users who have it; the page re-checks on its own
    with_unit: bool = False
    order: int = 100
    group: str = ""
    when: str = ""
    covers: tuple[str, ...] = ()

    def patterns(self) -> tuple[str, ...]:
        if self.covers:
            return self.covers
        namespace, _sep, _name = self.url_name.rpartition(":")
        return (f"{namespace}:*",) if namespace else (self.url_name,)


@dataclass(frozen=True)
class UnitLink:
    """A link from a unit's overview to a page about its subtree: ``by="pk"`` puts the unit's id in
    the URL, ``by="code"`` adds ``?unit=<code>`` (the registers' subtree filter). ``section`` is
    ``"pages"`` (beside the breadcrumbs) or ``"registers"`` (the list of registers)."""

    label: Any
    url_name: str
    by: str = "code"
    section: str = "registers"
    applies: Callable[[Any], bool] | None = None  # (unit) → whether the link makes sense for it
    order: int = 100


@dataclass(frozen=True)
class ReferenceModel:
    """A model edited at /reference/: ``model`` is "app_label.ModelName", ``admin`` the dotted path
    of its ModelAdmin (core's change-logged one when empty), ``options`` that admin's attributes."""

    model: str
    admin: str = ""
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ImportKind:
    """A file import: ``kind`` names it (``./cax import --template KIND``, the upload's batch kind),
    ``columns`` and ``importer`` are dotted paths to its column list and its
    ``importer(*, actor, filename, content, dry_run)``. ``page`` is the upload page that offers it
    ("officers": /officers/import/), with ``label`` in its choice list and ``template_label`` on the
    link to its empty template."""

    kind: str
    columns: str
    importer: str
    page: str = ""
    label: Any = ""
    template_label: Any = ""
    order: int = 100


@dataclass(frozen=True)
class PagePart:
    """What an app adds to another app's page (deployment's posting forms on an officer's page):
    ``template`` is included by the page, ``context`` the dotted path of ``context(request, obj)``
    giving that template's variables, ``urls`` a dotted URL module whose patterns join the page's
    URL conf (the forms' targets), in its namespace."""

    page: str
    template: str = ""
    context: str = ""
    urls: str = ""
    order: int = 100


@dataclass(frozen=True)
class Contribution:
    """A callable named by dotted path, in ``order``: overview tiles
    (``tiles(*, actor, unit, first, last) -> list[Tile]``), the home page's to-do lines
    (``todo(*, actor, now) -> list[TodoLine]``, core.todo), demo loaders (``load_demo(*, province)``)
    and the leaders' dashboard figures (``figures(*, actor, unit, ends, now) -> core.dashboard.Figures | None``)."""

    dotted: str
    order: int = 100


@dataclass(frozen=True)
class SearchSource:
    """A kind of object the one search finds (issue 19.5, docs/search.md).

    An *indexed* source names its ``model`` ("app_label.Model") and ``document``, the dotted path of
    ``(obj) -> core.search.Document | None`` (None: not searchable, its row is removed); its rows
    live in ``core.SearchEntry``, rewritten when an object is saved or deleted. Who sees a hit is
    ``visible``, the dotted path of ``(actor) -> QuerySet`` of the model (default:
    ``Model.objects.visible_to(actor)``); ``url_name`` reversed with the object's id opens it.

    A *sensitive* source has no rows in the shared index: ``searcher`` is the dotted path of
    ``(*, actor, words, limit, channel) -> list[core.search.Hit]``, run in its own app (its own
    rule of who may read, its own access log); it answers ``[]`` to everyone else."""

    kind: str
    label: Any
    model: str = ""
    document: str = ""
    url_name: str = ""
    visible: str = ""
    searcher: str = ""
    order: int = 100


@dataclass
class Registry:
    menu: list[MenuEntry] = field(default_factory=list)
    unit_links: list[UnitLink] = field(default_factory=list)
    reference: list[ReferenceModel] = field(default_factory=list)
    tiles: list[Contribution] = field(default_factory=list)
    todo: list[Contribution] = field(default_factory=list)
    demo_loaders: list[Contribution] = field(default_factory=list)
    dashboard_figures: list[Contribution] = field(default_factory=list)
    imports: list[ImportKind] = field(default_factory=list)
    search: list[SearchSource] = field(default_factory=list)
    page_parts: list[PagePart] = field(default_factory=list)

    def add_menu(self, *entries: MenuEntry) -> None:
        _extend(self.menu, entries)

    def add_unit_links(self, *links: UnitLink) -> None:
        _extend(self.unit_links, links)

    def add_reference(self, *models: ReferenceModel) -> None:
        _extend(self.reference, models)

    def add_tiles(self, dotted: str, order: int = 100) -> None:
        _extend(self.tiles, [Contribution(dotted, order)])

    def add_todo(self, dotted: str, order: int = 100) -> None:
        _extend(self.todo, [Contribution(dotted, order)])

    def add_imports(self, *kinds: ImportKind) -> None:
        _extend(self.imports, kinds)

    def imports_of(self, page: str) -> list[ImportKind]:
        return [k for k in self.imports if k.page == page]

    def add_search(self, *sources: SearchSource) -> None:
        _extend(self.search, sources)

    def add_page_parts(self, *parts: PagePart) -> None:
        _extend(self.page_parts, parts)

    def parts_of(self, page: str) -> list[PagePart]:
        return [p for p in self.page_parts if p.page == page]

    def add_demo_loader(self, dotted: str, order: int = 100) -> None:
        _extend(self.demo_loaders, [Contribution(dotted, order)])

    def add_dashboard_figures(self, dotted: str, order: int = 100) -> None:
        _extend(self.dashboard_figures, [Contribution(dotted, order)])


def _extend(entries: list, new) -> None:
    """Idempotent, so an app's ``ready()`` run twice (a test re-populating the registry) adds nothing;
    kept sorted by ``order`` (stable: equal orders keep the apps' order in INSTALLED_APPS)."""
    for entry in new:
        if entry not in entries:
            entries.append(entry)
    entries.sort(key=lambda e: getattr(e, "order", 100))


registry = Registry()
