"""The named cast every test can use (healthchecks' Alice/Bob/Charlie, for a unit tree).

Units come from the official tree loaded once per test session:
- ``province_a`` Quảng Ngãi (51), with ``commune_a`` Xã Đăk Hà (23500) and ``commune_b`` Phường Kon Tum (23293);
- ``province_b`` Hà Nội (01), with ``commune_c`` Phường Hoàn Kiếm (00070).
"""

from __future__ import annotations

from dataclasses import dataclass

from cax.accounts.models import User
from cax.accounts.roles import Role
from cax.accounts.services import user_create
from cax.units.models import Unit

PASSWORD = "Mat-khau-thu-nghiem-2025"


@dataclass
class Cast:
    root: Unit
    province_a: Unit
    province_b: Unit
    commune_a: Unit
    commune_b: Unit
    commune_c: Unit
    admin: User
    ministry_leader: User
    province_leader: User
    province_staff: User
    department_staff: User
    commune_chief: User
    commune_officer: User
    auditor: User
    commune_c_officer: User

    def by_role(self, role: str) -> User:
        return getattr(self, str(role).replace("administrator", "admin"))


def _unit(code: str) -> Unit:
    return Unit.objects.current().select_related("unit_type", "parent").get(code=code)


def make_user(username: str, role: str, unit: Unit, **extra) -> User:
    user = user_create(
        actor=None, username=username, full_name=username.title(), role=role, unit=unit, password=PASSWORD, **extra
    )
    return User.objects.select_related("unit").get(pk=user.pk)


def build_cast() -> Cast:
    units = {
        "root": _unit("BCA"),
        "province_a": _unit("51"),
        "province_b": _unit("01"),
        "commune_a": _unit("23500"),
        "commune_b": _unit("23293"),
        "commune_c": _unit("00070"),
    }
    users = {
        "admin": make_user("admin", Role.ADMINISTRATOR, units["root"]),
        "ministry_leader": make_user("ministry", Role.MINISTRY_LEADER, units["root"]),
        "province_leader": make_user("leader_a", Role.PROVINCE_LEADER, units["province_a"]),
        "province_staff": make_user("staff_a", Role.PROVINCE_STAFF, units["province_a"]),
        "department_staff": make_user("dept_a", Role.DEPARTMENT_STAFF, units["province_a"]),
        "commune_chief": make_user("chief_a", Role.COMMUNE_CHIEF, units["commune_a"]),
        "commune_officer": make_user("officer_a", Role.COMMUNE_OFFICER, units["commune_a"]),
        "auditor": make_user("auditor", Role.AUDITOR, units["root"]),
        "commune_c_officer": make_user("officer_c", Role.COMMUNE_OFFICER, units["commune_c"]),
    }
    return Cast(**units, **users)
