"""In CI the suite runs on the real database and broker; fail loudly if it does not."""
import pytest
from django.db import connection

from conftest import IN_CI


@pytest.mark.django_db
def test_ci_runs_on_postgresql():
    if not IN_CI:
        pytest.skip("only enforced in CI")
    assert connection.vendor == "postgresql"


def test_redis_answers(redis_url):
    import redis

    assert redis.Redis.from_url(redis_url).ping()
