from django.db import migrations

# Villages and residential groups (thôn, tổ dân phố) are sub-units of a commune (#8): the
# grassroots security teams are organised per village. Kept as data like every unit type.
VILLAGE_TYPES = [
    ("thon", "Thôn, ấp, bản, làng", ["Thôn ", "Ấp ", "Bản ", "Buôn ", "Làng ", "Plei ", "Xóm ", "Sóc "], 40),
    ("to_dan_pho", "Tổ dân phố, khu phố", ["Tổ dân phố ", "Khu phố ", "Khóm ", "Khối "], 41),
]


def add_types(apps, schema_editor):
    UnitType = apps.get_model("units", "UnitType")
    for code, name, prefixes, order in VILLAGE_TYPES:
        UnitType.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_prefixes": prefixes, "is_commune_level": False, "sort_order": order},
        )


def remove_types(apps, schema_editor):
    apps.get_model("units", "UnitType").objects.filter(code__in=[c for c, *_ in VILLAGE_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("units", "0003_unit_local_languages")]
    operations = [migrations.RunPython(add_types, remove_types)]
