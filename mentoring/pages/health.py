"""What /healthz reports: the database (the one thing a server cannot serve without), Redis and the beat."""
from datetime import timedelta

from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from mentoring.cache import UNREACHABLE, FallbackRedisCache

# The beat sends the outbox flush and the letters' resume every minute and writes each task's
# last run to the database at least every three minutes (Celery's sync interval): ten minutes
# without a recorded run means the beat is stopped or stuck.
BEAT_LATE_AFTER = timedelta(minutes=10)


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means: this server cannot serve
        return "down"
    return "ok"


def redis_state() -> str:
    """Asks Redis itself: the cache answers from process memory while Redis is down (mentoring/cache.py)."""
    backend = caches["default"]
    if not isinstance(backend, FallbackRedisCache):
        return "unconfigured"  # development and tests without REDIS_URL: process memory only
    try:
        backend._redis._cache.get_client(write=True).ping()
    except UNREACHABLE:
        return "down"
    return "ok"


def beat_state() -> str:
    """ok: an enabled periodic task ran within BEAT_LATE_AFTER; late: none did; unknown: none ever ran."""
    from django_celery_beat.models import PeriodicTask

    try:
        last = (PeriodicTask.objects.filter(enabled=True, last_run_at__isnull=False)
                .order_by("-last_run_at").values_list("last_run_at", flat=True).first())
    except Exception:  # noqa: BLE001 - the database answered a moment ago; say so rather than fail
        return "unknown"
    if last is None:
        return "unknown"
    return "ok" if timezone.now() - last <= BEAT_LATE_AFTER else "late"
