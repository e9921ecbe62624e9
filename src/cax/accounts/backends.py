"""Django's own permission API answered from CAX's role table and unit scope (issue 15.4).

``user.has_perm("cases.change_case")`` asks whether the user's role may do that at all;
``user.has_perm("cases.change_case", case)`` also asks whether the object lies in the user's unit
subtree. Templates use the same answers (``{% if perms.cases.change_case %}``, and
``{% has_perm "cases.change_case" case as can %}`` for an object). Each app's ``policy`` module
builds its rules (may edit, may review, …) on these two questions.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from cax.accounts.roles import ROLE_PERMISSIONS
from cax.core.scoping import object_in_scope


def role_permissions(user: Any) -> frozenset[str]:
    """Every permission the user's role grants; none for an inactive or anonymous user."""
    if user is None or not getattr(user, "is_active", False) or not getattr(user, "is_authenticated", False):
        return frozenset()
    return ROLE_PERMISSIONS.get(getattr(user, "role", ""), frozenset())


class UnitAwareBackend(ModelBackend):
    """Signs users in with Django's password check, loads each user's unit with the user (every
    scoped query needs its path), and answers permissions from the role table, never from Django's
    group and permission tables (CAX keeps none)."""

    def get_user(self, user_id):
        from cax.accounts.models import User

        user = User.objects.select_related("unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        perms = role_permissions(user_obj)
        if obj is not None and not object_in_scope(user_obj, obj):
            return set()
        return set(perms)

    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return self.get_all_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if perm not in role_permissions(user_obj):
            return False
        return obj is None or object_in_scope(user_obj, obj)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in role_permissions(user_obj))
