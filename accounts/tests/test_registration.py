"""The Anmeldeformular journeys: valid roles, every kind of bad input, mails, consents."""
import datetime

import pytest
from django.urls import reverse

from accounts import rules, services
from accounts.consents import CONSENT_TEXTS
from accounts.models import Consent, FederalState, OrganisationType, Profile, Registration, User
from mentoring.kernel.models import OutboxMessage

from .factories import participant, staff_member

URL = "/anmeldung/"


def form_data(**overrides):
    data = {
        "first_name": "Anna", "last_name": "Becker", "email": "anna.becker@kassel.de", "phone": "",
        "password1": "Klimaanpassung-2026!", "password2": "Klimaanpassung-2026!",
        "role": "mentee",
        "organisation_name": "Stadt Kassel",
        "org_type": OrganisationType.objects.get(slug="kreisfreie-stadt").pk,
        "federal_state": FederalState.objects.get(code="06").pk,
        "size_class": "city", "position": "Klimaanpassungsmanagerin", "department": "Umweltamt",
        "role_started_on": "2026-09-01", "funding_line": "a1", "funding_ends_on": "2028-08-31",
        "concept_stage": "in_progress",
        "need_haushalt": "3", "need_steuerungskreis": "2", "needs_text": "Ratsvorlage schreiben",
        "comp_beteiligung": "1", "competences_text": "",
        "meeting_format": "both", "languages": ["de", "en"], "prefers_same_state": "on",
        "mentor_capacity": "", "consent_programme": "on", "consent_partner_sharing": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def errors_of(response):
    return response.context["form"].errors


@pytest.mark.django_db
def test_form_page_renders_with_all_topics(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anmeldung zum Mentoring-Programm" in html
    assert 'name="need_hitzeaktionsplan"' in html and 'name="comp_schwammstadt"' in html
    assert 'name="consent_news"' in html


@pytest.mark.django_db
def test_valid_mentee_creates_everything_and_queues_mails(client, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data())
    assert response.status_code == 302 and response.url == reverse("accounts:registration_done")
    user = User.objects.get(email="anna.becker@kassel.de")
    assert user.check_password("Klimaanpassung-2026!")
    profile = user.profile
    assert profile.role == "mentee" and profile.organisation.name == "Stadt Kassel"
    assert {(n.topic.slug, n.priority) for n in profile.needs.all()} == {("haushalt", 3), ("steuerungskreis", 2)}
    assert [c.topic.slug for c in profile.competences.all()] == ["beteiligung"]
    assert profile.languages == ["de", "en"] and profile.prefers_same_state and profile.mentor_capacity == 0
    assert user.registration.status == Registration.Status.SUBMITTED
    consents = {c.purpose: c for c in user.consents.all()}
    assert set(consents) == {Consent.Purpose.PROGRAMME, Consent.Purpose.PARTNER_SHARING}
    assert all(c.version == CONSENT_TEXTS[c.purpose].version and c.text and c.given_at for c in consents.values())
    # Receipt with the confirmation link to the person, notice to staff: all through the outbox.
    # The receipt carries the confirmation link: once delivered, its recipient and content are emptied.
    receipt_row = OutboxMessage.objects.get(key__startswith="registration-received:")
    assert receipt_row.purged_at and receipt_row.to == "" and receipt_row.body_text == ""
    assert OutboxMessage.objects.get(key__startswith="registration-staff:").to == "koordination@example.org"
    assert OutboxMessage.objects.filter(status="sent").count() == 2
    subjects = {m.subject for m in mailoutbox}
    assert "Ihre Anmeldung ist eingegangen" in subjects
    confirmation = next(m for m in mailoutbox if "/konto/confirm-email/" in m.body)
    assert "/konto/confirm-email/" in confirmation.alternatives[0][0]
    receipt = next(m for m in mailoutbox if m.subject == "Ihre Anmeldung ist eingegangen")
    assert "Kennenlerngespräch" in receipt.body and receipt.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_valid_mentor(client):
    response = client.post(URL, form_data(role="mentor", need_haushalt="", need_steuerungskreis="",
                                          comp_haushalt="3", comp_politik="2", mentor_capacity="2",
                                          mentor_available="on", funding_line="a2"))
    assert response.status_code == 302
    profile = Profile.objects.get(user__email="anna.becker@kassel.de")
    assert profile.is_mentor and not profile.is_mentee
    assert profile.mentor_capacity == 2 and profile.mentor_available
    assert profile.needs.count() == 0 and profile.competences.count() == 3


@pytest.mark.django_db
def test_valid_both_roles_with_news_consent(client):
    response = client.post(URL, form_data(role="both", comp_haushalt="3", mentor_capacity="1",
                                          mentor_available="on", consent_news="on"))
    assert response.status_code == 302
    user = User.objects.get(email="anna.becker@kassel.de")
    assert user.profile.is_mentor and user.profile.is_mentee
    assert user.consents.filter(purpose=Consent.Purpose.NEWS, withdrawn_at__isnull=True).exists()
    # The thank-you mail names the role as a sentence does, not as the form offered it ("als beides").
    mail = OutboxMessage.objects.get(key__startswith="registration-received:")
    assert "Anmeldung zum Mentoring-Programm Klimaanpassung als Mentee und Mentor*in." in mail.body_text
    assert "als beides" not in mail.body_html and "als Mentee und Mentor*in." in mail.body_html


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "language", "sentence"), [
    ("mentee", "de", "Klimaanpassung als Mentee."),
    ("mentor", "de", "Klimaanpassung als Mentor*in."),
    ("mentee", "en", "Mentoring Programme as a mentee."),
    ("both", "en", "Mentoring Programme as both a mentee and a mentor."),
])
def test_the_thank_you_mail_names_the_role_in_a_sentence(client, role, language, sentence):
    data = form_data(role=role, language=language)
    if role != "mentee":
        data.update(comp_haushalt="3", mentor_capacity="1", mentor_available="on")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert client.post(URL, data).status_code == 302
    mail = OutboxMessage.objects.get(key__startswith="registration-received:")
    assert sentence in " ".join(mail.body_text.split())


@pytest.mark.django_db
def test_taking_part_does_not_hang_on_the_partner_sharing_consent(client):
    """Art. 7 (4) DSGVO: the consent to share the profile with a partner is asked for, not made a condition of
    taking part. Without it the person registers, is not in the matching pool, and their profile says why."""
    page = client.get(URL).content.decode()
    assert "(freiwillig)" in page and "Ohne diese Einwilligung können Sie Forum und Veranstaltungen nutzen" in page
    assert client.post(URL, form_data(consent_partner_sharing=None)).status_code == 302
    user = User.objects.get(email="anna.becker@kassel.de")
    assert set(user.consents.values_list("purpose", flat=True)) == {Consent.Purpose.PROGRAMME}
    # The thank-you mail does not promise the matching; it says how to get there.
    mail = OutboxMessage.objects.get(key__startswith="registration-received:")
    text = " ".join(mail.body_text.split())
    assert "Forum und Veranstaltungen stehen Ihnen dann offen. Ein Tandem vermitteln wir Ihnen, sobald" in text
    assert "Matching stehen Ihnen dann offen" not in text
    Registration.objects.filter(user=user).update(status=Registration.Status.INTRO_DONE)
    services.registration_transition(registration=Registration.objects.get(user=user),
                                     to_status=Registration.Status.APPROVED, by=staff_member())
    user.refresh_from_db()
    assert not rules.in_matching_pool(user) and rules.matching_pool_obstacles(user)
    # Nor does the approval: it names the missing consent and where to give it.
    approved = " ".join(OutboxMessage.objects.get(key__startswith="registration-status:").body_text.split())
    assert "Für ein Tandem fehlt noch Ihre Einwilligung" in approved
    assert "/profil/#einwilligung-partner_sharing" in approved
    assert "Wir suchen nun ein passendes Tandem" not in approved


@pytest.mark.django_db
def test_the_approval_of_someone_who_shares_their_profile_promises_the_search():
    user = participant(status=Registration.Status.INTRO_DONE)
    services.registration_transition(registration=user.registration, to_status=Registration.Status.APPROVED,
                                     by=staff_member())
    approved = " ".join(OutboxMessage.objects.get(key__startswith="registration-status:").body_text.split())
    assert "Wir suchen nun ein passendes Tandem für Sie" in approved and "fehlt noch" not in approved


@pytest.mark.django_db
def test_same_organisation_is_one_row(client):
    client.post(URL, form_data())
    client.post(URL, form_data(email="zweite@kassel.de", organisation_name="  stadt   kassel "))
    assert Profile.objects.values("organisation").distinct().count() == 1


def nothing_saved():
    return not User.objects.exists() and not Profile.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"first_name": ""}, "first_name", "Dieses Feld ist zwingend erforderlich."),
    ({"email": "keine-adresse"}, "email", "gültige E-Mail-Adresse"),
    ({"password2": "anderes-Passwort-1"}, "password2", "stimmen nicht überein"),
    ({"password1": "123", "password2": "123"}, "password1", "zu kurz"),
    ({"needs_text": "x" * 3001}, "needs_text", "höchstens 3000 Zeichen"),
    ({"first_name": "A" * 151}, "first_name", "höchstens 150 Zeichen"),
    ({"role_started_on": "2099-01-01"}, "role_started_on", "nicht in der Zukunft"),
    ({"role_started_on": "gestern"}, "role_started_on", "gültiges Datum"),
    ({"funding_ends_on": "2026-08-01"}, "funding_ends_on", "nach dem Beginn"),
    ({"need_haushalt": "", "need_steuerungskreis": ""}, "need_einstieg", "Mindestens ein Bedarf"),
    ({"role": "mentor", "comp_beteiligung": "", "mentor_capacity": "2"}, "comp_einstieg", "Mindestens eine Kompetenz"),
    ({"role": "mentor", "comp_haushalt": "3", "mentor_capacity": ""}, "mentor_capacity", "wie viele Mentees"),
    ({"consent_programme": None}, "consent_programme", "Ohne diese Einwilligung"),
    ({"role": "admin"}, "role", "gültige Auswahl"),
    # A name or organisation stays on one line: it is written into mails to staff ("Bcc: …" forged as a line).
    ({"first_name": "Eve\r\nBcc: evil@example.com"}, "first_name", "ohne Zeilenumbrüche"),
    ({"last_name": "X\nSubject: hi"}, "last_name", "ohne Zeilenumbrüche"),
    ({"organisation_name": "Stadt Kassel\u2028Zur Prüfung: http://evil.example"}, "organisation_name",
     "ohne Zeilenumbrüche"),
    ({"position": "Managerin\x07"}, "position", "ohne Zeilenumbrüche"),
    # Nor does it reverse how it displays: what the Tandem partner reads is what was typed.
    ({"position": "\u202eProjektleitung"}, "position", "Richtungszeichen"),
    ({"last_name": "Becker\u2067"}, "last_name", "Richtungszeichen"),
    ({"first_name": "Pa\u200fula"}, "first_name", "Richtungszeichen"),
    ({"first_name": "Pa\u200bula"}, "first_name", "Richtungszeichen"),
    ({"first_name": "\ufeffPaula"}, "first_name", "Richtungszeichen"),
    ({"phone": "\u202e0171 2345"}, "phone", "Richtungszeichen"),
    ({"phone": "abc"}, "phone", "Telefonnummer aus Ziffern"),
    ({"phone": "0561"}, "phone", "Telefonnummer aus Ziffern"),
    ({"org_type": "99999"}, "org_type", "gültige Auswahl"),
    ({"federal_state": "abc"}, "federal_state", "gültige Auswahl"),
    ({"need_haushalt": "7"}, "need_haushalt", "gültige Auswahl"),
    ({"languages": []}, "languages", "zwingend erforderlich"),
    ({"languages": ["klingonisch"]}, "languages", "gültige Auswahl"),
    ({"mentor_capacity": "50", "role": "mentor", "comp_haushalt": "3"}, "mentor_capacity", "gültige Auswahl"),
])
def test_bad_input_is_a_german_field_error_and_saves_nothing(client, overrides, field, message):
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 200
    errors = errors_of(response)
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert nothing_saved()
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in html
    assert 'aria-invalid="true"' in html or "is-invalid" in html


@pytest.mark.django_db
def test_existing_email_gets_same_answer_and_a_mail(client, mentee, django_capture_on_commit_callbacks,
                                                    mailoutbox):
    before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(email=mentee.email.upper()))
    assert response.status_code == 302 and response.url == reverse("accounts:registration_done")
    assert User.objects.count() == before
    assert mentee.profile.organisation.name != "Stadt Kassel"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([mentee.email, "koordination@example.org"])
    assert "bereits ein Konto" in next(m for m in mailoutbox if m.to == [mentee.email]).body


@pytest.mark.django_db
def test_honeypot_answers_like_success_and_stores_nothing(client):
    response = client.post(URL, form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert nothing_saved()


@pytest.mark.django_db
def test_rate_limit_stops_mass_registration(client):
    for n in range(10):
        assert client.post(URL, form_data(email=f"p{n}@example.org")).status_code == 302
    response = client.post(URL, form_data(email="p11@example.org"))
    assert response.status_code == 429
    assert "zu viele Anmeldungen" in response.content.decode()
    assert not User.objects.filter(email="p11@example.org").exists()


@pytest.mark.django_db
def test_failure_inside_the_transaction_leaves_nothing(client, monkeypatch):
    from accounts import services

    def boom(**kwargs):
        raise RuntimeError("SMTP-Template kaputt")

    monkeypatch.setattr(services, "consent_give", boom)
    with pytest.raises(RuntimeError):
        client.post(URL, form_data())
    assert nothing_saved()


@pytest.mark.django_db
def test_logged_in_participant_is_sent_to_profile(client, mentee):
    client.force_login(mentee)
    assert client.get(URL).url == reverse("accounts:profile")


@pytest.mark.django_db
def test_today_is_a_valid_start_date(client):
    today = datetime.date.today().isoformat()
    response = client.post(URL, form_data(role_started_on=today, funding_ends_on=""))
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("field, value", [
    ("first_name", "Ihr Konto wird gesperrt: boese.net/login"), ("last_name", "www.boese.example"),
    ("last_name", "Becker https://boese.example"), ("first_name", "anna@boese.example"),
    ("organisation_name", "Stadt Kassel – jetzt anmelden: boese.com"), ("position", "Klick: boese.de"),
    ("department", "Umweltamt (paypal-login.at)"), ("first_name", "Anna bit.ly/abc")])
def test_a_name_or_organisation_carrying_an_address_is_refused_next_to_it(client, field, value):
    """The Anmeldung mails what was typed to the address typed with it: a "name" with a link reached anyone."""
    response = client.post(URL, form_data(**{field: value}))
    assert errors_of(response)[field] == ["Bitte ohne Web- oder E-Mail-Adresse eingeben."]
    assert not User.objects.filter(email="anna.becker@kassel.de").exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["Dr. med. Anna-Lena", "O'Brien", "Müller-Lüdenscheidt", "St. Ingbert", "Jo. Dey",
                                   "Dr.de Vries", "Abt.Org.", "Energie.Info", "a.d. Elbe"])
def test_ordinary_names_pass(client, value):
    response = client.post(URL, form_data(first_name=value))
    assert response.status_code == 302, errors_of(response)


@pytest.mark.django_db
def test_every_link_of_the_account_mails_is_on_the_site_address(client, settings, mentee,
                                                               django_capture_on_commit_callbacks, mailoutbox):
    """The confirmation link took the host the form was sent to (allauth builds it from the request), while the
    profile and login links beside it used SITE_URL: one mail, two hosts. Password reset links alike."""
    import re

    settings.SITE_URL = "https://mentoring.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data(), HTTP_HOST="10.0.0.7:8000")
        client.post("/konto/password/reset/", {"email": mentee.email}, HTTP_HOST="10.0.0.7:8000")
    links = [link for mail in mailoutbox for link in re.findall(r"https?://[^\s\"<>]+", mail.body)]
    assert any("/konto/confirm-email/" in link for link in links) and any("/konto/password/reset/key/" in link
                                                                         for link in links)
    assert links and all(link.startswith("https://mentoring.example.org/") for link in links), links
