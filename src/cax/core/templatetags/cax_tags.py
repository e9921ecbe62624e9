from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ bases|get_item:case.due_rule }}``: a dict lookup by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def vn_duration(delta):
    """``{{ delta|vn_duration }}``: "còn 3 ngày 4 giờ" / "quá hạn 2 năm 8 tháng" (cax.core.text)."""
    from cax.core.text import vn_duration as format_duration

    return format_duration(delta) if delta is not None else ""


@register.filter
def time_left(due, now):
    """``{{ case.due_at|time_left:now }}``: the time from ``now`` to ``due``, said in words."""
    from cax.core.text import vn_duration as format_duration

    if due is None or now is None:
        return ""
    return format_duration(due - now)
