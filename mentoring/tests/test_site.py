"""Site pages: start, legal pages, barrier report, language switch, health check, deploy check."""
import re

import pytest

from mentoring.models import OutboxMessage
from mentoring.tests.production import production_run

from .production import production_settings

PUBLIC_PAGES = ["/", "/impressum/", "/datenschutz/", "/barrierefreiheit/", "/anmeldung/", "/konto/login/",
                "/konto/password/reset/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_german_and_load_nothing_from_elsewhere(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert 'href="/barrierefreiheit/"' in html, "the accessibility statement is linked from every page"
    # Nothing is loaded from elsewhere (a link the reader may follow is no load).
    loaded = re.findall(r'<(?!a\b)[a-z]+\b[^>]*\b(?:src|href|srcset|data)="(https?://[^"]+)"', html)
    assert [u for u in loaded if not u.startswith("http://testserver")] == []
    assert "<link" in html and "<script" in html  # what the check reads is there


@pytest.mark.django_db
def test_ministry_name_comes_from_one_setting(client, settings):
    settings.MINISTRY_NAME = "Bundesministerium für Neues (BMN)"
    assert "Bundesministerium für Neues (BMN)" in client.get("/").content.decode()


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "How the programme works" in html
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert "So funktioniert das Programm" in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/healthz/"])
def test_healthz_answers_with_and_without_the_slash(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.json()["database"] == "ok"
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/healthz/"])
def test_healthz_answers_a_plain_http_probe_where_pages_redirect_to_https(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = production_settings("SECURE_REDIRECT_EXEMPT")["SECURE_REDIRECT_EXEMPT"]
    assert client.get("/impressum/").status_code == 301
    response = client.get(path)
    assert response.status_code == 200 and response.json()["database"] == "ok"


@pytest.mark.django_db
def test_barrier_report_reaches_staff_and_reporter(client):
    response = client.post("/barrierefreiheit/", {"email": "melde@example.org", "page": "/anmeldung/",
                                                  "description": "Der Kalender ist mit der Tastatur nicht bedienbar."},
                           follow=True)
    assert "Danke! Ihre Meldung ist bei uns eingegangen." in response.content.decode()
    staff = OutboxMessage.objects.get(to="koordination@example.org")
    assert "Tastatur" in staff.body_text and "/anmeldung/" in staff.subject
    assert OutboxMessage.objects.filter(to="melde@example.org").exists()


@pytest.mark.django_db
def test_barrier_report_honeypot_looks_like_success_and_sends_nothing(client):
    response = client.post("/barrierefreiheit/", {"email": "bot@example.org", "description": "Kauf jetzt!",
                                                  "website": "http://spam.example"}, follow=True)
    assert "Danke! Ihre Meldung ist bei uns eingegangen." in response.content.decode()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_barrier_report_errors_and_rate_limit(client):
    response = client.post("/barrierefreiheit/", {"email": "kaputt", "description": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "gültige E-Mail-Adresse" in html and "Bitte beschreiben Sie kurz, was Sie behindert hat." in html
    for _ in range(6):
        response = client.post("/barrierefreiheit/", {"email": "a@example.org", "description": "Kontrast x"},
                               follow=True)
    # Refused with the typed report still in the form, and the address to write to instead.
    assert response.status_code == 429
    html = response.content.decode()
    assert "Zu viele Meldungen" in html and "Kontrast x" in html and "koordination@example.org" in html
    assert OutboxMessage.objects.filter(to="a@example.org").count() == 5


def test_production_settings_pass_the_deploy_check():
    result = production_run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_refuses_the_placeholder_address_and_example_mail():
    """A deployment that forgot them would publish "Musterstraße 1" and example.org on the Impressum."""
    result = production_run("manage.py", "check", "--deploy", "--fail-level", "WARNING",
                            PROGRAMME_ADDRESS="Musterstrasse 1, 10115 Berlin",
                            STAFF_NOTIFICATION_EMAILS="koordination@mail.example.org",
                            DEFAULT_FROM_EMAIL="Mentoring <noreply@example.com>",
                            SITE_URL="http://127.0.0.1:8000")
    assert result.returncode != 0
    for expected in ("mentoring.W001", "STAFF_NOTIFICATION_EMAILS", "DEFAULT_FROM_EMAIL", "mentoring.W003"):
        assert expected in result.stderr, expected
    assert "PROGRAMME_CONTACT_EMAIL" not in result.stderr
