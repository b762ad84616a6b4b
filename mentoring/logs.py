"""Logs a person operating the site can follow, and error mail that reaches the technical contact.

- ``RequestLogMiddleware`` gives every request an id (the proxy's ``X-Request-ID`` when it is a
  sane token, else a new one), returns it in the ``X-Request-ID`` response header and writes one
  line per request to the ``mentoring.request`` logger: method, path (never the query string's
  values, which may be personal: only its parameter names; a key in the path, such as a calendar
  feed's token or a password-reset key, as ``[…]``), status, duration, user id (never the e-mail
  address).
- ``RequestIdFilter`` puts that id on every log record written while the request runs, so an
  error line, a warning of the cache and the request line share it, and hides the keys in the
  path of Django's own request lines ("Not Found: …").
- ``JsonFormatter`` writes each record as one JSON line (production; log collectors parse it).
- ``OutboxAdminEmailHandler`` is Django's ``AdminEmailHandler`` (the mail to ``ADMINS`` on a server
  error), but the mail goes through the outbox like every other mail, at most one per distinct
  error every ``ERROR_MAIL_INTERVAL`` seconds, and carries less: form fields and query values
  are replaced by asterisks and the user appears by id.

Plain ``logging`` rather than django-structlog: Django, Celery and gunicorn all write through it
already, so one formatter and one filter make every line structured without a second logging
pipeline, a bridge between the two, or another dependency.
"""
import contextvars
import functools
import hashlib
import json
import logging
import re
import threading
import time
import traceback
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.urls import get_resolver, resolve
from django.utils.log import AdminEmailHandler
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
request_logger = logging.getLogger("mentoring.request")
# Letters, digits and the separators that request-id generators use (UUIDs, ULIDs, nginx's $request_id).
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
ERROR_MAIL_INTERVAL = 600
REDACTED = SafeExceptionReporterFilter.cleansed_substitute


# URL arguments that open something without a login: a calendar feed's or an unsubscribe link's token,
# allauth's password-reset and e-mail confirmation keys. A log line shows them as HIDDEN_ARGUMENT.
SECRET_ARGUMENTS = {"token", "key", "uidb36", "uidb64"}
HIDDEN_ARGUMENT = "[…]"


def loggable_path(path: str, match=None) -> str:
    """``path`` with the value of every secret URL argument hidden (``match``: the request's resolver match;
    without it the path is resolved here). A path that resolves to nothing (a link cut short, the slash missing
    before the redirect adds it) is hidden after the fixed beginning of any URL that carries a key."""
    if match is None:
        try:
            match = resolve(path)
        except Http404:
            for prefix in _secret_prefixes():
                if path.startswith(prefix) and len(path) > len(prefix):
                    return prefix + HIDDEN_ARGUMENT
            return path
    for name, value in match.kwargs.items():
        if name in SECRET_ARGUMENTS and value:
            path = path.replace(str(value), HIDDEN_ARGUMENT)
    return path


@functools.cache
def _secret_prefixes() -> tuple[str, ...]:
    """The fixed beginning of every URL pattern with a secret argument ("/konto/confirm-email/"), read from the
    URL configuration itself."""
    found = []

    def fixed(route: str) -> str:
        route = route.lstrip("^")
        cut = min([i for i in (route.find("<"), route.find("(")) if i >= 0], default=len(route))
        return route[:cut].replace("\\", "")

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                if fixed(route) == route.lstrip("^"):  # only includes whose own part is fixed
                    walk(pattern.url_patterns, prefix + fixed(route))
            elif any(f"<{name}>" in route or f":{name}>" in route or f"(?P<{name}>" in route
                     for name in SECRET_ARGUMENTS):
                found.append("/" + prefix + fixed(route))

    walk(get_resolver().url_patterns, "")
    return tuple(sorted(set(found), key=len, reverse=True))


def request_id_from(value: str | None) -> str:
    """The proxy's id if it is a plain token (nothing a log line could be forged with), else a new one."""
    if value and SANE_REQUEST_ID.match(value):
        return value
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """First in MIDDLEWARE: it times and logs every response, the error pages of the others included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            path = loggable_path(request.path, getattr(request, "resolver_match", None))
            request_logger.info(
                "%s %s %s", request.method, path, response.status_code,
                extra={"method": request.method, "path": path,
                       "query": ",".join(sorted(request.GET.keys())),
                       "status": response.status_code,
                       "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                       "user_id": user.pk if user is not None and user.is_authenticated else None})
            return response
        finally:
            request_id_var.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request: Celery, management commands)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple) and request.path in record.args:
            hidden = loggable_path(request.path, getattr(request, "resolver_match", None))
            record.args = tuple(hidden if arg == request.path else arg for arg in record.args)
        return True


# Attributes every LogRecord has; anything else on a record was passed as ``extra``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id and the record's extras."""

    def format(self, record):
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RedactingExceptionReporterFilter(SafeExceptionReporterFilter):
    """Every form field's value is hidden, not only those marked sensitive: they hold people's details."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, REDACTED)

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if meta.get("QUERY_STRING"):
            meta["QUERY_STRING"] = REDACTED
        return meta


class RedactingExceptionReporter(ExceptionReporter):
    """Django's error report, with the user as an id and the query's values hidden."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.filter = RedactingExceptionReporterFilter()

    def get_traceback_data(self):
        data = super().get_traceback_data()
        user = getattr(self.request, "user", None)
        if user is not None:
            data["user_str"] = f"id {user.pk}" if user.is_authenticated else "anonym"
        if "request_GET_items" in data:
            data["request_GET_items"] = [(key, REDACTED) for key in self.request.GET]
        if "request_insecure_uri" in data:
            data["request_insecure_uri"] = data["request_insecure_uri"].partition("?")[0]
        return data


def error_signature(record: logging.LogRecord) -> str:
    """What makes two errors the same: the exception's type and where it was raised, else the message."""
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        frames = traceback.extract_tb(error.__traceback__)
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        text = f"{type(error).__module__}.{type(error).__qualname__}@{where}"
    else:
        text = f"{record.name}:{record.msg}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class OutboxAdminEmailHandler(AdminEmailHandler):
    """Mail to ``settings.ADMINS`` through the outbox, one per distinct error and interval."""

    _busy = threading.local()

    def __init__(self, include_html=False, email_backend=None, reporter_class=None):
        super().__init__(include_html=include_html, email_backend=email_backend,
                         reporter_class=reporter_class or "mentoring.logs.RedactingExceptionReporter")

    def emit(self, record):
        if not settings.ADMINS or getattr(self._busy, "active", False):
            return  # nobody to tell, or an error while queueing this very mail (no loop)
        self._busy.active = True
        try:
            # Per thread: a handler serves every thread of a worker, and send_mail needs this error's key.
            self._busy.signature = error_signature(record)
            try:
                first = cache.add(f"error-mail:{self._busy.signature}", 1, ERROR_MAIL_INTERVAL)
            except Exception:  # noqa: BLE001 - no cache, no rate limit: the outbox key still limits
                first = True
            if first:
                super().emit(record)
        finally:
            self._busy.active = False

    def format_subject(self, subject):
        return super().format_subject(subject)[:250]

    def send_mail(self, subject, message, *args, **kwargs):
        from mentoring.kernel.mail import mail_queue_rendered

        window = int(time.time()) // ERROR_MAIL_INTERVAL
        body = f"Request-ID: {request_id_var.get()}\n\n{message}"
        try:
            for _name, address in settings.ADMINS:
                # Same error in the same window → same key: the outbox stores it once even without the cache.
                mail_queue_rendered(key=f"server-error:{self._busy.signature}:{window}:{address}", to=address,
                                    subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}", body_text=body)
        except Exception:  # noqa: BLE001 - the database may be why the request failed; the log line remains
            logging.getLogger(__name__).warning("Error mail to ADMINS not queued", exc_info=True)


def sentry_before_send(event, hint):
    """Sentry events carry the request id (to find the log lines) and no query string or cookies."""
    request = event.get("request") or {}
    if request.get("url"):
        scheme, _, rest = request["url"].partition("://")
        host, slash, path = rest.partition("/")
        request["url"] = f"{scheme}://{host}{loggable_path(slash + path)}"
    request.pop("query_string", None)
    request.pop("cookies", None)
    request.pop("data", None)
    request_id = request_id_var.get()
    if request_id != "-":
        event.setdefault("tags", {})["request_id"] = request_id
    return event
