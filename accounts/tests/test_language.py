"""Each person's language: chosen on the Anmeldeformular, changed on /profil/, used on every page after login."""
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Consent, User
from accounts.services import user_export
from mentoring.kernel.models import OutboxMessage

from .factories import PASSWORD
from .test_registration import URL, form_data

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


def lang_of(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_english_anmeldeformular_says_required_and_shows_english_consents(client):
    client.cookies[COOKIE] = "en"
    page = client.get(URL).content.decode()
    assert "(required)" in page and "(erforderlich" not in page
    assert "I consent to my name, my organisation" in page and "Ich willige ein" not in page
    # The language choice names each language in itself; the page's language is chosen already.
    assert re.search(r'name="language" value="en"\s+id="id_language_\d+" checked', page)
    assert re.search(r'name="language" value="de"\s+id="id_language_\d+">', page)
    assert "Language of the website and of emails to you" in page


def test_registration_stores_the_chosen_language_and_mails_in_it(client):
    client.cookies[COOKIE] = "de"
    response = client.post(URL, form_data(language="en"))
    assert response.status_code == 302
    user = User.objects.get(email="anna.becker@kassel.de")
    assert user.language == "en"
    receipt = OutboxMessage.objects.get(to=user.email)
    assert receipt.subject == "We have received your registration"
    assert "Hello Anna Becker," in receipt.body_text and "Guten Tag" not in receipt.body_text
    # Staff read the site's first language, whatever the person chose.
    staff_notice = OutboxMessage.objects.get(to="koordination@example.org")
    assert staff_notice.subject.startswith("Neue Anmeldung: Anna Becker")


def test_registration_without_a_choice_takes_the_page_language_and_records_the_consent_read(client):
    client.cookies[COOKIE] = "en"
    client.post(URL, form_data())
    user = User.objects.get(email="anna.becker@kassel.de")
    assert user.language == "en"
    consent = user.consents.get(purpose=Consent.Purpose.PROGRAMME)
    assert (consent.version, consent.language) == ("2026-11-26", "en")
    assert consent.text.startswith("I consent to the coordination office processing")


def test_a_german_registration_records_the_german_wording(client):
    client.post(URL, form_data())
    user = User.objects.get(email="anna.becker@kassel.de")
    assert user.language == "de"
    consent = user.consents.get(purpose=Consent.Purpose.PARTNER_SHARING)
    assert consent.language == "de" and consent.text.startswith("Ich willige ein")
    assert OutboxMessage.objects.get(to=user.email).subject == "Ihre Anmeldung ist eingegangen"


def test_an_unknown_language_is_refused_next_to_the_field(client):
    response = client.post(URL, form_data(language="fr"))
    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    assert not User.objects.filter(email="anna.becker@kassel.de").exists()


def test_after_login_every_page_is_in_the_stored_language(client, mentee):
    mentee.language = "en"
    mentee.save()
    client.cookies[COOKIE] = "de"
    response = client.post(reverse("account_login"), {"login": mentee.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert response.cookies[COOKIE].value == "en"
    for path in ("/", "/profil/", "/forum/", "/veranstaltungen/"):
        page = client.get(path)
        assert lang_of(page) == "en", path
    # Logged out, the site stays in the person's language (the cookie followed it).
    client.post(reverse("account_logout"))
    assert lang_of(client.get("/")) == "en"


def test_the_profile_page_changes_the_language(client, mentee):
    client.force_login(mentee)
    edit = client.get(reverse("accounts:profile_edit"))
    form = edit.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    for name, field in form.fields.items():
        data.setdefault(name, field.initial if field.initial is not None else "")
    data.update({"languages": ["de"], "language": "en", "role_started_on": "2025-01-01", "funding_ends_on": ""})
    data = {k: v for k, v in data.items() if v not in (None, False)}
    response = client.post(reverse("accounts:profile_edit"), data, follow=True)
    assert response.status_code == 200
    mentee.refresh_from_db()
    assert mentee.language == "en", response.context["form"].errors if "form" in response.context else ""
    assert lang_of(response) == "en" and "Your profile has been saved." in response.content.decode()


def test_the_header_switch_stores_the_choice_of_a_logged_in_person(client, mentee):
    client.force_login(mentee)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/profil/"})
    assert response.status_code == 302 and response.url == "/profil/"
    mentee.refresh_from_db()
    assert mentee.language == "en"
    assert lang_of(client.get("/profil/")) == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    mentee.refresh_from_db()
    assert mentee.language == "en"


def test_the_header_switch_works_for_guests_and_stores_nothing(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies[COOKIE].value == "en"
    assert lang_of(client.get("/")) == "en"


def test_the_export_names_the_language_and_each_consents_wording_language(mentee):
    mentee.language = "en"
    mentee.save()
    Consent.objects.filter(user=mentee, purpose=Consent.Purpose.PROGRAMME).update(language="en")
    with translation.override("de"):
        data = user_export(user=mentee)
    assert data["konto"]["sprache"] == "Englisch"
    assert {c["sprache"] for c in data["einwilligungen"]} == {"Englisch", "Deutsch"}


def test_the_profile_shows_the_wording_in_the_readers_language_and_the_version_agreed_to(client, mentee):
    client.force_login(mentee)
    page = client.get("/profil/").content.decode()
    assert "Ich willige ein, dass die Koordinationsstelle" in page
    assert "(Fassung test, Deutsch)" in page
    mentee.language = "en"
    mentee.save()
    page = client.get("/profil/").content.decode()
    assert "I consent to the coordination office" in page and "(version test, German)" in page


@pytest.mark.django_db
def test_the_login_message_speaks_the_persons_language_not_the_browsers(client):
    from accounts.tests.factories import UserFactory

    user = UserFactory(language="en", first_name="Leonie", last_name="Kaiser")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="de")
    page = response.content.decode()
    assert '<html lang="en">' in page and "Leonie Kaiser" in page and "Sie sind jetzt als" not in page


def test_the_confirmation_link_opens_in_the_language_of_its_mail_on_any_device(client):
    """Registered in English, the link opened in a browser set to German showed German pages throughout."""
    from django.test import Client

    client.post(URL, form_data(language="en"))
    mail = OutboxMessage.objects.get(key__startswith="registration-received:")
    path = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s\"<]+)", mail.body_text).group(1)
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="de")
    elsewhere.cookies[COOKIE] = "de"
    page = elsewhere.get(path)
    assert lang_of(page) == "en" and page.cookies[COOKIE].value == "en"
    response = elsewhere.post(path, follow=True)
    assert lang_of(response) == "en"
    # A key that opens nothing stays in the browser's language.
    stranger = Client(HTTP_ACCEPT_LANGUAGE="de")
    assert lang_of(stranger.get("/konto/confirm-email/kaputt/")) == "de"
