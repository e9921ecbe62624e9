"""Synthetic registers for benchmarks (#5): N cases spread over every commune and five years.

Bulk inserts of generated data, so no change log and no workflow events beyond the state each
case is left in; the serial counters are set so real registrations continue the sequences.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from cax.cases.choices import Channel, Kind, ReporterKind, Status
from cax.cases.models import Case, CaseEvent, OffenceCategory, RegisterCounter
from cax.core import search
from cax.core.revision import bump_after_commit
from cax.core.text import search_key
from cax.units.models import Unit

SUMMARIES = [
    "Trộm cắp tài sản",
    "Cố ý gây thương tích",
    "Đánh bạc",
    "Lừa đảo chiếm đoạt tài sản qua mạng",
    "Tàng trữ trái phép chất ma túy",
    "Gây rối trật tự công cộng",
    "Hủy hoại tài sản",
    "Cướp giật tài sản",
    "Khai thác gỗ trái phép",
    "Vi phạm quy định về tham gia giao thông",
]
FINAL = [Status.CLOSED, Status.PROSECUTED, Status.NOT_PROSECUTED]
OPEN = [Status.RECEIVED, Status.PRELIMINARY_CHECK, Status.TRANSFERRED, Status.VERIFYING, Status.EXTENDED]


def _save(rows: list[Case]) -> None:
    """The cases and the one event each got: its receipt, so every timeline starts somewhere. It carries
    the case's deadline, so the as-of figures (selectors.with_clock_state) see it from the timeline too."""
    Case.objects.bulk_create(rows)
    search.index_bulk(rows)  # the one search (bulk writes send no signal)
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=c,
                to_status=Status.RECEIVED,
                actor_name="system",
                at=c.received_at,
                due_at=c.due_at,
                due_rule=c.due_rule,
                note="Dữ liệu mẫu",
            )
            for c in rows
        ]
    )


def _demo_case(rng: random.Random, moment, communes: list[int], categories: list[int], serials: dict, now):
    """An unsaved case received at ``moment`` in a random commune, next in its register: recent
    ones mostly open with a due date, older ones closed."""
    unit_id = rng.choice(communes)
    year = timezone.localtime(moment).year
    serials[(unit_id, year)] += 1
    recent = (now - moment).days < 90
    status = rng.choice(OPEN) if recent and rng.random() < 0.6 else rng.choice(FINAL)
    due = moment + dt.timedelta(days=20) if status in OPEN else None
    summary = f"{rng.choice(SUMMARIES)} tại thôn {rng.randint(1, 12)}"
    return Case(
        unit_id=unit_id,
        year=year,
        serial=serials[(unit_id, year)],
        kind=rng.choice(Kind.values),
        channel=rng.choice(Channel.values),
        received_at=moment,
        reporter_kind=ReporterKind.PERSON,
        reporter_name="Người báo tin (dữ liệu mẫu)",
        summary=summary,
        search_key=search_key(summary),
        status=status,
        due_at=due,
        due_rule="resolve" if due else "",
        category_id=rng.choice(categories),
    )


def generate_cases(
    *, count: int, root: Unit | None = None, seed: int = 2025, years: int = 5, batch: int = 20_000
) -> int:
    """Inserts ``count`` closed and open cases over the last ``years`` in the communes under ``root``."""
    rng = random.Random(seed)
    communes = Unit.objects.current().commune_level()
    if root is not None:
        communes = communes.in_subtree(root)
    communes = list(communes.values_list("pk", flat=True))
    categories = list(OffenceCategory.objects.values_list("pk", flat=True))
    now = timezone.now()
    start = now - dt.timedelta(days=365 * years)
    span = int((now - start).total_seconds())
    received = sorted(start + dt.timedelta(seconds=rng.randrange(span)) for _ in range(count))
    # Continue existing registers: serials never repeat within a unit and year.
    serials: dict[tuple[int, int], int] = defaultdict(int)
    serials.update({(u, y): last for u, y, last in RegisterCounter.objects.values_list("unit_id", "year", "last")})
    rows = []
    with transaction.atomic():
        for moment in received:
            rows.append(_demo_case(rng, moment, communes, categories, serials, now))
            if len(rows) >= batch:
                _save(rows)
                rows = []
        _save(rows)
        RegisterCounter.objects.bulk_create(
            [RegisterCounter(unit_id=u, year=y, last=n) for (u, y), n in serials.items()],
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["unit", "year"],
            update_fields=["last"],
        )
        bump_after_commit()
    return count
