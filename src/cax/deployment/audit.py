"""Postings, party cells and committee seats against the rules their services enforce."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from cax.core.audit import Violation
from cax.deployment.models import CommitteeSeat, PartyCell, Posting
from cax.deployment.rules import posting_unit_problem
from cax.personnel.choices import ENDING_STATUSES
from cax.personnel.rules import AgeRules, officer_date_problem
from cax.units.kinds import validity_problem


def violations() -> Iterator[Violation]:
    rules = AgeRules()
    postings = Posting.objects.select_related("officer", "unit").order_by("pk")
    for posting in postings.iterator(chunk_size=5000):
        record = f"{posting.officer} → {posting.unit.name} {posting.start_date:%d/%m/%Y}"
        problem = posting_unit_problem(posting.unit, posting.start_date, posting.end_date)
        if problem:
            yield Violation(_("hiệu lực đơn vị"), record, problem)
        problem = officer_date_problem(posting.officer, posting.start_date, _("Ngày bắt đầu"), rules)
        if problem:
            yield Violation(_("ngày bố trí"), record, problem)
        if posting.end_date is None and posting.officer.status in ENDING_STATUSES:
            yield Violation(
                _("bố trí còn mở"),
                record,
                _("Cán bộ “{s}” vẫn còn quyết định bố trí chưa kết thúc.").format(
                    s=posting.officer.get_status_display()
                ),
            )
    for cell in PartyCell.objects.select_related("unit").order_by("pk").iterator(chunk_size=5000):
        problem = validity_problem(cell.unit, cell.founded_on) or validity_problem(cell.unit, cell.dissolved_on)
        if problem:
            yield Violation(_("hiệu lực đơn vị"), str(cell), problem)
    for seat in CommitteeSeat.objects.select_related("unit", "officer").order_by("pk").iterator(chunk_size=5000):
        problem = validity_problem(seat.unit, seat.start_date) or officer_date_problem(
            seat.officer, seat.start_date, _("Ngày bắt đầu"), rules
        )
        if problem:
            yield Violation(_("cấp ủy"), str(seat), problem)
