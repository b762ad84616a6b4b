"""Settings shared by every environment; the others change only what differs."""
import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# GENERAL ----------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-key-only-for-development-and-tests")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
SITE_ID = 1
# Public base URL used in e-mails sent outside a request (Celery beat reminders).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The ministry has been renamed several times: its name lives here only.
PROGRAMME_NAME = "Mentoring-Programm Klimaanpassung"
MINISTRY_NAME = env(
    "MINISTRY_NAME",
    default="Bundesministerium für Umwelt, Klimaschutz, Naturschutz und nukleare Sicherheit (BMUKN)",
)
PROGRAMME_OPERATOR = env("PROGRAMME_OPERATOR", default="Koordinationsstelle Mentoring Klimaanpassung")
PROGRAMME_ADDRESS = env("PROGRAMME_ADDRESS", default="Musterstraße 1, 10115 Berlin")
PROGRAMME_CONTACT_EMAIL = env("PROGRAMME_CONTACT_EMAIL", default="koordination@example.org")
STAFF_NOTIFICATION_EMAILS = env.list("STAFF_NOTIFICATION_EMAILS", default=["koordination@example.org"])
# Tandem meetings: the author may change or delete an entry this many days after entering it;
# an entry the partner neither confirmed nor objected to counts as confirmed after this many days.
MEETING_EDIT_WINDOW_DAYS = env.int("MEETING_EDIT_WINDOW_DAYS", default=7)
MEETING_CONFIRM_DAYS = env.int("MEETING_CONFIRM_DAYS", default=14)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Mentoring Klimaanpassung <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Mentoring Klimaanpassung] "

# I18N -------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
# locale_overrides/ holds formal German ("Sie") and sentence-case English for allauth messages; see its .po files.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
# Dates and times as each language writes them ("14:30 Uhr" / "14:30"): mentoring/formats/.
FORMAT_MODULE_PATH = ["mentoring.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# APPS -------------------------------------------------------------------------
DJANGO_APPS = [
    # Django's admin with the project's site: its rules for every admin page (mentoring/kernel/admin_site.py).
    "mentoring.cockpit.admin_app.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",  # Django's own widget templates, for FORM_RENDERER below
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_celery_beat",
]
LOCAL_APPS = [
    "mentoring",
    "accounts",
    "matching",
    "forum",
    "events",
    # Above the feature apps: letters choose their groups across accounts, matching and events.
    "mentoring.letters",
    # The cockpit reads every app above, so it comes last (its demo history runs after their demo data).
    "mentoring.cockpit",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: a request id for every log line of the request, and one line per request (mentoring/logs.py).
    "mentoring.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # A form with more bytes of files than any form takes is refused before its body is read.
    "mentoring.middleware.UploadSizeMiddleware",
    # Before anything reads the session cookie or a parameter (a NUL byte crashes PostgreSQL).
    "mentoring.middleware.RejectNulBytesMiddleware",
    "mentoring.middleware.PageMethodsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages and downloads of a logged-in person: private, downloads not stored (mentoring/middleware.py).
    "mentoring.middleware.PrivatePagesMiddleware",
    # A logged-in person's own language (accounts.User.language) over cookie and browser.
    "accounts.middleware.UserLanguageMiddleware",
    # An address that only takes a form, opened directly: a page in the reader's language, not an empty 405.
    "mentoring.middleware.FormOnlyAddressMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.mfa.StaffMFAMiddleware",
    # Admin's read-only references link only for staff who may open them (mentoring/kernel/admin_links.py).
    "mentoring.kernel.admin_links.AdminRequestMiddleware",
]

ROOT_URLCONF = "mentoring.urls"
WSGI_APPLICATION = "mentoring.wsgi.application"

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
                "mentoring.context_processors.programme",
                "accounts.context_processors.participation",
                "mentoring.pages.context_processors.accessibility_offers",
            ],
        },
    },
]
# Widgets render through the same template search, so templates/ can fix a widget of Django's admin
# (templates/admin/widgets/split_datetime.html labels both inputs).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# DATABASE ---------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default (make run): two requests at once (a double click) wait for each other
    # instead of one failing with "database is locked". A transaction takes the write lock when it
    # begins (IMMEDIATE), so it never fails halfway when it turns from reading to writing; WAL lets
    # pages read while another request writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE", "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE (allauth rate limits need a real cache) --------------------------------
REDIS_URL = env("REDIS_URL", default="")


def redis_caches(url: str) -> dict:
    """Redis, falling back to process memory while Redis is unreachable (see mentoring/cache.py)."""
    return {"default": {"BACKEND": "mentoring.cache.FallbackRedisCache", "LOCATION": url,
                        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry_after": 30}}}


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# AUTH -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mentoring Klimaanpassung] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Tell people when their password or e-mail address changes (account takeover shows up).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    # Per address also by hour and day: a stranger could send a person a reset mail every 12 seconds.
    "reset_password": "20/m/ip,5/m/key,10/h/key,20/d/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    # The Anmeldeformular creates accounts too: same protection.
    "anmeldung": "10/h/ip",
    # Barrier reports send e-mail to staff: keep bots from flooding them.
    "barrier_report": "5/h/ip",
    # What a participant sends mails others (mentoring/kernel/limits.py): generous for a person, not for a flood.
    "tandem_report": "10/h/user",
    "tandem_meeting": "30/h/user",
    "forum_post": "30/h/user",
    "forum_report": "20/h/user",
}
# Rate limits count the client, not the proxy: with N proxies of our own in front, the client is
# the N-th address from the right of X-Forwarded-For (each proxy appends the address it saw).
# 0 ignores X-Forwarded-For (anyone can send it); production sets 1. Alternatively a header that
# the proxy always overwrites with the client address (e.g. "X-Real-IP").
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default=None)

# MFA (allauth: authenticator app with recovery codes) ---------------------------
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mentoring Klimaanpassung"
# Staff reach the admin only with a second factor used in the same session (accounts/mfa.py).
# production.py fixes it on; local.py defaults to off (the README's demo staff login) and
# test.py turns it on only in the tests of the rule.
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=True)

# CRISPY -----------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# STATIC AND MEDIA -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (forum attachments) live outside the static root and are served by views
# that check permission, never by the web server directly.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/medien/"
# The video in Deutsche Gebärdensprache that staff upload in admin (/gebaerdensprache/). Above
# about 50 MB the reverse proxy's cap on request bodies (README) must grow for /admin/ too.
SIGN_LANGUAGE_VIDEO_MAX_MB = env.int("SIGN_LANGUAGE_VIDEO_MAX_MB", default=50)
# What one request may carry in files (mentoring.middleware.UploadSizeMiddleware): five forum attachments of
# 10 MB on the site, a sign-language video in admin; each with room for the form's other fields.
UPLOAD_MAX_BYTES = (5 * 10 + 1) * 1024 * 1024
# (the video, its poster of up to 5 MB and captions of up to 1 MB, and the form around them)
ADMIN_UPLOAD_MAX_BYTES = (SIGN_LANGUAGE_VIDEO_MAX_MB + 5 + 1 + 2) * 1024 * 1024
# Django parses at most this many files of one form (the forum takes five).
DATA_UPLOAD_MAX_NUMBER_FILES = 10


def upload_storage(environ) -> dict:
    """Where uploads go: S3-compatible object storage once a bucket is named, else the local disk.

    Several app servers need one shared storage (README: several app servers); `make run` and a
    single server keep files under MEDIA_ROOT. Either way the site streams each file through a
    view that checks access (mentoring/kernel/files.py): no page links the storage host, so its
    address needs no public access and no CORS. Keys come from the environment as boto3 reads them
    (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or the machine's role), never from settings.
    """
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        # Objects stay private (the bucket's own policy); the site's names are random, never reused.
        "default_acl": None,
        "file_overwrite": False,
        # A file read whole (not through a ranged view) spills to a temporary file above 2 MB.
        "max_memory_size": 2 * 1024 * 1024,
        # A folder inside a bucket that other data shares, e.g. "mentoring/".
        "location": environ.get("AWS_LOCATION", ""),
    }
    for option, variable in (("endpoint_url", "AWS_S3_ENDPOINT_URL"), ("region_name", "AWS_S3_REGION_NAME"),
                             ("addressing_style", "AWS_S3_ADDRESSING_STYLE")):
        if environ.get(variable):
            options[option] = environ[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": upload_storage(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-MAIL -----------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
OUTBOX_MAX_ATTEMPTS = 8
# Seconds an SMTP connect or command may wait before it fails (Django's default is forever).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# A worker claims this many due messages at once and sends them over one SMTP connection.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)
# A claim older than this belongs to a worker that died: its messages are taken over. A worker
# starts no send later than the lease minus three EMAIL_TIMEOUTs after its claim.
OUTBOX_CLAIM_LEASE_SECONDS = env.int("OUTBOX_CLAIM_LEASE_SECONDS", default=300)
# PostgreSQL: True waits for a disk flush after each "sent" record. The default (False) survives a
# worker's death just as well; only a database server crash can forget the last fraction of a
# second of records, and those mails go out again with the same Message-ID.
OUTBOX_SYNCHRONOUS_COMMIT = env.bool("OUTBOX_SYNCHRONOUS_COMMIT", default=False)

# CELERY -----------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A publish must never hold a request: fail fast, the outbox flush picks it up later. Connecting
# to Redis on the same network takes milliseconds; a read may wait longer (the worker's BRPOP).
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 2, "max_retries": 0}
# The schedule lives in the database only (admin: Periodische Aufgaben), seeded once by
# mentoring/migrations/0005_beat_schedule.py; a beat start writes nothing over staff edits.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# No result backend, so nothing to clean up: without this beat would add a backend_cleanup row.
CELERY_RESULT_EXPIRES = None

# RETENTION (stated on /datenschutz/, which reads these values) ------------------
# Sent and finally failed mails keep recipient and content this long (bounces, questions).
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=30)
# Rejected and withdrawn registrations, counted from the status change.
CLOSED_REGISTRATION_RETENTION_DAYS = env.int("CLOSED_REGISTRATION_RETENTION_DAYS", default=180)
# Accounts whose e-mail address was never confirmed, counted from sign-up; more than the notice.
UNCONFIRMED_ACCOUNT_RETENTION_DAYS = env.int("UNCONFIRMED_ACCOUNT_RETENTION_DAYS", default=30)
# People hear this many days before an automatic deletion what goes and how to keep it.
RETENTION_NOTICE_DAYS = 14
# Barrier reports, counted from when staff marked them handled.
BARRIER_REPORT_RETENTION_DAYS = env.int("BARRIER_REPORT_RETENTION_DAYS", default=365)
# A note on an event registration (often an access need), counted from the end of the event.
EVENT_NOTE_RETENTION_DAYS = env.int("EVENT_NOTE_RETENTION_DAYS", default=30)

# SECURITY ---------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A form whose token no longer fits gets the site's page in the reader's language, with the way back.
CSRF_FAILURE_VIEW = "mentoring.pages.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy: only the site's own files, no inline script or style anywhere
# (templates load static/js and static/css). data: images: Bootstrap draws the marks of
# checkboxes, radios and selects as SVG data URIs in its CSS, and allauth shows the
# authenticator QR code as one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# LOGGING ----------------------------------------------------------------------
# Every line carries the request's id (mentoring/logs.py). The one line per request
# (mentoring.request) is quiet here: runserver logs each request itself; production turns it on.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mentoring.logs.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"mentoring.request": {"level": env("REQUEST_LOG_LEVEL", default="WARNING")}},
}
