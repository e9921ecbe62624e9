"""Who may do what with the grassroots security force (#8, issue 15.4): everyone reads the teams of
their own subtree; commune police and province staff keep teams, members and allowances; the
province sets its criteria (age range, team size). The services save through these permissions, the
overview asks them whether to show the figures."""

from __future__ import annotations

from typing import Any

from cax.accounts.roles import CHANGE_GRASSROOTS_CRITERIA
from cax.core.policy import can_change

VIEW_TEAMS = "grassroots.view_team"
CHANGE_CRITERIA = CHANGE_GRASSROOTS_CRITERIA


def can_read(user: Any) -> bool:
    return bool(user.has_perm(VIEW_TEAMS))


def can_edit(user: Any, record: Any) -> bool:
    """A team, a member, an allowance or the criteria: the role keeps that kind, in the user's scope."""
    return can_change(user, record)
