"""Deadline rules, offence groups and fixed-date holidays as data (#5).

Lunar-calendar holidays (Tết, Giỗ Tổ Hùng Vương) move every year; administrators add them as
Holiday rows each year. Only rules counted in working days use holidays; the CPC periods below are
hours, calendar days and months.
"""

import datetime as dt

from django.db import migrations

RULES = [
    ("transfer", 24, "hours", 48, "TTLT 01/2017: Công an xã chuyển nguồn tin trong 24 giờ (vùng sâu, vùng xa 48 giờ)"),
    ("resolve", 20, "calendar_days", None, "BLTTHS 2015 Điều 147(1): giải quyết trong 20 ngày"),
    ("extend_investigation", 2, "months", None, "BLTTHS 2015 Điều 147(2): gia hạn không quá 2 tháng"),
    ("extend_procuracy", 2, "months", None, "BLTTHS 2015 Điều 147(2): Viện kiểm sát gia hạn một lần, không quá 2 tháng"),
    ("extension_request_lead", 5, "calendar_days", None, "BLTTHS 2015 Điều 147(2): đề nghị gia hạn chậm nhất 5 ngày trước khi hết hạn"),
    ("after_resumption", 1, "months", None, "BLTTHS 2015 Điều 149: không quá 1 tháng kể từ ngày phục hồi"),
    ("decision_to_procuracy", 24, "hours", None, "BLTTHS 2015 Điều 148, TT 28/2020 Điều 16: gửi Viện kiểm sát trong 24 giờ"),
]
CATEGORIES = [
    ("national_security", "Xâm phạm an ninh quốc gia"),
    ("life_health", "Xâm phạm tính mạng, sức khỏe, nhân phẩm, danh dự của con người"),
    ("property", "Xâm phạm sở hữu"),
    ("marriage_family", "Xâm phạm chế độ hôn nhân và gia đình"),
    ("economy", "Xâm phạm trật tự quản lý kinh tế"),
    ("environment", "Tội phạm về môi trường"),
    ("drugs", "Tội phạm về ma túy"),
    ("public_order", "Xâm phạm an toàn công cộng, trật tự công cộng"),
    ("traffic", "Vi phạm quy định về tham gia giao thông"),
    ("administration", "Xâm phạm trật tự quản lý hành chính"),
    ("corruption", "Tội phạm về chức vụ"),
    ("justice", "Xâm phạm hoạt động tư pháp"),
    ("cyber", "Tội phạm trong lĩnh vực công nghệ thông tin, mạng viễn thông"),
]
FIXED_HOLIDAYS = [((1, 1), "Tết Dương lịch"), ((4, 30), "Ngày Giải phóng miền Nam"), ((5, 1), "Quốc tế Lao động"),
                  ((9, 2), "Quốc khánh")]


def add(apps, schema_editor):
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    for code, amount, unit, remote, basis in RULES:
        DeadlineRule.objects.get_or_create(
            code=code, effective_from=dt.date(2018, 3, 1),
            defaults={"amount": amount, "unit": unit, "remote_amount": remote, "legal_basis": basis})
    OffenceCategory = apps.get_model("cases", "OffenceCategory")
    for code, name in CATEGORIES:
        OffenceCategory.objects.get_or_create(code=code, defaults={"name": name})
    Holiday = apps.get_model("cases", "Holiday")
    for year in range(2024, 2031):
        for (month, day), name in FIXED_HOLIDAYS:
            Holiday.objects.get_or_create(day=dt.date(year, month, day), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
