"""Managed persons' files against the rules their services apply (issue 14: demo data and bulk
imports must obey them): the term within the category's range, the end date as the rules compute
it, the responsible department, each duty's due day."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from cax.core.audit import Violation
from cax.supervision import clock, deadlines
from cax.supervision.models import OPEN, SupervisionFile


def violations() -> Iterator[Violation]:
    rules, calendar = clock.engine_rules(), clock.calendar()
    files = SupervisionFile.objects.select_related("category", "unit").prefetch_related("duties").order_by("pk")
    for file in files.iterator(chunk_size=2000):
        yield from _file_violations(file, rules, calendar)


def _file_violations(file, rules, calendar) -> Iterator[Violation]:
    where = _("hồ sơ đối tượng số {n}").format(n=file.pk)
    rule = _("quản lý đối tượng")
    code = file.category.code
    try:
        deadlines.check_term(file.term_months, file.term_days, category=code, start=file.start_date, rules=rules)
    except deadlines.TermOutOfRange as exc:
        yield Violation(rule, where, clock.term_refusal(exc).message)
    if file.term_months or file.term_days:
        end = deadlines.term_end(
            file.start_date,
            file.term_months,
            file.term_days,
            custody_days=file.custody_days,
            category=code,
            rules=rules,
        )
        if end != file.end_date:
            yield Violation(
                rule, where, _("Ngày hết hạn {a} khác ngày tính theo quy tắc {b}.").format(a=file.end_date, b=end)
            )
    if file.start_date < file.decision_date:
        yield Violation(rule, where, _("Ngày bắt đầu trước ngày quyết định."))
    running = file.status in OPEN
    for duty in file.duties.all():
        if (duty.unit_id, duty.department_id, duty.category_id) != (file.unit_id, file.department_id, file.category_id):
            yield Violation(rule, where, _("Nghĩa vụ không cùng đơn vị, phòng phụ trách, loại với hồ sơ."))
        if not running and duty.due_on is not None:
            yield Violation(rule, where, _("Hồ sơ đã kết thúc hoặc chuyển đi mà còn hạn nghĩa vụ."))
            continue
        periodic = deadlines.optional_rule(rules, code, duty.code, file.start_date)
        if running and periodic is not None and duty.code in deadlines.PERIODIC:
            due = deadlines.next_due(file.start_date, file.end_date, periodic, duty.done, calendar)
            if due != duty.due_on:
                yield Violation(
                    rule, where, _("Hạn nghĩa vụ {a} khác hạn tính theo quy tắc {b}.").format(a=duty.due_on, b=due)
                )
