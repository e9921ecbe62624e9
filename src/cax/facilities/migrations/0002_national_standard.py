import datetime as dt

from django.db import migrations

# Illustrative national defaults (định mức mẫu) so the figures mean something from day one; the
# ministry's own list replaces them through the standards page or its Excel import (docs/facilities.md).
VALID_FROM = dt.date(2025, 7, 1)
ITEMS = [
    ("OTO", "Ô tô", "vehicle", 1),
    ("XMT", "Xe mô tô", "vehicle", 3),
    ("BDCT", "Bộ đàm cầm tay", "communications", 4),
    ("DTTB", "Điện thoại trực ban", "communications", 1),
    ("MTDB", "Máy tính để bàn", "it_office", 3),
    ("MTXT", "Máy tính xách tay", "it_office", 1),
    ("MIN", "Máy in", "it_office", 1),
    ("MPHOTO", "Máy photocopy", "it_office", 1),
    ("CAMERA", "Camera ghi hình hiện trường", "it_office", 1),
    ("DCD", "Dùi cui điện", "support_tools", 4),
    ("BXHC", "Bình xịt hơi cay", "support_tools", 4),
    ("KSO8", "Khoá số 8", "support_tools", 6),
    ("AGCDD", "Áo giáp chống đâm", "support_tools", 4),
    ("DPIN", "Đèn pin chuyên dụng", "other", 6),
]


def add_items(apps, schema_editor):
    from cax.core.text import search_key

    EquipmentStandard = apps.get_model("facilities", "EquipmentStandard")
    for code, name, category, quantity in ITEMS:
        EquipmentStandard.objects.get_or_create(
            unit=None,
            code=code,
            valid_from=VALID_FROM,
            defaults={
                "name": name,
                "category": category,
                "quantity": quantity,
                "note": "Định mức mẫu, thay bằng danh mục do Bộ Công an ban hành.",
                "search_key": search_key(f"{code} {name} BCA toàn quốc"),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]
    operations = [migrations.RunPython(add_items, migrations.RunPython.noop)]
