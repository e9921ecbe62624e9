"""Small, known worlds of officers and postings for the deployment and personnel tests.

Built through the real services (``officer_upsert``, ``posting_create``) so every rule and the
change log apply; ``bulk_posted`` is the one exception, for volume in query-count tests (it
rebuilds the staffing levels itself, as the demo loader does).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from cax.core.text import search_key
from cax.deployment import levels
from cax.deployment.models import Posting, PostingRole
from cax.deployment.services import posting_create
from cax.personnel.choices import Rank, Sex
from cax.personnel.models import Language, Officer, Speciality
from cax.units.models import Unit

# Official units are valid from 1 July 2025: as-of figures only count postings from then on.
START = dt.date(2025, 7, 1)
_numbers = itertools.count(90_000_001)


def next_number() -> str:
    return str(next(_numbers))


def officer(
    unit: Unit,
    *,
    actor=None,
    service_number: str | None = None,
    full_name: str | None = None,
    sex: str = Sex.MALE,
    rank: str = Rank.SENIOR_LIEUTENANT,
    specialities: list[tuple[str, str]] | None = None,
    languages: list[tuple[str, bool]] | None = None,
    **fields,
) -> Officer:
    """An officer whose current unit is ``unit`` (no posting)."""
    from cax.personnel.services import officer_upsert

    number = service_number or next_number()
    created, _action = officer_upsert(
        actor=actor,
        service_number=number,
        full_name=full_name or f"Cán Bộ {number}",
        sex=sex,
        rank=rank,
        unit=unit,
        specialities=specialities,
        languages=languages,
        **fields,
    )
    return created


def post(
    officer_: Officer,
    unit: Unit,
    *,
    role: str = PostingRole.OFFICER,
    start: dt.date = START,
    end: dt.date | None = None,
    actor=None,
    **extra,
) -> Posting:
    return posting_create(actor=actor, officer=officer_, unit=unit, role=role, start_date=start, end_date=end, **extra)


def posted(
    unit: Unit,
    *,
    role: str = PostingRole.OFFICER,
    start: dt.date = START,
    end: dt.date | None = None,
    **officer_fields,
) -> Officer:
    """A new officer of the unit's parent (the province) posted to commune ``unit``; returns it fresh."""
    new = officer(unit.parent, **officer_fields)
    post(new, unit, role=role, start=start, end=end)
    return Officer.objects.select_related("unit").get(pk=new.pk)


def bulk_posted(units: list[Unit], count: int, *, start: dt.date = START, seed: int = 7) -> list[Officer]:
    """``count`` officers spread over ``units``, with postings, specialities and languages, in bulk."""
    rng = random.Random(seed)
    officers = []
    for index in range(count):
        number = next_number()
        unit = units[index % len(units)]
        officers.append(
            Officer(
                service_number=number,
                full_name=f"Hàng Loạt {number}",
                search_key=search_key(f"Hàng Loạt {number}"),
                sex=Sex.FEMALE if index % 10 == 0 else Sex.MALE,
                rank=Rank.CAPTAIN,
                unit=unit,
            )
        )
    Officer.objects.bulk_create(officers)
    Posting.objects.bulk_create(
        [
            Posting(
                officer=o,
                unit=o.unit,
                role=PostingRole.OFFICER,
                start_date=start + dt.timedelta(days=rng.randint(0, 20)),
            )
            for o in officers
        ]
    )
    Speciality.objects.bulk_create(
        [Speciality(officer=o, kind="investigator", grade="elementary") for o in officers[::3]]
    )
    Language.objects.bulk_create(
        [Language(officer=o, name="Xơ Đăng", key=search_key("Xơ Đăng"), is_ethnic_minority=True) for o in officers[::4]]
    )
    levels.rebuild({o.unit_id for o in officers})  # bulk inserts send no signal, as the demo data's
    return officers


class World:
    """The small known world: 13 officers in commune_a (1 woman, a chief, an investigator), 3 in
    commune_b (no chief, no investigator), all posted on ``START`` and still in post."""

    def __init__(self, cast):
        from cax.personnel.choices import InvestigatorGrade, SpecialityKind

        self.cast = cast
        self.chief = posted(cast.commune_a, role=PostingRole.CHIEF, rank=Rank.CAPTAIN, full_name="Trần Văn Trưởng")
        self.woman = posted(cast.commune_a, sex=Sex.FEMALE, full_name="Nguyễn Thị Hoa")
        self.investigator = posted(
            cast.commune_a,
            full_name="Lê Điều Tra",
            specialities=[(SpecialityKind.INVESTIGATOR, InvestigatorGrade.INTERMEDIATE)],
        )
        self.commune_a_others = [posted(cast.commune_a) for _ in range(10)]
        self.commune_b_officers = [posted(cast.commune_b) for _ in range(3)]

    @property
    def commune_a_officers(self) -> list[Officer]:
        return [self.chief, self.woman, self.investigator, *self.commune_a_others]
