"""A demo conference "Lắng nghe ý kiến của Công an xã" with its requests (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cax.petitions import services
from cax.petitions.models import Conference
from cax.petitions.registers import CONFERENCES, PETITIONS
from cax.units.models import Unit

LEADER = "Đại tá Nguyễn Văn Bình, Giám đốc Công an tỉnh"
# (topic, text, what happened: "spot" answer, a department suffix to assign, or "" left open)
REQUESTS = [
    ("reporting", "Đề nghị giảm số lượng báo cáo ngày, tuần; thống nhất một mẫu báo cáo tổng hợp.", "PV01"),
    ("staffing", "Xã mới thiếu 3 cán bộ so với định biên; đề nghị bổ sung cán bộ biết tiếng Xơ Đăng.", "PX01"),
    ("headquarters", "Trụ sở đang mượn nhà văn hoá thôn, đề nghị bố trí vốn xây dựng năm 2026.", "PH10"),
    ("allowances", "Đề nghị sớm chi trả hỗ trợ cho Tổ bảo vệ ANTT cơ sở theo Nghị quyết của HĐND tỉnh.", "spot"),
    ("law", "Hướng dẫn thủ tục tiếp nhận tin báo sau sáp nhập xã, mẫu sổ theo dõi mới.", "PC06"),
    ("headquarters", "Thiếu xe ô tô phục vụ tuần tra địa bàn rộng, đường đồi núi.", "PH10"),
    ("staffing", "Đề nghị luân chuyển cán bộ có hoàn cảnh khó khăn về gần nơi cư trú.", "spot"),
    ("reporting", "Phần mềm quản lý cư trú hay lỗi đồng bộ, đề nghị hỗ trợ kỹ thuật.", "PC06"),
    ("other", "Đề nghị tổ chức tập huấn kỹ năng vận động quần chúng cho cán bộ trẻ.", "PX05"),
    ("allowances", "Chế độ trực đêm của cán bộ chưa thống nhất giữa các xã.", ""),
]


def load_demo(*, province: Unit) -> None:
    """A conference of the province and the requests its communes raised there, once."""
    if Conference.objects.filter(unit=province).exists():
        return
    today = timezone.localdate()
    held = today - dt.timedelta(days=40)
    conference = CONFERENCES.save(
        actor=None,
        instance=None,
        data={
            "unit": province,
            "title": "Hội nghị lắng nghe ý kiến của Công an xã",
            "held_on": held,
            "place": "Hội trường Công an tỉnh",
            "chaired_by": LEADER,
        },
    )
    from cax.accounts.demo import DEMO_COMMUNE_CODE

    every = Unit.objects.current().commune_level().in_subtree(province).order_by("name")
    communes = sorted(every, key=lambda u: u.code != DEMO_COMMUNE_CODE)  # the demo chief's commune first
    departments = {
        u.code.rsplit("-", 1)[-1]: u
        for u in Unit.objects.current().filter(parent=province, unit_type__code="department")
    }
    for index, (topic, text, outcome) in enumerate(REQUESTS):
        petition = PETITIONS.save(
            actor=None,
            instance=None,
            data={
                "unit": communes[(index * 7) % len(communes)],
                "conference": conference,
                "raised_on": held,
                "topic": topic,
                "text": text,
            },
        )
        _follow_up(petition, index, outcome, departments, held)


def _follow_up(petition, index: int, outcome: str, departments: dict, held: dt.date) -> None:
    """Answered on the spot, or assigned to a department with a due date (the first one answered)."""
    if outcome == "spot":
        services.petition_answer(
            actor=None,
            petition=petition,
            answer="Đồng ý; giao Phòng Tham mưu tổng hợp, triển khai ngay trong quý.",
            answered_by=LEADER,
            answered_on=held,
        )
    elif outcome in departments:
        # Some due dates already passed: the overview shows the overdue ones.
        due = held + dt.timedelta(days=30 if index % 2 else 60)
        petition.assigned_department, petition.assigned_on, petition.due_on = departments[outcome], held, due
        services.petition_save(actor=None, instance=petition, data={})
        if index == 0:
            services.petition_answer(
                actor=None,
                petition=petition,
                answer="Từ quý tới áp dụng một mẫu báo cáo ngày thống nhất.",
                answered_by="Trưởng Phòng Tham mưu",
                answered_on=held + dt.timedelta(days=12),
            )
