"""The standard set of commune-police reports shipped with CAX (#6): daily, weekly, monthly.

Seed 004: commune police asked the province to standardize what they report weekly and monthly,
set rules for the daily report, and cut thematic reports. No public MPS regulation fixes the
contents (docs/reports.md, ../shared/domain §4.2), so the indicators follow the police statistics
the domain notes list: crimes, crime reports, traffic accidents, fires, administrative violations,
drugs, residence, ID cards, the grassroots force. Loading is idempotent and never touches a form
an administrator has since changed: versions are created only when a form has none.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cax.core.changelog import record_change
from cax.core.models import ChangeLog
from cax.reports import expressions
from cax.reports.models import FormItem, FormVersion, Indicator, ReportForm, ValidationRule
from cax.units.models import UnitType

INT, D, T, B = "integer", "decimal", "text", "boolean"
FLOW, STOCK = "sum", "last"
VALID_FROM = dt.date(2025, 7, 1)  # the two-level local government: communes report to the province

ANTT = "I. Tình hình an ninh, trật tự"
TIN_BAO = "II. Tiếp nhận, giải quyết nguồn tin về tội phạm"
TNGT = "III. Tai nạn giao thông"
CHAY = "IV. Cháy, nổ"
VPHC = "V. Xử lý vi phạm hành chính"
MA_TUY = "VI. Phòng, chống ma túy"
CU_TRU = "VII. Quản lý cư trú, căn cước"
CO_SO = "VIII. Lực lượng tham gia bảo vệ ANTT ở cơ sở"
LUC_LUONG = "IX. Lực lượng Công an xã"
NHAN_XET = "X. Đánh giá, đề xuất"

# The indicators of the standard set, each defined once:
# code: (name, type, aggregation, measure, section, CAX source)
CATALOGUE = {
    "pham_phap_hinh_su": ("Số vụ phạm pháp hình sự xảy ra", INT, FLOW, "vụ", ANTT, ""),
    "vu_viec_khan": ("Có vụ việc phải báo cáo khẩn", B, FLOW, "", ANTT, ""),
    "tin_bao_tiep_nhan": ("Nguồn tin về tội phạm tiếp nhận", INT, FLOW, "tin", TIN_BAO, "cases_received"),
    "tin_bao_giai_quyet": (
        "Nguồn tin đã giải quyết (khởi tố / không khởi tố)",
        INT,
        FLOW,
        "tin",
        TIN_BAO,
        "cases_resolved",
    ),
    "tin_bao_chuyen": ("Nguồn tin đã chuyển Cơ quan điều tra", INT, FLOW, "tin", TIN_BAO, "cases_transferred"),
    "tngt_vu": ("Số vụ tai nạn giao thông", INT, FLOW, "vụ", TNGT, ""),
    "tngt_chet": ("Số người chết do tai nạn giao thông", INT, FLOW, "người", TNGT, ""),
    "tngt_bi_thuong": ("Số người bị thương do tai nạn giao thông", INT, FLOW, "người", TNGT, ""),
    "chay_vu": ("Số vụ cháy, nổ", INT, FLOW, "vụ", CHAY, ""),
    "chay_thiet_hai": ("Thiệt hại ước tính do cháy, nổ", D, FLOW, "triệu đồng", CHAY, ""),
    "vphc_vu": ("Số vụ vi phạm hành chính đã xử lý", INT, FLOW, "vụ", VPHC, ""),
    "vphc_tien_phat": ("Số tiền phạt vi phạm hành chính", D, FLOW, "triệu đồng", VPHC, ""),
    "ma_tuy_vu": ("Số vụ phạm tội, vi phạm về ma túy phát hiện", INT, FLOW, "vụ", MA_TUY, ""),
    "dang_ky_cu_tru": ("Hồ sơ đăng ký cư trú đã giải quyết", INT, FLOW, "hồ sơ", CU_TRU, ""),
    "can_cuoc": ("Hồ sơ cấp căn cước đã tiếp nhận", INT, FLOW, "hồ sơ", CU_TRU, ""),
    "tuan_tra_co_so": ("Lượt tuần tra của Tổ bảo vệ ANTT", INT, FLOW, "lượt", CO_SO, ""),
    "tinh_hinh_noi_bat": ("Tình hình nổi bật trong ngày", T, FLOW, "", NHAN_XET, ""),
    "pham_phap_kham_pha": ("Số vụ phạm pháp hình sự đã điều tra làm rõ", INT, FLOW, "vụ", ANTT, ""),
    "nhan_xet": ("Nhận xét, đánh giá tình hình trong tuần", T, FLOW, "", NHAN_XET, ""),
    "doi_tuong_bat_giu": ("Số đối tượng bắt giữ, vận động đầu thú", INT, FLOW, "người", ANTT, ""),
    "chay_chet": ("Số người chết do cháy, nổ", INT, FLOW, "người", CHAY, ""),
    "chay_bi_thuong": ("Số người bị thương do cháy, nổ", INT, FLOW, "người", CHAY, ""),
    "ma_tuy_doi_tuong": ("Số đối tượng phạm tội, vi phạm về ma túy", INT, FLOW, "người", MA_TUY, ""),
    "thuong_tru": ("Hồ sơ đăng ký thường trú đã giải quyết", INT, FLOW, "hồ sơ", CU_TRU, ""),
    "tam_tru": ("Hồ sơ đăng ký tạm trú đã giải quyết", INT, FLOW, "hồ sơ", CU_TRU, ""),
    "to_bao_ve": ("Số Tổ bảo vệ ANTT đang hoạt động", INT, STOCK, "tổ", CO_SO, ""),
    "thanh_vien_to": ("Số thành viên Tổ bảo vệ ANTT", INT, STOCK, "người", CO_SO, ""),
    "thanh_vien_tap_huan": ("Số thành viên đã được tập huấn", INT, STOCK, "người", CO_SO, ""),
    "can_bo": ("Số cán bộ Công an xã", INT, STOCK, "người", LUC_LUONG, "officers_posted"),
    "can_bo_nu": ("Trong đó: cán bộ nữ", INT, STOCK, "người", LUC_LUONG, "officers_female"),
    "danh_gia": ("Đánh giá tình hình, kết quả công tác trong tháng", T, FLOW, "", NHAN_XET, ""),
    "de_xuat": ("Khó khăn, vướng mắc, đề xuất, kiến nghị", T, FLOW, "", NHAN_XET, ""),
}

# Which indicators each form asks for, in order; a trailing "?" marks an optional one.
_DAILY = [
    "pham_phap_hinh_su",
    "vu_viec_khan",
    "tin_bao_tiep_nhan",
    "tin_bao_giai_quyet",
    "tin_bao_chuyen",
    "tngt_vu",
    "tngt_chet",
    "tngt_bi_thuong",
    "chay_vu",
    "chay_thiet_hai?",
    "vphc_vu",
    "vphc_tien_phat",
    "ma_tuy_vu",
    "dang_ky_cu_tru",
    "can_cuoc",
    "tuan_tra_co_so",
    "tinh_hinh_noi_bat?",
]

_WEEKLY = [
    "pham_phap_hinh_su",
    "pham_phap_kham_pha",
    "tin_bao_tiep_nhan",
    "tin_bao_giai_quyet",
    "tngt_vu",
    "tngt_chet",
    "tngt_bi_thuong",
    "chay_vu",
    "vphc_vu",
    "vphc_tien_phat",
    "ma_tuy_vu",
    "dang_ky_cu_tru",
    "can_cuoc",
    "tuan_tra_co_so",
    "nhan_xet",
]

_MONTHLY = [
    "pham_phap_hinh_su",
    "pham_phap_kham_pha",
    "doi_tuong_bat_giu",
    "tin_bao_tiep_nhan",
    "tin_bao_giai_quyet",
    "tin_bao_chuyen",
    "tngt_vu",
    "tngt_chet",
    "tngt_bi_thuong",
    "chay_vu",
    "chay_chet",
    "chay_bi_thuong",
    "chay_thiet_hai?",
    "vphc_vu",
    "vphc_tien_phat",
    "ma_tuy_vu",
    "ma_tuy_doi_tuong",
    "thuong_tru",
    "tam_tru",
    "can_cuoc",
    "to_bao_ve",
    "thanh_vien_to",
    "thanh_vien_tap_huan",
    "tuan_tra_co_so",
    "can_bo",
    "can_bo_nu",
    "danh_gia",
    "de_xuat?",
]

# (left, operator, right, severity, message)
_COMMON_RULES = [
    ("tngt_chet + tngt_bi_thuong", ">=", "0", "error", "Số người chết, bị thương không được âm."),
    (
        "tin_bao_giai_quyet",
        "<=",
        "tin_bao_tiep_nhan",
        "warning",
        "Số nguồn tin giải quyết nhiều hơn số tiếp nhận trong kỳ (có tồn kỳ trước?)",
    ),
]
_MONTHLY_RULES = [
    (
        "thanh_vien_tap_huan",
        "<=",
        "thanh_vien_to",
        "error",
        "Số thành viên đã tập huấn không được lớn hơn tổng số thành viên.",
    ),
    ("can_bo_nu", "<=", "can_bo", "error", "Số cán bộ nữ không được lớn hơn tổng số cán bộ."),
    (
        "pham_phap_kham_pha",
        "<=",
        "pham_phap_hinh_su",
        "warning",
        "Số vụ làm rõ nhiều hơn số vụ xảy ra trong kỳ (có vụ kỳ trước?)",
    ),
]
_WEEKLY_RULES = [
    (
        "pham_phap_kham_pha",
        "<=",
        "pham_phap_hinh_su",
        "warning",
        "Số vụ làm rõ nhiều hơn số vụ xảy ra trong kỳ (có vụ kỳ trước?)",
    ),
]

# (code, name, periodicity, calendar, due days, due time, lock days, items, rules)
STANDARD_FORMS = [
    (
        "bc-antt-ngay",
        "Báo cáo nhanh tình hình ANTT hằng ngày",
        "daily",
        "calendar",
        0,
        "16:00",
        7,
        _DAILY,
        _COMMON_RULES,
    ),
    (
        "bc-antt-tuan",
        "Báo cáo tình hình ANTT hằng tuần",
        "weekly",
        "calendar",
        1,
        "11:00",
        10,
        _WEEKLY,
        _COMMON_RULES + _WEEKLY_RULES,
    ),
    # Decree 09/2019: data cut off on the 14th; sent within 2 days.
    (
        "bc-antt-thang",
        "Báo cáo kết quả công tác bảo đảm ANTT hằng tháng",
        "monthly",
        "administrative",
        2,
        "17:00",
        15,
        _MONTHLY,
        _COMMON_RULES + _MONTHLY_RULES,
    ),
]


@transaction.atomic
def load_standard_forms(*, actor=None) -> int:
    """Create the standard forms that do not exist yet; returns how many were created."""
    commune_types = list(UnitType.objects.filter(is_commune_level=True))
    created = 0
    for order, (code, name, periodicity, calendar, due_days, due_time, lock_days, items, rules) in enumerate(
        STANDARD_FORMS
    ):
        form, new = ReportForm.objects.get_or_create(
            code=code,
            defaults={"name": name, "periodicity": periodicity, "calendar": calendar, "sort_order": order},
        )
        if not new:
            continue
        created += 1
        record_change(actor=actor, obj=form, action=ChangeLog.Action.CREATE, message="Biểu mẫu chuẩn")
        version = FormVersion.objects.create(
            form=form,
            number=1,
            valid_from=VALID_FROM,
            due_days=due_days,
            due_time=due_time,
            lock_days=lock_days,
            note="Biểu mẫu chuẩn ban hành cùng CAX",
        )
        version.reporting_unit_types.set(commune_types)
        for position, entry in enumerate(items):
            icode, required = entry.rstrip("?"), not entry.endswith("?")
            iname, vtype, aggregation, measure, section, source = CATALOGUE[icode]
            indicator = Indicator.objects.create(
                form=form, code=icode, name=iname, value_type=vtype, aggregation=aggregation, measure=measure
            )
            FormItem.objects.create(
                version=version,
                indicator=indicator,
                section=section,
                order=position,
                required=required,
                prefill_source=source,
            )
        codes = {entry.rstrip("?") for entry in items}
        for left, operator, right, severity, message in rules:
            # A common rule applies to the forms that have every indicator it names.
            if expressions.codes(expressions.parse(left)) | expressions.codes(expressions.parse(right)) <= codes:
                ValidationRule.objects.create(
                    version=version, left=left, operator=operator, right=right, severity=severity, message=message
                )
    return created
