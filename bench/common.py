"""What the in-process benchmarks share: a throw-away database and the timing of one page.

Import it after ``django.setup()``.
"""
import contextlib
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@contextlib.contextmanager
def throwaway_database(name: str):
    """A fresh database for one benchmark, dropped afterwards; never the test suite's (on PostgreSQL
    it is named after the benchmark, and an old one of that name is dropped first)."""
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"bench_{name}_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def measure(client: Client, url: str, rounds: int) -> tuple[float, float, int]:
    """Median wall time and median CPU time of this process (ms), and the queries of one request.

    On a busy machine the wall time waits for other processes; the CPU time (which includes SQLite's
    work, but not PostgreSQL's) is the steadier figure. One request first warms templates and caches.
    """
    assert client.get(url).status_code == 200, url
    times, cpu = [], []
    for _round in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, statistics.median(cpu) * 1000, len(queries)
