"""The organisational unit tree: ministry → province → [district] → commune, of any depth."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cax.core.scoping import ScopedQuerySet


class UnitType(models.Model):
    """A kind of unit (loại đơn vị): ministry, province, district, xã, phường, thị trấn, đặc khu…

    Kept as data so a new kind (e.g. a police-only unit) needs no code change. ``name_prefix`` is
    how official names start ("Xã ", "Phường "), used to derive the type from a name because the
    ``division_type`` field of older ``vietnam-provinces`` releases is unreliable.
    """

    code = models.SlugField(_("mã loại"), max_length=32, unique=True)
    name = models.CharField(_("tên loại"), max_length=100)
    name_prefixes = models.JSONField(_("tiền tố tên"), default=list, blank=True)
    is_commune_level = models.BooleanField(_("cấp xã"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại đơn vị")
        verbose_name_plural = _("loại đơn vị")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return str(self.name)


class UnitQuerySet(ScopedQuerySet):
    """Adds ``with_tree_counts()``: like prefetch_related, the counts are fetched when the rows are,
    for exactly the rows fetched (a page, a detail, an export), in two indexed queries."""

    _with_tree_counts = False
    _tree_counts_day = None

    def with_tree_counts(self, day=None) -> UnitQuerySet:
        """Counts of the units open today, or on ``day`` (a page read as of a past date)."""
        clone = self._chain()
        clone._with_tree_counts, clone._tree_counts_day = True, day
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._with_tree_counts, clone._tree_counts_day = self._with_tree_counts, self._tree_counts_day
        return clone

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self._with_tree_counts and self._result_cache and isinstance(self._result_cache[0], Unit):
            attach_tree_counts(self._result_cache, day=self._tree_counts_day)

    def open_on(self, day) -> UnitQuerySet:
        """Units valid on ``day``: started on or before it and not yet ended."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self) -> UnitQuerySet:
        return self.filter(valid_to__isnull=True)

    def newest_first(self) -> UnitQuerySet:
        """For looking a unit up by code: the open one first, then the one that ended last."""
        return self.order_by(F("valid_to").desc(nulls_first=True))

    def commune_level(self) -> UnitQuerySet:
        return self.filter(unit_type__is_commune_level=True)


class Unit(models.Model):
    """An administrative / police unit (đơn vị) in the tree.

    ``path`` is the materialized path of primary keys, "/1/35/2104/", so a subtree is one indexed
    ``startswith`` query on both SQLite and PostgreSQL. Units are never deleted: a unit merged away
    gets ``valid_to`` and ``successors`` and keeps its history.
    """

    code = models.CharField(_("mã đơn vị"), max_length=32)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    search_key = models.CharField(_("khoá tìm kiếm"), max_length=255, db_index=True, editable=False)
    unit_type = models.ForeignKey(UnitType, verbose_name=_("loại đơn vị"), on_delete=models.PROTECT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("cấp"), default=0, editable=False)
    path = models.CharField(_("đường dẫn"), max_length=255, unique=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )
    is_border = models.BooleanField(_("biên giới"), default=False)
    is_ethnic_minority = models.BooleanField(_("vùng dân tộc thiểu số"), default=False)
    is_remote = models.BooleanField(_("vùng sâu, vùng xa"), default=False)
    is_key_security = models.BooleanField(_("trọng điểm về ANTT"), default=False)
    population = models.PositiveIntegerField(_("dân số"), null=True, blank=True)
    # Ethnic-minority languages spoken locally (e.g. ["Xơ Đăng", "Ba Na"]): the dashboard and the
    # planner look for an officer who speaks one of them in each ethnic-minority unit.
    local_languages = models.JSONField(_("tiếng dân tộc tại địa bàn"), default=list, blank=True)
    latitude = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    scope_path_lookup = "path"
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_to__isnull=True),
                name="unit_code_unique_while_open",
                violation_error_message=_("Đã có một đơn vị đang hiệu lực với mã này."),
            ),
            models.UniqueConstraint(
                fields=["code", "valid_to"],
                name="unit_code_unique_per_end_date",
                violation_error_message=_("Đã có một đơn vị với mã này kết thúc cùng ngày."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_to_after_valid_from",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="unit_latitude_range",
                violation_error_message=_("Vĩ độ phải trong khoảng -90 đến 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="unit_longitude_range",
                violation_error_message=_("Kinh độ phải trong khoảng -180 đến 180."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def changelog_unit_path(self) -> str:
        return self.path

    @property
    def is_open(self) -> bool:
        return self.valid_to is None

    @property
    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to the parent, read off the path (no query)."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]


def attach_tree_counts(units: list[Unit], day=None) -> None:
    """Sets ``child_count`` (open direct children) and ``commune_count`` (open commune-level units in
    the subtree, itself included) on each unit; open today, or on ``day`` when given.

    The counts of the whole tree are computed once per data revision and day in each process
    (``core.revision.cached``: every unit write bumps it) from one query of the open units' paths,
    whose segments name every ancestor: a page of 50 units then costs only the revision lookup,
    where counting for its own rows read every commune's path under their common ancestor (the
    whole tree for a national page) on every request (issue 20). A correlated ``LIKE path || '%'``
    subquery per row cannot use the index and cost 1.3 s per page.
    """
    children, communes = tree_counts(day)
    for unit in units:
        unit.child_count = children.get(unit.pk, 0)
        unit.commune_count = communes.get(unit.pk, 0)


def tree_counts(day=None) -> tuple[dict[int, int], dict[int, int]]:
    """(open children per parent, open commune-level units per subtree root) of the whole tree,
    open today or on ``day``: computed once per data revision and day in this process."""
    from cax.core import revision

    return revision.cached(("units.tree_counts", day), lambda: _tree_counts(day))


def _tree_counts(day) -> tuple[dict[int, int], dict[int, int]]:
    """(open children per parent, open commune-level units per subtree root) of the whole tree."""
    open_units = Unit.objects.current() if day is None else Unit.objects.open_on(day)
    children: dict[int, int] = {}
    communes: dict[int, int] = {}
    for parent_id, path, is_commune in open_units.order_by().values_list(
        "parent_id", "path", "unit_type__is_commune_level"
    ):
        if parent_id is not None:
            children[parent_id] = children.get(parent_id, 0) + 1
        if is_commune:
            for segment in path.strip("/").split("/"):
                communes[int(segment)] = communes.get(int(segment), 0) + 1
    return children, communes
