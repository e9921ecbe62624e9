"""The categories of persons under local management and their rules (issue 18.1), from
shared/domain/commune-police-tasks.md §1 and §6.1. Reference data: edited at /reference/ after this.

``verified`` is True only for a figure the notes quote from the text of the law ([V]); the others
come from secondary summaries ([S]) or are CAX's working figures where the text was not reached
([U]): they are shown as unverified and must be checked before anyone relies on them.
"""

import datetime as dt

from django.db import migrations

D = dt.date
BLHS = D(2018, 1, 1)  # Penal Code 2015, in force 01/01/2018
THAHS = D(2020, 1, 1)  # Law 41/2019/QH14 on execution of criminal judgments
RESIDENCE = D(2021, 7, 1)  # Law 68/2020/QH14 on residence
DRUGS = D(2022, 1, 1)  # Law 73/2021/QH14 on drugs, Decrees 105/2021 and 116/2021
DECREE_120 = D(2022, 1, 1)
OLD_REGIME_END = D(2026, 6, 30)
NEW_REGIME = D(2026, 7, 1)  # Laws 120/2025, 127/2025, 128/2025

UNVERIFIED = "Chưa đối chiếu văn bản gốc: kiểm tra và sửa tại danh mục quy tắc."
ABSENCE_BASIS = "Luật Cư trú 2020 Điều 31(1)(a)(b): vắng mặt từ 01 ngày phải khai báo tạm vắng"

CATEGORIES = [
    (
        "an_treo",
        "Người được hưởng án treo",
        "BLHS 2015 Điều 65; Luật THAHS 2019 Điều 84–93; TTLT 02/2025/TTLT-BCA-VKSNDTC-TANDTC",
        "UBND cấp xã; Công an cấp xã trực tiếp giám sát, giáo dục",
        "PC10",
        ["Bản án", "Quyết định thi hành án", "Bản cam kết", "Nhận xét của người giám sát", "Biên bản vi phạm",
         "Giấy phép vắng mặt"],
    ),
    (
        "ctkgg",
        "Người chấp hành án phạt cải tạo không giam giữ",
        "BLHS 2015 Điều 36; Luật THAHS 2019 Điều 97–100; TTLT 02/2025/TTLT-BCA-VKSNDTC-TANDTC",
        "UBND cấp xã; Công an cấp xã trực tiếp giám sát, giáo dục",
        "PC10",
        ["Bản án", "Quyết định thi hành án", "Bản cam kết", "Bản tự nhận xét", "Nhận xét của người giám sát",
         "Chứng từ nộp khoản thu nhập bị khấu trừ", "Biên bản vi phạm"],
    ),
    (
        "hoan_tu",
        "Người được hoãn, tạm đình chỉ chấp hành án phạt tù",
        "BLHS 2015 Điều 67; Luật THAHS 2019; TTLT 02/2025/TTLT-BCA-VKSNDTC-TANDTC",
        "UBND cấp xã; Công an cấp xã quản lý",
        "PC10",
        ["Quyết định hoãn, tạm đình chỉ", "Bản cam kết", "Nhận xét của người giám sát"],
    ),
    (
        "tha_tu_dk",
        "Người được tha tù trước thời hạn có điều kiện",
        "BLHS 2015 Điều 66; Luật THAHS 2019 Điều 57; NQ 01/2018/NQ-HĐTP; TT 12/2018/TT-BCA",
        "UBND cấp xã; Công an cấp xã quản lý",
        "PC10",
        ["Quyết định tha tù trước thời hạn có điều kiện", "Bản cam kết", "Nhận xét của người giám sát",
         "Biên bản vi phạm"],
    ),
    (
        "tai_hoa_nhap",
        "Người chấp hành xong án phạt tù (tái hòa nhập cộng đồng)",
        "Luật THAHS 2019 Điều 45; Nghị định 49/2020/NĐ-CP; TT 10/2024/TT-BCA",
        "UBND cấp xã; Công an cấp xã nơi cư trú",
        "PC10",
        ["Giấy chứng nhận chấp hành xong án phạt tù", "Phiếu thông tin (HCD-02)", "Biên bản làm việc, cam kết (HCD-05)",
         "Nhận xét", "Phiếu lý lịch tư pháp"],
    ),
    (
        "giao_duc_xa",
        "Người bị áp dụng biện pháp giáo dục tại xã, phường",
        "Luật Xử lý vi phạm hành chính 2012 (sửa đổi 2020); Nghị định 120/2021/NĐ-CP",
        "Chủ tịch UBND cấp xã quyết định; Trưởng Công an cấp xã lập hồ sơ",
        "PC06",
        ["Quyết định áp dụng biện pháp", "Bản cam kết", "Báo cáo của người được giáo dục", "Nhận xét của người được giao quản lý"],
    ),
    (
        "ma_tuy",
        "Người sử dụng trái phép chất ma túy đang bị quản lý",
        "Luật Phòng, chống ma túy 2021 Điều 23; Nghị định 105/2021/NĐ-CP; từ 01/07/2026 Luật 120/2025/QH15",
        "Chủ tịch UBND cấp xã; Công an cấp xã lập danh sách, kiểm tra cư trú",
        "PC04",
        ["Kết quả xét nghiệm", "Quyết định quản lý", "Biên bản kiểm tra cư trú hằng tháng"],
    ),
    (
        "sau_cai_nghien",
        "Người bị quản lý sau cai nghiện ma túy",
        "Luật Phòng, chống ma túy 2021 Điều 40; Nghị định 116/2021/NĐ-CP",
        "Chủ tịch UBND cấp xã",
        "PC04",
        ["Giấy chứng nhận hoàn thành cai nghiện", "Quyết định quản lý sau cai nghiện", "Biên bản kiểm tra cư trú",
         "Giấy chứng nhận hoàn thành (Mẫu 54)"],
    ),
    (
        "cam_di_khoi",
        "Người bị cấm đi khỏi nơi cư trú",
        "BLTTHS 2015 Điều 123; từ 01/07/2026 Luật 128/2025/QH15",
        "Cơ quan ra lệnh; UBND cấp xã; Trưởng Công an cấp xã theo dõi",
        "",
        ["Lệnh cấm đi khỏi nơi cư trú", "Giấy cam đoan", "Biên bản vi phạm"],
    ),
]

# (category, code, amount, unit, from, to, legal basis, verified, note)
RULES = [
    ("an_treo", "term_min", 12, "months", BLHS, None, "BLHS 2015 Điều 65(1): thử thách từ 01 năm", True, ""),
    ("an_treo", "term_max", 60, "months", BLHS, None, "BLHS 2015 Điều 65(1): thử thách đến 05 năm", True, ""),
    ("an_treo", "commitment", 3, "working_days", THAHS, None, "Luật THAHS 2019 Điều 85(1)", False,
     "Có mặt, cam kết trong 03 ngày làm việc (nguồn thứ cấp)."),
    ("an_treo", "report", 1, "months", THAHS, None, "Luật THAHS 2019 Điều 87", False, UNVERIFIED),
    ("an_treo", "assessment", 3, "months", THAHS, None, "Luật THAHS 2019 Điều 86", False, UNVERIFIED),
    ("an_treo", "temporary_absence", 1, "calendar_days", RESIDENCE, None, ABSENCE_BASIS, True, ""),
    ("ctkgg", "term_min", 6, "months", BLHS, None, "BLHS 2015 Điều 36(1): từ 06 tháng", True, ""),
    ("ctkgg", "term_max", 36, "months", BLHS, None, "BLHS 2015 Điều 36(1): đến 03 năm", True, ""),
    ("ctkgg", "custody_credit", 3, "calendar_days", BLHS, None,
     "BLHS 2015 Điều 36(1): 01 ngày tạm giữ, tạm giam bằng 03 ngày cải tạo không giam giữ", True, ""),
    ("ctkgg", "commitment", 3, "working_days", THAHS, None, "Luật THAHS 2019 Điều 97(1)", False,
     "Có mặt, cam kết (nguồn thứ cấp)."),
    ("ctkgg", "report", 1, "months", THAHS, None, "Luật THAHS 2019 Điều 99 (bản tự nhận xét)", False, UNVERIFIED),
    ("ctkgg", "assessment", 3, "months", THAHS, None, "Luật THAHS 2019 Điều 98", False, UNVERIFIED),
    ("ctkgg", "income_deduction", 1, "months", BLHS, None,
     "BLHS 2015 Điều 36(3): khấu trừ 05%–20% thu nhập hằng tháng", True, ""),
    ("ctkgg", "temporary_absence", 1, "calendar_days", RESIDENCE, None, ABSENCE_BASIS, True, ""),
    ("hoan_tu", "report", 1, "months", THAHS, None, "Luật THAHS 2019", False, UNVERIFIED),
    ("hoan_tu", "temporary_absence", 1, "calendar_days", RESIDENCE, None, ABSENCE_BASIS, True, ""),
    ("tha_tu_dk", "report", 1, "months", THAHS, None, "Luật THAHS 2019; TT 12/2018/TT-BCA", False, UNVERIFIED),
    ("tha_tu_dk", "assessment", 3, "months", THAHS, None, "Luật THAHS 2019; TT 12/2018/TT-BCA", False, UNVERIFIED),
    ("tha_tu_dk", "temporary_absence", 1, "calendar_days", RESIDENCE, None, ABSENCE_BASIS, True, ""),
    ("tai_hoa_nhap", "assessment", 3, "months", D(2024, 5, 1), None, "TT 10/2024/TT-BCA Điều 10–12", False,
     UNVERIFIED),
    ("giao_duc_xa", "term_min", 3, "months", DECREE_120, None, "Nghị định 120/2021/NĐ-CP Điều 5(3): từ 03 tháng",
     True, ""),
    ("giao_duc_xa", "term_max", 6, "months", DECREE_120, None, "Nghị định 120/2021/NĐ-CP Điều 5(3): đến 06 tháng",
     True, ""),
    ("giao_duc_xa", "report", 1, "months", DECREE_120, None, "Nghị định 120/2021/NĐ-CP", False, UNVERIFIED),
    ("giao_duc_xa", "temporary_absence", 1, "calendar_days", RESIDENCE, None, ABSENCE_BASIS, True, ""),
    ("ma_tuy", "term_min", 12, "months", DRUGS, OLD_REGIME_END, "Luật Phòng, chống ma túy 2021 Điều 23: 01 năm",
     False, "Nguồn thứ cấp."),
    ("ma_tuy", "term_max", 12, "months", DRUGS, OLD_REGIME_END, "Luật Phòng, chống ma túy 2021 Điều 23: 01 năm",
     False, "Nguồn thứ cấp."),
    ("ma_tuy", "term_min", 12, "months", NEW_REGIME, None, "Luật 120/2025/QH15", False,
     "Thời hạn theo Luật 120/2025 chưa đối chiếu; giữ 01 năm. " + UNVERIFIED),
    ("ma_tuy", "term_max", 12, "months", NEW_REGIME, None, "Luật 120/2025/QH15", False,
     "Thời hạn theo Luật 120/2025 chưa đối chiếu; giữ 01 năm. " + UNVERIFIED),
    ("ma_tuy", "residence_check", 1, "months", DRUGS, OLD_REGIME_END,
     "Nghị định 105/2021/NĐ-CP: kiểm tra cư trú ít nhất 01 lần/tháng", False, "Nguồn thứ cấp."),
    ("ma_tuy", "residence_check", 1, "months", NEW_REGIME, None, "Luật 120/2025/QH15", False, UNVERIFIED),
    ("ma_tuy", "handover", 24, "hours", NEW_REGIME, None,
     "Luật 120/2025/QH15: thông báo Công an xã nơi đến trong 24 giờ", False, "Nguồn thứ cấp."),
    ("sau_cai_nghien", "term_min", 12, "months", DRUGS, None, "Luật Phòng, chống ma túy 2021 Điều 40: 01 năm",
     False, "Nguồn thứ cấp."),
    ("sau_cai_nghien", "term_max", 24, "months", DRUGS, None,
     "Luật Phòng, chống ma túy 2021 Điều 40: 02 năm sau cai nghiện bắt buộc", False, "Nguồn thứ cấp."),
    ("sau_cai_nghien", "residence_check", 1, "months", DRUGS, None, "Nghị định 116/2021/NĐ-CP", False, UNVERIFIED),
    ("cam_di_khoi", "temporary_absence", 1, "calendar_days", RESIDENCE, None, ABSENCE_BASIS, False,
     "Bị can, bị cáo tại ngoại (nguồn thứ cấp)."),
]


def load(apps, schema_editor):
    Category = apps.get_model("supervision", "Category")
    Rule = apps.get_model("supervision", "Rule")
    by_code = {}
    for order, (code, name, basis, body, department, items) in enumerate(CATEGORIES, start=1):
        by_code[code], _ = Category.objects.update_or_create(
            code=code,
            defaults={"name": name, "legal_basis": basis, "supervising_body": body, "department_code": department,
                      "dossier_items": items, "sort_order": order},
        )
    for category, code, amount, unit, first, last, basis, verified, note in RULES:
        Rule.objects.update_or_create(
            category=by_code[category], code=code, effective_from=first,
            defaults={"amount": amount, "unit": unit, "effective_to": last, "legal_basis": basis,
                      "verified": verified, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
