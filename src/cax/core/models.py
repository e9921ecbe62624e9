"""Shared models: the immutable change log, the timestamp mixin and the base of unit-owned rows."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cax.core.scoping import ScopedQuerySet, subtree_q


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class BelongsToUnit(models.Model):
    """What a row that belongs to a unit answers, directly (``unit``) or through another row
    (``scope_unit_field`` names it): the unit that scopes it and files it in the change log."""

    scope_unit_field = "unit"

    class Meta:
        abstract = True

    @property
    def scope_unit(self):
        return getattr(self, self.scope_unit_field)

    def changelog_unit_path(self) -> str:
        unit = self.scope_unit
        return unit.path if unit is not None else ""


class QuickChoiceLabels:
    """``get_FOO_display()`` by one dict lookup. Django's own builds a dict of every choice at each
    call and hashes each lazy label on the way, translating all of them: a list of 50 officers made
    1,650 gettext calls for its two labelled columns (issue 20). The labels stay lazy, so each is
    translated when shown, in the request's language."""

    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_cax_labels")
        if labels is None:
            labels = field._cax_labels = {value: label for value, label in field.flatchoices}
        value = getattr(self, field.attname)
        try:
            return str(labels[value]) if value in labels else value
        except TypeError:  # an unhashable value: Django's way
            return super()._get_FIELD_display(field)


class UnitOwned(BelongsToUnit):
    """A row that belongs to one unit of the tree (issue 15.1): it is read through
    ``objects.visible_to(actor)`` / ``.in_subtree(unit)`` on the owning unit's path, and the change
    log files it under that unit.

    A subclass may redeclare ``unit`` (its own verbose name, related name, nullability) and its
    ``objects`` (a QuerySet subclassing ``ScopedQuerySet``); rows owned through another row (a team
    member through its team) are not UnitOwned and name their ``scope_path_lookup`` themselves. The
    tree is the ``units`` app's; core names it only by its label, as any FK does."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")

    scope_path_lookup = "unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class ImmutableRecordError(Exception):
    """Raised on any attempt to change or remove a row of an append-only log."""


def _immutable(model: type[models.Model], verb: str) -> ImmutableRecordError:
    return ImmutableRecordError(f"{capfirst(model._meta.verbose_name)} không thể {verb}.")


class AppendOnlyQuerySet(models.QuerySet):
    """The ORM side of an append-only log: no update, no delete, and inserts are chained."""

    def update(self, **kwargs):
        raise _immutable(self.model, "sửa")

    def delete(self):
        raise _immutable(self.model, "xoá")

    # Django's bulk_update goes through update(); block it explicitly for a clear message.
    def bulk_update(self, objs, fields, batch_size=None):
        raise _immutable(self.model, "sửa")

    def bulk_create(self, objs, *args, **kwargs):
        from cax.core.auditchain import append

        objs = list(objs)
        return append(self.model, objs, lambda: super(AppendOnlyQuerySet, self).bulk_create(objs, *args, **kwargs))


class AppendOnlyLog(models.Model):
    """An audit log nobody may rewrite (issue 16.2, docs/decisions/0008): subclassing it is the
    declaration that a management step reads.

    - the ORM refuses save() of an existing row, delete(), queryset update/delete;
    - after every migrate (core.dbroles.protect_after_migrate) the table gets the triggers that
      refuse UPDATE, DELETE and TRUNCATE to everyone, and on PostgreSQL with an owner role the app
      role keeps only SELECT and INSERT on it;
    - each row is chained (core.auditchain): ``chain_seq`` is its gap-free position in the table's
      chain, ``chain_prev`` the hash of the row before, ``chain_hash`` sha256 over both and the
      row's content; ``verify_audit`` walks the chain.

    A subclass's ``objects`` must be (a subclass of) AppendOnlyQuerySet, and its time field a
    ``default=timezone.now``, never ``auto_now_add`` (the hash is taken before the insert; a
    system check refuses it).
    """

    # Nullable so that adding them is an ALTER TABLE ADD COLUMN, not a table rebuild on SQLite
    # (which would drop the triggers); every append sets them and verify_audit flags a row without.
    chain_seq = models.BigIntegerField(_("số thứ tự trong chuỗi"), null=True, editable=False)
    chain_prev = models.CharField(_("mã băm bản ghi trước"), max_length=64, null=True, editable=False)
    chain_hash = models.CharField(_("mã băm"), max_length=64, null=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise _immutable(type(self), "sửa")
        from cax.core.auditchain import append

        append(type(self), [self], lambda: super(AppendOnlyLog, self).save(*args, **kwargs))

    def delete(self, *args, **kwargs):
        raise _immutable(type(self), "xoá")


def chain_unique(table: str) -> models.UniqueConstraint:
    """One row per chain position (a partial unique index, so SQLite adds it without a rebuild)."""
    return models.UniqueConstraint(
        fields=["chain_seq"], condition=models.Q(chain_seq__isnull=False), name=f"{table}_chain_seq_uniq"
    )


class AuditChain(models.Model):
    """The head of one append-only log's hash chain: its length and last hash (core.auditchain).

    Every append locks this row until its transaction commits, so two writers never chain to the
    same row; verify_audit compares it with the log's last row, which reveals a cut-off tail.
    An ordinary table: the app role updates it.
    """

    name = models.CharField(_("bảng"), max_length=100, unique=True)
    length = models.BigIntegerField(_("số bản ghi"), default=0)
    last_hash = models.CharField(_("mã băm cuối"), max_length=64)

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")
        verbose_name_plural = _("đầu chuỗi nhật ký")

    def __str__(self) -> str:
        return f"{self.name}: {self.length}"


class ChangeLogQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    def visible_to(self, user, action="view"):
        """Rows of the user's subtree, plus rows about global reference data for top-level users."""
        scoped = super().visible_to(user, action)
        if scoped.query.is_empty() or not user.scope_is_top_level:
            return scoped
        return self.filter(subtree_q(self.model, user.scope_path) | models.Q(unit_path="/"))


class ChangeLog(AppendOnlyLog):
    """One create, update or delete made through a service (nhật ký thay đổi).

    Rows are append-only and hash-chained (AppendOnlyLog): the ORM refuses updates and deletes,
    database triggers refuse them for raw SQL too, administrators included.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo mới")
        UPDATE = "update", _("Cập nhật")
        DELETE = "delete", _("Xoá")

    time = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    # No FK constraint: the log must outlive anything it mentions and must never be touched by a cascade.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=150)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, db_index=True)
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, db_index=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    object_repr = models.CharField(_("đối tượng"), max_length=300)
    unit_path = models.CharField(_("đường dẫn đơn vị"), max_length=255, db_index=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    message = models.CharField(_("ghi chú"), max_length=500, blank=True)
    search_key = models.CharField(max_length=600, db_index=True, default="")

    scope_path_lookup = "unit_path"
    objects = ChangeLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="changelog_object_idx")]
        constraints = [chain_unique("core_changelog")]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class ImportBatchQuerySet(models.QuerySet):
    def owned_by(self, user):
        """A pending upload is private to whoever uploaded it; others get a 404."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(created_by=user)


class ImportBatch(models.Model):
    """An uploaded file waiting between preview and confirm (lô nhập dữ liệu).

    The file lies in Django's storage, shared by every app process and the job worker (a shared
    volume or object storage when they run on several hosts), so any of them can finish the import.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        APPLIED = "applied", _("Đã nhập")
        REJECTED = "rejected", _("Bị từ chối")

    uuid = models.UUIDField(unique=True, editable=False)
    kind = models.CharField(_("loại dữ liệu"), max_length=32)
    filename = models.CharField(_("tên tệp"), max_length=255)
    # Streamed to storage (MEDIA_ROOT/imports/), never held whole in a column or in memory (issue 16.1).
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=255)
    size = models.PositiveBigIntegerField(_("kích thước"), default=0)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    applied_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("lô nhập dữ liệu")
        verbose_name_plural = _("lô nhập dữ liệu")

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()


class Revision(models.Model):
    """A counter bumped after every committed domain write (see core.revision).

    Dashboards cache their figures per process under the current value, so a figure is recomputed
    after any change anywhere and never served stale, across all app processes.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("phiên bản dữ liệu")
        verbose_name_plural = _("phiên bản dữ liệu")

    def __str__(self) -> str:
        return str(self.value)


class SubmitToken(models.Model):
    """A create form's one-time submit token, consumed by the first POST that carries it (#14).

    The row is inserted in the same transaction as the form's writes, so a second POST of the same
    token (a double click, a resent form, another app process) waits on the unique ``nonce``, then
    finds the row and is answered like the first; a first POST that fails leaves no row behind.
    """

    nonce = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    # Where the first submit redirected (the record it created); empty when it answered with a page.
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("mã gửi biểu mẫu")
        verbose_name_plural = _("mã gửi biểu mẫu")

    def __str__(self) -> str:
        return f"{self.path} {self.nonce}"


class IdempotencyKey(models.Model):
    """The stored answer to an API POST sent with an ``Idempotency-Key`` header (#14).

    Unique per (user, key) and inserted before the operation runs, in its transaction: a retry waits
    for the first call to commit and gets its stored response; the same key with another request
    (``fingerprint``: method, path and body) is refused.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("khoá Idempotency-Key")
        verbose_name_plural = _("khoá Idempotency-Key")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key")]

    def __str__(self) -> str:
        return self.key


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job is its starter's: its page shows their file's rows and errors, nobody else's."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(actor=user)


class Job(models.Model):
    """One piece of long work run by the job worker (công việc nền; cax.core.jobs, issue 16.6)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Thất bại")

    uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại công việc"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit_path = models.CharField(_("đơn vị"), max_length=255, blank=True)
    params = models.JSONField(default=dict)
    state = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    task_id = models.CharField(max_length=64, blank=True)  # the queue library's row
    # kind@date for a daily job: unique, so of several workers exactly one queues it
    schedule_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    worker = models.CharField(max_length=160, blank=True)  # host:pid of the process running it
    heartbeat = models.DateTimeField(null=True, blank=True)
    # Lazy translations in a result (an import's row actions) are written out as text.
    result = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(_("lý do"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()
    # Where the starter worked: the cross-scope walk plants jobs by it (visible_to is stricter: the starter's own).
    scope_path_lookup = "unit_path"

    class Meta:
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        indexes = [models.Index(fields=["state", "heartbeat"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        return min(100, int(self.done * 100 / self.total)) if self.total else 0


class SearchEntry(models.Model):
    """One row of the one search over everything (issue 19.5, docs/search.md): an object of a
    registered source (``core.search``), its title and body folded by ``core.text.search_key``.

    A derived copy, rewritten whenever its object is saved and removed when it is deleted (in the
    same transaction), rebuilt by ``./cax manage search_reindex``. It never decides who sees a hit:
    the source's ``visible_to`` does, at query time. It holds nothing a source keeps apart (a
    reporter's identity, a managed person's name): those sources are searched in their own app.
    On PostgreSQL a generated ``document`` tsvector with a GIN index is added by the migration."""

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=300)
    line = models.CharField(max_length=300, blank=True)  # the hit's second line, as shown
    title_key = models.CharField(max_length=300)
    body_key = models.TextField(blank=True)
    # No "updated at": rewriting an unchanged object must leave its row byte for byte the same (an
    # import of unchanged rows changes nothing, core/tests/test_roundtrip.py).

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="core_searchentry_object")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"
