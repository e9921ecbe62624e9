"""Demo courses for the demo province (called by ``./cax up`` after the grassroots demo)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cax.grassroots.models import TeamMember
from cax.personnel.models import Officer
from cax.training.models import Course
from cax.training.registers import COURSES, PARTICIPANTS
from cax.units.models import Unit


@transaction.atomic
def load_demo(*, province) -> None:
    """Three courses of the province (language, IT, grassroots) with participants, once."""
    if Course.objects.in_subtree(province).exists():
        return
    today = timezone.localdate()
    officers = list(Officer.objects.in_subtree(province).order_by("service_number")[:6])
    _language_course(province, officers, today)
    COURSES.save(
        actor=None,
        instance=None,
        data={
            "unit": province,
            "title": "Tập huấn Đề án 06 và ứng dụng VNeID",
            "topic": "it",
            "starts_on": today - dt.timedelta(days=5),
            "ends_on": today + dt.timedelta(days=2),
            "place": "Hội trường Công an tỉnh",
        },
    )
    _grassroots_course(province, today)


def _language_course(province, officers, today) -> None:
    """A finished Xơ Đăng course of the province; all but one of its officers completed it."""
    language = COURSES.save(
        actor=None,
        instance=None,
        data={
            "unit": province,
            "title": "Bồi dưỡng tiếng Xơ Đăng cho cán bộ Công an xã",
            "topic": "language",
            "language": "Xơ Đăng",
            "starts_on": today - dt.timedelta(days=100),
            "ends_on": today - dt.timedelta(days=10),
            "place": "Trường Chính trị tỉnh",
        },
    )
    for index, officer in enumerate(officers):
        done = index < len(officers) - 1  # one officer did not finish
        PARTICIPANTS.save(
            actor=None,
            instance=None,
            data={
                "course": language,
                "officer": officer,
                "completed": done,
                "completed_on": language.ends_on if done else None,
                "result": ("good" if index % 2 else "pass") if done else "",
                "certificate_number": f"XĐ-{index + 1:03d}/{language.ends_on.year}" if done else "",
            },
        )


def _grassroots_course(province, today) -> None:
    """A refresher for the grassroots teams of the first commune that has any, two thirds attending."""
    members = list(
        TeamMember.objects.in_subtree(province)
        .filter(left_on__isnull=True)
        .select_related("team__unit")
        .order_by("team__code", "pk")
    )
    if not members:
        return
    commune = Unit.objects.get(pk=members[0].team.unit_id)
    refresher = COURSES.save(
        actor=None,
        instance=None,
        data={
            "unit": commune,
            "title": "Bồi dưỡng nghiệp vụ cho Tổ bảo vệ ANTT ở cơ sở",
            "topic": "grassroots",
            "starts_on": today - dt.timedelta(days=30),
            "ends_on": today - dt.timedelta(days=28),
            "place": f"Hội trường UBND {commune.name}",
        },
    )
    # About two thirds of the members trained: the tile shows a gap to close.
    for index, member in enumerate(members[: max(1, len(members) * 2 // 3)]):
        PARTICIPANTS.save(
            actor=None,
            instance=None,
            data={
                "course": refresher,
                "team_member": member,
                "completed": index % 5 != 4,
                "completed_on": refresher.ends_on if index % 5 != 4 else None,
                "result": "pass" if index % 5 != 4 else "",
            },
        )
