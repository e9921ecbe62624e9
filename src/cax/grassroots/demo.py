"""Demo data for the grassroots force in the demo province (called by ``./cax up``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cax.grassroots.models import Criteria, Team
from cax.grassroots.registers import ALLOWANCES, CRITERIA, MEMBERS, TEAMS
from cax.units.models import Unit, UnitType
from cax.units.services import unit_create

VILLAGES = [
    ("Thôn Kon Klor", "thon"),
    ("Thôn Plei Đôn", "thon"),
    ("Thôn Kon Rơ Lang", "thon"),
    ("Tổ dân phố 1", "to_dan_pho"),
    ("Tổ dân phố 2", "to_dan_pho"),
    ("Thôn Đăk Rơ Wa", "thon"),
]
PEOPLE = [
    ("A Blưm", "male"),
    ("Y Nhăm", "female"),
    ("Nguyễn Văn Hùng", "male"),
    ("Trần Thị Lan", "female"),
    ("A Thuyên", "male"),
    ("Lê Văn Bình", "male"),
    ("Y Hoa", "female"),
    ("Phạm Văn Tài", "male"),
    ("A Sang", "male"),
    ("Đinh Thị Mai", "female"),
    ("Võ Văn Minh", "male"),
    ("Y Liên", "female"),
]


def _village(commune: Unit, index: int) -> Unit:
    code = f"{commune.code}-{'T' if VILLAGES[index][1] == 'thon' else 'TDP'}{index + 1:02d}"
    found = Unit.objects.current().filter(code=code).first()
    if found is not None:
        return found
    name, type_code = VILLAGES[index]
    return unit_create(actor=None, code=code, name=name, unit_type=UnitType.objects.get(code=type_code), parent=commune)


def ensure_root_criteria() -> None:
    """The law's row on the root, for databases migrated before their unit tree was loaded."""
    root = Unit.objects.current().filter(code="BCA", parent__isnull=True).first()
    if root is not None and not Criteria.objects.filter(unit=root).exists():
        CRITERIA.save(actor=None, instance=None, data={"unit": root, "legal_basis": "Luật 30/2023/QH15, Điều 13"})


@transaction.atomic
def load_demo(*, province) -> None:
    """Criteria, villages, teams, members and their allowances in six communes of the province, once."""
    if Team.objects.in_subtree(province).exists():
        return
    ensure_root_criteria()
    if not Criteria.objects.filter(unit=province).exists():
        CRITERIA.save(
            actor=None,
            instance=None,
            data={"unit": province, "default_team_size": 4, "legal_basis": "Nghị quyết của HĐND tỉnh (dữ liệu mẫu)"},
        )
    today = timezone.localdate()
    joined = today - dt.timedelta(days=240)
    from cax.accounts.demo import DEMO_COMMUNE_CODE

    # The demo commune chief's own commune first, so truong.xa / canbo.xa see teams of their own.
    every = Unit.objects.current().commune_level().in_subtree(province).order_by("code")
    communes = sorted(every, key=lambda u: u.code != DEMO_COMMUNE_CODE)[:6]
    serial = 0
    for c_index, commune in enumerate(communes):
        incomplete = c_index == len(communes) - 1  # one team still to be completed: no leader, too few members
        team = _demo_team(commune, c_index, joined)
        roles = ["member", "member"] if incomplete else ["leader", "deputy", "member", "member"]
        for m_index, role in enumerate(roles):
            serial += 1
            member = _demo_member(team, role, c_index * 4 + m_index, serial, joined)
            _demo_allowances(member, role, c_index, today)


def _demo_team(commune: Unit, c_index: int, joined: dt.date) -> Team:
    """An established team of the commune covering two of its villages (created when missing)."""
    villages = [_village(commune, (c_index + k) % len(VILLAGES)) for k in range(2)]
    return TEAMS.save(
        actor=None,
        instance=None,
        data={
            "unit": commune,
            "name": f"Tổ bảo vệ ANTT {villages[0].name}",
            "villages": villages,
            "planned_members": 4,
            "status": "established",
            "decision_number": f"{100 + c_index}/QĐ-UBND",
            "decision_date": joined - dt.timedelta(days=10),
        },
    )


def _demo_member(team: Team, role: str, person: int, serial: int, joined: dt.date):
    """Member number ``serial`` of the demo, who meets the law's criteria (age, residence, health)."""
    name, sex = PEOPLE[person % len(PEOPLE)]
    born = dt.date(1972 + (serial * 3) % 28, 1 + serial % 12, 1 + serial % 27)
    return MEMBERS.save(
        actor=None,
        instance=None,
        data={
            "team": team,
            "full_name": name,
            "sex": sex,
            "date_of_birth": born,
            "id_number": f"0510{born.year % 100:02d}{serial:06d}",
            "role": role,
            "joined_on": joined,
            "residence_since": born + dt.timedelta(days=365 * 18),
            "health_certificate_on": joined - dt.timedelta(days=20),
            "education": "upper_secondary" if person % 2 else "lower_secondary",
            "phone": f"09050{serial:05d}",
        },
    )


def _demo_allowances(member, role: str, c_index: int, today: dt.date) -> None:
    """The monthly allowance of the last three whole months, by role."""
    amount = {"leader": 1_500_000, "deputy": 1_300_000}.get(role, 1_100_000)
    month = today.replace(day=1)
    for _back in range(3):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        ALLOWANCES.save(
            actor=None,
            instance=None,
            data={
                "member": member,
                "month": month,
                "kind": "monthly",
                "amount": amount,
                "paid_on": min(today, month + dt.timedelta(days=35)),
                "decision_ref": f"{200 + c_index}/QĐ-UBND",
            },
        )
