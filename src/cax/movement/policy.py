"""Who may do what with the movement (issue 19): everyone reads the records of their own subtree;
commune police keep their commune's models, registrations and team ratings; province staff keep all
of them in their province. The services save through these permissions (accounts.roles grants
them), the overview and the home page ask them whether to show the figures."""

from __future__ import annotations

from typing import Any

VIEW_MODELS = "movement.view_movementmodel"
VIEW_REGISTRATIONS = "movement.view_safetyregistration"
VIEW_RATINGS = "movement.view_teamrating"
CHANGE_RATINGS = "movement.change_teamrating"
CHANGE_REGISTRATIONS = "movement.change_safetyregistration"


def can_read(user: Any) -> bool:
    return bool(user.has_perm(VIEW_MODELS))
