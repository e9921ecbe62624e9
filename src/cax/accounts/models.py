"""Users (one role, one unit), personal API tokens and failed-login records."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cax.accounts.roles import Role
from cax.core.models import AppendOnlyLog, AppendOnlyQuerySet, UnitOwned, chain_unique
from cax.core.scoping import ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    pass


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.select_related("unit").get(**{self.model.USERNAME_FIELD: username})

    def create_superuser(self, username, password=None, **extra):
        """For ``manage createsuperuser``: an administrator at the top of the tree."""
        from cax.accounts.services import user_create
        from cax.units.models import Unit

        unit = extra.pop("unit", None) or Unit.objects.filter(parent__isnull=True).order_by("pk").first()
        if unit is None:
            raise ValueError("Load the unit tree first: ./cax manage load_units")
        return user_create(
            actor=None, username=username, password=password, role=Role.ADMINISTRATOR, unit=unit, **extra
        )


class User(UnitOwned, AbstractBaseUser):
    """A person who signs in (người dùng). Sees exactly the subtree of ``unit``."""

    username = models.CharField(
        _("tên đăng nhập"), max_length=150, unique=True, validators=[UnicodeUsernameValidator()]
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    email = models.EmailField(_("thư điện tử"), blank=True)
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="users")
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    search_key = models.CharField(max_length=400, db_index=True, editable=False, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username

    @property
    def scope_path(self) -> str:
        return self.unit.path if self.unit_id else ""

    @property
    def scope_is_top_level(self) -> bool:
        return self.unit_id is not None and self.unit.parent_id is None

    # Nobody bypasses the role table and the scope; the /reference/ site admits top-level
    # administrators (core.reference_admin).
    is_superuser = False

    @property
    def is_staff(self) -> bool:
        return self.is_active and self.role == Role.ADMINISTRATOR and self.scope_is_top_level

    def has_perm(self, perm: str, obj=None) -> bool:
        """Django's question, answered by the auth backends (accounts.backends: the role table,
        and with ``obj`` the unit scope)."""
        return any(b.has_perm(self, perm, obj) for b in auth.get_backends() if hasattr(b, "has_perm"))

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return any(b.has_module_perms(self, app_label) for b in auth.get_backends() if hasattr(b, "has_module_perms"))

    def get_all_permissions(self, obj=None) -> set[str]:
        found: set[str] = set()
        for backend in auth.get_backends():
            if hasattr(backend, "get_all_permissions"):
                found |= backend.get_all_permissions(self, obj)
        return found


def hash_token(raw: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A personal API token (mã truy cập API); only its hash is stored."""

    user = models.ForeignKey(User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    # The address of the latest use: a request from another one is checked against the security log.
    last_used_address = models.GenericIPAddressField(_("địa chỉ dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    scope_path_lookup = "user__unit__path"
    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def changelog_unit_path(self) -> str:
        return self.user.unit.path


class LoginFailure(models.Model):
    """One failed sign-in, kept as history (never deleted by a later success). The lockout decision
    is taken on LoginCounter, which a row lock keeps exact under concurrent attempts."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("đăng nhập thất bại")
        verbose_name_plural = _("đăng nhập thất bại")

    def __str__(self) -> str:
        return f"{self.username} @ {self.address} {self.at:%Y-%m-%d %H:%M}"


class LoginCounter(models.Model):
    """The sign-in attempts of one account (``u:<username>``) or one address (``a:<ip>``) since the
    last success, counted under a row lock (services.login_attempt_begin): an attempt takes its
    place before the password is checked, so concurrent guesses never exceed the threshold."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bộ đếm đăng nhập")
        verbose_name_plural = _("bộ đếm đăng nhập")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"


class SecurityEventQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    def visible_to(self, user, action="view"):
        """Events of users in the subtree; failures with a username nobody has (no unit) only for
        top-level readers."""
        scoped = super().visible_to(user, action)
        if scoped.query.is_empty() or not user.scope_is_top_level:
            return scoped
        return self.filter(models.Q(unit_path__startswith=user.scope_path) | models.Q(unit_path=""))


class SecurityEvent(AppendOnlyLog):
    """One sign-in or credential event (nhật ký an ninh), append-only and hash-chained like the
    change log (issue 16.5, docs/security.md)."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Đăng nhập")
        LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
        LOCKOUT = "lockout", _("Khoá tạm do đăng nhập sai")
        LOGOUT = "logout", _("Đăng xuất")
        SESSION_EXPIRED = "session_expired", _("Hết phiên làm việc")
        PASSWORD_CHANGED = "password_changed", _("Đổi mật khẩu")
        TOKEN_CREATED = "token_created", _("Tạo mã truy cập API")
        TOKEN_REVOKED = "token_revoked", _("Thu hồi mã truy cập API")
        TOKEN_NEW_ADDRESS = "token_new_address", _("Mã truy cập dùng từ địa chỉ mới")

    time = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    kind = models.CharField(_("loại sự kiện"), max_length=32, choices=Kind.choices, db_index=True)
    # As typed on the login form (lower-cased); the account may not exist.
    username = models.CharField(_("tên đăng nhập"), max_length=150, db_index=True)
    # No FK constraint: the log must outlive the account and never be touched by a cascade.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The user's unit at the time ("" for an unknown username): the scope of the auditors who see it.
    unit_path = models.CharField(_("đường dẫn đơn vị"), max_length=255, db_index=True, blank=True)
    address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)
    search_key = models.CharField(max_length=400, db_index=True, default="", editable=False)

    scope_path_lookup = "unit_path"
    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện an ninh")
        verbose_name_plural = _("nhật ký an ninh")
        ordering = ["-time", "-id"]
        constraints = [chain_unique("accounts_securityevent")]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.kind} {self.username}"
