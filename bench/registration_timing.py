"""Benchmark: does /anmeldung/ take as long for a known address as for a new one? (not a test; prints a table)

Usage: .venv/bin/python bench/registration_timing.py [--rounds 15]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/registration_timing.py

Runs in a throw-away test database with Django's real default hasher (PBKDF2, as in
production) instead of the tests' MD5, posts the Anmeldeformular alternately with new and
known addresses, and prints the median time of both paths and their ratio.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings.test")

import django  # noqa: E402 - after the path is set

django.setup()

from django.conf import global_settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

GOAL_RATIO = 1.25


def form(email: str) -> dict:
    from accounts.models import FederalState, OrganisationType

    return {
        "first_name": "Anna", "last_name": "Becker", "email": email, "phone": "",
        "password1": "Klimaanpassung-2026!", "password2": "Klimaanpassung-2026!", "role": "mentee",
        "organisation_name": "Stadt Kassel", "org_type": OrganisationType.objects.get(slug="kreisfreie-stadt").pk,
        "federal_state": FederalState.objects.get(code="06").pk, "size_class": "city",
        "position": "Klimaanpassungsmanagerin", "department": "", "role_started_on": "2026-09-01",
        "funding_line": "a1", "funding_ends_on": "", "concept_stage": "in_progress", "need_haushalt": "3",
        "needs_text": "", "competences_text": "", "meeting_format": "both", "languages": ["de"],
        "consent_programme": "on", "consent_partner_sharing": "on", "website": "",
    }


def timed(client: Client, data: dict) -> float:
    cache.clear()  # the hourly rate limit would refuse the benchmark's own requests
    start = time.perf_counter()
    response = client.post("/anmeldung/", data)
    elapsed = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
            client = Client()
            timed(client, form("bekannt@kassel.de"))  # creates the known account, warms caches
            new, known = [], []
            for n in range(args.rounds):
                new.append(timed(client, form(f"neu{n}@kassel.de")))
                known.append(timed(client, form("bekannt@kassel.de")))
        median_new, median_known = statistics.median(new), statistics.median(known)
        ratio = max(median_new, median_known) / min(median_new, median_known)
        print(f"hasher: {global_settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}, database: {connection.vendor}, "
              f"rounds: {args.rounds}")
        print(f"{'path':<16}{'median ms':>10}")
        print(f"{'new address':<16}{median_new * 1000:>10.1f}")
        print(f"{'known address':<16}{median_known * 1000:>10.1f}")
        print(f"ratio {ratio:.2f} (goal ≤ {GOAL_RATIO})")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
