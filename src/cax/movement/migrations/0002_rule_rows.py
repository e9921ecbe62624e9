"""The movement's rule rows and model types (issue 19), from shared/domain/commune-police-tasks.md
§3 and §6.3. Reference data: edited at /reference/ after this.

Every row is ``verified=False``: the assessment windows are quoted from TT 124/2021 Art. 8(2) ([V]),
but the submission deadlines come from a summary of QĐ 510/QĐ-BCA-V05 ([S]), the effective dates
of TT 124 were not read, the authority that recognises communes since districts were abolished
(1 July 2025) is not known ([U]), and the rating cap and its base are the press's reading of HD
01/HD-BCA-V05 ([S]). The checklist holds the residential-area criteria the notes give (Art. 4);
the other entity types' criteria were not reached and are to be entered from the text: until then
a registration of those types cannot be self-assessed (services.registration_problems).
"""

import datetime as dt

from django.db import migrations

TT124 = dt.date(2022, 1, 1)  # [U] the notes do not give TT 124/2021's entry into force
NO_DISTRICTS = dt.date(2025, 7, 1)  # two-level local government (district level abolished)
HD01 = dt.date(2026, 1, 1)  # [U] HD 01/HD-BCA-V05 (2026): day of issue not in the notes

BASIS = "Thông tư 124/2021/TT-BCA Điều 8, 10; QĐ 510/QĐ-BCA-V05 (hạn gửi hồ sơ)"
BASIS_48 = "Thông tư 124/2021/TT-BCA sửa đổi bởi Thông tư 48/2025/TT-BCA; QĐ 510/QĐ-BCA-V05"

# entity type, window start (month, day, previous year), window end, submission, authority, from, to, basis
SCHEMES = [
    ("residential", (11, 1), (10, 31), (11, 20), "UBND cấp xã", TT124, None, BASIS),
    ("commune", (11, 16), (11, 15), (11, 30), "UBND cấp huyện", TT124, dt.date(2025, 6, 30), BASIS),
    (
        "commune",
        (11, 16),
        (11, 15),
        (11, 30),
        "UBND cấp tỉnh (chưa xác minh sau khi bỏ cấp huyện)",
        NO_DISTRICTS,
        None,
        BASIS_48,
    ),
    ("agency", (11, 16), (11, 15), (11, 30), "UBND cấp xã", TT124, None, BASIS),
    ("enterprise", (11, 16), (11, 15), (11, 30), "UBND cấp xã", TT124, None, BASIS),
    ("school", (11, 16), (11, 15), (11, 30), "UBND cấp xã", TT124, None, BASIS),
]

RESIDENTIAL_CRITERIA = [
    "Trong quý I, chi bộ ra nghị quyết, khu dân cư đăng ký; 100% hộ gia đình đăng ký thực hiện",
    "Thực hiện chủ trương, chính sách, pháp luật và quy định về bảo đảm an ninh, trật tự ở địa phương",
    "Không xảy ra hoạt động chống Đảng, chính quyền, phá hoại mục tiêu trọng điểm, tôn giáo trái pháp luật, "
    "lợi dụng tôn giáo, dân tộc, tranh chấp để kích động, chia rẽ, ly khai, khiếu kiện phức tạp kéo dài",
]

MODEL_TYPES = [
    "Tổ liên hộ tự quản về ANTT",
    "Giáo xứ bình yên",
    "Dòng họ tự quản",
    "Cụm an ninh liên hoàn",
    "Tiếng kẻng an ninh",
    "Camera an ninh",
]


def load(apps, schema_editor):
    scheme = apps.get_model("movement", "RecognitionScheme")
    for kind, start, end, submission, authority, first, last, basis in SCHEMES:
        scheme.objects.update_or_create(
            entity_type=kind,
            effective_from=first,
            defaults={
                "effective_to": last,
                "window_start_month": start[0],
                "window_start_day": start[1],
                "window_end_month": end[0],
                "window_end_day": end[1],
                "window_starts_previous_year": True,
                "registration_end_month": 3,  # quý I (Art. 4(1))
                "registration_end_day": 31,
                "submission_month": submission[0],
                "submission_day": submission[1],
                "authority": authority,
                "legal_basis": basis,
                "verified": False,
            },
        )
    criterion = apps.get_model("movement", "SafetyCriterion")
    for number, text in enumerate(RESIDENTIAL_CRITERIA, start=1):
        criterion.objects.update_or_create(
            entity_type="residential",
            number=number,
            effective_from=TT124,
            defaults={"text": text, "legal_basis": "Thông tư 124/2021/TT-BCA Điều 4", "verified": False},
        )
    apps.get_model("movement", "RatingScheme").objects.update_or_create(
        effective_from=HD01,
        defaults={
            "window_start_month": 11,
            "window_start_day": 15,
            "window_end_month": 11,
            "window_end_day": 14,
            "window_starts_previous_year": True,
            "min_months": 9,
            "excellent_cap_percent": 20,
            "cap_base": "good",
            "legal_basis": "Hướng dẫn 01/HD-BCA-V05 (2026)",
            "verified": False,
        },
    )
    model_type = apps.get_model("movement", "ModelType")
    for order, name in enumerate(MODEL_TYPES, start=1):
        model_type.objects.update_or_create(name=name, defaults={"sort_order": order * 10, "verified": False})


class Migration(migrations.Migration):
    dependencies = [("movement", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
