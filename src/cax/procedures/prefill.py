"""The desk's figures offered to the periodic reports' section VII (Quản lý cư trú, căn cước):
registered with ``cax.reports.prefill.register_source`` so reports imports nothing of this app.
Each source is one grouped query for all the units of a roll-up, whatever their number."""

from __future__ import annotations

import datetime as dt
import decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from cax.procedures.models import ONLINE, Dossier, overdue_q
from cax.procedures.selectors import as_of, day_bounds


def _grouped(queryset) -> dict[int, decimal.Decimal]:
    rows = queryset.order_by().values_list("unit_id").annotate(n=Count("pk"))
    return {unit_id: decimal.Decimal(n) for unit_id, n in rows}


def _counting(when: str, extra: Q | None = None):
    """Dossiers of the units whose ``when`` moment falls in the period (received_at, resolved_at)."""

    def compute(unit_ids: list[int], start: dt.date, end: dt.date) -> dict[int, decimal.Decimal]:
        low, high = day_bounds(start, end)
        rows = Dossier.objects.filter(unit_id__in=unit_ids, **{f"{when}__gte": low, f"{when}__lt": high})
        return _grouped(rows.filter(extra) if extra is not None else rows)

    return compute


def _overdue(unit_ids: list[int], start: dt.date, end: dt.date) -> dict[int, decimal.Decimal]:
    return _grouped(Dossier.objects.filter(unit_id__in=unit_ids).filter(overdue_q(as_of(end))))


def register_sources() -> None:
    from cax.reports.prefill import Source, register_source

    register_source(
        Source("procedures_received", _("Hồ sơ thủ tục hành chính tiếp nhận trong kỳ"), _counting("received_at")),
        Source(
            "procedures_online",
            _("Hồ sơ thủ tục hành chính nộp trực tuyến trong kỳ"),
            _counting("received_at", Q(channel__in=ONLINE)),
        ),
        Source("procedures_resolved", _("Hồ sơ thủ tục hành chính trả kết quả trong kỳ"), _counting("resolved_at")),
        Source(
            "procedures_on_time",
            _("Hồ sơ thủ tục hành chính trả kết quả đúng hạn trong kỳ"),
            _counting("resolved_at", Q(resolved_at__lte=F("due_at"))),
        ),
        Source("procedures_overdue", _("Hồ sơ quá hạn chưa trả kết quả cuối kỳ"), _overdue, is_stock=True),
        Source(
            "procedures_residence_resolved",
            _("Hồ sơ đăng ký cư trú đã trả kết quả trong kỳ"),
            _counting("resolved_at", Q(procedure__field="residence")),
        ),
        Source(
            "procedures_permanent_resolved",
            _("Hồ sơ đăng ký thường trú đã trả kết quả trong kỳ"),
            _counting("resolved_at", Q(procedure__code="thuong-tru")),
        ),
        Source(
            "procedures_temporary_resolved",
            _("Hồ sơ đăng ký, gia hạn tạm trú đã trả kết quả trong kỳ"),
            _counting("resolved_at", Q(procedure__code__in=["tam-tru", "gia-han-tam-tru"])),
        ),
        Source(
            "procedures_id_card_received",
            _("Hồ sơ cấp, đổi, cấp lại thẻ căn cước tiếp nhận trong kỳ"),
            _counting("received_at", Q(procedure__code="can-cuoc")),
        ),
    )
