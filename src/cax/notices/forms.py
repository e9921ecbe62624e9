from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cax.core import notices as registry


class NoticeFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Loại"), required=False)
    read = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), ("unread", _("Chưa đọc")), ("read", _("Đã đọc"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Tất cả"))] + [(k.key, k.label) for k in registry.kinds()]


def preference_fields(prefix: str) -> tuple[str, str]:
    return f"{prefix}-in_app", f"{prefix}-digest"
