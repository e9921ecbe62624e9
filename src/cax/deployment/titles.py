"""Posting titles as people write them ("Trưởng Công an xã", "Trưởng CA xã", "Trưởng") mapped to one
role: the form, the import and the API accept the same words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cax.core.exceptions import DomainError
from cax.core.text import search_key
from cax.deployment.models import PostingRole

# Words people use for the police of a commune-level unit, dropped before the title is read.
_UNIT_WORDS = ("cong an", "ca", "xa", "phuong", "thi tran", "dac khu", "cap xa", "cax")
_OFFICER_WORDS = {"can bo", "chien si", "can bo chien si", "cbcs", "can bo, chien si", "nhan vien", "cong an vien"}


def normalize_role(text: str) -> str:
    """The role code for a title: a code itself, a label in either language, or the usual Vietnamese
    ways of writing it. Unknown words are refused with the accepted ones."""
    key = search_key(text).replace(",", " ")
    key = " ".join(key.split())
    for value, label in PostingRole.choices:
        if key in (value, search_key(str(label)).replace(",", " ")):
            return value
    words = key.split()
    while words:
        if len(words) > 1 and " ".join(words[-2:]) in _UNIT_WORDS:
            words = words[:-2]
        elif words[-1] in _UNIT_WORDS:
            words = words[:-1]
        else:
            break
    core = " ".join(words)
    if core in ("pho truong", "pho"):
        return PostingRole.DEPUTY
    if core == "truong":
        return PostingRole.CHIEF
    if core in _OFFICER_WORDS or key in _OFFICER_WORDS:
        return PostingRole.OFFICER
    raise DomainError(
        _("Chức danh không hợp lệ: “{r}” (dùng: Trưởng Công an xã, Phó Trưởng Công an xã, Cán bộ, chiến sĩ).").format(
            r=text
        ),
        fields={"role": [_("Không hợp lệ")]},
    )
