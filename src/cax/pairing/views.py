from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from cax.pairing import selectors
from cax.units.selectors import unit_get


@login_required
def department_page(request, pk: int):
    department = unit_get(actor=request.user, pk=pk)
    page = selectors.department_page(actor=request.user, department=department, today=timezone.localdate())
    return render(request, "pairing/department.html", {"page": page, "today": timezone.localdate()})
