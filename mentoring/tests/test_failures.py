"""Someone hears of a failure: request ids, one log line per request, error mail via the outbox, /healthz."""
import json
import logging
import re
import socket
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.tests.factories import UserFactory
from mentoring.logs import (
    JsonFormatter,
    OutboxAdminEmailHandler,
    RequestIdFilter,
    request_id_var,
    sentry_before_send,
)
from mentoring.models import OutboxMessage
from mentoring.settings.base import redis_caches

from .production import production_settings

SECRET_QUERY = "Erika.Musterfrau"
SECRET_FORM = "Musterstraße 5"


def boom(request):
    raise ZeroDivisionError("the view failed")


def other_boom(request):
    raise KeyError("another failure")


def logs_and_answers(request):
    logging.getLogger("mentoring.somewhere").warning("inside the view")
    return HttpResponse("ok")


urlpatterns = [path("boom/", boom), path("anders/", other_boom), path("log/", logs_and_answers)]


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="mentoring.request")
    return caplog


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "mentoring.request"]


@pytest.mark.django_db
def test_every_response_carries_a_new_request_id(client):
    first, second = client.get("/impressum/")["X-Request-ID"], client.get("/impressum/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


@pytest.mark.django_db
@pytest.mark.parametrize("sent, kept", [("a1b2-c3d4.e5:f6_7", True), ("x" * 129, False),
                                        ("abc def", False), ("abc\r\nX-Evil: 1", False), ("", False)])
def test_the_proxy_request_id_is_kept_only_when_it_is_a_plain_token(client, sent, kept):
    answered = client.get("/impressum/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"]
    assert (answered == sent) is kept
    if not kept:
        assert re.fullmatch(r"[0-9a-f]{32}", answered)


@pytest.mark.django_db
def test_one_log_line_per_request_without_query_values_or_email(client, request_log):
    user = UserFactory(email="erika@example.org")
    client.force_login(user)
    response = client.get(f"/forum/suche/?q={SECRET_QUERY}&seite=2", HTTP_X_REQUEST_ID="req-42")
    (line,) = request_lines(request_log)
    assert (line.method, line.path, line.query, line.status) == ("GET", "/forum/suche/", "q,seite",
                                                                 response.status_code)
    assert line.user_id == user.pk and line.request_id == "req-42" and line.duration_ms > 0
    text = JsonFormatter().format(line)
    entry = json.loads(text)
    assert entry["request_id"] == "req-42" and entry["path"] == "/forum/suche/" and entry["user_id"] == user.pk
    assert SECRET_QUERY not in text and "erika" not in text


@pytest.mark.django_db
def test_keys_in_the_path_never_reach_the_log(client, caplog):
    """A calendar feed's token, an unsubscribe token and allauth's reset key open something without a login:
    the request line and Django's own "Not Found" line show them as […]."""
    from events.services import calendar_feed_for
    from mentoring.logs import sentry_before_send

    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="mentoring.request")
    caplog.handler.addFilter(RequestIdFilter())
    user = UserFactory()
    feed_token = calendar_feed_for(user=user).token
    secrets = {feed_token: f"/veranstaltungen/kalender/{feed_token}.ics",
               "SeCrEt-UnSuB-42": "/forum/abbestellen/SeCrEt-UnSuB-42/",
               "k3y-abc123": "/konto/password/reset/key/1z-k3y-abc123/",
               "c0nfirm-k3y": "/konto/confirm-email/c0nfirm-k3y/",
               # Cut short or without the slash: nothing resolves (a redirect or a 404), the key still stays out.
               "n0-sl4sh-key": "/konto/confirm-email/n0-sl4sh-key",
               "n34r-m1ss": "/konto/password/reset/key/n34r-m1ss/",
               "t0k3n-n0-sl4sh": "/rundschreiben/abbestellen/t0k3n-n0-sl4sh"}
    for url in secrets.values():
        client.get(url)
    text = "\n".join([record.getMessage() for record in caplog.records]
                     + [JsonFormatter().format(record) for record in caplog.records])
    assert "/veranstaltungen/kalender/[…].ics" in text and "GET /konto/confirm-email/[…] 301" in text
    for secret in secrets:
        assert secret not in text, secret
    event = sentry_before_send({"request": {"url": f"https://example.org/veranstaltungen/kalender/{feed_token}.ics"}},
                               None)
    assert event["request"]["url"] == "https://example.org/veranstaltungen/kalender/[…].ics"

@pytest.mark.django_db
def test_every_line_of_a_request_carries_its_id(client, failing_urls, caplog):
    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(RequestIdFilter())
    client.get("/log/", HTTP_X_REQUEST_ID="req-7")
    inside = [r for r in caplog.records if r.name == "mentoring.somewhere"]
    assert inside and inside[0].request_id == "req-7"
    assert request_id_var.get() == "-", "the id ends with its request"


@pytest.mark.django_db
def test_a_server_error_is_logged_as_500_with_the_user_id(client, failing_urls, request_log):
    client.raise_request_exception = False
    user = UserFactory()
    client.force_login(user)
    assert client.get("/boom/").status_code == 500
    (line,) = request_lines(request_log)
    assert line.status == 500 and line.user_id == user.pk


@pytest.fixture
def admins_mail(settings, failing_urls):
    """Production's handler on django.request, with a technical contact configured."""
    settings.ADMINS = [("Technik", "technik@example.org")]
    handler = OutboxAdminEmailHandler()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)


def error_mails():
    return list(OutboxMessage.objects.filter(to="technik@example.org").order_by("pk"))


@pytest.mark.django_db
def test_a_server_error_reaches_the_technical_contact_through_the_outbox(client, admins_mail, mailoutbox):
    client = Client(raise_request_exception=False)
    user = UserFactory(email="erika@example.org", first_name="Erika", last_name="Musterfrau")
    client.force_login(user)
    response = client.post(f"/boom/?name={SECRET_QUERY}", {"address": SECRET_FORM},
                           HTTP_X_REQUEST_ID="req-500")
    assert response.status_code == 500
    (mail,) = error_mails()
    assert "ZeroDivisionError" in mail.body_text and "/boom/" in mail.subject
    assert mail.subject.startswith("[Mentoring Klimaanpassung] ERROR")
    assert "Request-ID: req-500" in mail.body_text
    assert f"id {user.pk}" in mail.body_text
    for personal in (SECRET_QUERY, SECRET_FORM, "erika@example.org", "Musterfrau"):
        assert personal not in mail.body_text and personal not in mail.subject
    assert "address" in mail.body_text and "name" in mail.body_text, "field names stay, for the diagnosis"
    assert [m.to for m in mailoutbox] == [["technik@example.org"]], "delivered by the outbox task"


@pytest.mark.django_db
def test_the_same_error_mails_once_per_ten_minutes_a_new_one_at_once(admins_mail):
    client = Client(raise_request_exception=False)
    for _attempt in range(3):
        client.get("/boom/")
    assert len(error_mails()) == 1
    client.get("/anders/")
    assert len(error_mails()) == 2


@pytest.mark.django_db
def test_without_admins_an_error_queues_nothing(admins_mail, settings):
    settings.ADMINS = []
    Client(raise_request_exception=False).get("/boom/")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_a_failing_outbox_does_not_hide_the_error_page(admins_mail, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("mentoring.kernel.mail.mail_queue_rendered", broken)
    assert Client(raise_request_exception=False).get("/boom/").status_code == 500


def test_production_logs_json_and_mails_admins_through_the_outbox():
    configured = production_settings("ADMINS", "LOGGING", "MIDDLEWARE", "DEFAULT_EXCEPTION_REPORTER",
                                     DJANGO_ADMINS="technik@example.org,betrieb@example.org")
    assert configured["ADMINS"] == [["Technik", "technik@example.org"], ["Technik", "betrieb@example.org"]]
    logging_ = configured["LOGGING"]
    assert logging_["handlers"]["admins"]["class"] == "mentoring.logs.OutboxAdminEmailHandler"
    assert "admins" in logging_["loggers"]["django"]["handlers"]
    assert "admins" in logging_["loggers"]["celery.app.trace"]["handlers"]
    assert logging_["formatters"]["json"]["()"] == "mentoring.logs.JsonFormatter"
    assert configured["MIDDLEWARE"][:3] == ["mentoring.logs.RequestLogMiddleware",
                                            "django.middleware.security.SecurityMiddleware",
                                            "whitenoise.middleware.WhiteNoiseMiddleware"]
    assert configured["DEFAULT_EXCEPTION_REPORTER"] == "mentoring.logs.RedactingExceptionReporter"


def test_sentry_only_with_a_dsn_and_without_personal_data():
    script = ("import django; django.setup(); import sentry_sdk; c = sentry_sdk.get_client(); "
              "print(c.is_active(), c.options['send_default_pii'], c.options['max_request_body_size'], "
              "c.options['include_local_variables'])")
    from .production import production_run

    with_dsn = production_run("-c", script, SENTRY_DSN="https://key@o0.ingest.sentry.io/1")
    assert with_dsn.stdout.split() == ["True", "False", "never", "False"], with_dsn.stderr
    without = production_run("-c", script, SENTRY_DSN="")
    assert without.stdout.split()[0] == "False", without.stderr


def test_sentry_events_drop_query_cookies_and_body_and_carry_the_request_id():
    token = request_id_var.set("req-9")
    try:
        event = sentry_before_send({"request": {"url": "https://x/forum/suche/", "query_string": "q=Erika",
                                                "cookies": {"sessionid": "s"}, "data": {"a": "b"}}}, {})
    finally:
        request_id_var.reset(token)
    assert event["request"] == {"url": "https://x/forum/suche/"} and event["tags"]["request_id"] == "req-9"


# /healthz -----------------------------------------------------------------------------------------

def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def no_redis(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def health(client):
    response = client.get("/healthz")
    return response.status_code, response.json()


@pytest.mark.django_db
def test_healthz_without_redis_configured_and_a_beat_that_never_ran(client, no_redis):
    PeriodicTask.objects.update(last_run_at=None)
    assert health(client) == (200, {"database": "ok", "redis": "unconfigured", "beat": "unknown"})


@pytest.mark.django_db
def test_healthz_beat_ok_after_a_recent_run(client):
    PeriodicTask.objects.filter(name="outbox-flush").update(last_run_at=timezone.now() - timedelta(minutes=2))
    assert health(client)[1]["beat"] == "ok"


@pytest.mark.django_db
def test_healthz_beat_late_when_no_task_ran_for_long(client, no_redis):
    PeriodicTask.objects.update(last_run_at=timezone.now() - timedelta(hours=1))
    assert health(client) == (200, {"database": "ok", "redis": "unconfigured", "beat": "late"})


@pytest.mark.django_db
def test_healthz_a_disabled_task_does_not_count(client):
    PeriodicTask.objects.update(last_run_at=timezone.now() - timedelta(hours=1))
    PeriodicTask.objects.filter(name="outbox-flush").update(last_run_at=timezone.now(), enabled=False)
    assert health(client)[1]["beat"] == "late"


@pytest.mark.django_db
def test_healthz_answers_200_while_redis_is_down(client, settings):
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{closed_port()}/0")
    assert health(client) == (200, {"database": "ok", "redis": "down", "beat": "unknown"})


@pytest.mark.django_db
@pytest.mark.redis
def test_healthz_redis_ok(client, settings, redis_url):
    settings.CACHES = redis_caches(redis_url)
    assert health(client)[1]["redis"] == "ok"


@pytest.mark.django_db
def test_healthz_503_when_the_database_does_not_answer(client, monkeypatch):
    from django.db import OperationalError

    class DeadConnection:
        def cursor(self):
            raise OperationalError("could not connect to server")

    monkeypatch.setattr("mentoring.pages.health.connection", DeadConnection())
    response = client.get("/healthz/")
    assert response.status_code == 503 and response.json() == {"database": "down"}
    assert "no-cache" in response["Cache-Control"]
