"""Reports that count (sent, approved, locked) against the checks sending makes: the form's rules,
required values, confirmations of CAX's figures, explained warnings (services.find_problems)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.utils.translation import gettext as _

from cax.core.audit import Violation
from cax.reports import services
from cax.reports.models import COUNTED, Submission, Value


def violations() -> Iterator[Violation]:
    items_by_version: dict[int, list] = {}
    submissions = (
        Submission.objects.filter(status__in=COUNTED)
        .select_related("form", "unit", "version")
        .prefetch_related("version__rules")
        .order_by("pk")
    )
    chunk: list[Submission] = []
    for submission in submissions.iterator(chunk_size=2000):
        chunk.append(submission)
        if len(chunk) == 2000:
            yield from _check(chunk, items_by_version)
            chunk = []
    yield from _check(chunk, items_by_version)


def _check(chunk: list[Submission], items_by_version: dict[int, list]) -> Iterator[Violation]:
    values: dict[int, dict[int, Value]] = defaultdict(dict)
    for value in Value.objects.filter(submission__in=chunk):
        values[value.submission_id][value.indicator_id] = value
    for submission in chunk:
        if submission.version_id not in items_by_version:
            items_by_version[submission.version_id] = services.items_of(submission.version)
        problems = services.find_problems(submission, items_by_version[submission.version_id], values[submission.pk])
        labels = {item.indicator.code: item.display_label for item in items_by_version[submission.version_id]}
        for code, messages in problems.fields.items():
            for message in messages:
                # The cell by its label on the form: the indicator code is a storage key.
                yield Violation(_("báo cáo định kỳ"), str(submission), f"“{labels.get(code, code)}”: {message}")
        for message in problems.general:
            yield Violation(_("báo cáo định kỳ"), str(submission), message)
