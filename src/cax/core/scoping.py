"""The one access-scoping mechanism (#3).

Every queryset a user sees starts with ``Model.objects.visible_to(user, action)``. It checks the
role permission for the action and keeps only rows inside the user's unit subtree, using the
materialized unit path. Views, API endpoints, exports and imports all go through it.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def permission_name(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class ScopedQuerySet(models.QuerySet):
    """QuerySet for models that belong to a unit; the model names the path lookup.

    ``scope_path_lookup`` on the model is the ORM path to the owning unit's materialized path,
    e.g. ``"path"`` for Unit itself or ``"unit__path"`` for a row that has a ``unit`` FK. A row that
    two units share (a commune's request assigned to a provincial department) names both in
    ``scope_path_lookups``: it is visible from either subtree.
    """

    def visible_to(self, user: Any, action: str = "view") -> ScopedQuerySet:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if not user.has_cax_perm(permission_name(self.model, action)):
            return self.none()
        root_path = user.scope_path
        if not root_path:
            return self.none()
        return self.filter(subtree_q(self.model, root_path))


def subtree_q(model: type[models.Model], path: str) -> models.Q:
    """Rows of ``model`` that belong to the subtree at ``path``, by any of its owning units: the
    rule of scoping, reused by list filters ("this unit and below") so the two never differ."""
    lookups = getattr(model, "scope_path_lookups", None) or (model.scope_path_lookup,)
    condition = models.Q()
    for lookup in lookups:
        condition |= _lookup_q(model, lookup, path)
    return condition


def _lookup_q(model: type[models.Model], lookup: str, path: str) -> models.Q:
    """``lookup__startswith=path``, unless the lookup passes through a model whose rows belong to a
    unit by a rule of their own (an officer's unit changes on a planned date): that model's
    ``subtree_q(path, prefix)`` decides, for itself and for every row reached through it."""
    prefix, current = "", model
    for part in lookup.split("__")[:-1]:
        own_rule = current.__dict__.get("subtree_q")
        if own_rule is not None:
            return current.subtree_q(path, prefix)
        field = current._meta.get_field(part)
        if not field.is_relation:
            break
        prefix, current = f"{prefix}{part}__", field.related_model
    return models.Q(**{f"{lookup}__startswith": path})


def is_within_scope(user: Any, path: str) -> bool:
    """Whether a unit path lies in the user's subtree; for objects already in memory."""
    root_path = getattr(user, "scope_path", "")
    return bool(root_path) and path.startswith(root_path)


def require_write(actor: Any, perm: str, unit: Any, denied_message: str) -> None:
    """The check every write service makes: the system (``actor`` None) may; a user needs ``perm``
    (else PermissionDenied with ``denied_message``) and ``unit`` inside their subtree (else a 404,
    so the unit's existence does not leak)."""
    from django.utils.translation import gettext as _

    from cax.core.exceptions import NotVisible, PermissionDenied

    if actor is None:
        return
    if not actor.has_cax_perm(perm):
        raise PermissionDenied(denied_message)
    if not is_within_scope(actor, unit.path):
        raise NotVisible(_("Không tìm thấy đơn vị."))
