"""Every page of the site answers only the methods it offers: a PUT, PATCH or DELETE gets 405, never the
page or a file (and never a 500), whoever asks."""
import pytest
from django.conf import settings
from django.urls import reverse

from mentoring.tests.site_pages import build_site, participant_paths

pytestmark = pytest.mark.django_db

OTHER_METHODS = ("put", "patch", "delete")


def _downloads(site) -> list[str]:
    return [reverse("accounts:data_export"), reverse("events:ics", args=[site.event.pk]),
            reverse("matching:certificate", args=[site.ended_tandem.pk]),
            reverse("matching:statement_pdf", args=[site.tandem.started_at.year])]


def test_no_page_answers_a_method_it_does_not_offer(client):
    site = build_site()
    client.force_login(site.mentee)
    served = []
    for path in [*participant_paths(site)[:-1], *_downloads(site)]:
        for method in OTHER_METHODS:
            status = getattr(client, method)(path).status_code
            assert status < 500, f"{method.upper()} {path}: {status}"
            if 200 <= status < 300:
                served.append(f"{method.upper()} {path}: {status}")
    assert not served, "\n".join(served)


def test_the_embedded_database_waits_instead_of_failing_when_two_requests_write():
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL takes row locks; this is about SQLite's single writer")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE" and database["OPTIONS"]["timeout"] >= 5
