"""Excel versions of every staffing dashboard table."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cax.deployment.selectors import StaffingSummary


def _unit_cells(row) -> list:
    return [row.code, row.name, row.type_name]


UNIT_HEADERS = [_("Mã"), _("Đơn vị"), _("Loại")]


NORM_HEADERS = [
    *UNIT_HEADERS,
    _("Biên chế"),
    _("Nữ"),
    _("Tối thiểu"),
    _("Định biên"),
    _("Thiếu"),
    _("Trưởng"),
    _("Điều tra viên"),
    _("Có người nói tiếng địa phương"),
]


def _norm_cells(u) -> list:
    """A unit's figures against its norm (the units and below-norm tables)."""
    return [
        *_unit_cells(u),
        u.head_count,
        u.female,
        u.norm.minimum,
        u.norm.target,
        u.shortfall,
        u.chiefs,
        u.investigators,
        u.speaks_local_language if u.local_languages else "",
    ]


def staffing_tables(summary: StaffingSummary) -> dict[str, tuple[str, list, list]]:
    """name → (sheet title, headers, rows) for each table on the dashboard."""
    return {
        "coverage": (
            _("Bao phủ"),
            [_("Loại"), _("Có Công an chính quy"), _("Tổng số"), _("Tỷ lệ %")],
            [[c.type_name, c.covered, c.total, c.percent] for c in summary.coverage],
        ),
        "children": (
            _("Đơn vị trực thuộc"),
            [
                _("Mã"),
                _("Đơn vị"),
                _("Số đơn vị cấp xã"),
                _("Có Công an chính quy"),
                _("Biên chế"),
                _("Nữ"),
                _("Dưới định biên"),
            ],
            [
                [c.unit.code, c.unit.name, c.communes, c.covered, c.head_count, c.female, c.below_norm]
                for c in summary.children
            ],
        ),
        "units": (_("Biên chế từng đơn vị"), NORM_HEADERS, [_norm_cells(u) for u in summary.units]),
        "below_norm": (_("Dưới định biên"), NORM_HEADERS, [_norm_cells(u) for u in summary.below_norm]),
        "without_chief": (_("Chưa có Trưởng"), UNIT_HEADERS, [_unit_cells(u) for u in summary.without_chief]),
        "without_investigator": (
            _("Chưa có điều tra viên"),
            UNIT_HEADERS,
            [_unit_cells(u) for u in summary.without_investigator],
        ),
        "without_language_speaker": (
            _("Chưa có người nói tiếng dân tộc"),
            [*UNIT_HEADERS, _("Tiếng dân tộc")],
            [[*_unit_cells(u), "; ".join(u.local_languages)] for u in summary.without_language_speaker],
        ),
        "monthly": (_("Biên chế theo tháng"), [_("Tháng"), _("Biên chế")], [[m, n] for m, n in summary.monthly]),
    }


def _postings_table(actor, unit) -> tuple[str, list, object]:
    """The postings in the postings file's own columns (Loại, Số hiệu, Mã đơn vị, …): the whole history
    imports back as "không đổi"; an ending decision is shown beside the one that started it."""
    from cax.deployment import selectors

    postings = (
        [_("Bổ nhiệm"), p.officer.service_number, p.officer.full_name, p.unit.code, p.unit.name, p.get_role_display(),
         p.start_date, p.end_date, p.decision_number, p.decision_date, p.reason,
         p.get_end_reason_display() if p.end_reason else "", p.end_decision_number, p.end_decision_date]
        for p in selectors.postings(actor=actor, unit=unit)
    )  # fmt: skip
    return (
        _("Quyết định bố trí"),
        [
            _("Loại"),
            _("Số hiệu"),
            _("Họ và tên"),
            _("Mã đơn vị"),
            _("Đơn vị"),
            _("Chức danh"),
            _("Từ ngày"),
            _("Đến ngày"),
            _("Số quyết định"),
            _("Ngày quyết định"),
            _("Lý do"),
            _("Lý do kết thúc"),
            _("Số quyết định kết thúc"),
            _("Ngày quyết định kết thúc"),
        ],
        postings,
    )  # fmt: skip


def party_tables(actor, unit) -> dict[str, tuple[str, list, object]]:
    """The party cells and committee seats of the subtree, in the columns their imports read
    (``./cax import party_cells`` / ``committee_seats``), so an exported list imports back."""
    from cax.deployment import selectors

    cells = (
        [c.unit.code, c.unit.name, c.founded_on, c.secretary.service_number if c.secretary_id else "",
         c.secretary.full_name if c.secretary_id else "", c.dissolved_on]
        for c in selectors.party_cells(actor=actor, unit=unit)
    )  # fmt: skip
    seats = (
        [s.officer.service_number, s.officer.full_name, s.unit.code, s.unit.name, s.get_committee_display(),
         s.start_date, s.end_date]
        for s in selectors.committee_seats(actor=actor, unit=unit)
    )  # fmt: skip
    return {
        "postings": _postings_table(actor, unit),
        "party_cells": (
            _("Chi bộ"),
            [
                _("Mã đơn vị"),
                _("Đơn vị"),
                _("Ngày thành lập"),
                _("Số hiệu bí thư"),
                _("Họ tên bí thư"),
                _("Ngày giải thể"),
            ],
            cells,
        ),  # fmt: skip
        "committee_seats": (
            _("Cấp ủy viên"),
            [_("Số hiệu"), _("Họ và tên"), _("Mã đơn vị"), _("Đơn vị"), _("Cấp ủy"), _("Từ ngày"), _("Đến ngày")],
            seats,
        ),
    }
