"""Benchmark: the forum's pages in-process (Django test client) against a bare view (not a test; prints a table).

Usage: .venv/bin/python bench/forum.py [--size small|large] [--rounds 15]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> REDIS_URL=redis://127.0.0.1:6379/<n> \\
           .venv/bin/python bench/forum.py --size large
       .venv/bin/python bench/forum.py --profile search   (BENCH_SORT=tottime BENCH_LINES=60 to change the listing)

Runs in a throw-away test database (without the test runner's template instrumentation). It fills
the forum with ``forum.benchdata.build_forum`` (small: 300 threads / 6,000 posts, runs in well under
two minutes; large: 2,000 threads / 50,000 posts), logs in as a mentee and times the thread page of
a thread with 50 posts, /forum/, a category page and a search, each as the median of ``--rounds``
requests, against the bare view ``/healthz`` in the same run. The cache is the configured one
(Redis with REDIS_URL, else process memory), warmed by one request as in production.

Goals (issue 12): thread page ÷ bare view ≥ 0.3 (at least 0.1); the lists and search ≥ 0.2 (at least 0.07).
Ratio here = bare view time ÷ page time (the throughput of the page as a share of the bare view's), by CPU
time on SQLite (steadier on a busy machine; it includes SQLite's work) and by wall time on PostgreSQL.
"""
import argparse
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings.test")

import django  # noqa: E402 - after the path is set

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.common import measure, throwaway_database  # noqa: E402

SIZES = {"small": (300, 6000), "large": (2000, 50000)}
BARE = "/healthz"
GOALS = {"thread": (0.3, 0.1), "index": (0.2, 0.07), "category": (0.2, 0.07), "search": (0.2, 0.07)}



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--queries", choices=["thread", "thread p3", "index", "category", "search"],
                        help="print the queries of this page with their time instead of the table")
    parser.add_argument("--profile", choices=["thread", "thread p3", "index", "category", "search"],
                        help="print a cProfile of this page instead of the table")
    args = parser.parse_args()
    with throwaway_database("forum"):
        from forum.benchdata import build_forum

        logging.disable(logging.INFO)
        cache.clear()
        n_threads, n_posts = SIZES[args.size]
        start = time.perf_counter()
        forum = build_forum(n_threads, n_posts)
        print(f"database: {connection.vendor}, cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
              f"{n_threads} threads / {n_posts} posts built in {time.perf_counter() - start:.0f} s, "
              f"rounds: {args.rounds}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        client = Client()
        client.force_login(forum.reader)
        pages = {
            "thread": reverse("forum:thread", args=[forum.thread.pk]),
            "thread p3": reverse("forum:thread", args=[forum.thread.pk]) + "?seite=3",
            "index": reverse("forum:index"),
            "category": reverse("forum:category", args=[forum.category.slug]),
            "search": reverse("forum:search") + f"?q={forum.search_word}",
        }
        if args.queries:
            client.get(pages[args.queries])
            with CaptureQueriesContext(connection) as queries:
                client.get(pages[args.queries])
            for query in queries.captured_queries:
                print(f"{float(query['time']) * 1000:8.2f} ms  {query['sql'][:300]}")
                if float(query["time"]) > 0.005 and connection.vendor == "postgresql":
                    with connection.cursor() as cursor:  # the captured SQL of this very run, not user input
                        cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                        print("\n".join(f"          {row[0]}" for row in cursor.fetchall()))
            return 0
        if args.profile:
            import cProfile
            import pstats

            client.get(pages[args.profile])
            profiler = cProfile.Profile()
            profiler.enable()
            for _round in range(args.rounds):
                client.get(pages[args.profile])
            profiler.disable()
            order, lines = os.environ.get("BENCH_SORT", "cumulative"), int(os.environ.get("BENCH_LINES", "45"))
            pstats.Stats(profiler).sort_stats(order).print_stats(lines)
            return 0
        measured = {}
        for name, url in {"bare view": BARE, **pages}.items():
            measured[name] = measure(client, url, args.rounds)
        bare_ms, bare_cpu, bare_queries = measured.pop("bare view")
        basis = "CPU time (SQLite works in this process)" if connection.vendor == "sqlite" else "wall time"
        print(f"ms: median wall time (CPU time of this process); ratio: bare view ÷ page, by {basis}")
        print(f"{'page':<10} | {'ms':>16} | {'queries':>7} | {'ratio':>5} | goal")
        print(f"{'bare view':<10} | {bare_ms:>7.2f} ({bare_cpu:>6.2f}) | {bare_queries:>7} | {1:>5.3f} |")
        missed = False
        for name, (ms, cpu_ms, queries) in measured.items():
            ratio = bare_ms / ms if connection.vendor != "sqlite" else bare_cpu / cpu_ms
            goal, floor = GOALS[name.split()[0]]
            verdict = "met" if ratio >= goal else ("floor met" if ratio >= floor else "missed")
            missed |= ratio < floor
            print(f"{name:<10} | {ms:>7.2f} ({cpu_ms:>6.2f}) | {queries:>7} | {ratio:>5.3f} | "
                  f"≥ {goal} (at least {floor}): {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
