"""One demo account per role on the real tree (#3), for trying CAX out after ./cax up."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from cax.accounts.models import User
from cax.accounts.roles import Role
from cax.accounts.services import user_create
from cax.units.models import Unit

# Quảng Ngãi (51) took in Kon Tum, the seeds' province; 23500 is Xã Đăk Hà, a former Kon Tum commune.
DEMO_PROVINCE_CODE = "51"
DEMO_COMMUNE_CODE = "23500"
# A provincial department (#8): it answers the requests assigned to it and follows its communes.
DEMO_DEPARTMENT_CODE = "51-PC06"


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    unit: str


def _demo_units() -> dict[str, Unit]:
    root = Unit.objects.current().get(parent__isnull=True, code="BCA")
    province = Unit.objects.current().get(code=DEMO_PROVINCE_CODE)
    commune = Unit.objects.current().get(parent=province, code=DEMO_COMMUNE_CODE)
    from cax.units.demo import ensure_departments

    departments = {u.code: u for u in ensure_departments(province)}
    return {"root": root, "province": province, "commune": commune, "department": departments[DEMO_DEPARTMENT_CODE]}


DEMO_ACCOUNTS = [
    ("admin", "Quản trị hệ thống", Role.ADMINISTRATOR, "root"),
    ("lanhdao.bo", "Lãnh đạo Bộ (demo)", Role.MINISTRY_LEADER, "root"),
    ("lanhdao.tinh", "Lãnh đạo Công an tỉnh (demo)", Role.PROVINCE_LEADER, "province"),
    ("tccb.tinh", "Cán bộ Tổ chức cán bộ (demo)", Role.PROVINCE_STAFF, "province"),
    ("phong.tinh", "Cán bộ phòng nghiệp vụ (demo)", Role.DEPARTMENT_STAFF, "province"),
    ("phong.pc06", "Cán bộ Phòng PC06 (demo)", Role.DEPARTMENT_STAFF, "department"),
    ("truong.xa", "Trưởng Công an xã (demo)", Role.COMMUNE_CHIEF, "commune"),
    ("canbo.xa", "Cán bộ Công an xã (demo)", Role.COMMUNE_OFFICER, "commune"),
    ("kiemtra", "Kiểm tra, thanh tra (demo)", Role.AUDITOR, "root"),
]


@transaction.atomic
def create_demo_accounts() -> list[DemoLogin]:
    """Creates the missing demo accounts with random passwords; returns only the new ones."""
    units = _demo_units()
    created = []
    for username, full_name, role, unit_key in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        password = secrets.token_urlsafe(9)
        user_create(
            actor=None, username=username, full_name=full_name, role=role, unit=units[unit_key], password=password
        )
        created.append(DemoLogin(username, password, Role(role).label, units[unit_key].name))
    return created
