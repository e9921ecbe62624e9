"""Synthetic officers and posting history for demos and benchmarks (#4).

Realistic in shape: Vietnamese names, about 1% women (the seeds: 2 of 349), ranks, ethnic-minority
languages where the commune needs them, investigators, party members, five years of postings with
transfers, some communes below the norm and some without a chief. Written with bulk inserts:
this is generated reference data, not a record of anyone's work, so it bypasses the change log.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from cax.core import search
from cax.core.revision import bump_after_commit
from cax.core.text import search_key
from cax.deployment import levels
from cax.deployment.models import Committee, CommitteeSeat, PartyCell, Posting, PostingRole
from cax.personnel.choices import Education, InvestigatorGrade, OfficerStatus, Rank, Sex, SpecialityKind
from cax.personnel.models import Language, Officer, Speciality
from cax.units.models import Unit

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "A",
    "Y",
    "Rơ Châm",
    "Siu",
]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thành", "Xuân", "Đình", "Ngọc", "Trọng"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quang",
    "Sơn",
    "Tâm",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Hiếu",
    "Lộc",
    "Toàn",
    "Đạt",
    "Kiên",
    "Thịnh",
]
GIVEN_F = ["Hà", "Lan", "Hương", "Mai", "Trang", "Linh", "Thảo", "Yến", "Nhung", "Hạnh"]
# Central Highlands languages (Kon Tum, the seeds' province) and a few northern ones.
MINORITY_LANGUAGES = ["Xơ Đăng", "Ba Na", "Gia Rai", "Giẻ Triêng", "Brâu", "Rơ Măm", "Tày", "Thái", "H'Mông"]
RANK_WEIGHTS = {
    Rank.CORPORAL: 4,
    Rank.SERGEANT: 6,
    Rank.SENIOR_SERGEANT: 8,
    Rank.SECOND_LIEUTENANT: 14,
    Rank.FIRST_LIEUTENANT: 20,
    Rank.SENIOR_LIEUTENANT: 20,
    Rank.CAPTAIN: 16,
    Rank.MAJOR: 8,
    Rank.LIEUTENANT_COLONEL: 4,
}
CHIEF_RANKS = [Rank.CAPTAIN, Rank.MAJOR, Rank.LIEUTENANT_COLONEL]


@dataclass
class DemoSummary:
    communes: int = 0
    officers: int = 0
    postings: int = 0
    party_cells: int = 0


def _name(rng: random.Random, sex: str) -> str:
    if sex == Sex.FEMALE:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"


def _mark_minority_areas(rng: random.Random, communes: list[Unit]) -> None:
    """Gives about a third of the communes ethnic-minority status and local languages."""
    changed = []
    for commune in communes:
        if not commune.is_ethnic_minority and rng.random() < 0.33:
            commune.is_ethnic_minority = True
            commune.local_languages = rng.sample(MINORITY_LANGUAGES[:6], k=rng.choice([1, 1, 2]))
            changed.append(commune)
    Unit.objects.bulk_update(changed, ["is_ethnic_minority", "local_languages"], batch_size=1000)


def _officer(
    rng: random.Random, number: int, unit: Unit, today: dt.date, chief: bool, served_by: dt.date | None = None
) -> Officer:
    """A plausible officer: of age when joining the service and the party, in the service before
    ``served_by`` (the first day a posting of theirs may start)."""
    sex = Sex.FEMALE if rng.random() < 0.011 else Sex.MALE
    name = _name(rng, sex)
    born = today - dt.timedelta(days=rng.randint(22 * 365, 50 * 365))
    service_start = born + dt.timedelta(days=rng.randint(19 * 365, 22 * 365))
    party = rng.random() < 0.75 or chief
    # Joined the party as an adult, at the latest a month ago: CAX refuses a date in the future.
    latest = min(today - dt.timedelta(days=30), born + dt.timedelta(days=35 * 365))
    earliest = born + dt.timedelta(days=19 * 365)
    joined = earliest + dt.timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
    local = unit.local_languages and rng.random() < 0.1  # officers from the local ethnic group
    return Officer(
        service_number=f"{number:08d}",
        full_name=name,
        search_key=search_key(f"{name} {number:08d}"),
        sex=sex,
        date_of_birth=born,
        ethnicity=rng.choice(unit.local_languages) if local else "Kinh",
        unit=unit,
        home_unit=unit if rng.random() < 0.3 else None,
        rank=rng.choice(CHIEF_RANKS) if chief else rng.choices(list(RANK_WEIGHTS), list(RANK_WEIGHTS.values()))[0],
        education=rng.choice([Education.VOCATIONAL, Education.BACHELOR, Education.BACHELOR, Education.COLLEGE]),
        service_start=min(service_start, (served_by or today) - dt.timedelta(days=60)),
        is_party_member=party,
        party_joined_on=joined if party else None,
        dependants=rng.randint(0, 4),
        has_hardship=rng.random() < 0.08,
        status=OfficerStatus.ACTIVE,
    )


def _history(rng, officer: Officer, current: Unit, others: list[Unit], role: str, first: dt.date, today: dt.date):
    """One to three postings ending in the current one; earlier ones were elsewhere in the province."""
    moves = rng.choice([0, 0, 1, 1, 2])
    # Distinct days, so each earlier posting ends (the day before the next starts) on or after its start.
    dates = sorted(first + dt.timedelta(days=d) for d in rng.sample(range((today - first).days - 30), moves + 1))
    postings = []
    for index, start in enumerate(dates):
        last = index == len(dates) - 1
        unit = current if last else rng.choice(others)
        end = None if last else dates[index + 1] - dt.timedelta(days=1)
        postings.append(
            Posting(
                officer=officer,
                unit=unit,
                role=role if last else PostingRole.OFFICER,
                start_date=start,
                end_date=end,
                decision_number=f"{rng.randint(100, 9999)}/QĐ-CAT",
                decision_date=start - dt.timedelta(days=rng.randint(3, 20)),
                reason="Bố trí cán bộ",
            )
        )
    return postings


def _batched(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def generate(
    *,
    root: Unit,
    seed: int = 2025,
    today: dt.date | None = None,
    first_number: int = 10_000_000,
    size_range: tuple[int, int] = (8, 16),
    years: int = 5,
) -> DemoSummary:
    """Fills every open commune-level unit under ``root`` with officers and their posting history."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    communes = list(Unit.objects.current().commune_level().in_subtree(root).order_by("path"))
    _mark_minority_areas(rng, communes)
    by_province: dict[str, list[Unit]] = {}
    for commune in communes:
        by_province.setdefault(commune.path.split("/")[2], []).append(commune)
    # History never predates the units: as-of figures must only count units valid on that day.
    first = max([dt.date(today.year - years, 1, 1), *(c.valid_from for c in communes if c.valid_from)])
    officers, plans = _officers_and_roles(rng, communes, today, first, first_number, size_range)
    for batch in _batched(officers, 5000):
        Officer.objects.bulk_create(batch)
        search.index_bulk(batch)  # the one search (bulk writes send no signal)
    postings, specialities, languages = [], [], []
    for officer, commune, role in plans:
        others = by_province[commune.path.split("/")[2]]
        postings += _history(rng, officer, commune, others, role, first, today)
        _skills(rng, officer, commune, role, specialities, languages)
    for model, rows in ((Posting, postings), (Speciality, specialities), (Language, languages)):
        for batch in _batched(rows, 5000):
            model.objects.bulk_create(batch)
    cells = _party(rng, communes, plans, first, today)
    levels.rebuild([c.pk for c in communes])  # bulk inserts send no signal
    bump_after_commit()  # bulk inserts bypass the change log, which otherwise bumps the revision
    return DemoSummary(communes=len(communes), officers=len(officers), postings=len(postings), party_cells=cells)


def _officers_and_roles(rng: random.Random, communes, today: dt.date, first: dt.date, first_number: int, size_range):
    """Unsaved officers for every commune and their (officer, commune, role) plans: a chief first
    (but in a few communes), two deputies, officers; numbered from ``first_number``."""
    officers, plans, number = [], [], first_number
    for commune in communes:
        has_chief = rng.random() > 0.06  # a few communes have no chief: the dashboard must show them
        for index in range(rng.randint(*size_range)):
            chief = has_chief and index == 0
            officer = _officer(rng, number, commune, today, chief, served_by=first)
            officers.append(officer)
            plans.append(
                (
                    officer,
                    commune,
                    PostingRole.CHIEF if chief else (PostingRole.DEPUTY if index in (1, 2) else PostingRole.OFFICER),
                )
            )
            number += 1
    return officers, plans


def _skills(rng: random.Random, officer, commune: Unit, role: str, specialities: list, languages: list) -> None:
    """Adds the officer's specialities (investigators, more often among chiefs) and local language."""
    if rng.random() < 0.12 or role == PostingRole.CHIEF and rng.random() < 0.3:
        specialities.append(
            Speciality(officer=officer, kind=SpecialityKind.INVESTIGATOR, grade=rng.choice(InvestigatorGrade.values))
        )
    if rng.random() < 0.15:
        specialities.append(
            Speciality(
                officer=officer,
                kind=rng.choice(
                    [SpecialityKind.LEGAL, SpecialityKind.IT, SpecialityKind.TRAFFIC, SpecialityKind.FIRE_RESCUE]
                ),
            )
        )
    if officer.ethnicity != "Kinh" or (commune.local_languages and rng.random() < 0.05):
        language = officer.ethnicity if officer.ethnicity != "Kinh" else rng.choice(commune.local_languages)
        languages.append(Language(officer=officer, name=language, key=search_key(language), is_ethnic_minority=True))


def _party(rng: random.Random, communes: list[Unit], plans, first: dt.date, today: dt.date) -> int:
    span = (today - first).days
    chiefs = {commune.pk: officer for officer, commune, role in plans if role == PostingRole.CHIEF}
    cells, seats = [], []
    for commune in communes:
        if rng.random() < 0.85:
            cells.append(
                PartyCell(
                    unit=commune,
                    founded_on=first + dt.timedelta(days=rng.randint(0, span // 2)),
                    secretary=chiefs.get(commune.pk),
                )
            )
        chief = chiefs.get(commune.pk)
        if chief is not None and rng.random() < 0.4:
            start = first + dt.timedelta(days=rng.randint(0, span // 2))
            seats.append(CommitteeSeat(officer=chief, unit=commune, committee=Committee.EXECUTIVE, start_date=start))
            if rng.random() < 0.8:
                seats.append(CommitteeSeat(officer=chief, unit=commune, committee=Committee.STANDING, start_date=start))
    PartyCell.objects.bulk_create(cells, batch_size=2000)
    CommitteeSeat.objects.bulk_create(seats, batch_size=2000)
    return len(cells)


@transaction.atomic
def generate_pool(*, root: Unit, seed: int = 2026, today: dt.date | None = None, first_number: int = 19_000_000) -> int:
    """Officers awaiting a posting, held at ``root`` (the province) with no open posting: the former
    district police of 2025 in the seeds' story, and what the posting planner places (#7).

    As many as the communes lack to reach their norm, plus a tenth, with enough chief-eligible
    officers, investigators and local-language speakers for the communes that need them."""
    from cax.deployment.selectors import staffing_summary

    rng = random.Random(seed)
    today = today or dt.date.today()
    summary = staffing_summary(actor=None, unit=root, as_of=today)
    communes = {c.pk: c for c in Unit.objects.filter(pk__in=[u.unit_id for u in summary.units])}
    shortfall = sum(u.shortfall for u in summary.units)
    count = shortfall + max(10, shortfall // 10) + len(summary.without_chief)
    homes = list(communes.values())
    officers, specialities, languages = [], [], []
    needy = [communes[u.unit_id] for u in summary.without_language_speaker]
    for index in range(count):
        home = rng.choice(homes)
        chief = index < len(summary.without_chief) + 5
        officer = _officer(rng, first_number + index, home, today, chief)
        officer.unit = root
        officer.home_unit = home
        officer.search_key = search_key(f"{officer.full_name} {officer.service_number}")
        officers.append(officer)
    Officer.objects.bulk_create(officers, batch_size=2000)
    for index, officer in enumerate(officers):
        if index % 3 == 0 or index < len(summary.without_investigator):
            specialities.append(
                Speciality(
                    officer=officer, kind=SpecialityKind.INVESTIGATOR, grade=rng.choice(InvestigatorGrade.values)
                )
            )
        if index < len(needy):
            language = rng.choice(needy[index].local_languages)
            languages.append(
                Language(officer=officer, name=language, key=search_key(language), is_ethnic_minority=True)
            )
    Speciality.objects.bulk_create(specialities, batch_size=2000)
    Language.objects.bulk_create(languages, batch_size=2000)
    bump_after_commit()
    return len(officers)
