"""The daily run of deadline notices: every provider the apps registered (core.notices.add_deadlines),
each publishing with a due day, so a second run the same day adds nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.module_loading import import_string

from cax.core import notices


def run(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    return {dotted: import_string(dotted)(today=today, now=now) for dotted in notices.deadline_providers()}


def deadlines_job(job) -> dict:
    """The daily deadline notices as a background job (CAX_JOB_DAILY "notices.deadlines")."""
    return {"published": sum(run().values())}
