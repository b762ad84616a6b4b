"""Generic answers to hostile input: NUL bytes and numbers the database cannot hold give 400, not 500."""
import pytest

from accounts.models import Profile

GERMAN_400 = "Diese Anfrage können wir nicht bearbeiten"


@pytest.mark.django_db
@pytest.mark.parametrize("request_args", [
    ("get", "/forum/gelesen/", {"kategorie": "\x00"}),
    ("get", "/veranstaltungen/", {"seite": "2\x00"}),
    ("get", "/veranstaltungen/kalender/%00.ics", {}),
    ("post", "/barrierefreiheit/", {"email": "a@example.org", "description": "Kontrast\x00"}),
    ("post", "/konto/login/", {"login\x00": "x"}),
], ids=["query", "query-page", "path", "form", "field-name"])
def test_nul_byte_answers_400_in_german(client, mentee, request_args):
    client.force_login(mentee)
    method, path, data = request_args
    response = getattr(client, method)(path, data)
    assert response.status_code == 400 and GERMAN_400 in response.content.decode()


@pytest.mark.django_db
def test_nul_byte_in_the_session_cookie_answers_400(client):
    client.cookies["sessionid"] = "\x00" * 32
    response = client.get("/profil/")
    assert response.status_code == 400 and GERMAN_400 in response.content.decode()


@pytest.mark.django_db
def test_admin_autocomplete_field_with_an_impossible_id_shows_the_form_error(client, staff_user, mentee):
    client.force_login(staff_user)
    profile = Profile.objects.get(user=mentee)
    for impossible in ("abc", "²", "99999999999999999999"):
        response = client.post(f"/admin/accounts/profile/{profile.pk}/change/", {"organisation": impossible})
        assert response.status_code == 200, impossible
        assert "errornote" in response.content.decode()


@pytest.mark.django_db
def test_number_beyond_the_database_range_in_a_multiple_choice_is_a_bad_request(client, mentee, mentor):
    from matching.tests.factories import TandemFactory

    tandem = TandemFactory(mentee=mentee.profile, mentor=mentor.profile)
    client.force_login(mentee)
    response = client.post(f"/tandem/{tandem.pk}/treffen/", {"date": "2026-11-02", "duration_minutes": "60",
                                                             "format": "online", "topics": "99999999999999999999"})
    assert response.status_code in (200, 400)


@pytest.mark.django_db
def test_invalid_crontab_schedule_shows_the_form_error(client, staff_user):
    client.force_login(staff_user)
    data = {"minute": "*", "hour": "*", "day_of_month": "-1", "month_of_year": "*", "day_of_week": "*",
            "timezone": "Europe/Berlin"}
    response = client.post("/admin/django_celery_beat/crontabschedule/add/", data)
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert client.get("/admin/django_celery_beat/crontabschedule/").status_code == 200


@pytest.mark.django_db
def test_staff_can_add_a_site(client, staff_user):
    """The first site was created with an explicit id; PostgreSQL's sequence must be past it."""
    from django.contrib.sites.models import Site

    client.force_login(staff_user)
    response = client.post("/admin/sites/site/add/", {"domain": "zweite.example.org", "name": "Zweite"})
    assert response.status_code == 302 and Site.objects.filter(domain="zweite.example.org").exists()


@pytest.mark.django_db
def test_nul_byte_answers_400_in_the_language_the_browser_or_its_cookie_asks_for(client):
    """The 400 page comes before the language is chosen; it was German for every reader."""
    english = client.get("/veranstaltungen/", {"seite": "\x00"}, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert english.status_code == 400 and "We cannot process this request" in english.content.decode()
    assert '<html lang="en"' in english.content.decode()
    client.cookies["django_language"] = "en"
    assert "We cannot process this request" in client.get("/?q=%00").content.decode()
    client.cookies["django_language"] = "en\x00"
    assert GERMAN_400 in client.get("/?q=%00", HTTP_ACCEPT_LANGUAGE="de").content.decode()
