"""Which unit holds a unit's history across mergers (issue 14).

A unit merged away keeps its own records (events stay where they happened), and every table that
groups figures by unit must show them under the unit that took it over, so a series from 2019 to
2026 does not break on 01/07/2025 and nothing is counted twice. One rule for the whole tree:

- a closed unit's history goes to its **first successor** (the first code of *Mã đơn vị kế thừa*,
  i.e. the successor link made first), followed down the chain (A → B → C) to the last unit of
  the chain that lies in the viewed subtree; a unit split into several successors therefore counts
  under the first one only (its figures cannot be apportioned);
- a unit outside the subtree counts only when that chain ends inside it (a commune of an old
  province merged into a commune of this one).

``Lineage`` is read in a fixed number of queries whatever the size of the subtree: one for the
links touching the subtree, plus one per level of a chain of units outside it (merger chains are
short; a bound stops a cycle in the data).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from cax.core.scoping import is_under, path_q
from cax.units.models import Unit

MAX_CHAIN = 6


@dataclass
class Lineage:
    """The successor links around the subtree of ``root_path``."""

    root_path: str
    successors: dict[int, list[int]] = field(default_factory=dict)  # unit id → successor ids, first first
    paths: dict[int, str] = field(default_factory=dict)  # path of every unit named in a link
    names: dict[int, str] = field(default_factory=dict)

    def inside(self, unit_id: int) -> bool:
        path = self.paths.get(unit_id, "")
        return bool(path) and is_under(path, self.root_path)

    def home(self, unit_id: int) -> int:
        """The unit whose row holds ``unit_id``'s history: the last unit inside the subtree along
        its first-successor chain, or the unit itself."""
        chain, current = [unit_id], unit_id
        for _step in range(MAX_CHAIN):
            following = self.successors.get(current)
            if not following or following[0] in chain:
                break
            current = following[0]
            chain.append(current)
        inside = [u for u in chain[1:] if self.inside(u)]
        return inside[-1] if inside else unit_id

    def moved(self) -> dict[int, int]:
        """Units of the links whose history belongs to another unit: unit id → home id. Units
        outside the subtree whose chain does not end inside it are left out (not in this view)."""
        result = {}
        for unit_id in self.successors:
            home = self.home(unit_id)
            if home != unit_id:
                result[unit_id] = home
        return result

    def later(self, unit_id: int) -> set[int]:
        """Every unit that took over ``unit_id``, directly or down a chain (any successor, not
        only the first): their later figures supersede its last stock value."""
        found: set[int] = set()
        frontier = [unit_id]
        for _step in range(MAX_CHAIN):
            frontier = [s for u in frontier for s in self.successors.get(u, ()) if s not in found and s != unit_id]
            if not frontier:
                break
            found.update(frontier)
        return found


def lineage_around(root: Unit) -> Lineage:
    """The links from or into ``root``'s subtree, and those of the outside units they reach."""
    link = Unit.successors.through
    lineage = Lineage(root.path)
    columns = (
        "pk",
        "from_unit_id",
        "from_unit__path",
        "from_unit__name",
        "to_unit_id",
        "to_unit__path",
        "to_unit__name",
    )
    found: dict[int, tuple[int, int]] = {}  # link pk → (from, to)
    rows = link.objects.filter(path_q("from_unit__path", root.path) | path_q("to_unit__path", root.path))
    reached: set[int] = set()
    for _step in range(MAX_CHAIN):
        frontier = set()
        for pk, from_id, from_path, from_name, to_id, to_path, to_name in rows.values_list(*columns):
            found[pk] = (from_id, to_id)
            lineage.paths[from_id], lineage.paths[to_id] = from_path, to_path
            lineage.names[from_id], lineage.names[to_id] = from_name, to_name
            frontier |= {u for u in (from_id, to_id) if not lineage.inside(u) and u not in reached}
        if not frontier:
            break
        # Outside units reached: their other links decide where their history goes (an old
        # province's commune split between this province and another counts under its first).
        reached |= frontier
        rows = link.objects.filter(Q(from_unit_id__in=frontier) | Q(to_unit_id__in=frontier))
    for _pk, (from_id, to_id) in sorted(found.items()):
        lineage.successors.setdefault(from_id, []).append(to_id)
    return lineage
