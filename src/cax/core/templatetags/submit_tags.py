"""``{% submit_token %}``, a template builtin (settings.TEMPLATES) like ``{% csrf_token %}``."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def submit_token(context):
    """Inside every form that creates something: its one-time submit token (core.idempotency).

    Each rendering gets a fresh token, so a form re-rendered with its errors can be sent again."""
    from cax.core.idempotency import TOKEN_FIELD, issue_token

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, issue_token(user.pk))
