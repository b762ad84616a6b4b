"""Benchmark: the coordinators' overview on /admin/ at demo size and at 5,000 participants (not a test; prints a table).

Usage: .venv/bin/python bench/overview.py [--participants 5000] [--rounds 9]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/overview.py

Runs in a throw-away test database (without the test runner's template instrumentation, which
would slow every page down). It loads the demo data (``seed_demo``), then times the
overview (``/admin/``) and, as the reference in the same run, a bare admin page (the list of
Organisationstypen), and counts the queries of each. Then it adds participants in bulk up to
``--participants`` (registrations with a status history over fourteen months, Tandems with
meetings, problem reports, event places, forum threads and replies, in the proportions of
the demo) and measures again. Goal: the overview under 300 ms at 5,000 participants, with
the same number of queries as at demo size.
"""
import argparse
import contextlib
import datetime
import logging
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings.test")

import django  # noqa: E402 - after the path is set

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import measure, throwaway_database  # noqa: E402
from mentoring.kernel.bulk import keeping_dates  # noqa: E402

GOAL_MS = 300
REFERENCE = "/admin/accounts/organisationtype/"
OVERVIEW = "/admin/"
DAY = datetime.timedelta(days=1)



def grow(total: int, *, seed: int = 5000) -> int:
    """Add participants (and what belongs to them) in bulk until ``total`` take part; returns how many were added."""
    from django.contrib.auth.hashers import make_password

    from accounts.choices import Role, SizeClass
    from accounts.models import Competence, Profile, Registration, Topic, User
    from bench import people
    from events.models import Event, EventRegistration
    from forum.models import Category, Post, Thread
    from matching.models import Meeting, ProblemReport, Tandem

    rng = random.Random(seed)
    now = timezone.now()
    missing = total - User.objects.filter(is_staff=False).count()
    if missing <= 0:
        return 0
    topics = list(Topic.objects.all())
    organisations = people.organisations(rng, max(missing // 8, 1), size_class=SizeClass.CITY)
    users = people.logins(missing, password=make_password("Bench-Passwort-2026"), now=now)
    profiles = Profile.objects.bulk_create([
        Profile(user=user, role=Role.MENTOR if n % 3 == 0 else (Role.BOTH if n % 7 == 0 else Role.MENTEE),
                organisation=rng.choice(organisations), position="Klimaanpassungsmanager*in",
                role_started_on=datetime.date(2025, 1, 1), funding_line=rng.choice(people.FUNDING_LINES),
                concept_stage="in_progress", meeting_format="both", languages=["de"],
                mentor_capacity=2 if n % 3 == 0 or n % 7 == 0 else 0, mentor_available=n % 3 == 0 or n % 7 == 0)
        for n, user in enumerate(users)])
    Competence.objects.bulk_create([Competence(profile=p, topic=topic, level=2) for p in profiles
                                    for topic in rng.sample(topics, 3)])
    Status = Registration.Status

    def path(n):
        # Eight in ten approved, one still on the way, one turned down or withdrawn after the call.
        approved = [Status.INTRO_SCHEDULED, Status.INTRO_DONE, Status.APPROVED]
        if n % 10 == 8:
            return approved[: rng.randint(0, 2)]
        if n % 10 == 9:
            return [Status.INTRO_DONE, rng.choice([Status.REJECTED, Status.WITHDRAWN])]
        return approved

    registrations = people.registrations(rng, users, path, now=now, submitted_days=(1, 430), step_days=25,
                                         intro_calls=True)
    approved_at = {r.user_id: r.status_changed_at for r in registrations if r.status == Status.APPROVED}
    mentees = [p for p in profiles if p.user_id in approved_at and p.role != Role.MENTOR]
    mentors = [p for p in profiles if p.user_id in approved_at and p.role != Role.MENTEE]
    tandems = []
    for n, mentee in enumerate(mentees[: len(mentees) * 3 // 4]):
        mentor = mentors[n % len(mentors)]
        if mentor.pk == mentee.pk:
            continue
        started = min(max(approved_at[mentee.user_id], approved_at[mentor.user_id]) + rng.randint(3, 60) * DAY,
                      now - DAY)
        ended = n % 5 == 0 and started + 90 * DAY < now
        tandems.append(Tandem(mentee=mentee, mentor=mentor, started_at=started,
                              status=Tandem.Status.ENDED if ended else Tandem.Status.ACTIVE,
                              ended_at=started + 90 * DAY if ended else None,
                              last_activity_at=now - rng.randint(1, 90) * DAY))
    with keeping_dates(Tandem):
        tandems = Tandem.objects.bulk_create(tandems)
    meetings = []
    for tandem in tandems:
        span = max(((tandem.ended_at or now) - tandem.started_at).days, 1)
        for _m in range(rng.randint(0, 8)):
            meetings.append(Meeting(tandem=tandem, logged_by_id=tandem.mentor.user_id,
                                    date=(tandem.started_at + rng.randint(0, span) * DAY).date(),
                                    duration_minutes=rng.choice([60, 90, 120, 240]), format="online",
                                    status="confirmed", submitted_at=now - 10 * DAY, created_at=now - 10 * DAY))
    with keeping_dates(Meeting, ProblemReport):
        Meeting.objects.bulk_create(meetings, batch_size=2000)
        ProblemReport.objects.bulk_create([
            ProblemReport(tandem=t, reported_by_id=t.mentee.user_id, kind="problem", text="Bench",
                          created_at=now - rng.randint(1, 60) * DAY) for t in tandems[::25]])
    events = []
    with keeping_dates(Event):
        for n in range(24):
            starts = now - (n * 17 - 40) * DAY
            events.append(Event(title=f"Bench-Veranstaltung {n}", kind="webinar", format="online",
                                status="published", description="Bench", starts_at=starts,
                                ends_at=starts + DAY / 12, registration_deadline=starts - DAY, organiser="Bench",
                                capacity=200, created_at=now, updated_at=now))
        events = Event.objects.bulk_create(events)
    participants = [u for u in users if u.pk in approved_at]
    with keeping_dates(EventRegistration):
        EventRegistration.objects.bulk_create([
            EventRegistration(event=event, user=user, status="confirmed", created_at=event.starts_at - 5 * DAY,
                              confirmed_at=event.starts_at - 5 * DAY,
                              attended=rng.choice([True, True, False, None]) if event.starts_at < now else None)
            for event in events for user in rng.sample(participants, min(len(participants), 60))])
    category = Category.objects.first()
    with keeping_dates(Thread, Post):
        threads = Thread.objects.bulk_create([
            Thread(category=category, title=f"Bench-Thema {n}", author=rng.choice(participants),
                   created_at=now - rng.randint(1, 400) * DAY, last_post_at=now, post_count=1)
            for n in range(missing // 15)])
        Post.objects.bulk_create([
            Post(thread=thread, author=rng.choice(participants), body="Bench", is_first=i == 0,
                 created_at=thread.created_at + i * DAY) for thread in threads for i in range(rng.randint(1, 6))])
    # A running database keeps its statistics current (autovacuum); after a bulk load they must be taken.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return missing



def print_slowest_queries(client: Client, url: str, count: int = 12) -> None:
    """The slowest queries of one request (after a warm one), slowest first."""
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:count]
    for query in slowest:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:300]}")
    if connection.vendor == "postgresql" and os.environ.get("BENCH_EXPLAIN"):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + slowest[0]["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--queries", action="store_true",
                        help="at the large size, also print the overview's slowest queries with their time")
    args = parser.parse_args()
    failed = False
    with throwaway_database("overview"):
        from accounts.models import User

        logging.disable(logging.INFO)  # the eager outbox tasks log every demo mail
        with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
            call_command("seed_demo")
        client = Client()
        client.force_login(User.objects.get(email="koordination@example.org"))
        print(f"database: {connection.vendor}, rounds: {args.rounds}, load average: "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        print("ms: median wall time (CPU time of the web process in brackets); ratio: overview / reference")
        print(f"{'participants':>12} | {'overview ms':>14} | {'queries':>7} | {'reference ms':>14} | "
              f"{'queries':>7} | {'ratio':>5}")
        counts = []
        for stage in ("demo", "large"):
            if stage == "large":
                start = time.perf_counter()
                added = grow(args.participants)
                print(f"(added {added} participants in bulk in {time.perf_counter() - start:.0f} s)")
            people = User.objects.filter(is_staff=False).count()
            overview_ms, overview_cpu, overview_queries = measure(client, OVERVIEW, args.rounds)
            reference_ms, reference_cpu, reference_queries = measure(client, REFERENCE, args.rounds)
            counts.append(overview_queries)
            print(f"{people:>12} | {overview_ms:>6.0f} ({overview_cpu:>4.0f}) | {overview_queries:>7} | "
                  f"{reference_ms:>6.0f} ({reference_cpu:>4.0f}) | {reference_queries:>7} | "
                  f"{overview_ms / reference_ms:>5.1f}")
            if stage == "large":
                failed = overview_ms > GOAL_MS or counts[0] != counts[1]
                if args.queries:
                    print_slowest_queries(client, OVERVIEW)
        print(f"goal: overview under {GOAL_MS} ms at {args.participants} participants, queries as at demo size: "
              f"{'missed' if failed else 'met'} (load average now "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
