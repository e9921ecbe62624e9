import datetime as dt

from django.db import migrations

# National staffing norms over time (#4). Data, not code: provinces and units get their own rows.
# See ../shared/domain/vietnam-commune-police.md §2: ≥5 in the Decree 42 era, the seeds' 8 in 2024,
# ≥12 plus investigators from 1 March 2025.
NORMS = [
    (5, 5, True, 0, dt.date(2021, 5, 16), dt.date(2023, 12, 31), "Nghị định 42/2021/NĐ-CP: mỗi xã từ 5 cán bộ"),
    (8, 8, True, 0, dt.date(2024, 1, 1), dt.date(2025, 2, 28), "Báo cáo năm 2024: tối thiểu 8 cán bộ mỗi xã"),
    (12, 12, True, 1, dt.date(2025, 3, 1), None, "Bộ Công an, từ 01/03/2025: tối thiểu 12 cán bộ, có điều tra viên"),
]


def add_norms(apps, schema_editor):
    StaffingNorm = apps.get_model("deployment", "StaffingNorm")
    for minimum, target, chief, investigators, start, end, basis in NORMS:
        StaffingNorm.objects.get_or_create(
            province=None, unit_type=None, unit=None, effective_from=start,
            defaults={"minimum": minimum, "target": target, "requires_chief": chief,
                      "min_investigators": investigators, "effective_to": end, "legal_basis": basis},
        )


class Migration(migrations.Migration):
    dependencies = [("deployment", "0001_initial")]
    operations = [migrations.RunPython(add_norms, migrations.RunPython.noop)]
