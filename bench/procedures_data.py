"""Benchmark data for the procedures desk (issue 18): 2,000,000 dossiers over every commune.

Two years of dossiers (01/12/2024 – 30/11/2026) spread over the 3,321 current commune-level units
and the dossier procedures, a quarter of each channel; 2% still open (most of them past their due
time by the benchmark's day), the rest resolved within 0–8 days of being complete. The due time is
the complete time plus 7 days: the benchmark reads the rows, it does not judge them by the rules.

PostgreSQL only: one set-based ``INSERT … SELECT`` over ``generate_series`` (the ORM row by row
would take an hour). Every choice is a function of the row number, so a run builds the same rows;
skipped when the rows are there.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

COUNT = 2_000_000

_SQL = """
WITH u AS (
    SELECT array_agg(u.id ORDER BY u.id) AS a FROM units_unit u JOIN units_unittype t ON t.id = u.unit_type_id
    WHERE t.is_commune_level AND u.valid_to IS NULL
), p AS (
    SELECT array_agg(id ORDER BY id) AS a FROM procedures_proceduretype WHERE kind = 'dossier'
)
INSERT INTO procedures_dossier (
    unit_id, procedure_id, channel, reference, received_at, complete_at, due_at, rule_id, promised_at,
    resolved_at, outcome, outcome_note, note, applicant_id, search_key, created_at, updated_at
)
SELECT u.a[(1 + (g * 7919) %% array_length(u.a, 1))::int],
       p.a[(1 + g %% array_length(p.a, 1))::int],
       (ARRAY['in_person', 'portal', 'vneid', 'post'])[1 + (g %% 4)],
       'B-' || g,
       t.r, t.r + interval '15 minutes', t.r + interval '15 minutes' + interval '7 days', NULL, NULL,
       CASE WHEN g %% 50 = 0 THEN NULL ELSE t.r + interval '15 minutes' + (g %% 9) * interval '1 day' END,
       CASE WHEN g %% 50 = 0 THEN '' ELSE 'approved' END,
       '', '', NULL, 'b ' || g, now(), now()
FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g, u, p,
     LATERAL (SELECT timestamptz '2024-12-01 08:00+07' + (g %% 730) * interval '1 day'
                     + (g %% 480) * interval '1 minute' AS r) AS t
"""


def generate() -> float | None:
    """Adds the missing rows; the seconds it took, or None when nothing was missing."""
    from cax.procedures.models import Dossier

    have = Dossier.objects.count()
    if have >= COUNT:
        return None
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_SQL, {"start": have + 1, "stop": COUNT})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE procedures_dossier")
    return time.perf_counter() - started
