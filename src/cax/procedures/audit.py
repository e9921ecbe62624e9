"""Dossiers and notices against the services' own checks (core.audit): the due time each stores is
the one its rule gives today from the same clock, and every check of receipt and resolution holds."""

from __future__ import annotations

import copy
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.audit import Violation
from cax.core.exceptions import DomainError
from cax.core.text import vn_datetime
from cax.procedures import services
from cax.procedures.models import Declaration, Dossier


def _check(obj, check, now) -> Iterator[str]:
    probe = copy.copy(obj)  # the check recomputes the due time on its object: never on the stored one
    try:
        check(probe, now)
    except DomainError as exc:
        for messages in (exc.fields or {"": [exc.message]}).values():
            yield from messages
        return
    if probe.due_at != obj.due_at:
        yield _("Hạn lưu {a}, theo quy tắc {b}.").format(a=vn_datetime(obj.due_at), b=vn_datetime(probe.due_at))


def violations() -> Iterator[Violation]:
    now = timezone.now()
    dossiers = Dossier.objects.select_related("unit__unit_type", "procedure").order_by("pk")
    for dossier in dossiers.iterator(chunk_size=2000):
        for message in _check(dossier, services.check_dossier, now):
            yield Violation(_("hồ sơ thủ tục hành chính"), f"{dossier.unit.name} {dossier}", message)
    notices = Declaration.objects.select_related("unit__unit_type", "procedure").order_by("pk")
    for notice in notices.iterator(chunk_size=2000):
        for message in _check(notice, services.check_declaration, now):
            yield Violation(_("thông báo lưu trú, khai báo tạm trú"), f"{notice.unit.name} {notice}", message)
