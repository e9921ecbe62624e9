from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cax.accounts import policy, selectors, services
from cax.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    SecurityEventFilterForm,
    TokenForm,
    UserFilterForm,
    UserForm,
)
from cax.accounts.models import SecurityEvent
from cax.core.exceptions import DomainError
from cax.core.exports import xlsx_response
from cax.core.idempotency import submit_once
from cax.core.listing import paginate, query_without_page, wants_excel

client_address = services.client_address


class LoginView(auth_views.LoginView):
    """Django's login plus lockout per account and per address (settings CAX_LOCKOUT_*), every
    outcome written to the security log."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    place = 0

    def post(self, request, *args, **kwargs):
        origin = services.origin_of(request)
        username = request.POST.get("username", "")
        # The attempt takes its place in the count before the password is checked (atomic).
        self.place = services.login_attempt_begin(
            username=username, address=origin.address, user_agent=origin.user_agent
        )
        if not self.place:
            # An unbound form: validating the posted one would check the password after all.
            form = self.get_form_class()(request, initial={"username": username})
            form.cleaned_data = {}  # what add_error expects of a validated form
            form.add_error(
                None,
                _("Đăng nhập sai quá nhiều lần. Hãy thử lại sau {m} phút.").format(
                    m=settings.CAX_LOCKOUT_WINDOW_MINUTES
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        origin = services.origin_of(self.request)
        services.login_record_failure(
            username=self.request.POST.get("username", ""),
            address=origin.address,
            user_agent=origin.user_agent,
            place=self.place,
        )
        return super().form_invalid(form)

    def form_valid(self, form):
        origin = services.origin_of(self.request)
        services.login_record_success(user=form.get_user(), address=origin.address, user_agent=origin.user_agent)
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.security_event(
                SecurityEvent.Kind.LOGOUT, user=request.user, actor=request.user, origin=services.origin_of(request)
            )
        return super().post(request, *args, **kwargs)


@login_required
@submit_once
def profile(request):
    token_form = TokenForm(request.POST if "create_token" in request.POST else None)
    password_form = PasswordChangeForm(request.POST if "change_password" in request.POST else None)
    context = {"token_form": token_form, "password_form": password_form}
    if token_form.is_bound and token_form.is_valid():
        expires = token_form.cleaned_data["expires_at"]
        expires_at = timezone.make_aware(dt.datetime.combine(expires, dt.time.max)) if expires else None
        try:
            _token, context["new_token"] = services.token_create(
                actor=request.user,
                user=request.user,
                name=token_form.cleaned_data["name"],
                expires_at=expires_at,
                origin=services.origin_of(request),
            )
        except DomainError as exc:
            token_form.add_error(None, exc.message)
    if password_form.is_bound and password_form.is_valid():
        if not request.user.check_password(password_form.cleaned_data["old_password"]):
            password_form.add_error("old_password", _("Mật khẩu hiện tại không đúng."))
        else:
            try:
                services.user_set_password(
                    actor=request.user,
                    user=request.user,
                    password=password_form.cleaned_data["new_password"],
                    origin=services.origin_of(request),
                )
                update_session_auth_hash(request, request.user)
                messages.success(request, _("Đã đổi mật khẩu."))
                return redirect("accounts:profile")
            except DomainError as exc:
                password_form.add_error("new_password", exc.message)
    context["tokens"] = selectors.token_list_for(user=request.user)
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = selectors.token_get_own(user=request.user, pk=pk)
    services.token_revoke(actor=request.user, token=token, origin=services.origin_of(request))
    messages.success(request, _("Đã thu hồi mã truy cập “{n}”.").format(n=token.name))
    return redirect("accounts:profile")


# Literal calls, so makemessages finds each header.
USER_HEADERS = [
    gettext_lazy("Tên đăng nhập"),
    gettext_lazy("Họ và tên"),
    gettext_lazy("Thư điện tử"),
    gettext_lazy("Vai trò"),
    gettext_lazy("Mã đơn vị"),
    gettext_lazy("Đơn vị"),
    gettext_lazy("Đang hoạt động"),
    gettext_lazy("Tạo lúc"),
]


@login_required
def user_list(request):
    policy.require_reader(request.user)
    form = UserFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    users = selectors.user_list(
        actor=request.user, q=data.get("q", ""), role=data.get("role", ""), is_active=data.get("is_active")
    )
    if wants_excel(request):
        rows = (
            (
                u.username,
                u.full_name,
                u.email,
                u.get_role_display(),
                u.unit.code,
                u.unit.name,
                u.is_active,
                u.created_at,
            )
            for u in users
        )
        return xlsx_response("tai-khoan", _("Tài khoản"), [str(h) for h in USER_HEADERS], rows)
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": paginate(request, users), "query": query_without_page(request)},
    )


def _save_user(request, form: UserForm, user=None):
    data = form.cleaned_data
    if user is None:
        return services.user_create(
            actor=request.user,
            username=data["username"],
            role=data["role"],
            unit=data["unit"],
            full_name=data["full_name"],
            email=data["email"],
            password=data["password"] or None,
        )
    user = services.user_update(
        actor=request.user,
        user=user,
        full_name=data["full_name"],
        email=data["email"],
        role=data["role"],
        unit=data["unit"],
        is_active=data["is_active"],
    )
    if data["password"]:
        services.user_set_password(
            actor=request.user, user=user, password=data["password"], origin=services.origin_of(request)
        )
    return user


@login_required
@submit_once
def user_edit(request, pk: int | None = None):
    policy.require_manager(request.user)
    user = selectors.user_get(actor=request.user, pk=pk, action="change") if pk else None
    # The unit is looked up in the manager's subtree: one outside it is an unknown code (issue 16.7).
    actor = request.user
    form = (
        UserForm.for_user(user, request.POST or None, actor=actor)
        if user
        else UserForm(request.POST or None, actor=actor)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_user(request, form, user)
            messages.success(request, _("Đã lưu tài khoản “{u}”.").format(u=saved.username))
            return redirect("accounts:users")
        except DomainError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.fields:
                form.add_error(None, exc.message)
    return render(request, "accounts/user_form.html", {"form": form, "edited": user})


SECURITY_HEADERS = [
    gettext_lazy("Thời điểm"),
    gettext_lazy("Loại sự kiện"),
    gettext_lazy("Tên đăng nhập"),
    gettext_lazy("Họ và tên"),
    gettext_lazy("Địa chỉ IP"),
    gettext_lazy("Trình duyệt"),
    gettext_lazy("Người thực hiện"),
    gettext_lazy("Chi tiết"),
]


@login_required
def security_log(request):
    policy.require_security_reader(request.user)
    form = SecurityEventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.security_event_list(actor=request.user, **{k: v for k, v in filters.items() if v})
    events = events.select_related("user", "actor")
    if wants_excel(request):
        rows = (
            (
                e.time,
                e.get_kind_display(),
                e.username,
                e.user.full_name if e.user else "",
                e.address or "",
                e.user_agent,
                e.actor.username if e.actor else "",
                e.detail,
            )
            for e in events.iterator()
        )
        return xlsx_response("nhat-ky-an-ninh", _("Nhật ký an ninh"), [str(h) for h in SECURITY_HEADERS], rows)
    return render(
        request,
        "accounts/security_log.html",
        {"form": form, "page": paginate(request, events), "query": query_without_page(request)},
    )
