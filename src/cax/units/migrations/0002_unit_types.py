from django.db import migrations

# Kept as data (#3): more kinds can be added without code. Prefixes derive a type from an official name.
UNIT_TYPES = [
    ("ministry", "Bộ", ["Bộ "], False, 0),
    ("province", "Tỉnh, thành phố", ["Tỉnh ", "Thành phố "], False, 10),
    ("district", "Huyện, quận, thị xã, thành phố thuộc tỉnh", ["Huyện ", "Quận ", "Thị xã ", "Thành phố "], False, 20),
    ("department", "Phòng nghiệp vụ", ["Phòng "], False, 25),
    ("xa", "Xã", ["Xã "], True, 30),
    ("phuong", "Phường", ["Phường "], True, 31),
    ("thi_tran", "Thị trấn", ["Thị trấn "], True, 32),
    ("dac_khu", "Đặc khu", ["Đặc khu "], True, 33),
]


def add_types(apps, schema_editor):
    UnitType = apps.get_model("units", "UnitType")
    for code, name, prefixes, is_commune, order in UNIT_TYPES:
        UnitType.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_prefixes": prefixes, "is_commune_level": is_commune, "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
