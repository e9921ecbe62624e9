from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from cax.core.registry import MENU_GROUPS, MenuEntry, registry


@dataclass
class NavLink:
    label: Any
    url: str
    # "page" on the link to this very page, "true" on the module the page belongs to, else "".
    current: str = ""


@dataclass
class NavGroup:
    key: str
    label: Any
    links: list[NavLink] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def may_see(user, entry: MenuEntry) -> bool:
    if entry.perm and not user.has_perm(entry.perm):
        return False
    return not entry.when or bool(import_string(entry.when)(user))


def current_entry(entries: list[MenuEntry], view_name: str) -> MenuEntry | None:
    """The module a page belongs to: the entry of its very URL name, else the one whose ``covers``
    pattern matching the name is the longest (the most specific: "units:import*" before "units:*")."""
    if not view_name:
        return None
    for entry in entries:
        if entry.url_name == view_name:
            return entry
    best, best_length = None, -1
    for entry in entries:
        for pattern in entry.patterns():
            if fnmatchcase(view_name, pattern) and len(pattern) > best_length:
                best, best_length = entry, len(pattern)
    return best


def navigation(request):
    """The menu the signed-in user may open, grouped (issue 17.4), and the breadcrumbs' first steps
    (home › group › module) derived from the URL the page answers: no query, whatever the page.
    Pages re-check permissions on their own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entries = [entry for entry in registry.menu if may_see(user, entry)]
    match = getattr(request, "resolver_match", None)
    here = current_entry(entries, match.view_name if match else "")
    top: list[NavLink] = []
    groups = {key: NavGroup(key, label) for key, label in MENU_GROUPS.items()}
    module_link = None
    for entry in entries:
        url = reverse(entry.url_name, args=[user.unit_id] if entry.with_unit else [])
        link = NavLink(entry.label, url)
        if entry is here:
            link.current = "page" if url == request.path else "true"
            module_link = link
        (groups[entry.group].links if entry.group in groups else top).append(link)
    home = reverse("home")
    crumbs = [NavLink(_("Trang chủ"), home, "page" if request.path == home else "")]
    if here is not None and here.group in MENU_GROUPS:
        crumbs.append(NavLink(MENU_GROUPS[here.group], ""))
    return {
        # Flat, for pages that list the modules (label, url).
        "menu": [(link.label, link.url) for link in top]
        + [(link.label, link.url) for group in groups.values() for link in group.links],
        "menu_top": top,
        "menu_groups": [group for group in groups.values() if group.links],
        # Home › group; base.html adds the module (``crumb_module``), a page its own steps below it.
        "crumbs": crumbs,
        "crumb_module": module_link,
        "crumb_at_module": module_link is not None and module_link.current == "page",
    }
