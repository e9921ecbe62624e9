"""``{% has_perm "cases.change_case" case as can_work %}``: Django's ``user.has_perm`` with an object
(the role table and the unit scope, accounts.backends), for a button about that object. Without an
object, templates read ``{% if perms.cases.change_case %}``."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def has_perm(context, perm: str, obj=None) -> bool:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    return bool(user is not None and user.has_perm(perm, obj))
