"""Benchmark: the admin page of a matching run with ~2,661 proposals (not a test; prints a table).

Usage: .venv/bin/python bench/match_run_page.py [--proposals 2661] [--rounds 9]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/match_run_page.py

Runs in a throw-away test database of the configured one (PostgreSQL when DATABASE_URL is set,
without the test runner's template instrumentation). It adds participants in bulk and one
finished run with ``--proposals`` proposals (open, confirmed, rejected and superseded ones, each
with five to seven stored reasons, as a run writes them), then times the run's page
(``/admin/matching/matchrun/<pk>/vorschlaege/``, 200 proposals a page) in-process with the Django
test client: first page, a middle page and the last page, median of ``--rounds`` requests, with
the number of queries of one request. As the reference in the same run: the same page of a run
with 20 proposals. Goal: a page under 50 ms, the same number of queries as the small run.
"""
import argparse
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.common import measure, throwaway_database  # noqa: E402

GOAL_MS = 50


def build_run(n_proposals: int, *, seed: int = 2661, tag: str = "b"):
    """A finished run with ``n_proposals`` proposals between new participants; returns the run."""
    from django.contrib.auth.hashers import make_password

    from accounts.choices import LANGUAGES, Role, SizeClass
    from accounts.models import FederalState, Organisation, OrganisationType, Profile, Topic, User
    from matching.models import MatchRun, Proposal

    rng = random.Random(seed)
    states, types = list(FederalState.objects.all()), list(OrganisationType.objects.all())
    topics = list(Topic.objects.values_list("pk", flat=True))
    languages = [code for code, _name in LANGUAGES][:3]
    organisations = Organisation.objects.bulk_create([
        Organisation(name=f"Bench-Kommune {tag}{n}", name_normalised=f"bench-kommune {tag}{n}",
                     org_type=rng.choice(types), federal_state=rng.choice(states), size_class=SizeClass.CITY)
        for n in range(max(n_proposals // 2, 2))])
    n_mentors = n_proposals // 2 + 1
    password = make_password("Bench-Passwort-2026")
    users = User.objects.bulk_create([
        User(email=f"bench-{tag}{n:05d}@example.org", first_name="Bench", last_name=f"Person {n}", password=password)
        for n in range(n_proposals + n_mentors)])
    profiles = Profile.objects.bulk_create([
        Profile(user=user, role=Role.MENTOR if n >= n_proposals else Role.MENTEE,
                organisation=rng.choice(organisations), position="Klimaanpassungsmanager*in",
                role_started_on=datetime.date(2025, 1, 1), funding_line="a1", concept_stage="in_progress",
                meeting_format="both", languages=["de"],
                mentor_capacity=2 if n >= n_proposals else 0, mentor_available=n >= n_proposals)
        for n, user in enumerate(users)])
    mentees, mentors = profiles[:n_proposals], profiles[n_proposals:]
    run = MatchRun.objects.create(status=MatchRun.Status.DONE, progress=100, mentee_count=n_proposals,
                                  mentor_count=len(mentors), matched_count=n_proposals, slot_penalty=0.5,
                                  weights={"topics": 10.0, "organisation": 3.0, "size": 2.0, "region": 3.0,
                                           "meeting_format": 1.0, "language": 1.0, "funding": 3.0},
                                  summary={"unmatched": [], "scores": {"count": 0}})

    def reasons():
        covered = rng.sample(topics, rng.randint(1, 4))
        found = [
            {"criterion": "topics", "kind": "covered", "points": round(rng.uniform(2, 10), 2),
             "params": {"covered": len(covered), "total": len(covered) + rng.randint(0, 2), "topic_ids": covered}},
            {"criterion": "organisation", "kind": "same_type", "points": 3.0,
             "params": {"org_type_id": rng.choice(types).pk}},
            {"criterion": "region", "kind": rng.choice(["same", "neighbour"]), "points": 1.5,
             "params": {"state_id": rng.choice(states).pk, "other_state_id": rng.choice(states).pk}},
            {"criterion": "meeting_format", "kind": "same", "points": 1.0, "params": {"format": "both"}},
            {"criterion": "language", "kind": "shared", "points": 1.0,
             "params": {"language_codes": rng.sample(languages, rng.randint(1, 2))}},
            {"criterion": "funding", "kind": "a2_for_a1", "points": 3.0, "params": {"funding_line": "a1"}},
        ]
        if rng.random() < 0.5:
            found.append({"criterion": "size", "kind": "similar", "points": 1.0, "params": {}})
        if rng.random() < 0.3:
            found.append({"criterion": "organisation", "kind": "same_group", "points": 1.5,
                          "params": {"group": "municipal"}})
        return found

    statuses = [Proposal.Status.OPEN] * 8 + [Proposal.Status.CONFIRMED, Proposal.Status.REJECTED]
    proposals = []
    for n, mentee in enumerate(mentees):
        proposals.append(Proposal(run=run, mentee=mentee, mentor=mentors[n // 2], score=round(rng.uniform(5, 25), 2),
                                  reasons=reasons(), status=rng.choice(statuses)))
        if n % 10 == 0:  # a proposal replaced by staff's choice by hand stays in the run, superseded
            proposals.append(Proposal(run=run, mentee=mentee, mentor=mentors[(n // 2 + 1) % len(mentors)],
                                      score=1.0, reasons=[], status=Proposal.Status.SUPERSEDED))
    Proposal.objects.bulk_create(proposals, batch_size=1000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return run



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=2661)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    failed = False
    with throwaway_database("match_run_page"):
        from accounts.models import User

        logging.disable(logging.INFO)
        staff = User.objects.create_superuser(email="bench-koordination@example.org", password="Bench-Passwort-2026")
        client = Client()
        client.force_login(staff)
        start = time.perf_counter()
        small = build_run(20, tag="s")
        large = build_run(args.proposals, tag="l")
        print(f"database: {connection.vendor}, rounds: {args.rounds}, built the runs in "
              f"{time.perf_counter() - start:.0f} s, load average: "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        print("ms: median wall time (CPU time of the process in brackets)")
        print(f"{'run':>22} | {'page':>5} | {'ms':>12} | {'queries':>7}")
        pages = -(-large.proposals.exclude(status="superseded").count() // 200)
        counts = set()
        for label, run, page in [("20 proposals", small, 1), (f"{args.proposals} proposals", large, 1),
                                 (f"{args.proposals} proposals", large, (pages + 1) // 2),
                                 (f"{args.proposals} proposals", large, pages)]:
            url = reverse("admin:matching_matchrun_proposals", args=[run.pk]) + f"?seite={page}"
            ms, cpu_ms, queries = measure(client, url, args.rounds)
            counts.add(queries)
            print(f"{label:>22} | {page:>5} | {ms:>5.0f} ({cpu_ms:>4.0f}) | {queries:>7}")
            if run is large:
                failed = failed or ms > GOAL_MS
        failed = failed or len(counts) > 1
        print(f"goal: a page of 200 under {GOAL_MS} ms, queries as for a small run: "
              f"{'missed' if failed else 'met'} (load average now {' '.join(f'{x:.1f}' for x in os.getloadavg())})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
