"""The letters admin: draft, preview with the rendered mail, test mail, confirm and send; no 500 on bad input."""
import re

import pytest

from accounts.models import FederalState, Registration
from accounts.staff_groups import VERANSTALTUNGEN
from mentoring.kernel.models import OutboxMessage
from mentoring.letters import services
from mentoring.letters.models import Letter, LetterRecipient

from .factories import LetterFactory, koordination, moderation, news_consent, participant, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers():
    people = [participant(), participant()]
    for person in people:
        news_consent(person)
    return people


def form(**overrides) -> dict:
    data = {"kind": "news", "reason": "", "statuses": ["approved"], "subject_de": "Einladung zum Vernetzungstreffen",
            "body_de": "Wir laden Sie **herzlich** ein.", "subject_en": "", "body_en": "", "a2_behind_year": "",
            "event": ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def errors_of(html: str) -> str:
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S))


def test_staff_write_a_draft_and_go_to_the_preview(client, staff_user, readers):
    client.force_login(staff_user)
    hessen = FederalState.objects.get(code="06")
    response = client.post("/admin/letters/letter/add/", form(federal_states=[hessen.pk], _preview="1"))
    letter = Letter.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/letters/letter/{letter.pk}/vorschau/"
    assert (letter.created_by, letter.status, letter.statuses) == (staff_user, Letter.Status.DRAFT, ["approved"])
    page = client.get(response["Location"]).content.decode()
    assert "2 Personen erhalten dieses Rundschreiben, wenn es jetzt versendet wird." in page
    for person in readers:
        assert person.get_full_name() in page
    assert "Hessen" in page and "Betreff:</strong> Einladung zum Vernetzungstreffen" in page
    assert f'src="/admin/letters/letter/{letter.pk}/vorschau/de.html"' in page
    assert f"/admin/letters/letter/{letter.pk}/vorschau/en.html" not in page


def test_the_preview_frame_is_the_mail_itself_with_its_own_narrow_policy(client, staff_user, readers):
    letter = LetterFactory(english=True)
    client.force_login(staff_user)
    response = client.get(f"/admin/letters/letter/{letter.pk}/vorschau/en.html")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "The <strong>networking meeting</strong> takes place in March." in html
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "style-src 'unsafe-inline'" in policy
    assert "script-src 'none'" in policy and "connect-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy and response["X-Frame-Options"] == "SAMEORIGIN"
    for path in (f"/admin/letters/letter/{letter.pk}/vorschau/fr.html", "/admin/letters/letter/987654/vorschau/",
                 "/admin/letters/letter/987654/vorschau/de.html"):
        assert client.get(path).status_code == 404, path


def test_the_admin_pages_keep_the_sites_policy(client, staff_user, readers):
    letter = LetterFactory()
    client.force_login(staff_user)
    response = client.get(f"/admin/letters/letter/{letter.pk}/vorschau/")
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_test_mail_goes_to_me_only_and_only_on_post(client, staff_user, readers):
    letter = LetterFactory(english=True)
    client.force_login(staff_user)
    assert client.get(f"/admin/letters/letter/{letter.pk}/testmail/").status_code == 302
    assert not OutboxMessage.objects.exists()
    response = client.post(f"/admin/letters/letter/{letter.pk}/testmail/", follow=True)
    expected = f"Die Testmail ist an {staff_user.email} unterwegs (2 Fassungen: deutsch und englisch)."
    assert expected in response.content.decode()
    assert set(OutboxMessage.objects.values_list("to", flat=True)) == {staff_user.email}
    assert OutboxMessage.objects.count() == 2


def test_confirm_page_then_send_then_the_letter_shows_its_delivery(client, staff_user, readers):
    letter = LetterFactory()
    client.force_login(staff_user)
    page = client.get(f"/admin/letters/letter/{letter.pk}/senden/").content.decode()
    assert "2 Personen erhalten dieses Rundschreiben." in page and "Jetzt an alle senden" in page
    assert not OutboxMessage.objects.exists()
    response = client.post(f"/admin/letters/letter/{letter.pk}/senden/")
    assert response.status_code == 302 and response["Location"] == f"/admin/letters/letter/{letter.pk}/change/"
    change = client.get(response["Location"]).content.decode()
    assert "Das Rundschreiben geht an 2 Personen" in change
    assert "2 wartet" in change and f"?letter__id__exact={letter.pk}" in change
    assert 'name="subject_de"' not in change, "a sent letter can no longer be edited"
    again = client.post(f"/admin/letters/letter/{letter.pk}/senden/")
    assert again.status_code == 400 and "bereits versendet" in again.content.decode()
    assert OutboxMessage.objects.count() == 2
    recipients = client.get(f"/admin/letters/letter/?letter__id__exact={letter.pk}".replace(
        "letter/?", "letterrecipient/?")).content.decode()
    assert all(person.get_full_name() in recipients for person in readers) and "wartet" in recipients
    assert client.post(f"/admin/letters/letter/{letter.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Letter.objects.filter(pk=letter.pk).exists()


def test_a_sent_letter_cannot_be_changed_by_a_forged_post(client, staff_user, readers):
    letter = LetterFactory()
    client.force_login(staff_user)
    client.post(f"/admin/letters/letter/{letter.pk}/senden/")
    client.post(f"/admin/letters/letter/{letter.pk}/change/", form(subject_de="Geändert", kind="essential"))
    letter.refresh_from_db()
    assert (letter.subject_de, letter.kind) == ("Neues aus dem Programm", Letter.Kind.NEWS)


def test_only_a_draft_offers_editing_and_sending(client, staff_user, readers):
    letter = LetterFactory()
    client.force_login(staff_user)
    send_link = f'href="/admin/letters/letter/{letter.pk}/senden/"'
    change = client.get(f"/admin/letters/letter/{letter.pk}/change/").content.decode()
    preview = client.get(f"/admin/letters/letter/{letter.pk}/vorschau/").content.decode()
    assert send_link in change and "Sichern und Vorschau ansehen" in change
    assert send_link in preview and "Entwurf bearbeiten" in preview
    assert "Sichern und Vorschau ansehen" in client.get("/admin/letters/letter/add/").content.decode()
    services.letter_send(letter=letter, by=staff_user)
    change = client.get(f"/admin/letters/letter/{letter.pk}/change/").content.decode()
    preview = client.get(f"/admin/letters/letter/{letter.pk}/vorschau/").content.decode()
    assert send_link not in change and "Sichern und Vorschau ansehen" not in change
    assert send_link not in preview and "Entwurf bearbeiten" not in preview


def test_moderation_cannot_send_an_essential_letter_and_is_told_why(client, readers):
    letter = LetterFactory(essential=True)
    client.force_login(moderation())
    page = client.get(f"/admin/letters/letter/{letter.pk}/senden/").content.decode()
    assert "nur die Gruppe „Koordination“" in page and "Jetzt an alle senden" not in page
    response = client.post(f"/admin/letters/letter/{letter.pk}/senden/")
    assert response.status_code == 400 and "nur die Gruppe „Koordination“" in response.content.decode()
    assert not OutboxMessage.objects.exists() and not LetterRecipient.objects.exists()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT


def test_koordination_sends_an_essential_letter_from_admin(client, readers):
    without_news = participant()
    letter = LetterFactory(essential=True)
    client.force_login(koordination())
    page = client.get(f"/admin/letters/letter/{letter.pk}/senden/").content.decode()
    assert "3 Personen erhalten dieses Rundschreiben." in page
    assert "Die Fristen für die Meldung der Mentoring-Tage ändern sich." in page
    assert client.post(f"/admin/letters/letter/{letter.pk}/senden/").status_code == 302
    assert OutboxMessage.objects.filter(to=without_news.email).exists()


@pytest.mark.parametrize("fields, field, message", [
    ({"subject_en": "News", "body_en": ""}, "body_en", "Betreff und Text"),
    ({"kind": "essential", "reason": ""}, "reason", "begründen"),
    ({"a2_behind_year": "abc"}, "a2_behind_year", "ganze Zahl"),
    ({"a2_behind_year": "99999999999999999999"}, "a2_behind_year", "kleiner oder gleich"),
    ({"a2_behind_year": "²"}, "a2_behind_year", "ganze Zahl"),
    ({"roles": ["bogus"]}, "roles", "keine gültige Auswahl"),
    ({"statuses": ["' OR 1=1"]}, "statuses", "keine gültige Auswahl"),
    ({"event": "abc"}, "event", "keine gültige Auswahl"),
    ({"event": "99999999999999999999"}, "event", "keine gültige Auswahl"),
    ({"federal_states": ["abc"]}, "federal_states", "keine gültige Auswahl"),
    ({"event_waitlist": "on"}, "event_waitlist", "nur zusammen mit einer Veranstaltung"),
    ({"subject_de": ""}, "subject_de", "zwingend erforderlich"),
    ({"kind": "spam"}, "kind", "keine gültige Auswahl"),
])
def test_bad_input_is_answered_next_to_the_field_in_german(client, staff_user, fields, field, message):
    client.force_login(staff_user)
    response = client.post("/admin/letters/letter/add/", form(**fields))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in errors_of(html), errors_of(html)
    assert re.search(rf'<ul class="errorlist"[^>]*id="id_{field}_error"', html), field
    assert not Letter.objects.exists()


@pytest.mark.parametrize("path", ["vorschau/", "vorschau/de.html", "testmail/", "senden/"])
def test_participants_and_anonymous_never_reach_the_letter_views(client, path, readers):
    letter = LetterFactory()
    assert client.get(f"/admin/letters/letter/{letter.pk}/{path}").status_code == 302
    client.force_login(readers[0])
    assert client.post(f"/admin/letters/letter/{letter.pk}/{path}").status_code == 302
    assert not OutboxMessage.objects.exists()


def test_recipient_list_filter_survives_hostile_values(client, staff_user, readers):
    letter = LetterFactory()
    client.force_login(staff_user)
    client.post(f"/admin/letters/letter/{letter.pk}/senden/")
    for query in ("zustellung=pending", "zustellung=%00", "zustellung=' OR 1=1", "letter__id__exact=abc",
                  "letter__id__exact=99999999999999999999", "zustellung=skipped&language=en"):
        response = client.get(f"/admin/letters/letterrecipient/?{query}")
        assert response.status_code in (200, 302, 400), query


def test_the_group_of_a_sent_letter_is_shown_in_words(client, staff_user, readers):
    letter = LetterFactory(statuses=[Registration.Status.APPROVED], roles=["mentor"], funding_lines=["a2"])
    for person in readers:
        person.profile.role, person.profile.funding_line = "mentor", "a2"
        person.profile.save()
    client.force_login(staff_user)
    client.post(f"/admin/letters/letter/{letter.pk}/senden/")
    page = client.get(f"/admin/letters/letter/{letter.pk}/change/").content.decode()
    assert "Mentor*in (erfahren)" in page and "A.2 Umsetzungs- / Anschlussvorhaben" in page and "freigegeben" in page


def test_veranstaltungen_choose_people_only_by_what_they_may_see(client, readers):
    """The group sees no registrations and no meeting logs: its form offers neither the status of an Anmeldung
    nor the A.2 mentors behind on their days, nor essential letters; its letters go to approved participants;
    a Koordination draft that chooses by them shows this group no names and cannot be sent by it."""
    rejected = participant()
    news_consent(rejected)
    Registration.objects.filter(user=rejected).update(status=Registration.Status.REJECTED)
    client.force_login(staff_in(VERANSTALTUNGEN))
    page = client.get("/admin/letters/letter/add/").content.decode()
    assert 'name="kind"' in page and 'value="essential"' not in page and 'name="reason"' not in page
    assert 'name="statuses"' not in page and 'name="a2_behind_year"' not in page and 'name="roles"' in page
    response = client.post("/admin/letters/letter/add/", form(statuses=["rejected"], a2_behind_year="2026",
                                                              kind="essential", reason="Wichtig", _preview="1"))
    assert response.status_code == 200 and "keine gültige Auswahl" in errors_of(response.content.decode())
    assert not Letter.objects.exists()
    response = client.post("/admin/letters/letter/add/", form(statuses=["rejected"], a2_behind_year="2026",
                                                              _preview="1"))
    letter = Letter.objects.get()
    assert (letter.statuses, letter.a2_behind_year, letter.kind) == (["approved"], None, "news")
    page = client.get(response["Location"]).content.decode()
    assert rejected.get_full_name() not in page and readers[0].get_full_name() in page
    theirs = LetterFactory(statuses=["rejected"], created_by=koordination())
    for path in ("vorschau/", "vorschau/de.html", "senden/"):
        response = client.get(f"/admin/letters/letter/{theirs.pk}/{path}")
        assert response.status_code == 404 and rejected.get_full_name() not in response.content.decode(), path
    assert client.post(f"/admin/letters/letter/{theirs.pk}/senden/").status_code == 404
    assert not LetterRecipient.objects.exists() and not OutboxMessage.objects.filter(to=rejected.email).exists()
    # Nor does a test mail bring them its text.
    assert client.post(f"/admin/letters/letter/{theirs.pk}/testmail/").status_code == 404
    assert not OutboxMessage.objects.exists()
    theirs.refresh_from_db()
    assert theirs.status == Letter.Status.DRAFT
    # Once Koordination sent it, its page and recipient list do not tell the group either.
    services.letter_send(letter=theirs, by=koordination())
    assert LetterRecipient.objects.filter(letter=theirs, user=rejected).exists()
    for path in (f"/admin/letters/letter/{theirs.pk}/change/", "/admin/letters/letter/",
                 f"/admin/letters/letterrecipient/?letter__id__exact={theirs.pk}"):
        page = client.get(path, follow=True).content.decode()
        assert rejected.get_full_name() not in page and "Status der Anmeldung: abgelehnt" not in page, path


LETTER_VIEWS = ["vorschau/", "vorschau/de.html", "testmail/", "senden/"]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("path", LETTER_VIEWS)
def test_a_letter_the_staff_member_may_not_open_answers_404_as_a_missing_one_does(client, readers, path, method):
    """``access_letter``: Veranstaltungen see no registrations and no meeting logs, so a letter that chooses people
    by either is, for them, as if it did not exist; nothing is shown, mailed or sent."""
    by_status = LetterFactory(statuses=["rejected"], created_by=koordination())
    by_a2 = LetterFactory(a2_behind_year=2026, created_by=koordination())
    client.force_login(staff_in(VERANSTALTUNGEN))
    request = getattr(client, method)
    assert request(f"/admin/letters/letter/987654/{path}").status_code == 404
    for letter in (by_status, by_a2):
        assert request(f"/admin/letters/letter/{letter.pk}/{path}").status_code == 404, (letter.pk, path)
    assert not OutboxMessage.objects.exists() and not LetterRecipient.objects.exists()
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.DRAFT}


def test_each_delivery_state_is_one_rule_as_a_property_and_as_a_filter():
    """``LetterRecipient.delivery`` and ``selectors.delivery_states`` (the counts, admin's filter) agree on
    every state a recipient can be in."""
    from django.utils import timezone

    from accounts.tests.factories import participant
    from mentoring.letters import selectors
    from mentoring.letters.tests.factories import LetterFactory

    letter = LetterFactory()
    now = timezone.now()
    for number, status in enumerate(["skipped", "waiting", "gone", *OutboxMessage.Status.values]):
        fields = {"skipped": status == "skipped", "queued_at": now if status == "gone" else None}
        if status in OutboxMessage.Status.values:
            fields["outbox_message"] = OutboxMessage.objects.create(key=f"letter-state:{number}", to="x@example.org",
                                                                    subject="s", body_text="t", status=status)
            fields["queued_at"] = now
        LetterRecipient.objects.create(letter=letter, user=participant(), **fields)
    states = selectors.delivery_states()
    for recipient in LetterRecipient.objects.select_related("outbox_message"):
        assert set(LetterRecipient.objects.filter(states[recipient.delivery])) == {recipient}, recipient.delivery
    assert sum(selectors.delivery_counts(letter).values()) == len(states)


@pytest.mark.parametrize("group", ["moderation", VERANSTALTUNGEN])
def test_only_the_koordination_rewrites_or_deletes_an_essential_draft(client, group):
    """Veranstaltungen rewrote the Koordination's "Wichtige Information": text and group, sent later under the
    Koordination's name to people without news consent."""
    letter = LetterFactory(essential=True)
    client.force_login(moderation() if group == "moderation" else staff_in(VERANSTALTUNGEN))
    url = f"/admin/letters/letter/{letter.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="body_de"' not in page.content.decode()  # read only
    response = client.post(url, form(kind="essential", reason="Frist", body_de="Bitte hier klicken: http://x"))
    assert response.status_code == 403
    assert client.post(f"/admin/letters/letter/{letter.pk}/delete/", {"post": "yes"}).status_code == 403
    letter.refresh_from_db()
    assert "http://x" not in letter.body_de
    # The Koordination still writes it.
    client.force_login(koordination())
    assert 'name="body_de"' in client.get(url).content.decode()


def test_the_event_choice_names_each_event_with_its_day(client):
    """Three "Testveranstaltung Probe" stood there alike: the day (and a cancellation) tells them apart."""
    import datetime

    from django.utils import timezone

    from events.models import Event
    from events.tests.factories import EventFactory

    first = EventFactory(title="Probe", starts_at=timezone.make_aware(datetime.datetime(2027, 3, 4, 10)),
                         ends_at=timezone.make_aware(datetime.datetime(2027, 3, 4, 12)))
    EventFactory(title="Probe", starts_at=timezone.make_aware(datetime.datetime(2027, 5, 6, 10)),
                 ends_at=timezone.make_aware(datetime.datetime(2027, 5, 6, 12)), status=Event.Status.CANCELLED)
    client.force_login(koordination())
    page = client.get("/admin/letters/letter/add/").content.decode()
    assert f'<option value="{first.pk}">Probe (04.03.2027)</option>' in page
    assert "Probe (06.05.2027, abgesagt)" in page


def test_a_registration_page_offers_no_add_edit_or_delete_of_its_jahrgang(client):
    from accounts.tests.factories import participant as person

    registration = person().registration
    client.force_login(koordination())
    page = client.get(f"/admin/accounts/registration/{registration.pk}/change/").content.decode()
    assert 'id="add_id_programme_year"' not in page and 'id="delete_id_programme_year"' not in page
    assert 'id="change_id_programme_year"' not in page
