"""CAX settings: one env-driven module (healthchecks style).

Every deployment knob is an environment variable prefixed ``CAX_``; docs/deploy.md lists them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CAX_VAR_DIR", REPO_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_str("CAX_ENV", "development") == "production"
DEBUG = env_bool("CAX_DEBUG", False)
import sys  # noqa: E402

# pytest sets nothing by itself; detecting it keeps a bare `pytest` run on test-speed settings.
TESTING = env_bool("CAX_TESTING", "pytest" in sys.modules)


def _secret_key() -> str:
    """Production must supply the key; development keeps a generated one under var/."""
    key = env_str("CAX_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("CAX_SECRET_KEY must be set in production (CAX_ENV=production).")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        # Several processes may get here at once (`./cax test` runs two pytest runs side by side,
        # each with workers): the key is written whole under another name, then linked into place,
        # which only the first one manages; the others read that one.
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        draft = key_file.with_name(f".secret_key.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("Refusing to start: CAX_DEBUG is on while CAX_ENV=production.")
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("Refusing to start: CAX_SECRET_KEY is too weak or a default value.")

ALLOWED_HOSTS = env_list("CAX_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CAX_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",  # only the /reference/ site, no autodiscovery
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "cax.core",
    "cax.accounts",
    "cax.units",
    "cax.personnel",
    "cax.deployment",
    "cax.cases",
    "cax.reports",
    "cax.grassroots",
    "cax.facilities",
    "cax.petitions",
    "cax.honours",
    "cax.movement",
    "cax.training",
    "cax.pairing",
    "cax.procedures",
    "cax.supervision",
    "cax.regimes",
    "cax.library",
    "cax.notices",
    "cax.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cax.core.middleware.RequestContextMiddleware",
    # Under /api/ every error answer, Django's own 404/405/403/500 included, is the API's JSON (#16.4).
    "cax.api.middleware.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cax.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute timeouts (issue 16.5): after messages, so the login page can say why.
    "cax.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cax.core.middleware.SecurityHeadersMiddleware",
    # Upload limits (issue 16 part 1): none of the middleware above reads the body (CSRF reads the
    # POST in process_view, after every __call__), so an oversized body is refused before a byte of
    # it is read, and the 413 still carries the request id, the security headers and the site's page.
    "cax.core.middleware.UploadLimitMiddleware",
    # NUL or non-UTF-8 in the path, query or a text body → 400 before any view (#16.4); after the
    # upload limit, so the body it reads is bounded.
    "cax.core.middleware.UnreadableInputMiddleware",
    "cax.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "cax.urls"
WSGI_APPLICATION = "cax.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cax.core.context_processors.navigation",
                "cax.notices.context_processors.bell",
            ],
            # {% submit_token %} in every create form, with no {% load %}, like {% csrf_token %} (#14).
            "builtins": [
                "cax.core.templatetags.submit_tags",
                "cax.core.templatetags.perm_tags",
                "cax.core.templatetags.format_tags",
            ],
        },
    },
]


def _databases() -> dict:
    engine = env_str("CAX_DB", "sqlite")
    if engine == "sqlite":
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": env_str("CAX_SQLITE_PATH", str(VAR_DIR / "cax.sqlite3")),
                # IMMEDIATE avoids "database is locked" upgrades when two requests write at once.
                "OPTIONS": {
                    "transaction_mode": "IMMEDIATE",
                    "timeout": 20,
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                },
                "TEST": {"NAME": None},
            }
        }
    if engine == "postgres":
        return {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": env_str("CAX_DB_NAME", "cax"),
                "USER": env_str("CAX_DB_USER", "cax"),
                "PASSWORD": env_str("CAX_DB_PASSWORD"),
                "HOST": env_str("CAX_DB_HOST", "127.0.0.1"),
                "PORT": env_str("CAX_DB_PORT", "5432"),
                "CONN_MAX_AGE": env_int("CAX_DB_CONN_MAX_AGE", 60),
                # JIT compilation costs ~100 ms per large query and never pays off for page-sized
                # reads (measured on the 2M-case register): off for this workload.
                "OPTIONS": {"options": "-c jit=off"},
                "CONN_HEALTH_CHECKS": True,
            }
        }
    raise ImproperlyConfigured(f"CAX_DB must be 'sqlite' or 'postgres', got {engine!r}")


DATABASES = _databases()

# -- Database roles (issue 16.2, docs/decisions/0008, docs/deploy.md "Database roles") ----------------
# CAX_DB_USER above is the app role the web and worker processes connect as. The owner role owns
# every table: `migrate` connects as it (cax.core.management.commands.migrate), then re-grants the
# app role its rights. Unset (SQLite, the test clusters, single-role installs): migrate connects as
# CAX_DB_USER like everything else. Tests ignore it: the test database belongs to the test run's
# own role (core/tests/test_db_roles.py makes the two roles itself).
CAX_DB_OWNER_USER = "" if TESTING else env_str("CAX_DB_OWNER_USER")
CAX_DB_OWNER_PASSWORD = "" if TESTING else env_str("CAX_DB_OWNER_PASSWORD")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["cax.accounts.backends.UnitAwareBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2id with one of OWASP's equivalent settings, m=12 MiB, t=3, p=1 (issue 20.5,
# docs/decisions/0014): a sign-in costs a worker ~13 MB instead of the ~100 MB of Django's
# m=100 MiB, t=2, p=8. Hashes made with other parameters still verify and are rehashed with these
# at the next sign-in. Startup refuses values below OWASP's table (cax.accounts.hashers).
PASSWORD_HASHERS = [
    "cax.accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
CAX_ARGON2_MEMORY_KIB = env_int("CAX_ARGON2_MEMORY_KIB", 12288)
CAX_ARGON2_TIME_COST = env_int("CAX_ARGON2_TIME_COST", 3)
CAX_ARGON2_PARALLELISM = env_int("CAX_ARGON2_PARALLELISM", 1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout thresholds (#3): per account and per client address, over a sliding window.
CAX_LOCKOUT_MAX_FAILURES_PER_USER = env_int("CAX_LOCKOUT_MAX_FAILURES_PER_USER", 5)
CAX_LOCKOUT_MAX_FAILURES_PER_ADDRESS = env_int("CAX_LOCKOUT_MAX_FAILURES_PER_ADDRESS", 20)
CAX_LOCKOUT_WINDOW_MINUTES = env_int("CAX_LOCKOUT_WINDOW_MINUTES", 15)
# Behind nginx the client address is in X-Forwarded-For; trust it only when told to.
CAX_TRUST_X_FORWARDED_FOR = env_bool("CAX_TRUST_X_FORWARDED_FOR", False)

SESSION_COOKIE_AGE = env_int("CAX_SESSION_SECONDS", 8 * 3600)  # absolute: from sign-in, whatever the activity
CAX_SESSION_IDLE_MINUTES = env_int("CAX_SESSION_IDLE_MINUTES", 30)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("CAX_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("CAX_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    if env_bool("CAX_SECURE_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Silence only the HSTS-preload hint: preload lists are irrelevant on a closed police network.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["cax.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("CAX_MEDIA_ROOT", str(VAR_DIR / "media")))
if TESTING and not os.environ.get("CAX_MEDIA_ROOT"):
    # Each test process stores its import files apart and leaves nothing behind; the job worker a
    # test starts inherits the folder through the environment.
    import atexit  # noqa: E402
    import shutil  # noqa: E402
    import tempfile  # noqa: E402

    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cax-test-media-"))
    os.environ["CAX_MEDIA_ROOT"] = str(MEDIA_ROOT)
    atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# -- upload limits (issue 16 part 1; cax.core.uploads, docs/deploy.md "Upload limits") ----------
# An import or exchange file, a case attachment, and any other body (a form, an API JSON body). A
# file endpoint's body may be its file limit plus CAX_BODY_MAX_BYTES (the other fields, the framing).
CAX_IMPORT_MAX_BYTES = env_int("CAX_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
CAX_ATTACHMENT_MAX_BYTES = env_int("CAX_ATTACHMENT_MAX_BYTES", 50 * 1024 * 1024)
CAX_BODY_MAX_BYTES = env_int("CAX_BODY_MAX_BYTES", 2 * 1024 * 1024)
# Django's own checks behind the middleware: a body read whole into memory (request.body: the JSON
# import of /api/v1/dataValueSets is the largest) and the form fields of a multipart body; files
# above 2.5 MB are spooled to disk while parsed, not kept in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(CAX_IMPORT_MAX_BYTES, CAX_BODY_MAX_BYTES)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # Django's default, made explicit: far above any CAX form
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Law 91/2025: personal data kept only as long as the purpose needs. Reporter identities of cases
# finished longer ago than this are erased by `./cax manage purge_reporter_identities`.
CAX_REPORTER_RETENTION_YEARS = env_int("CAX_REPORTER_RETENTION_YEARS", 10)
# The procedures desk keeps applicants' and guests' names this long after the dossier is resolved
# (or the stay has ended), then erases them (procedures.purge job; Law 91/2025 Art. 3: retention).
CAX_DESK_RETENTION_DAYS = env_int("CAX_DESK_RETENTION_DAYS", 730)
# One record per submit (#14): a create form's one-time token and an API Idempotency-Key are honoured
# this long; older ones are refused and their rows purged (core.idempotency).
CAX_SUBMIT_EXPIRY_HOURS = env_int("CAX_SUBMIT_EXPIRY_HOURS", 24)

CAX_PAGE_SIZE = 50
# Dashboard figures kept per process, keyed on the data revision (core.revision); 0 disables.
# Tests run in rolled-back transactions whose writes never bump the revision, so they disable it.
CAX_FIGURES_CACHE_SIZE = env_int("CAX_FIGURES_CACHE_SIZE", 0 if TESTING else 32)
# How a posting plan runs (#7): "job" (the job worker, the default), "thread" or "inline" (tests).
CAX_PLANNER_LAUNCH = env_str("CAX_PLANNER_LAUNCH", "inline" if TESTING else "job")
# -- background jobs (issue 16.6, cax.core.jobs, docs/decisions/0009, docs/deploy.md "Background jobs") --
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CAX_JOB_MAX_ATTEMPTS = env_int("CAX_JOB_MAX_ATTEMPTS", 3)
CAX_JOB_STALE_SECONDS = env_int("CAX_JOB_STALE_SECONDS", 300)  # no heartbeat this long: the worker died
CAX_JOB_HEARTBEAT_SECONDS = env_int("CAX_JOB_HEARTBEAT_SECONDS", 0 if TESTING else 15)  # 0: none (tests)
CAX_JOB_RETENTION_DAYS = env_int("CAX_JOB_RETENTION_DAYS", 7)  # purge_jobs: finished jobs, import files
# Daily jobs the worker queues itself (kind=HH:MM local time, comma separated); "" turns them off.
CAX_PETITION_REMIND_EVERY_DAYS = env_int("CAX_PETITION_REMIND_EVERY_DAYS", 7)  # no second reminder sooner
# Persons under local management: remind a duty this many days before it falls, and again after this many.
CAX_SUPERVISION_REMIND_LEAD_DAYS = env_int("CAX_SUPERVISION_REMIND_LEAD_DAYS", 3)
CAX_SUPERVISION_REMIND_EVERY_DAYS = env_int("CAX_SUPERVISION_REMIND_EVERY_DAYS", 7)
CAX_JOB_DAILY = dict(
    item.split("=", 1)
    for item in env_list(
        "CAX_JOB_DAILY",
        "core.purge=02:00,petitions.remind=07:00,procedures.purge=02:30,supervision.remind=07:10,"
        "notices.deadlines=06:30,notices.digest=07:30,notices.purge=02:40",
    )
)
# -- notices (issue 19.4, docs/notices.md) --
CAX_NOTICE_RETENTION_DAYS = env_int("CAX_NOTICE_RETENTION_DAYS", 180)  # older notices are purged
# Deadline notices: a report, a crime report or a duty this many days before its deadline, and after.
CAX_NOTICE_LEAD_DAYS = env_int("CAX_NOTICE_LEAD_DAYS", 3)
# The digest's links are absolute: the address users open CAX at.
CAX_BASE_URL = env_str("CAX_BASE_URL", "http://localhost:8000")
# Mail is off unless configured: EMAIL_HOST (SMTP) or CAX_EMAIL_BACKEND (any Django backend).
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("CAX_DEFAULT_FROM_EMAIL", "cax@localhost")
EMAIL_BACKEND = env_str(
    "CAX_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.dummy.EmailBackend",
)
CAX_EMAIL_ENABLED = bool(EMAIL_HOST) or bool(env_str("CAX_EMAIL_BACKEND", ""))
CAX_IMPORT_BACKGROUND_BYTES = env_int("CAX_IMPORT_BACKGROUND_BYTES", 512 * 1024)
NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CAX_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and its font subsetter narrate every step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

try:  # optional, gitignored, for a developer's own overrides
    from cax.local_settings import *  # noqa: F403
except ImportError:
    pass
