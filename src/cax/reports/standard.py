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
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cax.core.changelog import record_change
from cax.core.exceptions import DomainError
from cax.core.models import ChangeLog
from cax.reports import expressions
from cax.reports.models import FormItem, FormVersion, Indicator, ReportForm, Severity, Submission, ValidationRule
from cax.units.models import UnitType

INT, D, T, B = "integer", "decimal", "text", "boolean"
FLOW, STOCK = "sum", "last"
VALID_FROM = dt.date(2025, 7, 1)  # the two-level local government: communes report to the province
# Reference data: the versions in force before the 2025 merger, so series of legacy data read across it.
VERSIONS_BEFORE_2025 = Path(__file__).parent / "data" / "versions-before-2025.json"

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
    "dang_ky_cu_tru": (
        "Hồ sơ đăng ký cư trú đã giải quyết",
        INT,
        FLOW,
        "hồ sơ",
        CU_TRU,
        "procedures_residence_resolved",
    ),
    "can_cuoc": ("Hồ sơ cấp căn cước đã tiếp nhận", INT, FLOW, "hồ sơ", CU_TRU, "procedures_id_card_received"),
    "tuan_tra_co_so": ("Lượt tuần tra của Tổ bảo vệ ANTT", INT, FLOW, "lượt", CO_SO, ""),
    "tinh_hinh_noi_bat": ("Tình hình nổi bật trong ngày", T, FLOW, "", NHAN_XET, ""),
    "pham_phap_kham_pha": ("Số vụ phạm pháp hình sự đã điều tra làm rõ", INT, FLOW, "vụ", ANTT, ""),
    "nhan_xet": ("Nhận xét, đánh giá tình hình trong tuần", T, FLOW, "", NHAN_XET, ""),
    "doi_tuong_bat_giu": ("Số đối tượng bắt giữ, vận động đầu thú", INT, FLOW, "người", ANTT, ""),
    "chay_chet": ("Số người chết do cháy, nổ", INT, FLOW, "người", CHAY, ""),
    "chay_bi_thuong": ("Số người bị thương do cháy, nổ", INT, FLOW, "người", CHAY, ""),
    "ma_tuy_doi_tuong": ("Số đối tượng phạm tội, vi phạm về ma túy", INT, FLOW, "người", MA_TUY, ""),
    "thuong_tru": (
        "Hồ sơ đăng ký thường trú đã giải quyết",
        INT,
        FLOW,
        "hồ sơ",
        CU_TRU,
        "procedures_permanent_resolved",
    ),
    "tam_tru": ("Hồ sơ đăng ký tạm trú đã giải quyết", INT, FLOW, "hồ sơ", CU_TRU, "procedures_temporary_resolved"),
    # The desk's figures (issue 18); the on-time rate is tthc_dung_han ÷ tthc_giai_quyet, kept as its
    # two counts so a province's roll-up sums them and divides once (a sum of rates means nothing).
    "tthc_tiep_nhan": ("Hồ sơ thủ tục hành chính tiếp nhận", INT, FLOW, "hồ sơ", CU_TRU, "procedures_received"),
    "tthc_truc_tuyen": ("Trong đó: nộp trực tuyến", INT, FLOW, "hồ sơ", CU_TRU, "procedures_online"),
    "tthc_giai_quyet": ("Hồ sơ thủ tục hành chính đã trả kết quả", INT, FLOW, "hồ sơ", CU_TRU, "procedures_resolved"),
    "tthc_dung_han": ("Trong đó: trả kết quả đúng hạn", INT, FLOW, "hồ sơ", CU_TRU, "procedures_on_time"),
    "tthc_qua_han": ("Hồ sơ quá hạn chưa trả kết quả cuối kỳ", INT, STOCK, "hồ sơ", CU_TRU, "procedures_overdue"),
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
    "tthc_tiep_nhan",
    "tthc_truc_tuyen",
    "tthc_giai_quyet",
    "tthc_dung_han",
    "tthc_qua_han",
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
    ("tthc_dung_han", "<=", "tthc_giai_quyet", "error", "Số hồ sơ đúng hạn không được lớn hơn số hồ sơ đã trả."),
    ("tthc_truc_tuyen", "<=", "tthc_tiep_nhan", "error", "Số hồ sơ trực tuyến không được lớn hơn số tiếp nhận."),
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
    """Create the standard forms that do not exist yet, then add their versions before 2025 that are
    missing (``VERSIONS_BEFORE_2025``); returns how many forms were created."""
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
    load_form_versions(read_versions_file(VERSIONS_BEFORE_2025), actor=actor)
    return created


# -- versions from a reference-data file (issue 14) -------------------------------------------------


@dataclass
class _PlannedVersion:
    form: ReportForm
    valid_from: dt.date
    entry: dict[str, Any]
    unit_types: list[UnitType]
    items: list[tuple[str, bool]]  # (indicator code, required)


def read_versions_file(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DomainError(_("Không đọc được tệp phiên bản biểu mẫu {f}: {e}").format(f=path, e=exc)) from exc


@transaction.atomic
def load_form_versions(document: Any, *, actor=None) -> int:
    """Add the form versions a reference-data document describes (``data/versions-before-2025.json``
    is the shipped one); returns how many were created.

    A version already there (same form, same start date) is left exactly as it is, so loading twice
    changes nothing and an administrator's edits stay. All or nothing: every problem is reported,
    naming the entry. A version is refused where reports already exist on another version, because
    it would change the version those periods were reported on.
    """
    entries = document.get("versions") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise DomainError(_("Tệp phiên bản biểu mẫu phải có danh sách “versions”."))
    problems, planned = [], []
    for position, entry in enumerate(entries, start=1):
        try:
            plan = _plan_version(entry)
        except DomainError as exc:
            problems.append(_("Phiên bản thứ {n}: {m}").format(n=position, m=exc.message))
            continue
        if plan is not None:
            planned.append(plan)
    if problems:
        raise DomainError(" ".join(problems))
    for plan in planned:
        _create_version(plan, actor)
    return len(planned)


def _plan_version(entry: Any) -> _PlannedVersion | None:
    if not isinstance(entry, dict):
        raise DomainError(_("phải là một đối tượng"))
    form = ReportForm.objects.filter(code=entry.get("form")).first()
    if form is None:
        raise DomainError(_("không có biểu mẫu “{c}”").format(c=entry.get("form")))
    try:
        valid_from = dt.date.fromisoformat(str(entry.get("valid_from")))
        dt.time.fromisoformat(str(entry.get("due_time", "16:00")))
        due_days, lock_days = int(entry.get("due_days", 0)), int(entry.get("lock_days", 10))
    except (TypeError, ValueError) as exc:
        raise DomainError(_("ngày áp dụng, hạn gửi hoặc khóa sổ không hợp lệ ({e}).").format(e=exc)) from exc
    if not 0 <= due_days <= lock_days:
        raise DomainError(_("ngày khóa sổ không được trước hạn gửi."))
    versions = FormVersion.objects.filter(form=form)
    if versions.filter(valid_from=valid_from).exists():
        return None
    following = versions.filter(valid_from__gt=valid_from).order_by("valid_from").first()
    reported = Submission.objects.filter(form=form, period_start__gte=valid_from)
    if following is not None:
        reported = reported.filter(period_start__lt=following.valid_from)
    if reported.exists():
        raise DomainError(
            _("{f}: đã có báo cáo từ {d} theo phiên bản khác; không thêm phiên bản áp dụng từ ngày này.").format(
                f=form.name, d=valid_from.strftime("%d/%m/%Y")
            )
        )
    codes = entry.get("reporting_unit_types") or []
    unit_types = list(UnitType.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {t.code for t in unit_types})
    if unknown or not unit_types:
        raise DomainError(_("loại đơn vị báo cáo không có: {c}.").format(c=", ".join(unknown) or "—"))
    return _PlannedVersion(form, valid_from, entry, unit_types, _plan_items(form, entry))


def _plan_items(form: ReportForm, entry: dict) -> list[tuple[str, bool]]:
    known = set(form.indicators.values_list("code", flat=True)) | set(CATALOGUE)
    items = [(str(code).rstrip("?"), not str(code).endswith("?")) for code in entry.get("items") or []]
    codes = [code for code, _required in items]
    unknown = sorted(set(codes) - known)
    if unknown or not items or len(set(codes)) != len(codes):
        raise DomainError(_("danh sách chỉ tiêu trống, lặp hoặc có mã không biết: {c}.").format(c=", ".join(unknown)))
    for rule in entry.get("rules") or []:
        if not (isinstance(rule, list) and len(rule) == 5) or rule[1] not in expressions.OPERATORS:
            raise DomainError(_("quy tắc kiểm tra phải là [vế trái, phép so sánh, vế phải, mức độ, thông báo]."))
        if rule[3] not in Severity.values:
            raise DomainError(_("mức độ của quy tắc phải là error hoặc warning."))
        try:
            named = expressions.codes(expressions.parse(rule[0])) | expressions.codes(expressions.parse(rule[2]))
        except expressions.ExpressionError as exc:
            raise DomainError(str(exc)) from exc
        if not named <= set(codes):
            raise DomainError(_("quy tắc “{r}” dùng chỉ tiêu không có trong phiên bản.").format(r=rule[4]))
    return items


def _create_version(plan: _PlannedVersion, actor) -> FormVersion:
    """Numbers identify versions (the next free one); the start dates order them."""
    entry, form = plan.entry, plan.form
    number = (FormVersion.objects.filter(form=form).aggregate(n=Max("number"))["n"] or 0) + 1
    version = FormVersion.objects.create(
        form=form,
        number=number,
        valid_from=plan.valid_from,
        due_days=int(entry.get("due_days", 0)),
        due_time=str(entry.get("due_time", "16:00")),
        lock_days=int(entry.get("lock_days", 10)),
        note=str(entry.get("note", ""))[:255],
    )
    version.reporting_unit_types.set(plan.unit_types)
    indicators = {i.code: i for i in form.indicators.all()}
    for position, (code, required) in enumerate(plan.items):
        name, vtype, aggregation, measure, section, source = CATALOGUE.get(code) or (code, "", "", "", "", "")
        if code not in indicators:
            indicators[code] = Indicator.objects.create(
                form=form, code=code, name=name, value_type=vtype, aggregation=aggregation, measure=measure
            )
        FormItem.objects.create(
            version=version,
            indicator=indicators[code],
            section=section,
            order=position,
            required=required,
            prefill_source=source if entry.get("prefill_from_cax") else "",
        )
    for left, operator, right, severity, message in entry.get("rules") or []:
        ValidationRule.objects.create(
            version=version, left=left, operator=operator, right=right, severity=severity, message=message
        )
    record_change(actor=actor, obj=version, action=ChangeLog.Action.CREATE, message=_("Nạp phiên bản biểu mẫu"))
    return version
