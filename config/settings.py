"""Settings for every environment, read from environment variables.

One module on purpose: development, tests and production differ only in the variables
they set (see README.md, "Configuration"). Defaults are safe: DEBUG is off and, with
DEBUG off, the application refuses to start without a SECRET_KEY.
"""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A checkout's development values (`.env`, written by `make run` and git-ignored), so the
# documented `python manage.py …` commands work outside `make run` too. Variables already
# in the environment always win; `ENV_FILE=` (empty) reads none, as the test suite does.
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    # Two-step verification for local accounts: TOTP apps and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "core.auth",
    "core.tokens",
    "plans",
    "inspections",
    "actions",
    "actions.reminders",
    "actions.documents",
    "actions.webhooks",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.SessionTimeoutMiddleware",
    "core.middleware.TwoStepVerificationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for locks, don't fail.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "core.auth.backends.SignInThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "core.auth.oidc.CouncilAccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files: our own, plus GOV.UK Frontend's prebuilt assets from npm (make assets).
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
GOVUK_FRONTEND_ASSETS = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets"
if GOVUK_FRONTEND_ASSETS.exists():
    STATICFILES_DIRS.append(("govuk/assets", GOVUK_FRONTEND_ASSETS))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Uploaded reports and evidence live here and are never served by URL: only through
# permission-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "uploads")))
# No URL pattern serves this path: files go out only through permission-checked views.
MEDIA_URL = "/never-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
REPORT_UPLOAD_MAX_BYTES = env.int("REPORT_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# E-mail: SMTP by default; EMAIL_URL=consolemail:// or filemail:///path for development.
vars().update(env.email("EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="improvement-plan@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Security. Production defaults; DEBUG relaxes only what local http needs.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SESSION_COOKIE_SECURE else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Celery. With REDIS_URL, Redis is the broker; without it, kombu's filesystem transport
# lets `make run` start a real worker and scheduler with nothing else installed.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_FILESYSTEM_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A request must never hang on a broker that accepts connections but does not answer.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": 2,
        "socket_connect_timeout": 2,
        "max_retries": 1,
        "visibility_timeout": 3600,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Each kind of background work has its own queue, consumed by its own workers
# (docker-compose.yml, scripts/run-dev): slow webhook receivers never hold up a document
# or a reminder. Everything else (the RAG refresh, owners' e-mails) uses "celery".
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "webhooks.*": {"queue": "webhooks"},
    "reminders.*": {"queue": "reminders"},
    "documents.*": {"queue": "documents"},
}
# A worker started without -Q consumes every queue (the tests' workers, a small install).
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "reminders", "documents", "webhooks")]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# Deadlines (see core/deadlines.py and DOMAIN.md).
PLAN_DUE_WORKING_DAYS = env.int("PLAN_DUE_WORKING_DAYS", default=70)
DRAFT_PLAN_DUE_WORKING_DAYS = env.int("DRAFT_PLAN_DUE_WORKING_DAYS", default=20)
# Default action due date per timescale, counted from publication: "<n>wd" working days,
# "<n>m" calendar months.
ACTION_DUE_OFFSETS = env.dict(
    "ACTION_DUE_OFFSETS",
    default={
        "immediately": "10wd",
        "three_months": "3m",
        "six_months": "6m",
        "longer_term": "12m",
        "none": "6m",
    },
)
# Extra days the council is closed (ISO dates), on top of English bank holidays.
EXTRA_CLOSURE_DAYS = env.list("EXTRA_CLOSURE_DAYS", default=[])

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Token first: its authenticate_header makes a request without credentials a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.tokens.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ApiAccess"],
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.KeysetPagination",
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.JSONRenderer"],
    # JSON in; multipart only where a file is uploaded (evidence, imports), which say so.
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.ClientRateThrottle"],
    "EXCEPTION_HANDLER": "core.api.errors.problem_exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "URL_FORMAT_OVERRIDE": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Closing the loop API",
    "DESCRIPTION": (
        "Inspection improvement plans for other council systems: plans (with their sources, "
        "themes and wider areas for improvement), inspections, recommendations and their "
        "repeats, actions, progress, evidence, measures, reminders, documents and webhook "
        "subscriptions. "
        "Authenticate with `Authorization: Bearer <token>` (see docs/api.md). Errors are "
        "RFC 9457 problem details (`application/problem+json`). Lists use cursor "
        "pagination (`cursor`, `page_size` up to 500). Dates and times are ISO 8601; "
        "times are UTC."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "actions.models.Status",
        "TimescaleEnum": "inspections.models.Timescale",
        "GradeScaleEnum": "inspections.models.GradeScale",
        "InspectionTypeEnum": "inspections.models.InspectionType",
        "RagEnum": "actions.models.Rag",
        "GradeEnum": "inspections.models.Grade",
        "DeadlineBasisEnum": "inspections.models.DeadlineBasis",
        "OrganisationKindEnum": "core.models.Organisation.Kind",
        "DocumentKindEnum": "actions.documents.models.DocumentKind",
        "ReminderKindEnum": "actions.reminders.models.Kind",
        "WebhookEventTypeEnum": "actions.webhooks.models.EventType",
        "WebhookDeliveryStatusEnum": "actions.webhooks.models.DeliveryStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_problem_responses",
        "core.api.schema.declare_decimals",
    ],
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
}
# API (core/api): rate limits per token (per person for browser sessions, per address for
# anonymous requests). DRF's rate format: "<requests>/<second|minute|hour|day>". The
# counters live in the default cache: use a shared cache (CACHE_URL) with several workers.
API_THROTTLE_TOKEN_RATE = env.str("API_THROTTLE_TOKEN_RATE", default="1200/minute")
API_THROTTLE_USER_RATE = env.str("API_THROTTLE_USER_RATE", default="600/minute")
API_THROTTLE_ANON_RATE = env.str("API_THROTTLE_ANON_RATE", default="60/minute")
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=500)
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=365)
# Logs go to standard error, one line per event: JSON (for a log collector) by default in
# production, plain text in development. Every line carries the request id (core/logging.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'plain'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Sign-ins are logged by core.auth; django-axes would repeat each one. pikepdf (the PDF
    # guard) announces its logging set-up at INFO in every reader process.
    "loggers": {"axes": {"level": "WARNING"}, "pikepdf": {"level": "WARNING"}},
}

# RAG derivation (actions/rag.py).
RAG_AMBER_WORKING_DAYS = env.int("RAG_AMBER_WORKING_DAYS", default=10)
RAG_STALE_DAYS = env.int("RAG_STALE_DAYS", default=14)
RAG_MEASURE_SLIPPAGE_PERCENT = env.int("RAG_MEASURE_SLIPPAGE_PERCENT", default=10)

# Reminders (actions/reminders).
# Defaults of the reminder policy; an administrator can change the live policy in the
# admin ("Reminder policy"), which starts from these values. See docs/reminders.md.
REMINDER_DAYS_BEFORE = env.list("REMINDER_DAYS_BEFORE", cast=int, default=[10, 5, 1])
REMINDER_ON_DUE_DATE = env.bool("REMINDER_ON_DUE_DATE", default=True)
REMINDER_OVERDUE_EVERY = env.int("REMINDER_OVERDUE_EVERY", default=5)
REMINDER_ESCALATE_AFTER = env.int("REMINDER_ESCALATE_AFTER", default=10)
REMINDER_PLAN_DAYS_BEFORE = env.list("REMINDER_PLAN_DAYS_BEFORE", cast=int, default=[20, 10, 5, 1])
REMINDER_DIGEST_WEEKDAY = env.int("REMINDER_DIGEST_WEEKDAY", default=0)  # 0 = Monday
# Missed occasions up to this many working days back are still sent (once) by a sweep.
REMINDER_CATCH_UP_WORKING_DAYS = env.int("REMINDER_CATCH_UP_WORKING_DAYS", default=10)
# A claim older than this is presumed dead (worker killed) and may be taken again. Keep
# it above CELERY_TASK_TIME_LIMIT so two workers never send the same reminder at once.
REMINDER_CLAIM_TIMEOUT = env.int("REMINDER_CLAIM_TIMEOUT", default=15 * 60)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
# "email" (Django's mail framework, EMAIL_URL) or "notify" (GOV.UK Notify).
REMINDER_CHANNEL = env.str("REMINDER_CHANNEL", default="email")
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_TEMPLATE_ID = env.str("NOTIFY_TEMPLATE_ID", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT = env.int("NOTIFY_TIMEOUT", default=10)
if REMINDER_CHANNEL not in {"email", "notify"}:
    raise ImproperlyConfigured("REMINDER_CHANNEL must be 'email' or 'notify'.")
if REMINDER_CHANNEL == "notify" and not (NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID):
    raise ImproperlyConfigured(
        "REMINDER_CHANNEL=notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID."
    )
if REMINDER_CLAIM_TIMEOUT <= CELERY_TASK_TIME_LIMIT and not DEBUG:
    raise ImproperlyConfigured("REMINDER_CLAIM_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")

# Webhooks (actions/webhooks): other council systems subscribe to action changes. See
# docs/webhooks.md. Attempts per delivery (the first included), then it is marked failed.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=10)
# Wait before retry n: about WEBHOOK_RETRY_BASE_SECONDS * 2**(n-1), capped, with jitter.
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=60)
WEBHOOK_RETRY_MAX_SECONDS = env.int("WEBHOOK_RETRY_MAX_SECONDS", default=6 * 60 * 60)
# A subscription whose deliveries failed (all attempts) this many times in a row is paused
# with a note; 0 never pauses.
WEBHOOK_PAUSE_AFTER_FAILURES = env.int("WEBHOOK_PAUSE_AFTER_FAILURES", default=5)
# Seconds to connect to a receiver, and to wait for its answer.
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=3.0)
WEBHOOK_READ_TIMEOUT = env.float("WEBHOOK_READ_TIMEOUT", default=10.0)
# Receivers on private, loopback or link-local addresses are refused unless their address
# is in one of these networks (CIDR), e.g. "10.20.0.0/16" for the council's own network.
WEBHOOK_ALLOWED_NETWORKS = env.list("WEBHOOK_ALLOWED_NETWORKS", default=[])
# Receivers must use https unless this is on (it is with DEBUG).
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=DEBUG)
# After a secret is rotated, deliveries carry a signature with the old one too for this
# many hours, so receivers can switch without losing a message.
WEBHOOK_SECRET_GRACE_HOURS = env.int("WEBHOOK_SECRET_GRACE_HOURS", default=24)
# Like REMINDER_CLAIM_TIMEOUT: a claim older than this is presumed dead.
WEBHOOK_CLAIM_TIMEOUT = env.int("WEBHOOK_CLAIM_TIMEOUT", default=15 * 60)
# Finished deliveries (and their attempts) older than this are deleted by the sweep.
WEBHOOK_LOG_RETENTION_DAYS = env.int("WEBHOOK_LOG_RETENTION_DAYS", default=90)
# How many webhook subscriptions one person may hold: each one is work for the webhooks
# queue at every change they can see.
WEBHOOK_MAX_SUBSCRIPTIONS_PER_PERSON = env.int("WEBHOOK_MAX_SUBSCRIPTIONS_PER_PERSON", default=20)
if WEBHOOK_MAX_ATTEMPTS < 1 or WEBHOOK_RETRY_BASE_SECONDS < 1 or WEBHOOK_PAUSE_AFTER_FAILURES < 0:
    raise ImproperlyConfigured(
        "WEBHOOK_MAX_ATTEMPTS and WEBHOOK_RETRY_BASE_SECONDS must be positive, "
        "WEBHOOK_PAUSE_AFTER_FAILURES zero or more."
    )
try:
    for _network in WEBHOOK_ALLOWED_NETWORKS:
        ipaddress.ip_network(_network, strict=False)
except ValueError as _exc:
    raise ImproperlyConfigured(f"WEBHOOK_ALLOWED_NETWORKS: {_exc}") from None
if WEBHOOK_CLAIM_TIMEOUT <= CELERY_TASK_TIME_LIMIT and not DEBUG:
    raise ImproperlyConfigured("WEBHOOK_CLAIM_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")

# Sign-in and sessions. See docs/security.md.
# Throttling (django-axes): after SIGN_IN_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused for SIGN_IN_LOCKOUT_MINUTES (each further try
# restarts the wait). Attempts are counted in the database, so every web replica agrees.
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("SIGN_IN_LOCKOUT_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.auth.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "core.auth.client_ip.client_ip"
# Successful sign-ins are in the audit log already: don't keep a second copy.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Proxies in front of the application (load balancer, TLS terminator) that append to
# X-Forwarded-For. 0: the address is the peer's (REMOTE_ADDR). Used for throttling and logs.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# A signed-in session ends after SESSION_IDLE_TIMEOUT seconds without a request, and
# SESSION_COOKIE_AGE seconds after signing in whatever happens (not sliding).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
if SESSION_IDLE_TIMEOUT <= 0 or SESSION_COOKIE_AGE <= 0:
    raise ImproperlyConfigured("SESSION_IDLE_TIMEOUT and SESSION_COOKIE_AGE must be positive.")

# Single sign-on with OpenID Connect (e.g. Microsoft Entra ID): on when OIDC_RP_CLIENT_ID
# is set. Endpoints come from the provider's discovery document at OIDC_OP_ISSUER unless
# given one by one. Roles follow the identity provider's groups at every sign-in.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_USERNAME_CLAIM = env.str("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
# "<identity provider group id>=<role>,…" with the roles Directors, Policy officers,
# Action owners, Readers. People in no mapped group get OIDC_DEFAULT_ROLE, or no entry.
OIDC_ROLE_MAP = env.dict("OIDC_ROLE_MAP", default={})
OIDC_DEFAULT_ROLE = env.str("OIDC_DEFAULT_ROLE", default="")
OIDC_ORGANISATION_CLAIM = env.str("OIDC_ORGANISATION_CLAIM", default="")
OIDC_DEFAULT_ORGANISATION = env.str("OIDC_DEFAULT_ORGANISATION", default="")
OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=True)
_ROLES = {"Directors", "Policy officers", "Action owners", "Readers"}
if not set(OIDC_ROLE_MAP.values()) <= _ROLES or OIDC_DEFAULT_ROLE not in _ROLES | {""}:
    raise ImproperlyConfigured(f"OIDC_ROLE_MAP and OIDC_DEFAULT_ROLE take roles from {_ROLES}.")
if OIDC_ENABLED and not OIDC_RP_CLIENT_SECRET:
    raise ImproperlyConfigured("OIDC_RP_CLIENT_ID is set: OIDC_RP_CLIENT_SECRET is needed too.")
if OIDC_ENABLED and not (
    OIDC_OP_ISSUER
    or (OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_JWKS_ENDPOINT)
):
    raise ImproperlyConfigured("Single sign-on needs OIDC_OP_ISSUER (or every OIDC_OP_* endpoint).")

# Two-step verification for local accounts (django-otp): an authenticator app (TOTP) and
# one-time recovery codes. People who sign in with single sign-on use their identity
# provider's MFA instead. Local accounts holding one of TWO_FACTOR_REQUIRED_ROLES must
# set it up before they can use the service. After a correct password, the code must be
# given within TWO_FACTOR_PENDING_SECONDS or the sign-in starts again.
TWO_FACTOR_REQUIRED_ROLES = env.list("TWO_FACTOR_REQUIRED_ROLES", default=[])
if not set(TWO_FACTOR_REQUIRED_ROLES) <= _ROLES:
    raise ImproperlyConfigured(f"TWO_FACTOR_REQUIRED_ROLES takes roles from {_ROLES}.")
TWO_FACTOR_PENDING_SECONDS = env.int("TWO_FACTOR_PENDING_SECONDS", default=5 * 60)
if TWO_FACTOR_PENDING_SECONDS <= 0:
    raise ImproperlyConfigured("TWO_FACTOR_PENDING_SECONDS must be positive.")
TWO_FACTOR_RECOVERY_CODES = 10
# The name authenticator apps show next to the account.
OTP_TOTP_ISSUER = env.str("TWO_FACTOR_ISSUER", default="Closing the loop")
# Each wrong code doubles the wait before the next is checked: 1, 2, 4, 8… seconds.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Operations. See docs/deployment.md.
# A database that does not answer must fail a request in seconds (a 503 page), not hang it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
    # Prepared statements: with the parameters sent apart from the SQL, psycopg prepares a
    # query the fifth time a connection runs it and PostgreSQL stops planning it afresh on
    # every request (planning cost more than running the API's page query). Turn off
    # behind a connection pooler that cannot keep prepared statements (PgBouncer in
    # transaction mode before 1.21): docs/deployment.md.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        _options.update(server_side_binding=True, prepare_threshold=5)
# Worker logs use LOGGING above (JSON in production) instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# On a cold shutdown (SIGQUIT, or SIGTERM with REMAP_SIGTERM=SIGQUIT as in
# docker-compose.yml) running tasks get this many seconds to finish; the rest go back to
# the queue at once for another worker instead of waiting for the visibility timeout.
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = env.float("CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT", default=45.0)
# Uploaded reports and evidence on S3-compatible object storage (django-storages[s3]) when
# MEDIA_S3_BUCKET is set, instead of files under MEDIA_ROOT. The bucket stays private:
# objects get no ACL of their own, and every file is streamed through the application's
# permission checks, never linked to (core.storage.PrivateS3Storage makes no pre-signed
# URLs). Without keys, boto3's usual sources apply (an instance or workload role, AWS_*).
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "core.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("MEDIA_S3_PREFIX", default=""),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
