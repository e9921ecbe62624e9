"""Reads of the library: documents as an actor sees them, who must read one and who has not."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.exceptions import NotVisible
from cax.core.scoping import path_q
from cax.core.text import search_key
from cax.library import policy
from cax.library.models import Acknowledgement, Audience, Document


def matching(queryset: QuerySet, q: str) -> QuerySet:
    """Rows whose title, number, issuer, tags, summary or file text hold every word of ``q``,
    whatever the diacritics ("so tay" finds "Sổ tay")."""
    for word in search_key(q).split():
        queryset = queryset.filter(Q(search_key__contains=word) | Q(file_text__contains=word))
    return queryset


def documents_for(actor, q: str = "") -> QuerySet:
    """The documents ``actor`` may read, optionally matching ``q``: the one entry point for the list,
    the API and, later, the global search."""
    qs = Document.objects.visible_to(actor).select_related("unit", "replaced_by", "audience_unit", "audience_unit_type")
    return matching(qs, q) if q else qs


def document_get(*, actor, pk: int) -> Document:
    doc = documents_for(actor).filter(pk=pk).first()
    if doc is None:
        raise NotVisible(_("Không tìm thấy tài liệu."))
    return doc


def in_force_q(day) -> Q:
    """Documents in force on ``day`` and not replaced by then."""
    return (
        Q(effective_from__lte=day)
        & (Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        & (Q(replaced_by__isnull=True) | Q(replaced_by__effective_from__gt=day))
    )


def status_q(status: str, day) -> Q:
    replaced = Q(replaced_by__isnull=False, replaced_by__effective_from__lte=day)
    if status == "in_force":
        return in_force_q(day)
    if status == "replaced":
        return replaced
    if status == "pending":
        return Q(effective_from__gt=day) & ~replaced
    return Q(effective_to__lt=day) & ~replaced  # expired


def audience_users_q(document: Document) -> Q:
    """The users a document applies to, as a filter on users: the units in its audience."""
    if document.audience == Audience.SUBTREE:
        return path_q("unit__path", document.audience_unit.path)
    if document.audience == Audience.UNIT_TYPE:
        return Q(unit__unit_type_id=document.audience_unit_type_id)
    return Q(unit__unit_type__is_commune_level=True)


def readers(*, actor, document: Document) -> QuerySet:
    """The active users of the actor's subtree that ``document`` applies to, each annotated
    ``acknowledged`` (whether they have confirmed reading it)."""
    policy.require_unread_reader(actor)
    users = get_user_model().objects.filter(is_active=True, unit__isnull=False)
    return (
        users.filter(path_q("unit__path", actor.scope_path))
        .filter(audience_users_q(document))
        .annotate(acknowledged=Exists(Acknowledgement.objects.filter(document=document, user=OuterRef("pk"))))
        .select_related("unit")
        .order_by("unit__path", "username")
    )


@dataclass(frozen=True)
class UnreadGroup:
    unit: object
    users: list


def unread_by_unit(*, actor, document: Document) -> tuple[int, int, list[UnreadGroup]]:
    """(readers, acknowledged, [the units with users who have not, each with those users])."""
    rows = list(readers(actor=actor, document=document))
    groups: dict[int, UnreadGroup] = {}
    for user in rows:
        if not user.acknowledged:
            groups.setdefault(user.unit_id, UnreadGroup(user.unit, [])).users.append(user)
    return len(rows), sum(1 for u in rows if u.acknowledged), list(groups.values())


def pending_for(actor, day=None) -> QuerySet:
    """The documents in force that apply to the actor's unit and ask them to confirm reading,
    which they have not yet: the home page's to-do line."""
    day = day or timezone.localdate()
    return (
        documents_for(actor)
        .applying_to(actor.unit)
        .filter(in_force_q(day), requires_acknowledgement=True, secrecy="none")
        .exclude(Exists(Acknowledgement.objects.filter(document=OuterRef("pk"), user=actor)))
    )


def acknowledgement_of(*, actor, document: Document):
    return Acknowledgement.objects.filter(document=document, user=actor).first()
