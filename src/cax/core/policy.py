"""The two questions every app's ``policy`` module builds its rules on (issue 15.4).

A rule is written once, as a ``require_*`` function that raises the refusal a user reads
(``PermissionDenied`` with its reason, ``NotVisible`` for an object outside the scope, ``DomainError``
for a state that forbids it). Services call it to enforce; ``allows`` turns the same function into
the yes/no a view or a template needs to show a button, so a page never restates the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cax.core.exceptions import DomainError, NotVisible, PermissionDenied


def require(actor: Any, perm: str, denied: str, obj: Any = None) -> None:
    """``actor`` may ``perm`` (on ``obj``, inside their scope): Django's ``has_perm``, answered by the
    role table and the unit scope (accounts.backends). The system (``actor`` None) may; a missing
    right is refused with ``denied``; an object outside the scope is a 404, so it does not leak."""
    from django.utils.translation import gettext as _

    if actor is None:
        return
    if not actor.has_perm(perm):
        raise PermissionDenied(denied)
    if obj is not None and not actor.has_perm(perm, obj):
        raise NotVisible(_("Không tìm thấy."))


def allows(check: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """Whether ``check`` (a ``require_*`` rule) lets this through; for buttons, never to enforce."""
    try:
        check(*args, **kwargs)
    except DomainError:  # PermissionDenied and NotVisible are DomainErrors too
        return False
    return True


def can_change(user: Any, obj: Any) -> bool:
    """The register rule for one record: the role may change this kind (``app.change_model``) and
    the record lies in the user's scope (a register's detail page shows its Edit button on it)."""
    from cax.core.scoping import permission_name

    return bool(user.has_perm(permission_name(type(obj), "change"), obj))
