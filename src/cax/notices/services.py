"""Every write of notices: the publisher core calls (``publish``), reading, the user's choices, the
daily e-mail digest and the purge of old notices (docs/notices.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from cax.core import notices as registry
from cax.core.scoping import is_within_scope
from cax.core.text import search_key

from .models import Digest, Notice, Preference


def target_of(obj: Any) -> str:
    if obj is None:
        return ""
    return f"{obj._meta.label_lower}:{obj.pk}"


def _candidates(audience: registry.Audience):
    from cax.accounts.models import User

    unit_ids: set[int] = set()
    for unit in audience.units:
        if unit is None:
            continue
        unit_ids.add(unit.pk)
        if audience.up:
            unit_ids.update(unit.ancestor_ids)
    found: dict[int, Any] = {}
    if unit_ids:
        users = User.objects.filter(is_active=True, unit_id__in=unit_ids).select_related("unit")
        if audience.roles:
            users = users.filter(role__in=audience.roles)
        found = {u.pk: u for u in users if not audience.perm or u.has_perm(audience.perm)}
    for user in audience.users:
        if user is not None and getattr(user, "pk", None) and user.is_active:
            found.setdefault(user.pk, user)
    return list(found.values())


def sees(user, *, obj: Any, unit: Any) -> bool:
    """Never a notice to a user outside the event's scope: the object must be among the rows the
    user reads (its model's own ``visible_to``, names rules included), else the unit in the subtree."""
    manager = getattr(type(obj), "objects", None) if obj is not None else None
    if manager is not None and hasattr(manager, "visible_to"):
        return manager.visible_to(user).filter(pk=obj.pk).exists()
    return unit is not None and is_within_scope(user, unit.path)


def _muted(users, key: str) -> set[int]:
    """The users who turned the kind off in the app; the kind's default decides for the others."""
    default = registry.kind(key).in_app
    rows = dict(Preference.objects.filter(user__in=users, kind=key).values_list("user_id", "in_app"))
    return {u.pk for u in users if not rows.get(u.pk, default)}


def publish(key: str, audience, *, title, params, url, unit, obj=None, due_on=None, ref="", exclude=()) -> int:
    """The publisher behind ``core.notices.publish``: one notice per receiving user, in the caller's
    transaction; a deadline notice already given for the same object and day is not given again."""
    excluded = {getattr(u, "pk", u) for u in exclude}
    users = [u for u in _candidates(audience) if u.pk not in excluded and sees(u, obj=obj, unit=unit)]
    if not users:
        return 0
    muted = _muted(users, key)
    target = (ref or target_of(obj))[:100]
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(title).format(**params)
    rows = [
        Notice(
            user=u,
            kind=key,
            title=text[:300],
            search_key=search_key(text)[:300],
            message=title[:300],
            params=params,
            url=url[:500],
            unit=unit,
            target=target,
            due_on=due_on,
        )
        for u in users
        if u.pk not in muted
    ]
    if due_on is not None:
        given = set(
            Notice.objects.filter(kind=key, target=target, due_on=due_on, user__in=users).values_list(
                "user_id", flat=True
            )
        )
        rows = [r for r in rows if r.user.pk not in given]
    Notice.objects.bulk_create(rows, ignore_conflicts=due_on is not None)
    return len(rows)


def mark_read(*, actor, notice_id: int, now: dt.datetime | None = None) -> int:
    """Mark one of the actor's notices read (a notice of someone else is not found: 0)."""
    return (
        Notice.objects.visible_to(actor)
        .filter(pk=notice_id, read_at__isnull=True)
        .update(read_at=now or timezone.now())
    )


def mark_all_read(*, actor, kind: str = "", now: dt.datetime | None = None) -> int:
    unread = Notice.objects.visible_to(actor).filter(read_at__isnull=True)
    if kind:
        unread = unread.filter(kind=kind)
    return unread.update(read_at=now or timezone.now())


@transaction.atomic
def preferences_save(*, actor, choices: dict[str, tuple[bool, bool]]) -> None:
    """``choices``: kind → (in the app, in the digest), for registered kinds only."""
    known = {k.key for k in registry.kinds()}
    for key, (in_app, digest) in choices.items():
        if key in known:
            Preference.objects.update_or_create(user=actor, kind=key, defaults={"in_app": in_app, "digest": digest})


def preferences_of(user) -> list[tuple[registry.NoticeKind, bool, bool]]:
    rows = {p.kind: p for p in Preference.objects.visible_to(user)}
    result = []
    for kind in registry.kinds():
        row = rows.get(kind.key)
        result.append((kind, row.in_app if row else kind.in_app, row.digest if row else kind.digest))
    return result


# -- the daily digest ---------------------------------------------------------------------------


def mail_configured() -> bool:
    """A digest is sent only where the deployment configured mail (EMAIL_HOST, or a backend set
    through CAX_EMAIL_BACKEND, the tests' locmem one)."""
    return bool(getattr(settings, "CAX_EMAIL_ENABLED", False))


def _digest_kinds(user, prefs: dict[str, bool]) -> list[str]:
    return [k.key for k in registry.kinds() if prefs.get(k.key, k.digest)]


def _digest_text(user, notices: list[Notice]) -> str:
    base = settings.CAX_BASE_URL.rstrip("/")
    lines = [_("Kính gửi {name},").format(name=user.full_name or user.username), ""]
    lines.append(_("Có {n} thông báo chưa đọc trên hệ thống CAX:").format(n=len(notices)))
    lines.append("")
    for notice in notices:
        lines.append(f"- {notice.title}")
        if notice.url:
            lines.append(f"  {base}{notice.url}")
    lines += ["", _("Xem tất cả: {url}").format(url=f"{base}/notices/")]
    lines.append(_("Đổi cài đặt nhận thư: {url}").format(url=f"{base}/notices/settings/"))
    return "\n".join(lines)


def send_digest(user, *, today: dt.date) -> bool:
    """One e-mail with the user's unread notices since the last digest, recorded in the same
    transaction: a retry the same day finds the record and sends nothing."""
    if Digest.objects.filter(user=user, day=today).exists():
        return False
    last = Digest.objects.filter(user=user).order_by("-sent_at").values_list("last_notice", flat=True).first() or 0
    prefs = dict(Preference.objects.filter(user=user).values_list("kind", "digest"))
    notices = list(
        Notice.objects.filter(
            user=user, read_at__isnull=True, pk__gt=last, kind__in=_digest_kinds(user, prefs)
        ).order_by("pk")[:200]
    )
    if not notices:
        return False
    try:
        with transaction.atomic():
            Digest.objects.create(
                user=user, day=today, last_notice=notices[-1].pk, count=len(notices), address=user.email
            )
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("CAX: {n} thông báo chưa đọc").format(n=len(notices))
                send_mail(subject, _digest_text(user, notices), None, [user.email])
    except IntegrityError:  # another worker sent today's digest between the check and the insert
        return False
    return True


def send_digests(*, today: dt.date) -> int:
    if not mail_configured():
        return 0
    from cax.accounts.models import User

    waiting = Notice.objects.filter(read_at__isnull=True).values("user_id")
    users = User.objects.filter(is_active=True, pk__in=waiting).exclude(email="").order_by("pk")
    return sum(send_digest(user, today=today) for user in users.iterator(chunk_size=200))


def digest_job(job) -> dict:
    """The daily digest as a background job (cax.core.jobs, CAX_JOB_DAILY "notices.digest"); each
    user's mail commits on its own, so a failure halfway leaves the mails sent recorded."""
    return {"sent": send_digests(today=timezone.localdate())}


# -- retention ----------------------------------------------------------------------------------


def purge_old(now: dt.datetime | None = None) -> int:
    """Notices older than CAX_NOTICE_RETENTION_DAYS, read or not (the event itself keeps its history)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.CAX_NOTICE_RETENTION_DAYS)
    deleted, _detail = Notice.objects.filter(Q(created_at__lt=cutoff)).delete()
    return deleted


def purge_job(job) -> dict:
    return {"notices": purge_old()}
