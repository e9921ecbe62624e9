"""The entitlement types the notes name (commune-police-tasks.md §2) and the rotation rule [U].

Rates are not here: they need the unit tree (national rows belong to the ministry, top-ups to a
province), loaded after migrations; the demo loader and the rate import add them."""

import datetime as dt

from django.db import migrations

TYPES = [
    ("TW-PHUCAP", "Phụ cấp theo quy định của Trung ương", "central", "Quy định của Bộ Công an về chế độ phụ cấp [chưa đối chiếu]", ""),
    ("HN-NQ38-2024", "Hỗ trợ Cảnh sát hình sự Công an cấp xã (Hà Nội)", "provincial", "Nghị quyết 38/2024/NQ-HĐND TP Hà Nội", "HN-HO-TRO"),
    ("HN-HOTRO-2025", "Hỗ trợ cán bộ, chiến sĩ Công an cấp xã (Hà Nội)", "provincial", "Nghị quyết HĐND TP Hà Nội ngày 27/11/2025", "HN-HO-TRO"),
    ("VUNG-DBKK", "Phụ cấp thu hút vùng đặc biệt khó khăn", "difficult_area", "Nghị định 76/2019/NĐ-CP (số hiệu và mức chưa đối chiếu)", ""),
    ("NHA-O", "Hỗ trợ nhà ở tập thể tại trụ sở Công an xã", "housing", "Nghị định 18/2013/NĐ-CP (hiệu lực chưa đối chiếu)", ""),
    ("TIEN-AN", "Hỗ trợ tiền ăn", "meal", "Nghị định 18/2013/NĐ-CP (hiệu lực chưa đối chiếu)", ""),
]


def add(apps, schema_editor):
    EntitlementType = apps.get_model("regimes", "EntitlementType")
    RotationRule = apps.get_model("regimes", "RotationRule")
    for code, name, kind, basis, group in TYPES:
        EntitlementType.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "legal_basis": basis, "exclusive_group": group}
        )
    if not RotationRule.objects.exists():
        RotationRule.objects.create(
            years=5,
            effective_from=dt.date(2020, 1, 1),
            basis="Chưa tìm thấy quy định công khai (ghi chú §2, [U]): sửa khi có văn bản",
            verified=False,
        )


class Migration(migrations.Migration):
    dependencies = [("regimes", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
