"""Persons under local management (quản lý đối tượng, issue 18.1): the categories and their rules as
data, a person's file (the decision, the term, the computed end, the named supervisor), the
identity in a table of its own, the events (appended, never rewritten), the duties they owe, the
temporary-absence records, the hand-overs between communes and the log of who opened a file.

Who may read a name is decided once, in ``names_q``: the managing commune (its unit subtree) with
``supervision.view_supervisionfile``, the province department responsible for the category with
``supervision.view_department_files``. Everybody else reads counts (selectors.figures), never a row.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cax.core.models import AppendOnlyLog, AppendOnlyQuerySet, chain_unique
from cax.core.records.model import RecordModel
from cax.core.scoping import ScopedQuerySet, path_q

VIEW_NAMES = "supervision.view_supervisionfile"
VIEW_DEPARTMENT_NAMES = "supervision.view_department_files"
CHANGE_FILES = "supervision.change_supervisionfile"
VIEW_FIGURES = "supervision.view_figures"
VIEW_ACCESS_LOG = "supervision.view_fileaccess"


class TimeUnit(models.TextChoices):
    HOURS = "hours", _("giờ")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    WORKING_DAYS = "working_days", _("ngày làm việc")
    MONTHS = "months", _("tháng")


class Category(models.Model):
    """A category of managed person (án treo, CTKGG…): reference data, edited at /reference/."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500)
    supervising_body = models.CharField(_("cơ quan giám sát, quản lý"), max_length=300)
    # The suffix of the provincial department's unit code ("PC10" → "<province>-PC10" or "PC10"):
    # its staff read the names of this category in their province.
    department_code = models.CharField(_("mã phòng nghiệp vụ phụ trách"), max_length=32, blank=True)
    dossier_items = models.JSONField(_("danh mục hồ sơ"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại đối tượng quản lý")
        verbose_name_plural = _("loại đối tượng quản lý")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Rule(models.Model):
    """One version of one rule of a category (term, custody credit, a periodic duty, a hand-over
    time): the law changes on 01/07/2026, so each version has effective dates and its legal basis.
    ``verified`` is False for a figure not read in the text of the law (docs/supervision.md)."""

    category = models.ForeignKey(
        Category, verbose_name=_("loại đối tượng"), on_delete=models.CASCADE, null=True, blank=True
    )
    code = models.SlugField(_("mã quy tắc"), max_length=40)
    amount = models.PositiveSmallIntegerField(_("giá trị"))
    unit = models.CharField(_("đơn vị tính"), max_length=16, choices=TimeUnit.choices)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("quy tắc quản lý đối tượng")
        verbose_name_plural = _("quy tắc quản lý đối tượng")
        ordering = ["category__sort_order", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code", "effective_from"], name="supervision_rule_version")
        ]

    def __str__(self) -> str:
        return f"{self.category_id or '*'} {self.code}: {self.amount} {self.get_unit_display()} ({self.legal_basis})"


class Status(models.TextChoices):
    WAITING = "waiting", _("Chờ tiếp nhận")
    ACTIVE = "active", _("Đang quản lý")
    ABSENT = "absent", _("Vắng mặt có phép")
    MOVED = "moved", _("Đã chuyển đi")
    VIOLATED = "violated", _("Vi phạm")
    ENDED = "ended", _("Kết thúc")


# Files whose duties run: the person is managed here (absent with permission still reports).
MANAGED = (Status.ACTIVE, Status.ABSENT, Status.VIOLATED)
OPEN = (Status.WAITING, *MANAGED)


def names_q(user: Any, prefix: str = "") -> Q | None:
    """The files whose names ``user`` may read (prefix: the ORM path from a row to its file, "file__"),
    or None when none. The one rule of who sees a person (docs/supervision.md, "Access")."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    root = user.scope_path
    if not root:
        return None
    condition = Q()
    allowed = False
    if user.has_perm(VIEW_NAMES):
        condition |= path_q(f"{prefix}unit__path", root)
        allowed = True
    if user.has_perm(VIEW_DEPARTMENT_NAMES):
        condition |= path_q(f"{prefix}department__path", root)
        allowed = True
    return condition if allowed else None


class NamedQuerySet(ScopedQuerySet):
    """``visible_to`` of every row that names a person: ``names_q``, never the plain unit subtree."""

    file_prefix = ""

    def visible_to(self, user: Any, action: str = "view"):
        if action != "view":
            # Writing belongs to the managing commune only (its unit subtree, the change right).
            if user is None or not getattr(user, "is_authenticated", False) or not user.has_perm(CHANGE_FILES):
                return self.none()
            return (
                self.filter(path_q(f"{self.file_prefix}unit__path", user.scope_path))
                if user.scope_path
                else self.none()
            )
        condition = names_q(user, self.file_prefix)
        return self.none() if condition is None else self.filter(condition)


class FileQuerySet(NamedQuerySet):
    def overdue(self, day):
        return self.filter(status__in=MANAGED, duties__due_on__lt=day).distinct()


class SupervisionFile(RecordModel):
    """One decision about one person in one commune (hồ sơ quản lý): the category, the decision,
    the term and its computed end, the named supervisor, the status the events lead to."""

    event_date_fields = ("start_date",)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("Công an xã quản lý"), on_delete=models.PROTECT, related_name="+"
    )
    # The province department responsible for the category (its staff read the names): set by the
    # services from the category's department code.
    department = models.ForeignKey(
        "units.Unit",
        verbose_name=_("phòng nghiệp vụ phụ trách"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(Category, verbose_name=_("loại đối tượng"), on_delete=models.PROTECT)
    decision_number = models.CharField(_("số quyết định, bản án"), max_length=100)
    decision_date = models.DateField(_("ngày quyết định"))
    issuer = models.CharField(_("cơ quan ra quyết định"), max_length=300)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500, blank=True)
    received_on = models.DateField(_("ngày nhận quyết định"))
    start_date = models.DateField(_("ngày bắt đầu"))
    term_months = models.PositiveSmallIntegerField(_("thời hạn (tháng)"), default=0)
    term_days = models.PositiveSmallIntegerField(_("thời hạn (ngày)"), default=0)
    custody_days = models.PositiveIntegerField(_("số ngày tạm giữ, tạm giam được trừ"), default=0)
    end_date = models.DateField(_("ngày hết hạn"), null=True, blank=True, db_index=True)
    supervisor = models.CharField(_("người được giao giám sát, giáo dục"), max_length=200, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.WAITING)
    violations = models.PositiveSmallIntegerField(_("số lần vi phạm"), default=0)
    dossier = models.JSONField(_("hồ sơ đã có"), default=list, blank=True)
    commitment_due = models.DateField(_("hạn cam kết"), null=True, blank=True)
    transferred_from = models.ForeignKey(
        "self", verbose_name=_("chuyển từ hồ sơ"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    scope_path_lookups = ("unit__path", "department__path")
    objects = FileQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ đối tượng quản lý")
        verbose_name_plural = _("hồ sơ đối tượng quản lý")
        ordering = ["-start_date", "-pk"]
        permissions = [
            ("view_department_files", "Xem hồ sơ đối tượng của loại do phòng phụ trách"),
            ("view_figures", "Xem số liệu đối tượng quản lý"),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="supervision_file_unit_status")]

    def __str__(self) -> str:
        # Never the name: the change log and the access log show this to their readers.
        return f"Hồ sơ {self.pk}"

    def search_text(self) -> str:
        # The decision's number only: names are searched in the identity table.
        return f"{self.decision_number} {self.supervisor}"

    @property
    def is_managed(self) -> bool:
        return self.status in MANAGED


class IdentityQuerySet(NamedQuerySet):
    file_prefix = "file__"


class Identity(models.Model):
    """Who the person is, apart from the file: name, personal ID number, date of birth, address.
    Read only through ``names_q``; the change log keeps a keyed digest of each value, never it."""

    file = models.OneToOneField(SupervisionFile, on_delete=models.CASCADE, related_name="identity")
    full_name = models.CharField(_("họ và tên"), max_length=200)
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=20, blank=True, db_index=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("nơi cư trú"), max_length=500, blank=True)
    search_key = models.CharField(max_length=500, blank=True, editable=False, db_index=True)

    SENSITIVE_FIELDS = ("full_name", "personal_id", "date_of_birth", "address", "search_key")
    scope_path_lookups = ("file__unit__path", "file__department__path")
    objects = IdentityQuerySet.as_manager()

    class Meta:
        verbose_name = _("danh tính đối tượng")
        verbose_name_plural = _("danh tính đối tượng")

    def __str__(self) -> str:
        return f"Danh tính hồ sơ {self.file_id}"

    def changelog_unit_path(self) -> str:
        return self.file.unit.path


class EventKind(models.TextChoices):
    RECEPTION = "reception", _("Tiếp nhận")
    COMMITMENT = "commitment", _("Cam kết")
    REPORT = "report", _("Báo cáo định kỳ của người chấp hành")
    ASSESSMENT = "assessment", _("Nhận xét của người giám sát")
    RESIDENCE_CHECK = "residence_check", _("Kiểm tra cư trú")
    INCOME_DEDUCTION = "income_deduction", _("Nộp khoản thu nhập bị khấu trừ")
    ABSENCE = "absence", _("Xin phép vắng mặt")
    RETURN = "return", _("Trở về sau vắng mặt")
    VIOLATION = "violation", _("Vi phạm nghĩa vụ")
    PROPOSAL = "proposal", _("Đề nghị")
    COURT_DECISION = "court_decision", _("Quyết định của Tòa án")
    MOVE = "move", _("Chuyển nơi cư trú")
    HANDOVER_ACCEPTED = "handover_accepted", _("Nơi mới đã tiếp nhận")
    END = "end", _("Kết thúc")
    REMINDER = "reminder", _("Nhắc nghĩa vụ")


class Proposal(models.TextChoices):
    SHORTEN = "shorten", _("Rút ngắn thời gian thử thách")
    REVOKE = "revoke", _("Hủy, buộc chấp hành hình phạt tù")
    EXTEND = "extend", _("Kéo dài thời hạn")
    EXPUNGE = "expunge", _("Xóa án tích")


class CourtOutcome(models.TextChoices):
    SHORTEN = "shorten", _("Rút ngắn thời hạn")
    REVOKE = "revoke", _("Hủy, buộc chấp hành hình phạt tù")
    REJECT = "reject", _("Không chấp nhận đề nghị")


class EventQuerySet(NamedQuerySet):
    file_prefix = "file__"

    def update(self, **kwargs):
        raise TypeError("Supervision events are appended, never changed.")

    def delete(self):
        raise TypeError("Supervision events are appended, never deleted.")


class Event(models.Model):
    """What happened in a file, appended: a reception, a report, an absence, a violation, a move."""

    file = models.ForeignKey(SupervisionFile, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("loại"), max_length=24, choices=EventKind.choices)
    on = models.DateField(_("ngày"))
    recorded_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("nội dung"), blank=True)
    document_ref = models.CharField(_("số văn bản, biên bản"), max_length=200, blank=True)
    outcome = models.CharField(_("nội dung đề nghị, kết quả"), max_length=24, blank=True)
    data = models.JSONField(default=dict, blank=True)

    scope_path_lookups = ("file__unit__path", "file__department__path")
    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("diễn biến quản lý")
        verbose_name_plural = _("diễn biến quản lý")
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["file", "kind"], name="supervision_event_file_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y} (hồ sơ {self.file_id})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Supervision events are appended, never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Supervision events are appended, never deleted.")


class StatusChangeQuerySet(EventQuerySet):
    pass


class StatusChange(models.Model):
    """A file's status from a day on, appended by the one place that sets a status
    (services._set_status, and a file's creation): the figures as of a past day read the latest row
    on or before it, so a count at 30/06 stays what it was whatever happened since."""

    file = models.ForeignKey(SupervisionFile, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices)
    on = models.DateField(_("từ ngày"))
    recorded_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    scope_path_lookups = ("file__unit__path", "file__department__path")
    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("trạng thái theo ngày")
        verbose_name_plural = _("trạng thái theo ngày")
        ordering = ["file", "on", "pk"]
        indexes = [models.Index(fields=["file", "on"], name="supervision_status_file_on")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.on:%d/%m/%Y} (hồ sơ {self.file_id})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Status changes are appended, never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Status changes are appended, never deleted.")


class DutyQuerySet(NamedQuerySet):
    # A duty carries its file's unit and department (see Duty): scoped on its own columns.
    file_prefix = ""


class Duty(models.Model):
    """A periodic duty of a file (a report, an assessment, a residence check): how many were done
    and when the next falls, kept by the services from the rules so the overdue list is one query.

    The file's managing unit, responsible department and category are copied here (a file never
    changes commune: a move makes a new file; the services copy them again when a file is
    corrected), so a province's overdue list reads this table and the unit tree only."""

    file = models.ForeignKey(SupervisionFile, on_delete=models.CASCADE, related_name="duties")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("nghĩa vụ"), max_length=40)
    done = models.PositiveIntegerField(_("đã thực hiện"), default=0)
    due_on = models.DateField(_("hạn tiếp theo"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500, blank=True)
    reminded_on = models.DateField(_("nhắc lần cuối"), null=True, blank=True)

    scope_path_lookups = ("unit__path", "department__path")
    objects = DutyQuerySet.as_manager()

    class Meta:
        verbose_name = _("nghĩa vụ định kỳ")
        verbose_name_plural = _("nghĩa vụ định kỳ")
        constraints = [models.UniqueConstraint(fields=["file", "code"], name="supervision_duty_once")]
        indexes = [
            models.Index(fields=["due_on"], name="supervision_duty_due"),
            models.Index(fields=["unit", "due_on"], name="supervision_duty_unit_due"),
            models.Index(fields=["department", "due_on"], name="supervision_duty_dept_due"),
        ]

    def __str__(self) -> str:
        return f"{self.code} (hồ sơ {self.file_id})"


class AbsenceQuerySet(NamedQuerySet):
    file_prefix = "file__"


class TemporaryAbsence(models.Model):
    """The residence-law absence record (khai báo tạm vắng, Law 68/2020 Art. 31(1)) an absence
    of these categories needs: made with the absence by the same service."""

    file = models.ForeignKey(SupervisionFile, on_delete=models.PROTECT, related_name="absences")
    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="temporary_absence")
    first_day = models.DateField(_("vắng từ ngày"))
    last_day = models.DateField(_("đến ngày"))
    destination = models.CharField(_("nơi đến"), max_length=300)
    reason = models.CharField(_("lý do"), max_length=300)
    returned_on = models.DateField(_("ngày trở về"), null=True, blank=True)

    scope_path_lookups = ("file__unit__path", "file__department__path")
    objects = AbsenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("khai báo tạm vắng")
        verbose_name_plural = _("khai báo tạm vắng")
        ordering = ["-first_day"]

    def __str__(self) -> str:
        return f"Tạm vắng {self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y} (hồ sơ {self.file_id})"


class HandoverQuerySet(ScopedQuerySet):
    """A hand-over names the person to both communes: the sending one (its file) and the receiving
    one (which must know whom it receives); nobody else."""

    def visible_to(self, user: Any, action: str = "view"):
        condition = names_q(user, "file__")
        if condition is None:
            return self.none()
        if user.has_perm(VIEW_NAMES):
            condition |= path_q("to_unit__path", user.scope_path)
        return self.filter(condition)


class Handover(models.Model):
    """A move to another commune (chuyển nơi cư trú): the sending commune records it, the receiving
    one accepts it and the file continues there. ``due_at`` is the notice's time limit where a
    rule sets one (24 hours for drug users under management from 01/07/2026, Law 120/2025)."""

    file = models.ForeignKey(SupervisionFile, on_delete=models.PROTECT, related_name="handovers")
    to_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("Công an xã nơi đến"), on_delete=models.PROTECT, related_name="+"
    )
    moved_at = models.DateTimeField(_("chuyển đi lúc"))
    due_at = models.DateTimeField(_("hạn thông báo nơi đến"), null=True, blank=True)
    sent_at = models.DateTimeField(_("đã thông báo lúc"), default=timezone.now)
    accepted_at = models.DateTimeField(_("nơi đến tiếp nhận lúc"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_file = models.OneToOneField(
        SupervisionFile, on_delete=models.PROTECT, null=True, blank=True, related_name="handed_over_from"
    )
    new_address = models.CharField(_("nơi cư trú mới"), max_length=500, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    scope_path_lookups = ("file__unit__path", "file__department__path", "to_unit__path")
    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("bàn giao đối tượng")
        verbose_name_plural = _("bàn giao đối tượng")
        ordering = ["-moved_at"]
        indexes = [models.Index(fields=["to_unit", "accepted_at"], name="supervision_handover_to")]

    def __str__(self) -> str:
        return f"Bàn giao hồ sơ {self.file_id}"

    @property
    def notice_late(self) -> bool:
        return self.due_at is not None and self.sent_at > self.due_at


class FileAccessQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    pass


class FileAccess(AppendOnlyLog):
    """Who opened a person's file or exported names, when and why (Law 91/2025 accountability).
    Append-only and hash-chained like the change log (core.models.AppendOnlyLog)."""

    class Action(models.TextChoices):
        OPEN = "open", _("Mở hồ sơ")
        EXPORT = "export", _("Xuất danh sách có họ tên")
        SEARCH = "search", _("Tìm họ tên qua ô tìm kiếm chung")

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey(SupervisionFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    channel = models.CharField(max_length=10)  # "web" | "api"
    reason = models.CharField(_("lý do"), max_length=300)
    rows = models.PositiveIntegerField(default=1)

    scope_path_lookup = "unit__path"
    objects = FileAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("lượt mở hồ sơ đối tượng")
        verbose_name_plural = _("lượt mở hồ sơ đối tượng")
        constraints = [chain_unique("supervision_fileaccess")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.file_id or self.unit_id} at {self.at:%Y-%m-%d %H:%M}"
