"""The publish point of in-app notices (issue 19.4, docs/notices.md): what waits on a person.

Core knows no app, and the apps that raise notices (reports, petitions, deployment, cases,
supervision) know no notices app: each registers its kinds here from ``AppConfig.ready()`` and calls
``publish`` in the transaction of its event; the notices app installs the one publisher
(``set_publisher`` in ``NoticesConfig.ready``) that resolves the audience to users, keeps only those
who see the object, honours each user's preferences and stores one row per user. Without the
notices app installed, ``publish`` records nothing (the events themselves are unchanged).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NoticeKind:
    """One kind of notice: ``key`` ("reports.returned"), its label and what it is about (shown on the
    settings page), the defaults of a user who never chose, and in words who receives it."""

    key: str
    label: Any
    description: Any = ""
    in_app: bool = True
    digest: bool = True
    audience: Any = ""
    order: int = 100


@dataclass(frozen=True)
class Audience:
    """Who receives a notice, described rather than listed, so the publishing app needs no query of
    users: the active users of ``units`` (and of their ancestors with ``up``) holding ``perm`` and,
    when given, one of ``roles``, plus ``users`` named one by one (the submitter). Whoever it names,
    the publisher keeps only the users who may see the notice's object (``visible_to``)."""

    units: tuple = ()
    perm: str = ""
    roles: tuple[str, ...] = ()
    users: tuple = ()
    up: bool = False


_KINDS: dict[str, NoticeKind] = {}
_PUBLISHER: list[Callable[..., int]] = []
_DEADLINES: list[str] = []


def register_kind(kind: NoticeKind) -> None:
    _KINDS[kind.key] = kind


def kinds() -> list[NoticeKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.key))


def kind(key: str) -> NoticeKind:
    return _KINDS[key]


def add_deadlines(dotted: str) -> None:
    """A daily provider ``(*, today) -> int`` (dotted path) that publishes the notices of deadlines
    near or past (``due_on`` set, so a second run the same day adds none); the notices app's daily
    job calls each one."""
    if dotted not in _DEADLINES:
        _DEADLINES.append(dotted)


def deadline_providers() -> list[str]:
    return list(_DEADLINES)


def set_publisher(publisher: Callable[..., int]) -> None:
    _PUBLISHER[:] = [publisher]


def publish(
    key: str,
    audience: Audience,
    *,
    title: str,
    params: dict[str, Any] | None = None,
    url: str,
    unit: Any,
    obj: Any = None,
    due_on: dt.date | None = None,
    ref: str = "",
    exclude: Iterable[Any] = (),
) -> int:
    """Notices of kind ``key`` for ``audience`` (minus ``exclude``: the actor who caused the event);
    how many were stored. Call it inside the event's transaction: the notice exists when the event
    does, and not otherwise.

    ``title`` is a Vietnamese msgid marked with ``gettext_noop`` and ``params`` its placeholders'
    values (plain text: names, formatted dates), so each reader sees it in their own language;
    it must never name a person under management. ``ref`` names
    what the notice is about when no row is (a report not yet started: form, unit and period)."""
    if key not in _KINDS:
        raise KeyError(key)
    if not _PUBLISHER:
        return 0
    return _PUBLISHER[0](
        key,
        audience,
        title=str(title),
        params=dict(params or {}),
        url=url,
        unit=unit,
        obj=obj,
        due_on=due_on,
        ref=ref,
        exclude=tuple(exclude),
    )
