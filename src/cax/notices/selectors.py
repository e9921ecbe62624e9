"""Reads of notices: always the actor's own (``visible_to``), never someone else's."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q

from cax.core.text import matching_words

from .models import Notice

READ_CHOICES = ("unread", "read")


def notice_list(*, actor, kind: str = "", read: str = "", q: str = ""):
    """The actor's notices, unread first, newest first; ``read`` is "unread", "read" or empty."""
    rows = Notice.objects.visible_to(actor)
    if kind:
        rows = rows.filter(kind=kind)
    if read == "unread":
        rows = rows.filter(read_at__isnull=True)
    elif read == "read":
        rows = rows.filter(read_at__isnull=False)
    if q:
        rows = matching_words(rows, q)
    is_read = ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField())
    return rows.annotate(is_read=is_read).order_by("is_read", "-created_at", "-pk")


def unread_count(*, actor) -> int:
    """The bell's figure: one query."""
    return Notice.objects.visible_to(actor).filter(read_at__isnull=True).count()
