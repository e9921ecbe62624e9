"""In-app notices (thông báo, issue 19.4): one row per user and event, the user's choices per kind,
and the record of each e-mail digest sent (docs/notices.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cax.core import notices as registry
from cax.core.models import AppendOnlyLog, AppendOnlyQuerySet, chain_unique


class OwnQuerySet(models.QuerySet):
    """A person's notices and choices are theirs alone (like their API tokens): not scoped by unit,
    owned. The event's scope was checked when the notice was published."""

    def visible_to(self, user, action: str = "view"):
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(user=user)


class Notice(models.Model):
    """Something waiting on ``user``: a report returned, a request assigned, a duty due.

    ``target`` names the object ("reports.submission:12") so the daily deadline run adds one notice
    per (kind, object, due day, user) whatever the number of runs (the unique constraint); event
    notices carry no ``due_on`` and each event gives its own notice (a report returned twice)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("loại thông báo"), max_length=60, db_index=True)
    title = models.CharField(_("nội dung"), max_length=300)
    search_key = models.CharField(max_length=300, editable=False, default="")
    # The msgid and its values: the page shows the notice in the reader's language (``text``).
    message = models.CharField(max_length=300, editable=False, default="")
    params = models.JSONField(default=dict, editable=False, blank=True)
    url = models.CharField(_("liên kết"), max_length=500, blank=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    target = models.CharField(max_length=100, blank=True, editable=False)
    due_on = models.DateField(_("hạn"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    # Owned, not scoped: the path only tells the cross-scope walk whose notice this is (like API tokens).
    scope_path_lookup = "user__unit__path"
    objects = OwnQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target", "due_on", "user"],
                condition=models.Q(due_on__isnull=False),
                name="notices_notice_one_per_due_day",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notices_user_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        if not self.message:
            return self.title
        try:
            return gettext(self.message).format(**self.params)
        except (KeyError, IndexError, ValueError):  # a msgid changed since: the stored wording
            return self.title

    @property
    def kind_label(self):
        try:
            return registry.kind(self.kind).label
        except KeyError:
            return self.kind


class Preference(models.Model):
    """A user's choice for one kind: see it in the app, receive it in the daily digest. A user with
    no row for a kind has the kind's defaults."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences")
    kind = models.CharField(_("loại thông báo"), max_length=60)
    in_app = models.BooleanField(_("hiện trong hệ thống"), default=True)
    digest = models.BooleanField(_("gửi thư tổng hợp hằng ngày"), default=True)

    objects = OwnQuerySet.as_manager()

    class Meta:
        verbose_name = _("cài đặt thông báo")
        verbose_name_plural = _("cài đặt thông báo")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notices_preference_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class DigestQuerySet(AppendOnlyQuerySet, OwnQuerySet):
    pass


class Digest(AppendOnlyLog):
    """One e-mail digest sent to a user: the notices up to ``last_notice`` are in it, so the next
    digest starts after them and a retry of the same day sends nothing (one per user and day)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("ngày"))
    sent_at = models.DateTimeField(_("gửi lúc"), default=timezone.now, editable=False)
    last_notice = models.BigIntegerField(_("thông báo cuối cùng trong thư"))
    count = models.PositiveIntegerField(_("số thông báo"))
    address = models.EmailField(_("địa chỉ"))

    objects = DigestQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("thư tổng hợp thông báo")
        verbose_name_plural = _("thư tổng hợp thông báo")
        constraints = [
            chain_unique("notices_digest"),
            models.UniqueConstraint(fields=["user", "day"], name="notices_digest_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
