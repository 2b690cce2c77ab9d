"""Settings come from the environment (API.md, last section); defaults run the embedded set-up."""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
from cryptography.x509 import load_pem_x509_certificate
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG=0")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "*" if DEBUG else "").split(",") if h]

# Sandbox adapters (WeChat, SMS, payment) and their endpoints: on in development, off in production.
GROUPBUY_SANDBOX = env_bool("GROUPBUY_SANDBOX", DEBUG)
PAYMENT_SANDBOX_SECRET = os.environ.get("PAYMENT_SANDBOX_SECRET", "sandbox-secret")
ORDER_PAYMENT_TIMEOUT_SECONDS = env_int("ORDER_PAYMENT_TIMEOUT_SECONDS", 900)
ORDER_AUTO_COMPLETE_DAYS = env_int("ORDER_AUTO_COMPLETE_DAYS", 7)
PLATFORM_FEE_BPS = env_int("PLATFORM_FEE_BPS", 60)
API_TOKEN_TTL_SECONDS = env_int("API_TOKEN_TTL_SECONDS", 30 * 24 * 3600)
DEFAULT_DOOR_IMAGE_URL = os.environ.get(
    "DEFAULT_DOOR_IMAGE_URL", "https://static.groupbuy.example/door/default.png"
)
# The sandbox refuses every subscribe message while this is on (to see failures and retries).
NOTIFICATION_SANDBOX_FAIL = env_bool("NOTIFICATION_SANDBOX_FAIL", False)
WECHAT_APP_ID = os.environ.get("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = os.environ.get("WECHAT_APP_SECRET", "")

# ---- Production integrations: WeChat (login, subscribe messages), WeChat Pay API v3, Tencent Cloud
# SMS. Every credential comes from the environment (README, "Production integrations"); with the
# sandbox off, a missing one stops the start. The base URLs are settings so tests reach local servers.
INTEGRATION_TIMEOUT_SECONDS = float(os.environ.get("INTEGRATION_TIMEOUT_SECONDS", "5"))
WECHAT_API_BASE_URL = os.environ.get("WECHAT_API_BASE_URL", "https://api.weixin.qq.com")
WECHAT_MINIPROGRAM_STATE = os.environ.get("WECHAT_MINIPROGRAM_STATE", "formal")  # developer | trial
SUBSCRIBE_TEMPLATES = (
    "order_paid",
    "order_completed",
    "order_refunded",
    "order_reminder",
    "settlement_completed",
)
WECHAT_SUBSCRIBE_TEMPLATE_IDS = {
    t: os.environ.get(f"WECHAT_TEMPLATE_{t.upper()}", "") for t in SUBSCRIBE_TEMPLATES
}
WECHATPAY_BASE_URL = os.environ.get("WECHATPAY_BASE_URL", "https://api.mch.weixin.qq.com")
WECHATPAY_MCH_ID = os.environ.get("WECHATPAY_MCH_ID", "")
WECHATPAY_CERT_SERIAL_NO = os.environ.get("WECHATPAY_CERT_SERIAL_NO", "")
WECHATPAY_PRIVATE_KEY_PATH = os.environ.get("WECHATPAY_PRIVATE_KEY_PATH", "")
WECHATPAY_APIV3_KEY = os.environ.get("WECHATPAY_APIV3_KEY", "")
WECHATPAY_NOTIFY_URL = os.environ.get("WECHATPAY_NOTIFY_URL", "")
# How WeChat Pay's signatures are checked: its public key and the key's id, or (older merchants)
# its platform certificates, several during a rotation (comma-separated paths).
WECHATPAY_PUBLIC_KEY_ID = os.environ.get("WECHATPAY_PUBLIC_KEY_ID", "")
WECHATPAY_PUBLIC_KEY_PATH = os.environ.get("WECHATPAY_PUBLIC_KEY_PATH", "")
WECHATPAY_PLATFORM_CERT_PATHS = [
    p for p in os.environ.get("WECHATPAY_PLATFORM_CERT_PATHS", "").split(",") if p
]
WECHATPAY_NOTIFY_MAX_AGE_SECONDS = env_int("WECHATPAY_NOTIFY_MAX_AGE_SECONDS", 300)
TENCENT_SMS_SECRET_ID = os.environ.get("TENCENT_SMS_SECRET_ID", "")
TENCENT_SMS_SECRET_KEY = os.environ.get("TENCENT_SMS_SECRET_KEY", "")
TENCENT_SMS_SDK_APP_ID = os.environ.get("TENCENT_SMS_SDK_APP_ID", "")
TENCENT_SMS_SIGN_NAME = os.environ.get("TENCENT_SMS_SIGN_NAME", "")
TENCENT_SMS_REGION = os.environ.get("TENCENT_SMS_REGION", "ap-guangzhou")
TENCENT_SMS_ENDPOINT = os.environ.get("TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com")
TENCENT_SMS_TEMPLATE_IDS = {
    purpose: os.environ.get(f"TENCENT_SMS_TEMPLATE_{purpose.upper()}", "")
    for purpose in ("bind_phone", "create_store")
}


def missing_integration_settings(values: dict) -> list[str]:
    """The environment variables production lacks (empty, or naming a file that is not there)."""
    required = [
        "WECHAT_APP_ID", "WECHAT_APP_SECRET", "WECHATPAY_MCH_ID", "WECHATPAY_CERT_SERIAL_NO",
        "WECHATPAY_PRIVATE_KEY_PATH", "WECHATPAY_APIV3_KEY", "WECHATPAY_NOTIFY_URL",
        "TENCENT_SMS_SECRET_ID", "TENCENT_SMS_SECRET_KEY", "TENCENT_SMS_SDK_APP_ID", "TENCENT_SMS_SIGN_NAME",
    ]  # fmt: skip
    missing = [name for name in required if not values[name]]
    keys = values["WECHATPAY_PUBLIC_KEY_ID"] and values["WECHATPAY_PUBLIC_KEY_PATH"]
    if not keys and not values["WECHATPAY_PLATFORM_CERT_PATHS"]:
        missing.append(
            "WECHATPAY_PUBLIC_KEY_ID and WECHATPAY_PUBLIC_KEY_PATH (or WECHATPAY_PLATFORM_CERT_PATHS)"
        )
    if len(values["WECHATPAY_APIV3_KEY"]) not in (0, 32):
        missing.append("WECHATPAY_APIV3_KEY (32 characters)")
    for prefix, ids in (
        ("WECHAT_TEMPLATE_", values["WECHAT_SUBSCRIBE_TEMPLATE_IDS"]),
        ("TENCENT_SMS_TEMPLATE_", values["TENCENT_SMS_TEMPLATE_IDS"]),
    ):
        missing += [prefix + name.upper() for name, template_id in ids.items() if not template_id]
    files = [
        ("WECHATPAY_PRIVATE_KEY_PATH", values["WECHATPAY_PRIVATE_KEY_PATH"]),
        ("WECHATPAY_PUBLIC_KEY_PATH", values["WECHATPAY_PUBLIC_KEY_PATH"]),
        *(("WECHATPAY_PLATFORM_CERT_PATHS", path) for path in values["WECHATPAY_PLATFORM_CERT_PATHS"]),
    ]
    for name, path in files:
        if path and not Path(path).is_file():
            missing.append(f"{name} (no file {path})")
        elif path and not _reads_as(name, Path(path).read_bytes()):
            missing.append(f"{name} ({path} is not {KEY_FILE_KINDS[name][0]})")
    return missing


# What each key file must hold, and how it reads: a file that does not read so is refused at the
# start, not at a customer's first payment.
KEY_FILE_KINDS = {
    "WECHATPAY_PRIVATE_KEY_PATH": ("a PEM private key", lambda data: load_pem_private_key(data, None)),
    "WECHATPAY_PUBLIC_KEY_PATH": ("a PEM public key", load_pem_public_key),
    "WECHATPAY_PLATFORM_CERT_PATHS": ("a PEM certificate", load_pem_x509_certificate),
}


def _reads_as(name: str, data: bytes) -> bool:
    try:
        KEY_FILE_KINDS[name][1](data)
    except (ValueError, TypeError):
        return False
    return True


if not GROUPBUY_SANDBOX and (_missing := missing_integration_settings(globals())):
    raise ImproperlyConfigured(
        "GROUPBUY_SANDBOX is off, so the real WeChat, WeChat Pay and Tencent Cloud SMS are used, "
        "and these settings are missing: " + "; ".join(_missing)
    )

INSTALLED_APPS = [
    "bff.backoffice.apps.BackOfficeAdminConfig",  # django.contrib.admin with the back office's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "bff.backoffice.apps.TaskQueueConfig",  # django_q, named for operators
    "bff.backoffice.apps.LoginProtectionConfig",  # axes: failed admin logins
    "contexts.shared",
    "contexts.integration",
    "contexts.identity",
    "contexts.merchant_account",
    "contexts.affiliate",
    "contexts.store",
    "contexts.staff",
    "contexts.goods",
    "contexts.ordering",
    "contexts.solitaire",
    "contexts.customer",
    "contexts.notification",
    "bff",
]

MIDDLEWARE = [
    "bff.observability.RequestLogMiddleware",  # outermost: one line and its metrics per request
    "bff.middleware.JsonNotFoundMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bff.middleware.RefuseNulCharactersMiddleware",
    "bff.middleware.RefuseMalformedJsonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "groupbuy.urls"
WSGI_APPLICATION = "groupbuy.wsgi.application"
AUTH_USER_MODEL = "identity.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait (busy timeout)
    # instead of failing with "database is locked" when a reader upgrades to a writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not memory) so threads share it; one per process so parallel runs never collide.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}
else:
    # PostgreSQL binds parameters itself and prepares a statement a connection has run a few
    # times, so the hot path's statements are parsed and planned once per connection, not once
    # per request (Django's public OPTIONS of the psycopg backend).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=env_int("DATABASE_PREPARE_THRESHOLD", 5),
    )
    # The test database's name (Django's default: "test_" + NAME), for people who share a server
    # and keep to names of their own.
    if os.environ.get("DATABASE_TEST_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["DATABASE_TEST_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["bff.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "bff.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "bff.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["bff.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
}

# ---- Throttles (API.md "Conventions"; bff/throttles.py) --------------------------------------
# Rates "N/second|minute|hour" from the environment, checked here so a typo stops the start
# rather than every throttled request. The counts live in the default cache (Redis with REDIS_URL).
THROTTLE_RATE_FORMAT = re.compile(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)s?")


def env_rate(name: str, default: str) -> str:
    rate = os.environ.get(name, default).strip()
    if not THROTTLE_RATE_FORMAT.fullmatch(rate):
        raise ImproperlyConfigured(f"{name}={rate!r}: give a rate like 30/minute (N/second|minute|hour)")
    return rate


REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "login": env_rate("THROTTLE_LOGIN", "120/minute"),
    "orders": env_rate("THROTTLE_ORDERS", "30/minute"),
    "pay": env_rate("THROTTLE_PAY", "30/minute"),
}
# The client address of THROTTLE_LOGIN: with NUM_PROXIES=0 (the default) the peer of the socket
# (REMOTE_ADDR), which no client can forge; behind N reverse proxies (nginx, a load balancer)
# that each append to X-Forwarded-For, set NUM_PROXIES=N: the address the outermost one saw.
# Never more than there are: a client could then choose its address by sending the header.
REST_FRAMEWORK["NUM_PROXIES"] = env_int("NUM_PROXIES", 0)

SPECTACULAR_SETTINGS = {
    "TITLE": "groupbuy mini-program API",
    "DESCRIPTION": "The interface the customer and merchant mini-programs speak (API.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two "kind" choice sets (ledger entries, settlements): named, not hashed.
    "ENUM_NAME_OVERRIDES": {
        "EntryKindEnum": "contexts.merchant_account.contracts.ENTRY_KINDS",
        "SettlementKindEnum": "contexts.merchant_account.contracts.SETTLEMENT_KINDS",
        # Three "status" choice sets: named, so `check` has no collision to report.
        "GoodsStatusEnum": "bff.goods.GOODS_STATUSES",
        "SolitaireStatusEnum": "bff.solitaires.STATUSES",
    },
}

# Events and the robot: the ORM broker joins the business transaction and is at-least-once.
# Issue 14: a task held by a cluster killed -9 is handed out again after `retry` seconds, so
# it is short, and every task ends within `timeout` < `retry` (long jobs stop between batches,
# see merchant_account.tasks). `bulk` tasks are taken per poll; `save_limit` 0 keeps results
# without django-q2's per-task pruning scan (the `events.prune` schedule removes old ones).
Q_CLUSTER = {
    "name": "groupbuy",
    "orm": "default",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": env_int("Q_TIMEOUT", 15),
    "retry": env_int("Q_RETRY", 20),
    "max_attempts": 5,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": env_int("Q_SAVE_LIMIT", 0),
    "bulk": env_int("Q_BULK", 10),
    "poll": float(os.environ.get("Q_POLL", 0.1)),
    "sync": env_bool("Q_SYNC", False),
}

# The sentinel of every qcluster records its status in the database (ClusterHeartbeat), so that
# the health check of any web process sees whether a cluster is alive: django-q2's ORM broker
# with a heartbeat (contexts/shared/adapters/cluster.py).
Q_CLUSTER["broker_class"] = "contexts.shared.adapters.cluster.HeartbeatORM"

# A failing event handler is tried this many times (the sweeper re-enqueues it with backoff),
# then shown as failed in the admin.
EVENT_HANDLER_MAX_ATTEMPTS = env_int("EVENT_HANDLER_MAX_ATTEMPTS", 5)
EVENT_RETRY_BACKOFF_SECONDS = env_int("EVENT_RETRY_BACKOFF_SECONDS", 30)
EVENT_SWEEP_GRACE_SECONDS = env_int("EVENT_SWEEP_GRACE_SECONDS", 30)
# A dispatched delivery whose task has not reported back by then is taken for lost and sent
# again. Longer than a task may be held by a dead cluster (retry) and run (timeout), and than a
# backlog waits in the queue (at 200 events/s, 180 s covers 36,000 events).
EVENT_DELIVERY_LEASE_SECONDS = env_int("EVENT_DELIVERY_LEASE_SECONDS", 180)
# Retention: done deliveries, dispatched events and task results older than this are pruned
# (failed deliveries and their events stay until handled), EVENT_PRUNE_BATCH rows a statement.
EVENT_RETENTION_DAYS = env_int("EVENT_RETENTION_DAYS", 30)
EVENT_PRUNE_BATCH = env_int("EVENT_PRUNE_BATCH", 1000)

# ---- Logs, errors, metrics (README "Logs, errors, metrics") ------------------------------------
# One handler, on the root logger, so each message is written once: Django's own "django" logger
# has a console handler of its own under DEBUG (every django.* message twice); it gets none here.
# django.request logs each 4xx as a warning, and runserver ("django.server") a line per request:
# the request line (bff/observability.py) says all that, so they keep only errors, or nothing.
# LOG_FORMAT=json writes one JSON object per line (python-json-logger); every line carries the
# request id of the request (or of the request that queued the task) it was written for.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "bff.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
        "nowhere": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.request": {"level": "ERROR"},
        "django.server": {"handlers": ["nowhere"], "propagate": False},
        # django-q2 writes three lines per task (queued, processing, processed): at scale more
        # than the requests' own, for nothing an operator reads (a failure is a WARNING or an
        # ERROR, and the admin lists it). Q_LOG_LEVEL=INFO brings them back.
        "django-q": {"level": os.environ.get("Q_LOG_LEVEL", "WARNING").upper()},
    },
}
# The integrations' HTTP clients log whole URLs and headers at DEBUG, and WeChat's app secret and
# access token travel in query strings (Tencent Cloud's SDK logs its signed headers): whatever the
# LOG_LEVEL, these loggers write nothing below WARNING, so no credential reaches a log.
LOGGING.setdefault("loggers", {}).update(
    {name: {"level": "WARNING"} for name in ("urllib3", "tencentcloud_sdk_common", "requests")}
)

# ---- The operators' back office: languages, static files, admin logins ---------------------
# The project's catalogs (zh_Hans, en): compiled .mo files are committed next to their .po.
LOCALE_PATHS = [BASE_DIR / "locale"]
# WhiteNoise serves the collected static files (the admin's, the dashboard's vendored Chart.js)
# from the web process itself, so the admin works offline and behind no CDN; in production
# `manage.py collectstatic` fills STATIC_ROOT with hashed, compressed copies.
# Decided here, not after a test runner sets DEBUG=False (which would want STATIC_ROOT filled).
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
if not DEBUG:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
# Failed admin logins: 5 per account and address, then that pair waits (django-axes).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "bff.throttles.client_address"  # NUM_PROXIES' rule, as the login throttle's
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False  # no banner on every command; attempts and lockouts are in the admin

# /metrics (bff/metrics.py): open in development; in production off, unless METRICS_TOKEN is set
# (then only `Authorization: Bearer <METRICS_TOKEN>` reads it) or METRICS_ENABLED=1 (for a
# network where only Prometheus reaches it). Several gunicorn workers: PROMETHEUS_MULTIPROC_DIR.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ENABLED = env_bool("METRICS_ENABLED", DEBUG or bool(METRICS_TOKEN))

# Errors to Sentry when SENTRY_DSN is set (groupbuy/sentry.py): no personal data leaves.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from groupbuy.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production" if not DEBUG else "development"),
    )

# ---- Production: HTTPS only (`DJANGO_DEBUG=0 manage.py check --deploy` reports nothing) ---------
# The mini-programs can only call HTTPS hosts (WeChat refuses plain-HTTP request domains), so the
# API host is HTTPS-only and each of these is on by default in production; each can be turned off
# from the environment for a set-up that handles it elsewhere. Development (DEBUG) keeps plain HTTP.
if not DEBUG:
    # TLS ends at a reverse proxy (nginx, a cloud load balancer) that tells the scheme in
    # X-Forwarded-Proto; without this Django would take every request for plain HTTP (and
    # redirect forever). The proxy must set or strip the header, or a client could claim
    # HTTPS. Give another header's name, or an empty value when gunicorn itself serves TLS.
    proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto").strip()
    if proxy_header:
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
    # Plain HTTP is answered with a redirect to HTTPS, except the probes: a load balancer's health
    # check and Prometheus often reach a web process directly, over plain HTTP, on the inside.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$", r"^metrics$"]
    # HSTS: browsers (the admin, the API docs) keep to HTTPS for SECURE_HSTS_SECONDS (a year by
    # default; start lower while moving a domain to HTTPS, 0 turns it off), subdomains of the
    # API host included. Asking for the browsers' preload list is the domain owner's decision
    # (hstspreload.org, for the whole registrable domain): SECURE_HSTS_PRELOAD=1 asks, and
    # without it Django's reminder (security.W021) is silenced, since nothing here can decide it.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # The admin's session and CSRF cookies never travel over plain HTTP (the API itself uses
    # bearer tokens, no cookie).
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
