"""The register's state machine (CPC Art. 146–149 as amended by Law 02/2021 and Law 99/2025).

Which step may follow which, and what each step needs. Kept apart from the services so the table
can be read, tested and shown to users on its own.
"""

from __future__ import annotations

from cax.cases.choices import Status

S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.PRELIMINARY_CHECK}),
    # After the preliminary check: transfer (to the provincial investigating body, another commune, or a
    # body outside CAX), or (Law 99/2025) the investigator placed at the commune takes it up.
    S.PRELIMINARY_CHECK: frozenset({S.TRANSFERRED, S.TAKEN_UP}),
    S.TAKEN_UP: frozenset({S.VERIFYING}),
    S.VERIFYING: frozenset({S.EXTENDED, S.PROSECUTED, S.NOT_PROSECUTED, S.SUSPENDED}),
    S.EXTENDED: frozenset({S.EXTENDED, S.PROSECUTED, S.NOT_PROSECUTED, S.SUSPENDED}),
    S.SUSPENDED: frozenset({S.RESUMED}),
    S.RESUMED: frozenset({S.PROSECUTED, S.NOT_PROSECUTED, S.SUSPENDED}),
    # The receiving unit carries a transferred report on in its own register (or the body outside CAX
    # does): the sender's clock has stopped and its entry only waits to be closed.
    S.TRANSFERRED: frozenset({S.CLOSED}),
    S.PROSECUTED: frozenset({S.CLOSED}),
    S.NOT_PROSECUTED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
# An entry in the register of a unit that is not commune police (the investigating body's seat at the
# province, a department), made by a transfer: no preliminary check (Art. 146(3) is the commune's); it
# verifies within the Art. 147 period, or transfers on.
INVESTIGATING_BODY_TRANSITIONS: dict[str, frozenset[str]] = {S.RECEIVED: frozenset({S.VERIFYING, S.TRANSFERRED})}
# What a step must carry, besides the actor and a note. A transfer needs a unit or a receiving body:
# services._transfer_target checks that pair.
REQUIRED = {
    S.EXTENDED: ("new_due", "extended_by"),
    S.NOT_PROSECUTED: ("non_prosecution_ground",),
    S.SUSPENDED: ("suspension_ground",),
}
# Cases whose clock runs: everything not yet decided (a decided case only waits to be closed).
OPEN_STATUSES = frozenset(s for s, nxt in TRANSITIONS.items() if nxt) - {S.PROSECUTED, S.NOT_PROSECUTED}
# Decisions that must reach the procuracy within the `decision_to_procuracy` rule (24 hours).
DECISIONS = frozenset({S.PROSECUTED, S.NOT_PROSECUTED, S.SUSPENDED})


def allowed_next(status: str, *, commune_level: bool = True) -> frozenset[str]:
    if not commune_level and status in INVESTIGATING_BODY_TRANSITIONS:
        return INVESTIGATING_BODY_TRANSITIONS[status]
    return TRANSITIONS.get(status, frozenset())


def next_steps(case) -> frozenset[str]:
    """The steps ``case`` may take from here: what the service enforces and the step form offers."""
    return allowed_next(case.status, commune_level=case.unit.unit_type.is_commune_level)
