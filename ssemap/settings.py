"""ssemap settings: one module, driven by environment variables.

The defaults run the site on a SQLite file in the project with nothing to set up.
Production mode (``SSEMAP_ENV=production``) refuses to start without a real secret.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _tile_origins(url_template):
    """The origin(s) the tile images come from, for the CSP (``{s}`` subdomains allowed)."""
    if not url_template:
        return []
    origin = "/".join(url_template.split("/", 3)[:3])
    return [origin.replace("{s}", "*")]


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# SSEMAP_ENV: "production" or "development", nothing else: a typo ("prod") must not quietly
# mean development (DEBUG, the public secret key). Unset, it means development on a workstation
# only: on a server it must be said. A server is recognised by what a deployment has and a
# workstation does not: the process runs under gunicorn (which sets SERVER_SOFTWARE before it
# loads the application), or ALLOWED_HOSTS is given in the environment (docs/DEPLOY.md).
SSEMAP_ENVIRONMENTS = ("development", "production")
_env = os.environ.get("SSEMAP_ENV")
if _env is None:
    if (
        os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn")
        or "ALLOWED_HOSTS" in os.environ
    ):
        raise ImproperlyConfigured(
            "SSEMAP_ENV is not set on what looks like a server (gunicorn, or ALLOWED_HOSTS set): "
            "set SSEMAP_ENV=production (or SSEMAP_ENV=development explicitly)."
        )
    _env = "development"
if _env.strip().lower() not in SSEMAP_ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"SSEMAP_ENV={_env!r} is not one of {', '.join(SSEMAP_ENVIRONMENTS)}."
    )
PRODUCTION = _env.strip().lower() == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SSEMAP_ENV=production needs a real SECRET_KEY (at least 50 random characters) "
        "in the environment."
    )
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when SSEMAP_ENV=production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # SimpleAdminConfig: autodiscovery would import leaflet/admin.py, which needs GDAL.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The full-text column's field type (initiatives.Initiative.search_vector); harmless on SQLite.
    "django.contrib.postgres",
    "django_filters",
    "leaflet",
    "simple_history",
    "axes",
    # The task queue in the database (TASK_BACKEND=database) and its worker, `make worker`.
    "django_tasks_db",
    # The apps of ssemap, by audience and concept (docs/ARCHITECTURE.md).
    "territories",
    "initiatives",
    "contributions",
    "curation",
    "alerts",
    "embeds",
    "exchange",
    "freshness",
    "opendata",
    # The API v1's views and its OpenAPI schema (opendata/), Swagger UI served from our static.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "intelligence",
]

MIDDLEWARE = [
    # First, so it compresses what every other middleware wrote (pages, fragments, JSON);
    # responses already compressed (map data, static files) are left as they are.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Refuses NUL and other control characters in any parameter, in the visitor's language.
    "ssemap.middleware.ControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ssemap.middleware.SecurityHeadersMiddleware",
    "ssemap.middleware.RequestLogMiddleware",
    # Last: turns a locked-out admin login into a clear 429 page.
    "axes.middleware.AxesMiddleware",
]

# Admin brute-force protection (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one
# username from one address, that pair is locked for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "ssemap.auth.LoginAttemptBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# And one address across usernames (ssemap.auth.LoginAttemptHandler): guessing a few passwords on
# every account is stopped too.
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# The pair first, then the address alone: LoginAttemptHandler reads them in this order.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "ssemap.auth.LoginAttemptHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind a reverse proxy, REMOTE_ADDR is the proxy: name the header that carries the client.
AXES_CLIENT_IP_CALLABLE = "ssemap.auth.client_ip"

ROOT_URLCONF = "ssemap.urls"
WSGI_APPLICATION = "ssemap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
# A PostgreSQL streaming replica for visitors' reads (ssemap/db.py: read-your-writes for
# submitters and curators; docs/SCALING.md).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
    # Tests run against the primary's test database through both aliases.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ssemap.db.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(0, "ssemap.db.ReadYourWritesMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first, English second; French pages live at unprefixed URLs.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "ssemap.storage.StaticStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Map data, facet counts and page figures are cached under keys that include the data version
# (initiatives/caching.py), read from the database: a per-process LocMem cache is never stale,
# even with several gunicorn workers. A shared backend (CACHE_BACKEND=…redis.RedisCache,
# CACHE_LOCATION=redis://host:6379/0, what several app servers use), or FileBasedCache on local
# disk (CACHE_LOCATION=/var/cache/ssemap), shares answers between workers. CACHE_MAX_ENTRIES
# bounds LocMem and file caches. Whatever the backend, it is wrapped by ssemap/cache.py: when it
# fails, pages are computed without it, a warning is logged and /healthz says "degraded".
CACHE_BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "file": "django.core.cache.backends.filebased.FileBasedCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    # No cache at all: what every visitor pays after a write (the benchmarks' "cache off").
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}
_cache_backend = os.environ.get("CACHE_BACKEND", "locmem")
_cache_backend = CACHE_BACKENDS.get(_cache_backend, _cache_backend)
if _cache_backend not in CACHE_BACKENDS.values():
    raise ImproperlyConfigured(
        f"CACHE_BACKEND must be one of {', '.join(CACHE_BACKENDS)} (or its dotted path)."
    )
CACHES = {
    "default": {
        "BACKEND": "ssemap.cache.FailSoftCache",
        "WRAPPED_BACKEND": _cache_backend,
        "LOCATION": os.environ.get("CACHE_LOCATION", "ssemap"),
    }
}
if _cache_backend == CACHE_BACKENDS["redis"]:
    # A stalled Redis must cost a request half a second, not a worker's whole timeout.
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
else:
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "500"))}

# Console e-mail in development, SMTP (the EMAIL_* variables) in production; EMAIL_BACKEND
# (console or smtp) chooses explicitly.
if os.environ.get("EMAIL_BACKEND", "smtp" if PRODUCTION else "console") == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# E-mail leaves the request as a task (contributions/emails.py). "database": queued in the
# database and sent by a worker (`make worker`, docs/DEPLOY.md), retried on failure — the
# production default; "immediate": sent during the request, for development's console mail.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASK_BACKEND = os.environ.get("TASK_BACKEND", "database" if PRODUCTION else "immediate")
if TASK_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASK_BACKEND={TASK_BACKEND!r} is not one of {', '.join(TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASK_BACKEND]}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ssemap <noreply@ssemap.localhost>")
# Who is told about new submissions, besides the members of the curator group.
CURATOR_EMAILS = env_list("CURATOR_EMAILS")

# The site's own address, for links in e-mails sent outside a request (reminders, digests).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Alerts (alerts/): subscription attempts per address per hour; unconfirmed addresses are
# deleted once their confirmation link has expired, after ALERT_CONFIRM_DAYS.
ALERT_RATE_LIMIT = int(os.environ.get("ALERT_RATE_LIMIT", "10"))
ALERT_CONFIRM_DAYS = int(os.environ.get("ALERT_CONFIRM_DAYS", "7"))
# Unconfirmed alerts one address may have: beyond, nothing more is sent to it (no mail bombing
# of someone else's mailbox from many connections).
ALERT_PENDING_PER_ADDRESS = 3

# Public submission form: attempts (initiatives + corrections, valid or not) per client address
# per hour, how far from the commune's centre the pin may be, and the largest image accepted.
SUBMISSION_RATE_LIMIT = int(os.environ.get("SUBMISSION_RATE_LIMIT", "10"))
# Duplicate hints (/api/duplicates/), asked as one types: per address per window.
DUPLICATE_HINT_RATE_LIMIT = int(os.environ.get("DUPLICATE_HINT_RATE_LIMIT", "120"))
DUPLICATE_HINT_RATE_WINDOW_SECONDS = 600
# The API v1 (opendata/): requests per client (address, or partner token) per window; writes
# (partners' submissions) counted apart.
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "600"))
API_WRITE_RATE_LIMIT = int(os.environ.get("API_WRITE_RATE_LIMIT", "100"))
API_RATE_WINDOW_SECONDS = 600
SUBMISSION_MAX_DISTANCE_KM = 20

# Freshness (freshness/, docs/DEPLOY.md): an entry's people are asked whether it is still
# accurate this many days after it was last confirmed; unconfirmed for this long, it is marked
# as such on its page and faded on the map; the signed links in those e-mails expire after.
FRESHNESS_REMIND_AFTER_DAYS = int(os.environ.get("FRESHNESS_REMIND_AFTER_DAYS", "365"))
FRESHNESS_STALE_AFTER_DAYS = int(os.environ.get("FRESHNESS_STALE_AFTER_DAYS", "455"))
# Unanswered, a reminder is sent once more this many days later.
FRESHNESS_FOLLOW_UP_AFTER_DAYS = int(os.environ.get("FRESHNESS_FOLLOW_UP_AFTER_DAYS", "30"))
FRESHNESS_LINK_MAX_AGE_DAYS = int(os.environ.get("FRESHNESS_LINK_MAX_AGE_DAYS", "60"))
# Messages relayed to an initiative's people and "this is my initiative" links, per client
# address per hour.
CONTACT_RATE_LIMIT = int(os.environ.get("CONTACT_RATE_LIMIT", "5"))
SUBMISSION_IMAGE_MAX_BYTES = 5 * 1024 * 1024

# The base map's tiles. OpenStreetMap's public servers forbid heavy use: production names its
# provider (MAP_TILES_URL, a Leaflet URL template, and its MAP_TILES_ATTRIBUTION, HTML). With
# MAP_TILES_URL empty the maps draw no tiles, only the region and department outlines.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = os.environ.get(
    "MAP_TILES_ATTRIBUTION",
    "&copy; <a href='https://www.openstreetmap.org/copyright'>OpenStreetMap</a>",
)
MAP_TILES_MAX_ZOOM = int(os.environ.get("MAP_TILES_MAX_ZOOM", "19"))

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (46.6, 2.4),
    "DEFAULT_ZOOM": 5,
    "MIN_ZOOM": 2,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
    "TILES": (
        [
            (
                "tiles",
                MAP_TILES_URL,
                {"attribution": MAP_TILES_ATTRIBUTION, "maxZoom": MAP_TILES_MAX_ZOOM},
            )
        ]
        if MAP_TILES_URL
        else []
    ),
}

# Content-Security-Policy: no inline script or style without a nonce (Django's admin puts the
# nonce on its own <style>; Leaflet positions things through element.style, which CSP allows);
# tiles from OpenStreetMap. The browser tests fail on any "Refused to …" console message.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *_tile_origins(MAP_TILES_URL)],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Powerful browser features the site never uses (ssemap.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)
# Header set by a trusted reverse proxy with the client's address (e.g. HTTP_X_REAL_IP);
# empty: REMOTE_ADDR. Used by the sign-in lockout (ssemap.auth.client_ip).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
# Load balancers probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Eligible for browsers' preload lists (submitting the domain stays a manual step).
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "ssemap.logs.JsonFormatter"},
    },
    # JSON lines on standard output in production (LOG_FORMAT=plain|json to choose).
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "plain"),
        }
    },
    # One variable for gunicorn (ssemap/gunicorn.conf.py lower-cases it) and for Django,
    # whose logging knows the level names in upper case only.
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per request (ssemap.middleware.RequestLogMiddleware); runserver already
        # prints its own in development.
        "ssemap.requests": {
            "level": "INFO" if env_bool("LOG_REQUESTS", PRODUCTION) else "WARNING",
        },
        # The request logger above covers every request; Django's would repeat 4xx/5xx lines.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# SQLite ignores the non-key columns of covering indexes (initiatives.FacetTally): the index is
# still made there, and the covering part is for PostgreSQL, the database in production.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# The API v1 (opendata/): each view sets its parsers, renderers, authentication and rate limit;
# only the schema generator and the documentation's settings are global.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {
    "TITLE": "ssemap API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
