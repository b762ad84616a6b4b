"""Production: PostgreSQL, Redis, SMTP, whitenoise, every security header on."""
from .base import *  # noqa: F401,F403
from .base import MIDDLEWARE, STORAGES, env, redis_caches

DEBUG = False
# whitenoise serves the collected static files right after the security middleware.
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [*MIDDLEWARE[:_security], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[_security:]]
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
CACHES = redis_caches(env("REDIS_URL"))
CELERY_BROKER_URL = env("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = False

EMAIL_CONFIG = env.email_url("EMAIL_URL")
vars().update(EMAIL_CONFIG)

# SECURITY ---------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production runs behind one reverse proxy: rate limits count the address it forwards.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers and orchestrators probe the health check over plain HTTP, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Not an environment switch: staff accounts in production always need their second factor.
STAFF_REQUIRE_MFA = True

# Uploads: the local disk, or object storage shared by several app servers (base.py, README).
STORAGES = {
    "default": STORAGES["default"],
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# FAILURES ---------------------------------------------------------------------
# The technical contact hears of every server error: Django's error mail to ADMINS, but queued in
# the outbox, one per distinct error and ten minutes, with form fields and query values blanked
# (mentoring/logs.py). DJANGO_ADMINS: comma-separated addresses.
ADMINS = [("Technik", address) for address in env.list("DJANGO_ADMINS", default=[])]
DEFAULT_EXCEPTION_REPORTER = "mentoring.logs.RedactingExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "mentoring.logs.RedactingExceptionReporterFilter"

# One JSON object per line on stderr, each with the request id; one line per request.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mentoring.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "mentoring.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "json"},
        "admins": {"class": "mentoring.logs.OutboxAdminEmailHandler", "level": "ERROR", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Replaces Django's default handlers (console only with DEBUG, mail_admins sending directly).
        "django": {"handlers": ["console", "admins"], "level": "INFO", "propagate": False},
        "mentoring.request": {"level": env("REQUEST_LOG_LEVEL", default="INFO")},
        # A failed Celery task is a server error too.
        "celery.app.trace": {"handlers": ["console", "admins"], "level": "INFO", "propagate": False},
    },
}

# Error tracker, only when configured. No personal data: no cookies, user details, request
# bodies or local variables; query strings are dropped before sending (mentoring/logs.py).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    from mentoring.logs import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=None),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        before_send=sentry_before_send,
    )
