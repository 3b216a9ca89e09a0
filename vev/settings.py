"""Settings for vev, read from the environment.

Embedded defaults need nothing installed: SQLite in ``VEV_DATA_DIR`` and the in-process channel
layer. ``DATABASE_URL`` switches to PostgreSQL (psycopg 3), ``REDIS_URL`` to channels-redis, a
Redis cache and a Redis-backed task queue, so that several server processes share one state.
See docs/architecture.md ("Configuration").
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


TESTING = "pytest" in sys.modules or env_bool("VEV_TESTING")
DATA_DIR = Path(os.environ.get("VEV_DATA_DIR", PROJECT_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key comes from VEV_SECRET_KEY; without it one is generated once per data directory."""
    if key := os.environ.get("VEV_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("VEV_DEBUG")
ALLOWED_HOSTS = env_list("VEV_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("VEV_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("VEV_SITE_URL", "http://localhost:8000").rstrip("/")
DEMO_MODE = env_bool("VEV_DEMO_MODE")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "vev.core",
    "vev.accounts",
    "vev.council",
    "vev.planning",
    "vev.media",
    "vev.notifications",
    "vev.documents",
    "vev.venue",
    "vev.live",
    "vev.decisions",
    "vev.records",
    "vev.chat",
    "vev.support",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "servestatic.middleware.ServeStaticMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "vev.accounts.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "vev.urls"
ASGI_APPLICATION = "vev.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vev.core.context_processors.site",
                "vev.notifications.context_processors.unread",
            ],
        },
    },
]

# --- data -------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'vev.sqlite3'}"),
        # `vev serve` keeps connections for the sockets' shared database thread (vev/core/db.py
        # closes those of HTTP requests); elsewhere a connection per request or call.
        conn_max_age=int(os.environ.get("VEV_DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests on a file, not Django's shared-cache memory database: there, the test servers'
    # threads meet table locks that fail at once ("database table is locked") instead of
    # waiting out the timeout as SQLite's file locks do.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 times a socket read out after 5 s, the length of channels-redis's
                # blocking pop (brpop_timeout = 5): a quiet channel then raised TimeoutError in
                # the consumer's receive loop. Reads wait longer than the pop; connecting stays
                # quick so a Redis outage is still seen at once.
                "hosts": [
                    {"address": REDIS_URL, "socket_timeout": 30, "socket_connect_timeout": 5}
                ],
                "prefix": os.environ.get("VEV_CHANNEL_PREFIX", "vev"),
                "capacity": 5000,
                "expiry": 60,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("VEV_CACHE_PREFIX", "vev"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "vev.core.realtime.layers.InMemoryChannelLayer"}}
    # A database cache is shared by the web process and the worker (rate limits, lockouts).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "vev_cache",
        }
    }
if TESTING and not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- background tasks (huey) ------------------------------------------------------------------
HUEY = {
    "name": "vev",
    "immediate": env_bool("VEV_TASKS_IMMEDIATE", TESTING),
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
}
if REDIS_URL:
    HUEY["huey_class"] = "huey.RedisHuey"
    HUEY["connection"] = {"url": REDIS_URL}
else:
    HUEY["huey_class"] = "huey.SqliteHuey"
    HUEY["filename"] = str(DATA_DIR / "tasks.sqlite3")
INSTALLED_APPS.append("huey.contrib.djhuey")

# --- accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "vev.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "vev.accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("VEV_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
# Brute-force protection: at most 5 failed logins per account in 15 minutes (then locked out
# for the rest of the window) and 20 per minute per address; see docs/architecture.md.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/15m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_ADAPTER = "vev.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or DEMO_MODE or TESTING
MFA_TOTP_ISSUER = "vev"
MFA_TOTP_TOLERANCE = 1  # accept the previous and next 30 s code (clock drift)
MFA_RECOVERY_CODE_COUNT = 10
MFA_RATE_LIMITS = {"webauthn_login": "10/m/ip"}

# --- i18n and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("zh-hans", _("Chinese")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
_node_modules = PROJECT_DIR / "node_modules"
if _node_modules.is_dir():
    STATICFILES_DIRS.append(("npm", _node_modules))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("VEV_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SERVESTATIC_USE_FINDERS = True
SERVESTATIC_AUTOREFRESH = DEBUG or TESTING

# --- mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "VEV_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("VEV_FROM_EMAIL", "vev <no-reply@localhost>")
if url := os.environ.get("VEV_SMTP_URL"):
    from urllib.parse import unquote, urlparse

    _smtp = urlparse(url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _smtp.hostname or "localhost"
    EMAIL_PORT = _smtp.port or 25
    EMAIL_HOST_USER = unquote(_smtp.username or "")
    EMAIL_HOST_PASSWORD = unquote(_smtp.password or "")
    EMAIL_USE_TLS = _smtp.scheme == "smtp+starttls"
    EMAIL_USE_SSL = _smtp.scheme == "smtps"

# --- security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("VEV_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("VEV_LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The task worker (huey's run_huey) adds its own handler to "huey": without this, each
        # of its lines would also reach the root handler and be printed twice.
        "huey": {"propagate": False},
    },
}

# --- vev --------------------------------------------------------------------------------------
VEV_SUPPORT_CONTACT = os.environ.get("VEV_SUPPORT_CONTACT", "support@localhost")

# --- venue: conversations (browser-to-browser WebRTC) -----------------------------------------
# ICE servers given to the browsers of a conversation, as JSON (RTCIceServer list), e.g.
# [{"urls": "stun:stun.example.org:3478"}, {"urls": "turn:turn.example.org:3478",
# "username": "vev", "credential": "..."}]. None by default: browsers on one network connect
# directly; across NATs a STUN and a TURN server are needed.
VEV_VENUE_ICE_SERVERS = json.loads(os.environ.get("VEV_VENUE_ICE_SERVERS", "[]"))

# --- media (Janus) ----------------------------------------------------------------------------
# vev writes Janus's configuration into VEV_DATA_DIR/janus, generates its secrets there and talks
# to it only over Unix sockets in that directory. See docs/subsystems/media.md.
VEV_JANUS = {
    # "auto": `vev serve` starts Janus when it is installed; "off": never (audio unavailable);
    # "external": Janus is run by someone else with the configuration `vev media --write-config`
    # wrote (vev only connects to its sockets).
    "MODE": os.environ.get("VEV_JANUS", "auto"),
    "BINARY": os.environ.get("VEV_JANUS_BINARY", ""),  # default: `janus` on PATH
    "PLUGINS_DIR": os.environ.get("VEV_JANUS_PLUGINS_DIR", ""),  # default: Debian's lib dir
    "DIR": os.environ.get("VEV_JANUS_DIR", str(DATA_DIR / "janus")),
    "RTP_PORTS": os.environ.get("VEV_JANUS_RTP_PORTS", "20000-39999"),  # WebRTC media (UDP)
    "STREAM_PORTS": os.environ.get("VEV_JANUS_STREAM_PORTS", "40000-40999"),  # internal forwards
    "EVENT_LOOPS": int(os.environ.get("VEV_JANUS_EVENT_LOOPS", "0")),  # 0: one per CPU core
    "NAT_1_1": os.environ.get("VEV_JANUS_PUBLIC_IP", ""),  # public address behind 1:1 NAT
    "STUN": os.environ.get("VEV_JANUS_STUN", ""),  # host:port
    "ICE_INTERFACES": os.environ.get("VEV_JANUS_ICE_INTERFACES", ""),  # ice_enforce_list
    "DEBUG_LEVEL": int(os.environ.get("VEV_JANUS_DEBUG_LEVEL", "4")),
    "MAX_VIDEO_PUBLISHERS": int(os.environ.get("VEV_JANUS_VIDEO_PUBLISHERS", "4")),
}
