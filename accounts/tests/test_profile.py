"""/profil/: status, editing, consents, withdrawal, export and deletion."""
import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Consent, Need, ProgrammeYear, Registration, Topic, User
from accounts.tests.factories import participant
from mentoring.kernel.models import OutboxMessage


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get("/profil/")
    assert response.status_code == 302 and response.url.startswith("/konto/login/")


@pytest.mark.django_db
def test_profile_shows_status_needs_and_consents(client, unapproved_user):
    client.force_login(unapproved_user)
    html = client.get("/profil/").content.decode()
    assert 'data-status="submitted"' in html and "eingegangen" in html
    assert "Einstieg &amp; erste 100 Tage" in html
    assert "Verarbeitung für das Programm" in html and "nicht erteilt" in html  # news consent not given


def edit_data(user, **overrides):
    profile = user.profile
    data = {
        "role": profile.role, "phone": "0561 123", "organisation_name": profile.organisation.name,
        "org_type": profile.organisation.org_type_id, "federal_state": profile.organisation.federal_state_id,
        "size_class": profile.organisation.size_class, "position": "Klimaanpassungsmanagerin",
        "department": "", "role_started_on": "2026-03-01", "funding_line": "a1", "funding_ends_on": "2028-02-28",
        "concept_stage": "in_progress", "needs_text": "Neu: Hitzeaktionsplan", "competences_text": "",
        "meeting_format": "online", "languages": ["de"], "need_hitzeaktionsplan": "3", "mentor_capacity": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_edit_needs_and_preferences(client, mentee):
    client.force_login(mentee)
    assert client.get("/profil/bearbeiten/").status_code == 200
    response = client.post("/profil/bearbeiten/", edit_data(mentee))
    assert response.status_code == 302
    mentee.profile.refresh_from_db()
    assert [n.topic.slug for n in mentee.profile.needs.all()] == ["hitzeaktionsplan"]
    assert mentee.profile.meeting_format == "online" and mentee.profile.phone == "0561 123"


@pytest.mark.django_db
def test_edit_mentor_availability_and_capacity(client, mentor):
    client.force_login(mentor)
    response = client.post("/profil/bearbeiten/", edit_data(mentor, need_hitzeaktionsplan="", comp_haushalt="3",
                                                            mentor_capacity="3"))
    assert response.status_code == 302
    mentor.profile.refresh_from_db()
    assert mentor.profile.mentor_capacity == 3 and mentor.profile.mentor_available is False


@pytest.mark.django_db
def test_after_the_approval_only_the_koordination_changes_the_role(client, mentee, unapproved_user):
    """A mentee posting role=mentor would open the mentors' forum and the pool's Mentor*in side without anyone
    having talked to them: the form keeps the stored role and says who changes it; the service refuses it too."""
    from accounts import services
    from accounts.errors import TransitionError
    from forum.models import Category

    client.force_login(mentee)
    page = client.get("/profil/bearbeiten/").content.decode()
    assert "ändert die Koordination Ihre Rolle" in page
    response = client.post("/profil/bearbeiten/", edit_data(mentee, role="mentor", comp_haushalt="3",
                                                            mentor_capacity="2", mentor_available="on"))
    assert response.status_code == 302
    mentee.profile.refresh_from_db()
    assert mentee.profile.role == "mentee" and mentee.profile.mentor_capacity == 0
    category = Category.objects.create(name="Nur Mentor*innen", slug="nur-mentorinnen", mentors_only=True)
    assert client.get(f"/forum/kategorie/{category.slug}/").status_code == 404
    with pytest.raises(TransitionError) as error:
        services.profile_update(profile=mentee.profile, profile_data={"role": "both"}, organisation_data={},
                                needs={}, competences={})
    assert error.value.field == "role"
    # Before the approval the person still says what they come as.
    client.force_login(unapproved_user)
    assert "ändert die Koordination Ihre Rolle" not in client.get("/profil/bearbeiten/").content.decode()


@pytest.mark.django_db
def test_edit_with_bad_input_keeps_old_data(client, mentee):
    client.force_login(mentee)
    response = client.post("/profil/bearbeiten/", edit_data(mentee, need_hitzeaktionsplan="",
                                                            role_started_on="2999-01-01"))
    assert response.status_code == 200
    assert "nicht in der Zukunft" in response.content.decode()
    assert mentee.profile.needs.count() == 2


@pytest.mark.django_db
def test_withdraw_and_give_consent(client, mentee):
    client.force_login(mentee)
    # It ends running Tandems for good: the first click says so and withdraws nothing.
    asked = client.post("/profil/einwilligungen/partner_sharing/", {"action": "withdraw"})
    page = asked.content.decode()
    assert asked.status_code == 200 and "endet ein laufendes Tandem sofort" in page
    assert 'name="confirmed" value="yes"' in page
    assert mentee.consents.filter(purpose="partner_sharing", withdrawn_at__isnull=True).exists()
    client.post("/profil/einwilligungen/partner_sharing/", {"action": "withdraw", "confirmed": "yes"})
    assert not mentee.consents.filter(purpose="partner_sharing", withdrawn_at__isnull=True).exists()
    client.post("/profil/einwilligungen/news/", {"action": "give"})
    news = mentee.consents.get(purpose="news")
    assert news.version == "2026-11" and news.withdrawn_at is None
    assert client.post("/profil/einwilligungen/unsinn/", {"action": "give"}).status_code == 404


@pytest.mark.django_db
def test_withdrawing_programme_consent_withdraws_registration(client, mentee):
    client.force_login(mentee)
    client.post("/profil/einwilligungen/programme/", {"action": "withdraw"})
    assert Registration.objects.get(user=mentee).status == Registration.Status.WITHDRAWN


@pytest.mark.django_db
def test_withdraw_registration_needs_confirmation(client, mentee):
    client.force_login(mentee)
    response = client.post("/profil/zurueckziehen/", {"reason": "Stelle endet"})
    assert response.status_code == 200 and "Bitte bestätigen" in response.content.decode()
    client.post("/profil/zurueckziehen/", {"confirm": "on", "reason": "Stelle endet"})
    registration = Registration.objects.get(user=mentee)
    assert registration.status == Registration.Status.WITHDRAWN
    assert registration.transitions.last().by == mentee
    assert OutboxMessage.objects.filter(to=mentee.email, subject__contains="zurückgezogen").exists()
    assert client.get("/profil/zurueckziehen/").status_code == 404


@pytest.mark.django_db
def test_data_export_contains_what_we_store(client, mentee):
    client.force_login(mentee)
    response = client.get("/profil/export/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["konto"]["email"] == mentee.email
    assert {n["thema"] for n in data["profil"]["bedarfe"]} == {
        "Kommunale Haushaltsplanung & Finanzierung", "Steuerungskreis / Arbeitsgruppe aufbauen und moderieren"}
    assert len(data["einwilligungen"]) == 2 and data["anmeldung"]["status"] == "freigegeben"
    registration = mentee.registration
    assert data["anmeldung"]["jahrgang"] is None  # not yet given a Jahrgang
    registration.programme_year = ProgrammeYear.objects.create(label="2027/28", opens_on=datetime.date(2027, 3, 1))
    registration.save(update_fields=["programme_year"])
    assert json.loads(client.get("/profil/export/").content)["anmeldung"]["jahrgang"] == "2027/28"
    # Times on the programme's clock, as the pages show them (they were UTC: an hour early in winter).
    assert data["konto"]["registriert_am"] == timezone.localtime(mentee.date_joined).isoformat()
    assert data["anmeldung"]["eingegangen_am"] == timezone.localtime(registration.submitted_at).isoformat()
    assert data["konto"]["registriert_am"].endswith(("+01:00", "+02:00"))


@pytest.mark.django_db
def test_delete_account_needs_password_and_erases(client, mentee):
    client.force_login(mentee)
    # Before deciding, the page says what stays without the name (forum posts, meetings with the partner).
    page = " ".join(client.get("/profil/loeschen/").content.decode().split())
    assert "Was bleibt" in page and "bleiben ohne Ihren Namen als „ehemalige*r Teilnehmer*in“ stehen" in page
    assert "Ein laufendes Tandem endet damit sofort" in page
    response = client.post("/profil/loeschen/", {"password": "falsch"})
    assert "Das Passwort stimmt nicht." in response.content.decode()
    response = client.post("/profil/loeschen/", {"password": "Sicheres-Passwort-42"})
    assert response.status_code == 302
    assert not User.objects.filter(email=mentee.email).exists()
    assert not Consent.objects.filter(user_id=mentee.pk).exists()
    assert OutboxMessage.objects.filter(to=mentee.email, subject="Ihr Konto ist gelöscht").exists()


def profile_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/profil/").status_code == 200
    return len(ctx)


@pytest.mark.django_db
def test_profile_query_count_is_flat(client):
    topics = list(Topic.objects.all())
    small = participant(needs=["haushalt", "politik"], competences=["einstieg"])
    few = profile_queries(client, small)
    big = participant(needs=[], competences=[(t.slug, 2) for t in topics])
    Need.objects.bulk_create([Need(profile=big.profile, topic=t, priority=1) for t in topics])
    for _ in range(48):
        participant(needs=["haushalt"])
    assert profile_queries(client, big) == few


@pytest.mark.django_db
def test_withdrawing_registration_also_withdraws_programme_consent(client, mentee):
    client.force_login(mentee)
    client.post("/profil/zurueckziehen/", {"confirm": "on"})
    assert not mentee.consents.filter(purpose="programme", withdrawn_at__isnull=True).exists()
    assert mentee.consents.filter(purpose="partner_sharing", withdrawn_at__isnull=True).exists()


@pytest.mark.django_db
def test_allauth_errors_address_people_formally(client, mentee):
    client.force_login(mentee)
    response = client.post("/konto/password/change/", {"oldpassword": "falsch", "password1": "Neues-Passwort-77",
                                                       "password2": "Anderes-Passwort-77"})
    html = response.content.decode()
    assert "Bitte geben Sie Ihr aktuelles Passwort ein." in html
    assert "Die beiden Passwörter stimmen nicht überein." in html
    assert "gib dein" not in html and "Du musst" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "open_areas"), [(Registration.Status.SUBMITTED, False),
                                                    (Registration.Status.APPROVED, True)])
def test_links_lead_only_where_the_person_may_go(client, status, open_areas):
    """Before approval Forum, Mein Tandem and Meine Veranstaltungen only answer 'noch nicht freigeschaltet':
    the pages do not offer them as links (the profile says what happens next)."""
    client.force_login(participant(status=status))
    for path in ("/profil/", "/veranstaltungen/", "/profil/loeschen/"):
        page = client.get(path).content.decode()
        for area in ('href="/forum/"', 'href="/tandem/"', 'href="/veranstaltungen/meine/"'):
            if area == 'href="/veranstaltungen/meine/"' and path == "/profil/loeschen/":
                continue
            assert (area in page) == open_areas, f"{path}: {area}"
    delete_page = client.get("/profil/loeschen/").content.decode()
    assert 'href="/profil/export/"' in delete_page


@pytest.mark.django_db
def test_the_profile_names_each_consents_wording_by_its_day(client, mentee):
    """It read "Fassung 2026-11-26" next to "Fassung 2026-11": ISO codes, not the programme's dates."""
    from accounts.models import Consent

    mentee.consents.update(version="2026-11-26")
    mentee.consents.filter(purpose=Consent.Purpose.PARTNER_SHARING).update(version="2026-11")
    client.force_login(mentee)
    page = " ".join(client.get("/profil/").content.decode().split())
    assert "Fassung vom 26.11.2026" in page and "Fassung November 2026" in page
    assert "Fassung 2026-11" not in page


@pytest.mark.django_db
def test_the_deletion_page_offers_the_zeitnachweis_to_mentor_innen_only(client, mentee, mentor):
    """A mentee was sent to the Zeitnachweis, which answers them 404: it is a Mentor*in's."""
    client.force_login(mentee)
    page = client.get("/profil/loeschen/").content.decode()
    assert "Nachweis der Mentoringzeit" not in page and "Teilnahmebescheinigungen beendeter Tandems" in page
    client.force_login(mentor)
    assert "Nachweis der Mentoringzeit und Teilnahmebescheinigungen" in client.get("/profil/loeschen/").content.decode()
