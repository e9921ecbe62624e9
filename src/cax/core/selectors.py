"""Reads of the change log (auditors and administrators)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from cax.core.models import ChangeLog
from cax.core.text import matching_words


def changelog_list(
    *,
    actor: Any,
    q: str = "",
    action: str = "",
    object_type: str = "",
    actor_name: str = "",
    request_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[ChangeLog]:
    queryset = ChangeLog.objects.visible_to(actor)
    queryset = matching_words(queryset, q)
    if action:
        queryset = queryset.filter(action=action)
    if object_type:
        queryset = queryset.filter(object_type=object_type)
    if actor_name:
        queryset = queryset.filter(actor_name=actor_name)
    if request_id:
        queryset = queryset.filter(request_id=request_id)
    if date_from:
        queryset = queryset.filter(time__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(time__date__lte=date_to)
    return queryset.order_by("-time", "-id")


def changelog_object_types(*, actor: Any) -> list[str]:
    return list(
        ChangeLog.objects.visible_to(actor).order_by("object_type").values_list("object_type", flat=True).distinct()
    )


def job_for(*, actor, job_uuid):
    """The actor's own job, or None (someone else's job answers like an unknown one)."""
    from cax.core.models import Job

    return Job.objects.visible_to(actor).filter(uuid=job_uuid).first()
