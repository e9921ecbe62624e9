"""The one page the registers do not give: an officer's training history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cax.training.selectors import officer_trainings


@login_required
def officer_history(request, officer_id: int):
    officer, participations = officer_trainings(actor=request.user, officer_id=officer_id)
    return render(request, "training/officer_history.html", {"officer": officer, "participations": participations})
