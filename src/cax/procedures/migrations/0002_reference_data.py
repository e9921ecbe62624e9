"""The procedures the commune police handle and their time limits, as data (issue 18).

Figures from ../shared/domain/commune-police-tasks.md §5.2 and vietnam-commune-police.md §5; every
row names its article. Rows taken from a secondary source (a law firm's summary, the press) are
flagged ``unverified``: check the gazette before relying on them. Administrators edit them at
/reference/ and add a new version (a new ``valid_from``) when a law changes; nothing is a constant.
"""

import datetime as dt

from django.db import migrations

RESIDENCE_LAW = dt.date(2021, 7, 1)  # Luật Cư trú 68/2020/QH14 in force
ID_CARD_LAW = dt.date(2024, 7, 1)  # Luật Căn cước 26/2023/QH15 in force
FOREIGNERS_LAW = dt.date(2020, 7, 1)  # Law 47/2014/QH13 as amended by 51/2019/QH14
DECREE_58_2026 = dt.date(2026, 3, 1)  # amends Decree 154/2024 Art. 9; the exact date is [U]

# (code, name, field, kind, [(amount, unit, remote_amount, cutoff, next_day, valid_from, basis, unverified)])
PROCEDURES = [
    ("thuong-tru", "Đăng ký thường trú", "residence", "dossier",
     [(7, "working_days", None, None, None, RESIDENCE_LAW, "Luật Cư trú 2020, Điều 22", False)]),
    ("tam-tru", "Đăng ký tạm trú", "residence", "dossier",
     [(3, "working_days", None, None, None, RESIDENCE_LAW, "Luật Cư trú 2020, Điều 28", False)]),
    ("gia-han-tam-tru", "Gia hạn tạm trú", "residence", "dossier",
     [(3, "working_days", None, None, None, RESIDENCE_LAW, "Luật Cư trú 2020, Điều 28", False)]),
    ("tach-ho", "Tách hộ", "residence", "dossier",
     [(5, "working_days", None, None, None, RESIDENCE_LAW, "Luật Cư trú 2020, Điều 25 khoản 3", False)]),
    ("dieu-chinh-cu-tru", "Điều chỉnh thông tin về cư trú", "residence", "dossier",
     [(3, "working_days", None, None, None, RESIDENCE_LAW, "Luật Cư trú 2020, Điều 26 khoản 3 điểm a", False)]),
    # "01 ngày; trường hợp phức tạp không quá 02 ngày làm việc": the ordinary day is the rule here.
    ("tam-vang", "Khai báo tạm vắng", "residence", "dossier",
     [(1, "calendar_days", None, None, None, RESIDENCE_LAW, "Luật Cư trú 2020, Điều 31; Thông tư 56/2021/TT-BCA",
       True)]),
    ("xoa-thuong-tru", "Xóa đăng ký thường trú", "residence", "dossier",
     [(1, "working_days", None, None, None, DECREE_58_2026,
       "Nghị định 154/2024/NĐ-CP Điều 9, sửa đổi bởi Nghị định 58/2026/NĐ-CP", True)]),
    ("can-cuoc", "Cấp, đổi, cấp lại thẻ căn cước", "id_card", "dossier",
     [(7, "working_days", None, None, None, ID_CARD_LAW, "Luật Căn cước 2023, Điều 26", True)]),
    # Received immediately at the desk; the host's duty is the cut-off: before 23:00 the day the stay
    # starts, before 08:00 the next day for an arrival after 23:00.
    ("luu-tru", "Thông báo lưu trú", "residence", "declaration",
     [(0, "cutoff", None, dt.time(23, 0), dt.time(8, 0), RESIDENCE_LAW, "Luật Cư trú 2020, Điều 30 khoản 4",
       False)]),
    ("tam-tru-nuoc-ngoai", "Khai báo tạm trú của người nước ngoài", "exit_entry", "declaration",
     [(12, "hours", 24, None, None, FOREIGNERS_LAW,
       "Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài 47/2014/QH13 (sửa đổi 51/2019/QH14), "
       "Điều 33", False)]),
]


def load(apps, schema_editor):
    ProcedureType = apps.get_model("procedures", "ProcedureType")
    ProcessingRule = apps.get_model("procedures", "ProcessingRule")
    for order, (code, name, field, kind, rules) in enumerate(PROCEDURES):
        procedure, _created = ProcedureType.objects.get_or_create(
            code=code, defaults={"name": name, "field": field, "kind": kind, "sort_order": order}
        )
        for amount, unit, remote, cutoff, next_day, valid_from, basis, unverified in rules:
            ProcessingRule.objects.get_or_create(
                procedure=procedure,
                valid_from=valid_from,
                defaults={
                    "amount": amount,
                    "unit": unit,
                    "remote_amount": remote,
                    "cutoff_time": cutoff,
                    "next_day_time": next_day,
                    "legal_basis": basis,
                    "unverified": unverified,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
