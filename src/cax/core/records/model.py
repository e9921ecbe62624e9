"""The base of every register's model: the unit that scopes a row, its search key, timestamps.

App models import this module only: it needs nothing but Django's ORM, so a model never loads
the framework's forms, views or API.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cax.core.models import BelongsToUnit


class RecordModel(BelongsToUnit):
    """What every register's model has: a unit that scopes it, a search key, timestamps.

    ``scope_unit_field`` names the field that decides the owning unit (``"unit"`` by default); a
    row owned through another row (a team member through its team) names that FK and overrides
    ``scope_unit`` (``return self.team.unit``) and ``scope_path_lookup`` (``"team__unit__path"``).
    The change log and the write check use ``scope_unit``.
    """

    search_key = models.CharField(_("khoá tìm kiếm"), max_length=500, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    scope_path_lookup = "unit__path"
    # Dates of the real event a row records (issue 14): each must fall inside the owning unit's
    # validity, so a commune merged away in 2025 keeps its earlier events and refuses later ones.
    event_date_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def search_text(self) -> str:
        """The words the list's search box finds this row by."""
        return str(self)
