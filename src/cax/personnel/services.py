"""Writes to the officer registry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.changelog import record_change, snapshot
from cax.core.db import constraint_errors
from cax.core.exceptions import DomainError, from_validation_error, refuse_if_any
from cax.core.models import ChangeLog
from cax.core.text import search_key
from cax.personnel import policy
from cax.personnel.choices import ENDING_STATUSES
from cax.personnel.models import Language, Officer, Speciality, StatusChange
from cax.personnel.rules import officer_record_problems
from cax.personnel.signals import officers_changed

OFFICER_FIELDS = (
    "full_name",
    "sex",
    "date_of_birth",
    "ethnicity",
    "unit",
    "home_unit",
    "rank",
    "education",
    "service_start",
    "is_party_member",
    "party_joined_on",
    "dependants",
    "has_hardship",
    "family_notes",
    "status",
)


def _clean(officer: Officer) -> None:
    officer.search_key = search_key(f"{officer.full_name} {officer.service_number}")
    if officer.party_joined_on and not officer.is_party_member:
        raise DomainError(_("Chỉ đảng viên mới có ngày vào Đảng."), fields={"party_joined_on": [_("Không hợp lệ")]})
    try:
        officer.full_clean(
            exclude=["unit", "home_unit", "next_unit"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        raise from_validation_error(officer, exc) from exc
    refuse_if_any(officer_record_problems(officer))


def _record_status(officer: Officer, previous: str, message: str) -> None:
    """A status changed through the registry is appended to the status history from today; one that
    ends service is refused while the officer is still posted (the posting must end with it)."""
    if officer.status == previous:
        return
    if officer.status in ENDING_STATUSES:
        posting = officer.postings.filter(end_date__isnull=True).select_related("unit").first()
        if posting is not None:
            raise DomainError(
                _(
                    "{o} đang được bố trí tại {u}: ghi “{s}” bằng thay đổi trạng thái trên trang cán bộ, "
                    "quyết định bố trí sẽ kết thúc cùng lúc."
                ).format(o=officer.full_name, u=posting.unit.name, s=officer.get_status_display()),
                fields={"status": [_("Không hợp lệ")]},
            )
    StatusChange.objects.create(
        officer=officer,
        status=officer.status,
        previous_status=previous,
        effective_from=timezone.localdate(),
        reason=message,
    )


@transaction.atomic
def officer_upsert(
    *,
    actor: Any,
    service_number: str,
    specialities: list[tuple[str, str]] | None = None,
    languages: list[tuple[str, bool]] | None = None,
    message: str = "",
    **fields: Any,
) -> tuple[Officer, str]:
    """Create or update an officer by service number; returns (officer, "create"|"update"|"unchanged").

    ``specialities`` is [(kind, grade)], ``languages`` [(name, is_ethnic_minority)]; None leaves them.
    """
    unknown = set(fields) - set(OFFICER_FIELDS)
    if unknown:
        raise DomainError(_("Không sửa được trường: {f}").format(f=", ".join(sorted(unknown))))
    officer = Officer.objects.select_related("unit").filter(service_number=service_number.strip()).first()
    creating = officer is None
    if creating:
        officer = Officer(service_number=service_number.strip())
        before = None
    else:
        policy.require_keeper(actor, officer.unit)
        before = snapshot(officer)
    for name, value in fields.items():
        setattr(officer, name, value)
    policy.require_keeper(actor, officer.unit)
    _clean(officer)
    changed = creating or snapshot(officer) != before
    if changed:
        with constraint_errors(Officer):
            officer.save()
        if not creating:
            _record_status(officer, before["status"], message)
    extra_changed = _set_specialities(officer, specialities) | _set_languages(officer, languages)
    if not creating and (extra_changed or officer.sex != before["sex"]):
        officers_changed.send(sender=Officer, officer_ids=[officer.pk])
    if creating:
        record_change(actor=actor, obj=officer, action=ChangeLog.Action.CREATE, message=message)
        return officer, "create"
    if changed or extra_changed:
        note = _("cập nhật chuyên môn, ngôn ngữ") if extra_changed else ""
        record_change(
            actor=actor,
            obj=officer,
            action=ChangeLog.Action.UPDATE,
            before=before,
            message="; ".join(m for m in (message, note) if m),
        )
        return officer, "update"
    return officer, "unchanged"


def _set_specialities(officer: Officer, specialities) -> bool:
    if specialities is None:
        return False
    wanted = {(kind, grade or "") for kind, grade in specialities}
    current = set(officer.specialities.values_list("kind", "grade"))
    if wanted == current:
        return False
    officer.specialities.all().delete()
    Speciality.objects.bulk_create([Speciality(officer=officer, kind=k, grade=g) for k, g in sorted(wanted)])
    return True


def _set_languages(officer: Officer, languages) -> bool:
    if languages is None:
        return False
    wanted = {search_key(name): (name.strip(), minority) for name, minority in languages if name.strip()}
    current = {lang.key: (lang.name, lang.is_ethnic_minority) for lang in officer.languages.all()}
    if wanted == current:
        return False
    officer.languages.all().delete()
    Language.objects.bulk_create(
        [Language(officer=officer, name=name, key=key, is_ethnic_minority=m) for key, (name, m) in wanted.items()]
    )
    return True
