"""The rules of casualties, commendations and campaigns: the form, the import and the API all save here."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.exceptions import DomainError, refuse_if_any
from cax.core.records.services import save_record
from cax.core.scoping import is_under
from cax.core.text import search_key, vn_date
from cax.honours import policy
from cax.honours.models import Casualty, CasualtyKind, Commendation, EmulationCampaign

CHANGE_CASUALTY = policy.CHANGE_CASUALTY
CHANGE_COMMENDATION = policy.CHANGE_COMMENDATION
CHANGE_CAMPAIGN = policy.CHANGE_CAMPAIGN


def _fresh(instance):
    """The stored row, not the caller's copy: the generic edit form has already written the posted
    values onto its instance, so the change log's "before" and the old-unit scope check need the
    database's version."""
    if instance is None or instance.pk is None:
        return instance
    return type(instance).objects.select_related("unit").get(pk=instance.pk)


def _officer_visible(actor, officer) -> bool:
    from cax.personnel.models import Officer

    return actor is None or Officer.objects.visible_to(actor).filter(pk=officer.pk).exists()


def _with_officer_defaults(instance, data: dict) -> dict:
    """A record given an officer and no unit belongs to the officer's current unit when new, and
    keeps its unit when updated: an import row may name the officer alone."""
    data = dict(data)
    officer = data.get("officer")
    if officer is not None and not data.get("unit"):
        if instance is None:
            data["unit"] = officer.current_unit
        else:
            data.pop("unit", None)
    return data


# -- casualties -------------------------------------------------------------------------------


def casualty_match(queryset, data: dict):
    """The stored casualty an import row describes: same kind and date, and the same officer (in
    the row's unit when it names one) or, without an officer, the same name ignoring accents in the
    same unit."""
    if not (data.get("kind") and data.get("date")):
        return None
    queryset = queryset.filter(kind=data["kind"], date=data["date"])
    if data.get("unit"):
        queryset = queryset.filter(unit=data["unit"])
    if data.get("officer") is not None:
        return queryset.filter(officer=data["officer"]).first()
    if data.get("full_name") and data.get("unit"):
        key = search_key(data["full_name"])
        return next((c for c in queryset.filter(officer__isnull=True) if search_key(c.full_name) == key), None)
    return None


def _check_casualty(actor, casualty: Casualty) -> None:
    fields: dict[str, list[str]] = {}
    if casualty.officer_id:
        if not _officer_visible(actor, casualty.officer):
            fields["officer"] = [_("Không tìm thấy cán bộ này trong phạm vi của bạn.")]
        else:
            casualty.full_name = casualty.officer.full_name
    casualty.full_name = " ".join((casualty.full_name or "").split())
    if not casualty.full_name and not casualty.officer_id:
        fields["full_name"] = [_("Ghi họ và tên khi không chọn cán bộ trong danh sách.")]
    if casualty.date and casualty.date > timezone.localdate():
        fields["date"] = [_("Ngày {d} chưa tới: chỉ ghi nhận việc đã xảy ra.").format(d=vn_date(casualty.date))]
    if casualty.kind == CasualtyKind.KILLED and casualty.severity:
        fields["severity"] = [_("Chỉ ghi mức độ thương tích cho trường hợp bị thương.")]
    refuse_if_any(fields)
    if casualty.kind == CasualtyKind.KILLED:
        earlier = Casualty.objects.filter(kind=CasualtyKind.KILLED).exclude(pk=casualty.pk)
        if casualty.officer_id:
            earlier = earlier.filter(officer_id=casualty.officer_id)
        else:
            key = search_key(casualty.full_name)
            earlier = [
                c for c in earlier.filter(officer__isnull=True, unit=casualty.unit) if search_key(c.full_name) == key
            ]
        first = earlier[0] if earlier else None
        if first is not None:
            raise DomainError(
                _("{name} đã được ghi nhận hy sinh ngày {d}; mỗi người chỉ ghi nhận hy sinh một lần.").format(
                    name=first.full_name, d=vn_date(first.date)
                ),
                fields={"officer" if casualty.officer_id else "full_name": [_("Đã ghi nhận hy sinh.")]},
            )


def casualty_save(*, actor, instance, data) -> Casualty:
    instance = _fresh(instance)
    return save_record(
        actor=actor,
        instance=instance,
        model=Casualty,
        data=_with_officer_defaults(instance, data),
        perm=CHANGE_CASUALTY,
        denied=_("Bạn không có quyền ghi nhận cán bộ hy sinh, bị thương."),
        validate=lambda obj: _check_casualty(actor, obj),
    )


# -- campaigns --------------------------------------------------------------------------------


def _check_participants(campaign: EmulationCampaign, chosen: list, missing: tuple) -> None:
    if missing:
        refuse_if_any(
            {
                "participants": [
                    _("Không tìm thấy đơn vị mã {codes} trong phạm vi của bạn.").format(codes=", ".join(missing))
                ]
            }
        )
    outside = [u for u in chosen if not is_under(u, campaign.unit)]
    if outside:
        message = _("{units} không thuộc {organiser}: chỉ đơn vị trực thuộc đơn vị phát động mới tham gia được.")
        names = ", ".join(f"{u.name} ({u.code})" for u in outside)
        refuse_if_any({"participants": [message.format(units=names, organiser=campaign.unit.name)]})


def campaign_save(*, actor, instance, data) -> EmulationCampaign:
    """``participants`` absent keeps the current ones (a partial update); empty or None clears them."""
    instance = _fresh(instance)
    data = dict(data)
    if "participants" in data:
        given = data["participants"] or []
        missing = tuple(getattr(given, "missing", ()))
        chosen = data["participants"] = list(given)
    else:
        missing = ()
        chosen = list(instance.participants.all()) if instance is not None else []
    return save_record(
        actor=actor,
        instance=instance,
        model=EmulationCampaign,
        data=data,
        perm=CHANGE_CAMPAIGN,
        denied=_("Bạn không có quyền quản lý phong trào thi đua."),
        validate=lambda campaign: _check_participants(campaign, chosen, missing),
    )


# -- commendations ----------------------------------------------------------------------------


def commendation_match(queryset, data: dict):
    """The stored commendation an import row describes: same issuer, decision number and recipient."""
    if not all(data.get(k) for k in ("issuer", "decision_number")):
        return None
    queryset = queryset.filter(issuer_key=search_key(data["issuer"]), decision_number=data["decision_number"])
    if data.get("officer") is not None:
        return queryset.filter(officer=data["officer"]).first()
    if data.get("unit") is not None:
        return queryset.filter(officer__isnull=True, unit=data["unit"]).first()
    return None


def _check_commendation(actor, commendation: Commendation) -> None:
    fields: dict[str, list[str]] = {}
    commendation.issuer = " ".join((commendation.issuer or "").split())
    commendation.decision_number = (commendation.decision_number or "").strip()
    commendation.issuer_key = search_key(commendation.issuer)[:200]
    if commendation.officer_id and not _officer_visible(actor, commendation.officer):
        fields["officer"] = [_("Không tìm thấy cán bộ này trong phạm vi của bạn.")]
    if commendation.decision_date and commendation.decision_date > timezone.localdate():
        fields["decision_date"] = [_("Ngày quyết định {d} chưa tới.").format(d=vn_date(commendation.decision_date))]
    campaign = commendation.campaign if commendation.campaign_id else None
    if campaign is not None:
        if actor is not None and not EmulationCampaign.objects.visible_to(actor).filter(pk=campaign.pk).exists():
            fields["campaign"] = [_("Không tìm thấy phong trào này trong phạm vi của bạn.")]
        elif not is_under(commendation.unit, campaign.unit):
            fields["campaign"] = [
                _("{unit} không thuộc {organiser}, đơn vị phát động phong trào “{name}”.").format(
                    unit=commendation.unit.name, organiser=campaign.unit.name, name=campaign.name
                )
            ]
    refuse_if_any(fields)
    same = Commendation.objects.filter(
        issuer_key=commendation.issuer_key, decision_number=commendation.decision_number
    ).exclude(pk=commendation.pk)
    same = (
        same.filter(officer_id=commendation.officer_id)
        if commendation.officer_id
        else same.filter(officer__isnull=True, unit=commendation.unit)
    )
    if same.exists():
        recipient = commendation.officer.full_name if commendation.officer_id else commendation.unit.name
        raise DomainError(
            _("Quyết định số {n} của {issuer} đã khen thưởng {who}.").format(
                n=commendation.decision_number, issuer=commendation.issuer, who=recipient
            ),
            fields={"decision_number": [_("Trùng số quyết định với cùng người (đơn vị) được khen.")]},
        )


def commendation_save(*, actor, instance, data) -> Commendation:
    instance = _fresh(instance)
    return save_record(
        actor=actor,
        instance=instance,
        model=Commendation,
        data=_with_officer_defaults(instance, data),
        perm=CHANGE_COMMENDATION,
        denied=_("Bạn không có quyền ghi nhận khen thưởng."),
        validate=lambda obj: _check_commendation(actor, obj),
    )
