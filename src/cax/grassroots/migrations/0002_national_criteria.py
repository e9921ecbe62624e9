from django.db import migrations

# Law 30/2023/QH15 Art. 13: members are 18–70 years old and have lived in the area for at least a
# year. The root row carries these numbers; provinces add their own rows to tighten them. On a fresh
# database the unit tree is loaded after migrating, so services.criteria_for falls back to the same
# numbers when no row applies; the demo load creates the row then.


def add_root_criteria(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    Criteria = apps.get_model("grassroots", "Criteria")
    root = Unit.objects.filter(code="BCA", parent__isnull=True, valid_to__isnull=True).first()
    if root is None or Criteria.objects.filter(unit=root).exists():
        return
    Criteria.objects.create(
        unit=root,
        min_age=18,
        max_age=70,
        min_residence_months=12,
        default_team_size=3,
        legal_basis="Luật 30/2023/QH15, Điều 13",
        search_key="bo cong an bca luat 30/2023/qh15, dieu 13",
    )


def remove_root_criteria(apps, schema_editor):
    apps.get_model("grassroots", "Criteria").objects.filter(unit__code="BCA", unit__parent__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("grassroots", "0001_initial"), ("units", "0004_village_types")]
    operations = [migrations.RunPython(add_root_criteria, remove_root_criteria)]
