"""The data set of the supervision benchmark (issue 18.4): managed persons spread over a
province's communes, with their identities and duties, inserted in bulk (no change log, as
`demo_cases` does), every date computed by the app's own pure clock (supervision/deadlines.py)
from the seeded rules, so the overdue list reads what the services would have written."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from cax.core.text import search_key
from cax.supervision import clock, deadlines
from cax.supervision.models import Category, Duty, Identity, Status, SupervisionFile
from cax.supervision.services import responsible_department
from cax.units.models import Unit

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Y", "A", "Rơ Châm"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", ""]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Quý", "Sơn", "Tâm", "Thu"]
# (category, term in months or 0, its share of the persons)
MIX = [("an_treo", 24, 30), ("ctkgg", 12, 15), ("ma_tuy", 12, 25), ("tai_hoa_nhap", 0, 15),
       ("giao_duc_xa", 4, 5), ("sau_cai_nghien", 24, 5), ("tha_tu_dk", 10, 5)]  # fmt: skip
BATCH = 5000


def generate(province: Unit, count: int, seed: int = 18) -> int:
    """``count`` persons under management in ``province``'s communes; returns how many were added."""
    rng = random.Random(seed)
    communes = list(Unit.objects.current().commune_level().in_subtree(province).order_by("pk"))
    categories = {c.code: c for c in Category.objects.all()}
    departments = {code: responsible_department(communes[0], categories[code]) for code, _t, _w in MIX}
    rules, calendar = clock.engine_rules(), clock.calendar()
    weights = [w for _c, _t, w in MIX]
    today = timezone.localdate()
    added = 0
    while added < count:
        n = min(BATCH, count - added)
        with transaction.atomic():
            files, identities, duty_rows = [], [], []
            for _ in range(n):
                code, months, _w = rng.choices(MIX, weights)[0]
                start = today - dt.timedelta(days=rng.randint(10, 700))
                end = deadlines.term_end(start, months, category=code, rules=rules) if months else None
                if end is not None and end < today:
                    start, end = today - dt.timedelta(days=rng.randint(10, 200)), None
                    end = deadlines.term_end(start, months, category=code, rules=rules)
                file = SupervisionFile(
                    unit=rng.choice(communes), department=departments[code], category=categories[code],
                    decision_number=f"{rng.randint(1, 999)}/{start.year}/QĐ",
                    decision_date=start - dt.timedelta(days=5), issuer="Tòa án nhân dân khu vực",
                    received_on=start - dt.timedelta(days=2), start_date=start,
                    term_months=months, end_date=end, supervisor="Trưởng thôn",
                    status=rng.choice([Status.ACTIVE] * 8 + [Status.VIOLATED, Status.ABSENT]),
                    search_key=search_key("bench"),
                )  # fmt: skip
                files.append(file)
                name = " ".join(p for p in (rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)) if p)
                identities.append((file, name))
                for rule in clock.periodic_rules(rules, code, start):
                    # Most are up to date; one in ten is a duty behind.
                    due_all = deadlines.due_dates(start, end, rule.amount, rule.unit, calendar, limit=100)
                    done = sum(1 for d in due_all if d < today) - (1 if rng.random() < 0.1 else 0)
                    done = max(done, 0)
                    due = deadlines.next_due(start, end, rule, done, calendar)
                    duty_rows.append((file, rule.code, done, due, rule.legal_basis))
            SupervisionFile.objects.bulk_create(files, batch_size=BATCH)
            Identity.objects.bulk_create(
                [Identity(file=f, full_name=name, personal_id=f"0510{f.pk:08d}",
                          search_key=search_key(f"{name} 0510{f.pk:08d}")) for f, name in identities],
                batch_size=BATCH,
            )  # fmt: skip
            Duty.objects.bulk_create(
                [
                    Duty(
                        file=f,
                        code=c,
                        done=d,
                        due_on=due,
                        legal_basis=b,
                        unit_id=f.unit_id,
                        department_id=f.department_id,
                        category_id=f.category_id,
                    )
                    for f, c, d, due, b in duty_rows
                ],  # fmt: skip
                batch_size=BATCH,
            )
        added += n
    return added
