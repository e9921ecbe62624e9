from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ bases|get_item:case.due_rule }}``: a dict lookup by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None
