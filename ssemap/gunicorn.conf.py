"""gunicorn settings for production: `gunicorn -c ssemap/gunicorn.conf.py ssemap.wsgi`.

Every value can be overridden from the environment (PORT, BIND, WEB_CONCURRENCY, ...), or on the
command line. Static files are served by WhiteNoise inside the application (compressed, hashed,
cached forever); run `manage.py collectstatic` before starting.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Django's work here is mostly waiting on PostgreSQL: a few threads per process use the 2 cores.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so a slow leak cannot grow forever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Behind a reverse proxy on the same host: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The application logs one JSON line per request (ssemap.middleware.RequestLogMiddleware).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ssemap.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        # Quiet unless asked for: the application already logs every request.
        "gunicorn.access": {
            "handlers": ["console"],
            "level": "INFO" if accesslog else "WARNING",
            "propagate": False,
        },
    },
}
