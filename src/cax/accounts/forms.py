from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from cax.accounts.models import SecurityEvent, User
from cax.accounts.roles import Role
from cax.core.bounds import DayField
from cax.units.models import Unit
from cax.units.widgets import UnitPicker


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Sai tên đăng nhập hoặc mật khẩu."),
        "inactive": _("Tài khoản đã bị khoá."),
    }


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    role = forms.ChoiceField(label=_("Vai trò"), required=False, choices=[("", _("Tất cả"))] + list(Role.choices))
    is_active = forms.NullBooleanField(
        label=_("Đang hoạt động"),
        required=False,
        widget=forms.Select(choices=[("", _("Tất cả")), ("true", _("Có")), ("false", _("Không"))]),
    )


class AnyUnitCodeField(forms.CharField):
    """A unit typed by its code (an open unit anywhere). Where scope matters (a user's unit) the form
    sets ``actor``: a unit outside the actor's subtree is then answered exactly as a code that does
    not exist (issue 16.7), and the service checks again; a place of incident may lie anywhere."""

    actor = None

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", UnitPicker)
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code and not self.required:
            return None
        units = Unit.objects.all() if self.actor is None else Unit.objects.visible_to(self.actor)
        unit = units.current().filter(code=code.strip()).first()
        if unit is None:
            raise forms.ValidationError(_("Không có đơn vị đang hiệu lực mã “{c}”.").format(c=code))
        return unit


class UserForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    unit = AnyUnitCodeField(label=_("Mã đơn vị"), help_text=_("Mã đơn vị, vd: 51 hoặc 23296"))
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Để trống khi sửa nếu không đổi."),
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].actor = actor

    @classmethod
    def for_user(cls, user: User, data=None, *, actor=None):
        initial = {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "role": user.role,
            "unit": user.unit.code,
            "is_active": user.is_active,
        }
        form = cls(data, initial=initial, actor=actor)
        form.fields["username"].disabled = True
        return form


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Tên gợi nhớ"), max_length=100)
    expires_at = DayField(label=_("Hết hạn ngày"), required=False)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Mật khẩu hiện tại"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("Mật khẩu mới"), widget=forms.PasswordInput)


class SecurityEventFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(
        label=_("Loại sự kiện"), required=False, choices=[("", _("Tất cả"))] + list(SecurityEvent.Kind.choices)
    )
    username = forms.CharField(label=_("Tên đăng nhập"), required=False, max_length=150)
    date_from = DayField(label=_("Từ ngày"), required=False)
    date_to = DayField(label=_("Đến ngày"), required=False)
