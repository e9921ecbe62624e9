"""The movement's own page beside its registers: the teams still to rate (the home page links here)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.bounds import OutOfRange
from cax.core.exceptions import PermissionDenied
from cax.core.listing import paginate
from cax.movement import policy
from cax.movement.selectors import rating_year, unrated_teams
from cax.movement.services import rating_scheme_for


@login_required
def unrated(request):
    if not request.user.has_perm(policy.VIEW_RATINGS):
        raise PermissionDenied
    year, scheme = rating_year(timezone.localdate())
    asked = _year(request.GET.get("year"))
    if asked is not None and asked != year:
        year, scheme = asked, rating_scheme_for(asked)
    teams = unrated_teams(request.user, request.user.unit, year, scheme).select_related("unit") if scheme else None
    page = paginate(request, teams.order_by("unit__path", "code")) if teams is not None else None
    return render(request, "movement/unrated.html", {"year": year, "scheme": scheme, "page": page})


def _year(text: str | None) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise OutOfRange(_("Năm không hợp lệ: {v}.").format(v=text[:40]))
    return int(text)
