"""The one access-scoping mechanism (#3, issue 15.1).

Every queryset a user sees starts with ``Model.objects.visible_to(user, action)``. It checks the
role permission for the action and keeps only rows inside the user's unit subtree, using the
materialized unit path. Views, API endpoints, exports and imports all go through it.

``.in_subtree(unit_or_path)`` is the one way to narrow a query to a unit's subtree (a page about a
province, a dashboard figure): the rows of the subtree by the model's own scope lookups, so the
subtree rule is written here once and never by hand (``unit__path__startswith``). Models that
belong to one unit inherit both from ``core.models.UnitOwned``.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models


def permission_name(model: type[models.Model], action: str) -> str:
    """``app.action_model``; a row read with another model's right (a case's attachment) names that
    model in ``permission_model`` ("app_label.Model")."""
    owner = getattr(model, "permission_model", None)
    if owner:
        model = apps.get_model(owner) if isinstance(owner, str) else owner
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
        if not user.has_perm(permission_name(self.model, action)):
            return self.none()
        root_path = user.scope_path
        if not root_path:
            return self.none()
        return self.filter(subtree_q(self.model, root_path))

    def in_subtree(self, unit_or_path: Any, lookup: str | None = None) -> ScopedQuerySet:
        """Rows that belong to the subtree of a unit (or at a unit path), by every owning unit the
        model names; ``lookup`` picks one of them ("commune__path" of a pairing)."""
        path = unit_path(unit_or_path)
        if lookup is None:
            return self.filter(subtree_q(self.model, path))
        return self.filter(_lookup_q(self.model, lookup, path))


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
    return path_q(lookup, path)


def path_q(lookup: str, path: str) -> models.Q:
    """The subtree rule itself, for one ORM path to a unit's materialized path: the one place it is
    written (``subtree_q`` and ``in_subtree`` build on it; a model with its own rule, an officer,
    reuses it for its two unit fields)."""
    return models.Q(**{f"{lookup}__startswith": unit_path(path)})


def unit_path(unit_or_path: Any) -> str:
    """A unit's materialized path, or the path itself; refuses an empty one (it would match nothing
    or, worse, everything)."""
    path = unit_or_path if isinstance(unit_or_path, str) else unit_or_path.path
    if not path:
        raise ValueError("A subtree needs a unit path.")
    return path


def is_under(unit_or_path: Any, root: Any) -> bool:
    """Whether a unit (or path) lies in the subtree of ``root`` (a unit or a path), itself included;
    for objects already in memory, the same rule as ``in_subtree``."""
    return unit_path(unit_or_path).startswith(unit_path(root))


def is_within_scope(user: Any, path: str) -> bool:
    """Whether a unit path lies in the user's subtree; for objects already in memory."""
    root_path = getattr(user, "scope_path", "")
    return bool(root_path) and bool(path) and is_under(path, root_path)


def object_paths(obj: Any) -> list[str]:
    """The unit paths an object in memory belongs to: a unit's own; a model's ``scope_paths()``
    when it has its own rule (an officer: the unit of today); else each of its scope lookups
    followed attribute by attribute ("team__unit__path" → ``obj.team.unit.path``)."""
    if hasattr(obj, "scope_paths"):
        return [p for p in obj.scope_paths() if p]
    lookups = getattr(obj, "scope_path_lookups", None) or (getattr(obj, "scope_path_lookup", None),)
    paths = []
    for lookup in lookups:
        value = obj
        for part in (lookup or "").split("__") if lookup else ():
            value = getattr(value, part, None) if value is not None else None
        if isinstance(value, str) and value:
            paths.append(value)
    return paths


def object_in_scope(user: Any, obj: Any) -> bool:
    """Whether an object in memory lies in the user's subtree by any of its owning units: the
    in-memory twin of ``visible_to``'s filter (the permission itself is the caller's question)."""
    return any(is_within_scope(user, path) for path in object_paths(obj))


def require_visible(actor: Any, unit: Any) -> None:
    """For a selector handed a unit (a dashboard of its subtree): the actor must see the unit, else
    a 404 as for any unit outside the scope. Every row the selector then reads ``in_subtree(unit)``
    lies inside the actor's scope by construction. The system (``actor`` None) sees every unit."""
    from django.utils.translation import gettext as _

    from cax.core.exceptions import NotVisible

    if actor is not None and not is_within_scope(actor, unit_path(unit)):
        raise NotVisible(_("Không tìm thấy đơn vị."))


def require_write(actor: Any, perm: str, unit: Any, denied_message: str) -> None:
    """The check every write service makes: the system (``actor`` None) may; a user needs ``perm``
    (else PermissionDenied with ``denied_message``) and ``unit`` inside their subtree (else a 404,
    so the unit's existence does not leak)."""
    from django.utils.translation import gettext as _

    from cax.core.exceptions import NotVisible, PermissionDenied

    if actor is None:
        return
    if not actor.has_perm(perm):
        raise PermissionDenied(denied_message)
    if not actor.has_perm(perm, unit):  # Django's question with the unit: its scope (accounts.backends)
        raise NotVisible(_("Không tìm thấy đơn vị."))
