"""With Redis unreachable (cache and broker on a closed port) every page and form still answers.

The cache is the one production configures from REDIS_URL; Celery publishes for real (not eager)
to the dead broker. Mail waits in the outbox until the flush sends it.
"""
import logging
import socket
import time

import pytest
from django.urls import get_resolver
from redis.exceptions import ConnectionError as RedisConnectionError

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.test_registration import form_data
from mentoring.cache import FallbackRedisCache
from mentoring.kernel.tasks import flush_outbox
from mentoring.models import OutboxMessage
from mentoring.tests.production import production_settings
from mentoring.tests.routes import forge, walk
from mentoring.tests.test_outbox import broker

pytestmark = pytest.mark.outage
# A form POST may wait for the dead cache once and for each publish to the dead broker.
FAST = 3.0
PUBLIC_ROUTES = sorted({forge(route) for route, _pattern in walk(get_resolver().url_patterns)
                        if not route.startswith("admin/")})


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the port must be closed"
    return port


@pytest.fixture(scope="module")
def dead_redis_url():
    return f"redis://127.0.0.1:{closed_port()}/0"


@pytest.fixture
def redis_down(settings, dead_redis_url):
    url = dead_redis_url
    settings.CACHES = production_settings("CACHES", REDIS_URL=url)["CACHES"]
    with broker(url):
        yield url


def timed_post(client, capture, path, data):
    """POST and run the after-commit publishes, as the request would; returns (response, seconds)."""
    started = time.monotonic()
    with capture(execute=True):
        response = client.post(path, data)
    return response, time.monotonic() - started


def assert_waits_in_outbox(to: str, mailoutbox):
    assert OutboxMessage.objects.filter(to=to, status="pending").exists()
    assert mailoutbox == [], "the dead broker delivered nothing"


@pytest.mark.django_db
def test_login(client, redis_down, django_capture_on_commit_callbacks):
    user = UserFactory()
    response, seconds = timed_post(client, django_capture_on_commit_callbacks, "/konto/login/",
                                   {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and seconds < FAST
    assert client.get("/profil/").status_code == 200, "logged in: sessions do not need Redis"


@pytest.mark.django_db
def test_registration(client, redis_down, django_capture_on_commit_callbacks, mailoutbox):
    response, seconds = timed_post(client, django_capture_on_commit_callbacks, "/anmeldung/", form_data())
    assert response.status_code == 302 and response.url == "/anmeldung/danke/"
    assert seconds < FAST, f"the request waited {seconds:.1f}s"
    assert_waits_in_outbox("anna.becker@kassel.de", mailoutbox)
    waiting = OutboxMessage.objects.filter(status="pending").count()
    assert flush_outbox() == waiting and len(mailoutbox) == waiting, "the flush sends what waited"


@pytest.mark.django_db
def test_password_reset(client, redis_down, django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()
    response, seconds = timed_post(client, django_capture_on_commit_callbacks, "/konto/password/reset/",
                                   {"email": user.email})
    assert response.status_code == 302 and seconds < FAST
    assert_waits_in_outbox(user.email, mailoutbox)


@pytest.mark.django_db
def test_barrier_report(client, redis_down, django_capture_on_commit_callbacks, mailoutbox):
    data = {"email": "melderin@example.org", "description": "Der Kontrast ist zu schwach."}
    response, seconds = timed_post(client, django_capture_on_commit_callbacks, "/barrierefreiheit/", data)
    assert response.status_code == 302 and seconds < FAST
    assert "Danke! Ihre Meldung" in client.get("/barrierefreiheit/").content.decode()
    assert_waits_in_outbox("melderin@example.org", mailoutbox)


@pytest.mark.django_db
def test_rate_limits_still_hold_during_the_outage(client, redis_down):
    data = {"email": "melderin@example.org", "description": "Kontrast"}
    for _ in range(5):
        client.post("/barrierefreiheit/", data)
    response = client.post("/barrierefreiheit/", data, follow=True)
    assert "Zu viele Meldungen" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["anonymous", "mentee", "staff"])
def test_every_page_answers(client, redis_down, kind, request):
    if kind != "anonymous":
        client.force_login(request.getfixturevalue({"mentee": "mentee", "staff": "staff_user"}[kind]))
    failures = [(path, status) for path in PUBLIC_ROUTES if (status := client.get(path).status_code) >= 500]
    assert failures == []
    assert any(path.startswith("/konto/") for path in PUBLIC_ROUTES) and "/barrierefreiheit/" in PUBLIC_ROUTES


def test_fallback_fails_fast_logs_once_and_retries_redis(monkeypatch, caplog):
    """A host that accepts nothing (full backlog) costs one connect timeout, then memory serves."""
    with socket.socket() as silent, socket.socket() as backlog_filler:
        silent.bind(("127.0.0.1", 0))
        silent.listen(0)
        backlog_filler.connect(silent.getsockname())
        options = production_settings("CACHES")["CACHES"]["default"]["OPTIONS"]
        fallback = FallbackRedisCache(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", {"OPTIONS": options})
        with caplog.at_level(logging.WARNING, logger="mentoring.cache"):
            started = time.monotonic()
            fallback.set("key", "kept in memory")
            first = time.monotonic() - started
            started = time.monotonic()
            values = [fallback.get("key") for _ in range(50)]
            later = time.monotonic() - started
    assert first < 1.5 and later < 0.1, (first, later)
    assert values == ["kept in memory"] * 50 and fallback.redis_down
    assert len(caplog.records) == 1 and "unreachable" in caplog.records[0].getMessage()

    clock = time.monotonic() + fallback.retry_after + 1
    monkeypatch.setattr("mentoring.cache.time.monotonic", lambda: clock)
    calls = []
    monkeypatch.setattr(fallback._redis, "get", lambda *args, **kwargs: calls.append(args) or "from redis")
    assert fallback.get("key") == "from redis" and not fallback.redis_down, "Redis is tried again and used"


@pytest.mark.redis
def test_fallback_uses_redis_while_it_answers(redis_url, monkeypatch):
    fallback = FallbackRedisCache(redis_url, {"OPTIONS": {"socket_connect_timeout": 0.5, "retry_after": 0}})
    fallback.set("outage-test", "in redis")
    assert fallback.get("outage-test") == "in redis" and not fallback.redis_down

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Redis stopped")

    with monkeypatch.context() as patched:
        patched.setattr(fallback._redis, "get", unreachable)
        assert fallback.get("outage-test") is None and fallback.redis_down, "memory does not know it"
    assert fallback.get("outage-test") == "in redis" and not fallback.redis_down
    fallback.delete("outage-test")


def test_production_and_ci_use_the_fallback_cache():
    backend = "mentoring.cache.FallbackRedisCache"
    assert production_settings("CACHES")["CACHES"]["default"]["BACKEND"] == backend
    ci = production_settings("CACHES", DJANGO_SETTINGS_MODULE="mentoring.settings.test")
    assert ci["CACHES"]["default"]["BACKEND"] == backend
