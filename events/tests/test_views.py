"""The pages themselves: filters, messages for bad input, the waitlist position, the home teaser."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import FederalState
from accounts.tests.factories import topic
from events.models import Event, EventRegistration
from events.services import event_cancel

from .factories import EventFactory, EventRegistrationFactory, participant

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    return {event.title for event in response.context["page"].object_list}


def test_filters_by_kind_format_topic_and_state(client):
    hesse = FederalState.objects.get(code="06")
    EventFactory(title="Seminar Hitze", topics=[topic("hitzeaktionsplan")])
    EventFactory(title="Treffen Kassel", kind=Event.Kind.NETWORKING, onsite=True, federal_state=hesse)
    EventFactory(title="Hybride Fortbildung", kind=Event.Kind.TRAINING, format=Event.Format.HYBRID,
                 venue="Erfurt", topics=[topic("starkregen")])
    url = reverse("events:list")
    assert titles(client.get(url)) == {"Seminar Hitze", "Treffen Kassel", "Hybride Fortbildung"}
    assert titles(client.get(url, {"kind": "networking"})) == {"Treffen Kassel"}
    assert titles(client.get(url, {"format": "hybrid"})) == {"Hybride Fortbildung"}
    assert titles(client.get(url, {"topic": topic("hitzeaktionsplan").pk})) == {"Seminar Hitze"}
    assert titles(client.get(url, {"federal_state": hesse.pk})) == {"Treffen Kassel"}
    # A hand-edited URL with nonsense filters is no error: it filters nothing.
    assert client.get(url, {"kind": "quatsch", "topic": "x", "seite": "999"}).status_code == 200


def test_past_events_are_in_the_archive_not_the_list(client):
    EventFactory(title="Vergangen", past=True)
    EventFactory(title="Kommend")
    assert titles(client.get(reverse("events:list"))) == {"Kommend"}
    assert titles(client.get(reverse("events:archive"))) == {"Vergangen"}


def test_register_via_page_shows_waitlist_position(client, mentee):
    event = EventFactory(capacity=1)
    EventRegistrationFactory(event=event)
    EventRegistrationFactory(event=event, status=EventRegistration.Status.WAITLISTED, confirmed_at=None)
    client.force_login(mentee)
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    content = response.content.decode()
    assert "Sie stehen auf der Warteliste" in content
    assert "auf Platz 2" in content


def test_register_twice_via_page_gives_a_german_message(client, mentee):
    event = EventFactory()
    client.force_login(mentee)
    client.post(reverse("events:register", args=[event.pk]))
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert response.status_code == 200
    assert "bereits angemeldet" in response.content.decode()
    assert EventRegistration.objects.filter(event=event).count() == 1


def test_register_after_deadline_via_page_gives_a_german_message(client, mentee):
    event = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(minutes=5))
    client.force_login(mentee)
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert "Anmeldeschluss für diese Veranstaltung ist vorbei" in response.content.decode()
    assert not EventRegistration.objects.exists()


def test_too_long_note_shows_the_error_next_to_the_field(client, mentee):
    event = EventFactory()
    client.force_login(mentee)
    response = client.post(reverse("events:register", args=[event.pk]), {"note": "x" * 1001})
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    assert "is-invalid" in response.content.decode()
    assert not EventRegistration.objects.exists()


def test_cancel_without_registration_is_a_message_not_an_error(client, mentee):
    event = EventFactory()
    client.force_login(mentee)
    response = client.post(reverse("events:cancel", args=[event.pk]), follow=True)
    assert response.status_code == 200
    assert "nicht angemeldet" in response.content.decode()


def test_cancelled_event_shows_the_reason_and_no_form(client, mentee, staff_user):
    event = event_cancel(event=EventFactory(), message="Die Referentin ist erkrankt.", by=staff_user)
    client.force_login(mentee)
    content = client.get(event.get_absolute_url()).content.decode()
    assert "Die Referentin ist erkrankt." in content
    assert "Jetzt anmelden" not in content


def test_a_cancelled_event_gives_its_online_link_to_nobody(client, mentee, staff_user):
    """The cancellation mail carries no link; neither do the page, the event's .ics or the person's feed."""
    from events.services import calendar_feed_for

    event = EventFactory()
    EventRegistrationFactory(event=event, user=mentee)
    link = event.online_url
    client.force_login(mentee)
    assert link in client.get(event.get_absolute_url()).content.decode()
    event_cancel(event=event, message="Die Referentin ist erkrankt.", by=staff_user)
    feed = calendar_feed_for(user=mentee)
    for url in (event.get_absolute_url(), reverse("events:ics", args=[event.pk]),
                reverse("events:feed", args=[feed.token])):
        assert link not in client.get(url).content.decode(), url
    client.force_login(staff_user)
    assert link not in client.get(event.get_absolute_url()).content.decode()


def test_description_markdown_is_rendered_safely(client):
    event = EventFactory(description="**Wichtig** <script>alert(1)</script> [Link](javascript:alert(1))")
    content = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>Wichtig</strong>" in content
    assert "<script>alert(1)</script>" not in content
    assert 'href="javascript:' not in content


def test_speaker_expertise_is_shown_to_participants_only(client, mentee):
    speaker = participant(competences=[("hitzeaktionsplan", 3)])
    event = EventFactory(topics=[topic("hitzeaktionsplan")])
    event.speakers.create(name="Dr. Maria Beispiel", participant=speaker)
    assert "sehr erfahren" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(mentee)
    content = client.get(event.get_absolute_url()).content.decode()
    assert "Dr. Maria Beispiel" in content and "sehr erfahren" in content


def test_list_shows_free_places_and_when_only_the_waitlist_is_left(client):
    full = EventFactory(title="Voll", capacity=1)
    EventRegistrationFactory(event=full)
    EventRegistrationFactory(event=EventFactory(title="Fast voll", capacity=3))
    content = client.get(reverse("events:list")).content.decode()
    full_card, open_card = (content.split(f">{title}</a>")[1].split("</li>")[0] for title in ("Voll", "Fast voll"))
    assert "ausgebucht – Warteliste" in full_card and "frei" not in full_card
    assert "noch 2 freie Plätze" in open_card and "ausgebucht" not in open_card


def test_the_list_offers_free_places_only_while_registration_is_open(client):
    """An event that has begun (it stays in the list until it ends) or whose deadline has passed offers no place:
    the list asks the model's rule, as the event page and the service do."""
    now = timezone.now()
    EventFactory(title="Läuft gerade", starts_at=now - datetime.timedelta(hours=1),
                 ends_at=now + datetime.timedelta(hours=1), registration_deadline=now - datetime.timedelta(days=1))
    EventFactory(title="Anmeldeschluss vorbei", registration_deadline=now - datetime.timedelta(hours=1))
    content = client.get(reverse("events:list")).content.decode()
    for title in ("Läuft gerade", "Anmeldeschluss vorbei"):
        card = content.split(f">{title}</a>")[1].split("</li>")[0]
        assert "frei" not in card and "Warteliste" not in card, title


def test_a_long_list_links_each_page_and_keeps_the_filters(client):
    """Events page like the forum (includes/pagination.html): numbered links, the current page marked, the
    filters kept once in every link."""
    for _ in range(45):
        EventFactory(kind=Event.Kind.NETWORKING)
    EventFactory(title="Seminar ohne Filtertreffer")
    page = client.get(reverse("events:list"), {"kind": "networking", "seite": "2"}).content.decode()
    assert 'aria-current="page">2</span>' in page
    for number in (1, 3):
        assert f'href="?kind=networking&amp;seite={number}"' in page
    assert "seite=4" not in page and "Seminar ohne Filtertreffer" not in page
    assert page.count("kind=networking") == page.count("seite=")


def test_my_events_lists_only_events_the_person_may_still_open(client, mentor):
    """Someone who switched from Mentor*in to mentee keeps their place on a Mentor*innen-Schulung in the database,
    but "Meine Veranstaltungen" no longer lists it: its link would answer 404 (the calendar feed drops it too)."""
    from accounts.models import Profile

    training = EventFactory(title="Schulung für Mentor*innen", mentor_training=True)
    seminar = EventFactory(title="Offenes Seminar")
    EventRegistrationFactory(event=training, user=mentor)
    EventRegistrationFactory(event=seminar, user=mentor)
    client.force_login(mentor)
    listed = client.get(reverse("events:mine")).content.decode()
    assert "Schulung für Mentor*innen" in listed and "Offenes Seminar" in listed

    Profile.objects.filter(user=mentor).update(role="mentee")
    listed = client.get(reverse("events:mine")).content.decode()
    assert "Schulung für Mentor*innen" not in listed and "Offenes Seminar" in listed
    assert client.get(training.get_absolute_url()).status_code == 404


def participation_box(response) -> str:
    """The text of the page's "Teilnahme" box, as a reader sees it (tags removed, spaces joined)."""
    import re

    html = response.content.decode()
    box = html[html.index('<h2 id="teilnahme"'):html.index("In meinen Kalender")]
    return " ".join(re.sub(r"<[^>]+>", " ", box).split())


def test_a_place_after_the_deadline_names_the_models_reason_and_offers_no_button(client, mentee):
    """The page says why it offers no "abmelden" in the sentence the service refuses with
    (``EventRegistration.cancel_refused_because``)."""
    event = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    EventRegistrationFactory(event=event, user=mentee)
    client.force_login(mentee)
    box = participation_box(client.get(event.get_absolute_url()))
    assert ("Sie sind angemeldet. Der Anmeldeschluss ist vorbei; eine Abmeldung ist online nicht mehr möglich. "
            "Bitte schreiben Sie der Koordination.") in box
    assert "Von der Veranstaltung abmelden" not in box


def test_a_place_on_a_cancelled_event_needs_no_cancelling(client, mentee, staff_user):
    event = EventFactory()
    EventRegistrationFactory(event=event, user=mentee)
    event_cancel(event=event, message="Die Referentin ist erkrankt.", by=staff_user)
    client.force_login(mentee)
    box = participation_box(client.get(event.get_absolute_url()))
    assert "Diese Veranstaltung wurde abgesagt; eine Abmeldung ist nicht nötig." in box
    assert "Von der Veranstaltung abmelden" not in box


def test_why_registration_is_closed_is_the_models_sentence(client, mentee, staff_user):
    """``Event.registration_closed_because`` words the page's reason, as it words the service's refusal."""
    client.force_login(mentee)
    late = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    assert participation_box(client.get(late.get_absolute_url())) == (
        "Teilnahme Der Anmeldeschluss für diese Veranstaltung ist vorbei.")
    called_off = event_cancel(event=EventFactory(), message="Die Referentin ist erkrankt.", by=staff_user)
    assert participation_box(client.get(called_off.get_absolute_url())) == (
        "Teilnahme Diese Veranstaltung wurde abgesagt.")
    client.force_login(staff_user)
    draft = EventFactory(status=Event.Status.DRAFT)
    assert participation_box(client.get(draft.get_absolute_url())) == (
        "Teilnahme Diese Veranstaltung ist noch nicht veröffentlicht.")
