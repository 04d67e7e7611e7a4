"""Settings for the scam-awareness platform.

Every value comes from the environment (see `.env.example`). The defaults are the embedded
ones a newcomer gets from `make run`: SQLite, a filesystem Celery broker, in-memory cache and
channel layer, e-mail on the console. Production sets DATABASE_URL, REDIS_URL,
CELERY_BROKER_URL, EMAIL_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

import os
import re
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
# Content packs are data, not code: `load_content demo` reads CONTENT_PACKS_DIR/demo.
CONTENT_PACKS_DIR = Path(env.str("CONTENT_PACKS_DIR", default=str(BASE_DIR / "content-packs")))

# --- Core -------------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. For local development set DEBUG=true "
            "(make run does this); in production set a long random SECRET_KEY."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "awareness.health",
    "awareness.content",
    "awareness.safety",
    "awareness.site",
    "training.people",
    "training.campaigns",
    "training.progress",
    "training.live",
    "training.api",
    "training.integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "awareness.lib.middleware.refuse_nul_characters",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees the outcome of authentication (django-axes' requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "awareness.urls"
WSGI_APPLICATION = "awareness.wsgi.application"
ASGI_APPLICATION = "awareness.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "awareness" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a real Celery worker process can share the test database; one
    # per test run, so two runs at once do not clobber each other.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    # Web, worker and tests write at once: wait for the lock (IMMEDIATE transactions never
    # fail upgrading a read lock), and let readers proceed while one writes (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif env.int("DATABASE_POOL", default=0):
    # ASGI servers (the WebSocket server) run database work in threads that come and go, so
    # persistent connections pile up there; a pool per process bounds them instead.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 1, "max_size": env.int("DATABASE_POOL", default=0), "timeout": 10}
    }
else:
    # A new PostgreSQL connection per request caps any view near 150 req/s on this hardware.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

# --- Redis: cache and channel layer -----------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "awareness.lib.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "awareness",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # The default capacity of 100 silently drops group messages to a busy channel.
            "CONFIG": {"hosts": [REDIS_URL], "capacity": 1500, "expiry": 30},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Celery -----------------------------------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
BROKER_DIR = VAR_DIR / "broker"
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    # A task taken by a worker that then died is handed out again after this long; the tick
    # finds lost work in the database sooner, so this only has to outlast the longest task.
    else {"visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT}
)
# Tests give each real worker a queue of its own; production keeps Celery's default.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
TICK_SECONDS = env.float("TICK_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "tick": {"task": "awareness.health.tasks.tick", "schedule": TICK_SECONDS},
    # Retention: purges what is older than DATA_RETENTION_DAYS, each night at 03:30.
    "purge-expired-data": {
        "task": "awareness.safety.tasks.purge_expired_data",
        "schedule": crontab(hour=3, minute=30),
    },
}

# --- E-mail -----------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Scam Awareness <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address of the site, for links in e-mails sent by background jobs.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Default sending pace of an organisation (its mail provider's limits); 0 turns a cap off.
MAIL_PER_MINUTE = env.int("MAIL_PER_MINUTE", default=30)
MAIL_PER_DAY = env.int("MAIL_PER_DAY", default=10_000)
# A message claimed for sending this long ago without being sent lost its worker.
OUTBOX_STALLED_SECONDS = env.int("OUTBOX_STALLED_SECONDS", default=300)
# A launch or launch chunk queued or taken this long ago and not done lost its task.
LAUNCH_STALLED_SECONDS = env.int("LAUNCH_STALLED_SECONDS", default=120)
# Scam simulations: every lure carries this header (value: the organisation's id) so mail
# admins can recognise and allow it, and X-Abuse-Contact with the platform's abuse address,
# also shown on the transparency page.
SIMULATION_HEADER = env.str("SIMULATION_HEADER", default="X-Awareness-Simulation")
if not re.fullmatch(r"X-[A-Za-z0-9-]+", SIMULATION_HEADER):
    raise ImproperlyConfigured("SIMULATION_HEADER must be a header name like X-Simulation.")
ABUSE_CONTACT = env.str("ABUSE_CONTACT", default="abuse@localhost")

# --- Integrations: learning records (xAPI) and webhooks ---------------------------------------

# Plain http:// to this machine and private or loopback addresses: for development and tests
# only. Otherwise only https:// addresses that resolve to public addresses are contacted.
INTEGRATIONS_ALLOW_LOCAL_URLS = env.bool("INTEGRATIONS_ALLOW_LOCAL_URLS", default=DEBUG)
INTEGRATIONS_TIMEOUT_SECONDS = env.float("INTEGRATIONS_TIMEOUT_SECONDS", default=10.0)
# A statement or webhook delivery that keeps failing is given up after this many tries.
INTEGRATIONS_MAX_ATTEMPTS = env.int("INTEGRATIONS_MAX_ATTEMPTS", default=8)
# Rows claimed per tick per outbox.
INTEGRATIONS_CLAIM_LIMIT = env.int("INTEGRATIONS_CLAIM_LIMIT", default=2000)
# An overdue run is announced to webhooks during this many hours after its due date.
OVERDUE_NOTICE_HOURS = env.int("OVERDUE_NOTICE_HOURS", default=24)
# How stale, in seconds, a process may be about content changed by another process (a removal
# hides an example at once where it was filed, and within this everywhere else).
CONTENT_GENERATION_RECHECK = env.float("CONTENT_GENERATION_RECHECK", default=1.0)

# --- Accounts and passwords -------------------------------------------------------------------

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login throttling: five failures for one username from one address lock that pair out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT

# Public forms (sign-up, log-in, password reset): POSTs per client address. django-ratelimit
# is used as a library, not an installed app: its cache check predates Django's own
# RedisCache (which has the atomic INCR it needs), and local memory is exact for the
# one-process embedded server.
RATELIMIT_SIGNUP = env.str("RATELIMIT_SIGNUP", default="10/h")
RATELIMIT_PASSWORD_RESET = env.str("RATELIMIT_PASSWORD_RESET", default="5/h")
# A whole class logs in and joins from one school address: allow for that.
RATELIMIT_LOGIN = env.str("RATELIMIT_LOGIN", default="60/m")
# Join codes have 40 bits: even this rate could not find one in a lifetime.
RATELIMIT_JOIN = env.str("RATELIMIT_JOIN", default="200/h")
# Wrong class codes per client address; past it, every code is refused until the hour ends.
RATELIMIT_WRONG_JOIN_CODE = env.str("RATELIMIT_WRONG_JOIN_CODE", default="30/h")
RATELIMIT_INVITATION_RESPONSE = env.str("RATELIMIT_INVITATION_RESPONSE", default="20/h")

# --- Safety: removal requests and learner data -----------------------------------------------


def positive_int(name: str, default: int) -> int:
    value = env.int(name, default=default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least 1, not {value}.")
    return value


# A removal request is decided within this many days; staff are reminded as the day nears.
REMOVAL_REVIEW_DAYS = positive_int("REMOVAL_REVIEW_DAYS", 7)
REMOVAL_REMINDER_HOURS = positive_int("REMOVAL_REMINDER_HOURS", 48)
RATELIMIT_REMOVAL = env.str("RATELIMIT_REMOVAL", default="5/h")
# Attempts, answers, sign-in and audit logs older than this are purged every night.
DATA_RETENTION_DAYS = positive_int("DATA_RETENTION_DAYS", 730)

# --- Text messages (SMS) and verified domains -------------------------------------------------

# The SMS gateway class (awareness.lib.sms): the local one records messages as JSON lines in
# SMS_SINK_PATH and sends nothing; awareness.lib.sms.HttpGateway posts them to a provider.
SMS_GATEWAY = env.str("SMS_GATEWAY", default="awareness.lib.sms.LocalFileGateway")
SMS_SINK_PATH = Path(env.str("SMS_SINK_PATH", default=str(VAR_DIR / "sms" / "outbox.jsonl")))
SMS_HTTP_URL = env.str("SMS_HTTP_URL", default="")
SMS_HTTP_TOKEN = env.str("SMS_HTTP_TOKEN", default="")
SMS_HTTP_TIMEOUT = env.float("SMS_HTTP_TIMEOUT", default=10.0)
# The sender name of the platform's own texts (phone confirmation codes).
SMS_SENDER = env.str("SMS_SENDER", default="Awareness")
# Phone confirmation codes: minutes a code lives, wrong tries before it dies, codes per hour.
PHONE_CODE_MINUTES = positive_int("PHONE_CODE_MINUTES", 10)
PHONE_CODE_ATTEMPTS = positive_int("PHONE_CODE_ATTEMPTS", 5)
PHONE_CODES_PER_HOUR = positive_int("PHONE_CODES_PER_HOUR", 5)
RATELIMIT_PHONE_CODE = env.str("RATELIMIT_PHONE_CODE", default="10/h")

# Domain verification: the dotted path of a function returning a dnspython-style resolver
# (tests swap in a stub), its timeout, how long an e-mailed link works, and the rate of the
# "check now" and "send the link" buttons per client address.
DOMAIN_RESOLVER_FACTORY = env.str(
    "DOMAIN_RESOLVER_FACTORY", default="training.people.services.domains.system_resolver"
)
DNS_TIMEOUT = env.float("DNS_TIMEOUT", default=5.0)
# Name servers to ask ("host" or "host:port"); empty: the machine's own (/etc/resolv.conf).
DNS_NAMESERVERS = env.list("DNS_NAMESERVERS", default=[])
DOMAIN_LINK_HOURS = positive_int("DOMAIN_LINK_HOURS", 72)
RATELIMIT_DOMAIN_CHECK = env.str("RATELIMIT_DOMAIN_CHECK", default="30/h")

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hant", _("Traditional Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["awareness.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------

# Serve straight from the source folders where collectstatic has not run (development, tests).
WHITENOISE_USE_FINDERS = DEBUG
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security ---------------------------------------------------------------------------------

# Secure by default; only DEBUG (a developer's machine on plain http) relaxes these.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Every learner page reads the session: from the cache, with the database behind it, so a
# page costs no session query and nothing is lost when the cache is flushed.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Public forms take a few kilobytes; anything far bigger is refused (400) before it is parsed.
# Uploads (roster files) stream to disk past FILE_UPLOAD_MAX_MEMORY_SIZE and have their own cap.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)

# Only our own scripts and styles run: no inline <script>, style="" or on* handlers in
# templates (geometry goes in SVG attributes, behaviour in static/js). The browser refuses
# anything else, so an injected tag that slipped past escaping still cannot act.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Media is served by our own gated views.
        "img-src": [SELF],
        "media-src": [SELF],
        # 'self' covers the live quiz's WebSocket on the same host.
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Nothing here needs a camera, microphone, location, payment or sensors: deny them all.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# --- REST framework ---------------------------------------------------------------------------

REST_FRAMEWORK = {
    # Browsers use their session (with CSRF); machines an organisation's API token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "training.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["training.api.permissions.SignedIn"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["training.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_RATE_TOKEN", default="1200/min"),
        "user": env.str("API_RATE_USER", default="600/min"),
        "anonymous": env.str("API_RATE_ANONYMOUS", default="60/min"),
    },
    "EXCEPTION_HANDLER": "training.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "training.api.schema.ApiSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Scam Awareness API",
    "DESCRIPTION": "Version 1. Errors always have the shape "
    '{"error": {"code", "message", "fields"}}. See the README\'s API section.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Daphne's access log has a handler of its own; don't print each request twice.
        "django.channels.server": {"handlers": ["console"], "propagate": False},
    },
}

# --- Live quiz --------------------------------------------------------------------------------

# PIN look-ups and joins per client address: a town hall of a thousand phones may share one.
RATELIMIT_LIVE_JOIN = env.str("RATELIMIT_LIVE_JOIN", default="3000/h")
# Wrong PINs per client address: a hall's typos fit; guessing one of a million PINs does not.
RATELIMIT_WRONG_LIVE_PIN = env.str("RATELIMIT_WRONG_LIVE_PIN", default="100/h")
if REDIS_URL:
    # redis-py 8 reads with a 5 s socket timeout by default, and channels-redis blocks 5 s
    # on each receive (BZPOPMIN): a socket idle that long killed its consumer with a
    # TimeoutError. The layer's own timeout bounds the wait instead. Its pool also refuses
    # (MaxConnectionsError) past 100 connections, which a room of phones connecting at once
    # reaches.
    CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [
        {"address": REDIS_URL, "socket_timeout": 30, "max_connections": 1000}
    ]
