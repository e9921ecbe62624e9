"""The register's state machine (CPC Art. 146–149 as amended by Law 02/2021 and Law 99/2025).

Which step may follow which, and what each step needs. Kept apart from the services so the table
can be read, tested and shown to users on its own.
"""

from __future__ import annotations

from cax.cases.choices import Status

S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.PRELIMINARY_CHECK}),
    # After the preliminary check: transfer to the provincial investigating body, or (Law 99/2025)
    # the investigator placed at the commune takes it up.
    S.PRELIMINARY_CHECK: frozenset({S.TRANSFERRED, S.TAKEN_UP}),
    S.TAKEN_UP: frozenset({S.VERIFYING}),
    S.VERIFYING: frozenset({S.EXTENDED, S.PROSECUTED, S.NOT_PROSECUTED, S.SUSPENDED}),
    S.EXTENDED: frozenset({S.EXTENDED, S.PROSECUTED, S.NOT_PROSECUTED, S.SUSPENDED}),
    S.SUSPENDED: frozenset({S.RESUMED}),
    S.RESUMED: frozenset({S.PROSECUTED, S.NOT_PROSECUTED, S.SUSPENDED}),
    # The investigating body carries a transferred report on: it verifies, extends and decides.
    S.TRANSFERRED: frozenset({S.VERIFYING, S.CLOSED}),
    S.PROSECUTED: frozenset({S.CLOSED}),
    S.NOT_PROSECUTED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
# What a step must carry, besides the actor and a note.
REQUIRED = {
    S.TRANSFERRED: ("transferred_to",),
    S.EXTENDED: ("new_due", "extended_by"),
    S.NOT_PROSECUTED: ("non_prosecution_ground",),
    S.SUSPENDED: ("suspension_ground",),
}
# Cases whose clock runs: everything not yet decided (a decided case only waits to be closed).
OPEN_STATUSES = frozenset(s for s, nxt in TRANSITIONS.items() if nxt) - {S.PROSECUTED, S.NOT_PROSECUTED}


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())
