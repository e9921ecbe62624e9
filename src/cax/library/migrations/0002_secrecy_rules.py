"""The secrecy rule rows (docs/library.md): what the law in force says about storing classified
documents on a networked system, and the protection periods by level."""

import datetime as dt

from django.db import migrations

LAW_2018 = "Luật Bảo vệ bí mật nhà nước số 29/2018/QH14"
LAW_2025 = "Luật Bảo vệ bí mật nhà nước số 117/2025/QH15"
UNTIL_2026 = dt.date(2026, 2, 28)
FROM_2020 = dt.date(2020, 7, 1)
FROM_2026 = dt.date(2026, 3, 1)

RULES = [
    (LAW_2018, "khoản 5 Điều 5", FROM_2020, UNTIL_2026, True, "Nghiêm cấm soạn thảo, lưu giữ tài liệu chứa bí mật nhà nước trên máy tính, thiết bị có kết nối Internet, mạng máy tính, mạng viễn thông."),
    (LAW_2025, "Điều 5 (các hành vi bị nghiêm cấm)", FROM_2026, None, False, "Nghiêm cấm soạn thảo, lưu giữ bí mật nhà nước trên thiết bị kết nối mạng khác mạng LAN độc lập; số khoản chưa đối chiếu [U]."),
]
PERIODS = [
    ("mat", 10), ("toi_mat", 20), ("tuyet_mat", 30),
]


def seed(apps, schema_editor):
    SecrecyRule = apps.get_model("library", "SecrecyRule")
    ProtectionPeriod = apps.get_model("library", "ProtectionPeriod")
    for law, article, start, end, verified, note in RULES:
        SecrecyRule.objects.update_or_create(
            effective_from=start,
            defaults={"law": law, "article": article, "effective_to": end, "verified": verified, "note": note},
        )
    for level, years in PERIODS:
        ProtectionPeriod.objects.update_or_create(
            level=level, effective_from=FROM_2020,
            defaults={"years": years, "effective_to": UNTIL_2026, "legal_basis": f"{LAW_2018}, Điều 19", "verified": True},
        )
        # Law 117/2025 keeps the periods as far as is known: not read in its text, so unverified.
        ProtectionPeriod.objects.update_or_create(
            level=level, effective_from=FROM_2026,
            defaults={"years": years, "effective_to": None, "legal_basis": LAW_2025, "verified": False},
        )


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
