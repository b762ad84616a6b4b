"""DSGVO: erasure frees places and leaves nothing of the person in events; the export holds every row."""
import datetime
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from accounts.services import user_delete, user_export
from events.models import CalendarFeed, Event, EventRegistration, EventSpeaker
from events.selectors import with_places
from events.services import calendar_feed_for, event_register
from mentoring.kernel.models import OutboxMessage
from mentoring.kernel.privacy import FORMER_PARTICIPANT

from .factories import EventFactory, EventRegistrationFactory, EventSpeakerFactory, participant

pytestmark = pytest.mark.django_db
Status = EventRegistration.Status
NOTE = "Ich brauche einen Platz für meinen Rollstuhl und vegetarisches Essen."


def person_rows(user) -> list[models.Model]:
    """Every row of the events app with a foreign key to this person."""
    rows = []
    for model in apps.get_app_config("events").get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) \
                    and field.related_model is get_user_model():
                rows += list(model.objects.filter(**{field.name: user}))
    return rows


@pytest.fixture
def person_with_history():
    """A person with a future place on a full event, a waitlist entry, a past attended event, a feed, a talk."""
    person = participant()
    full = EventFactory(title="Ausgebucht", capacity=1)
    place = event_register(event=full, user=person, note=NOTE)
    waiting = event_register(event=full, user=participant())
    other = EventFactory(title="Warteliste", capacity=1)
    event_register(event=other, user=participant())
    event_register(event=other, user=person)
    past = EventFactory(title="Vergangen", past=True)
    EventRegistrationFactory(event=past, user=person, attended=True, note="Komme etwas später.")
    EventRegistrationFactory(event=past, attended=True)
    EventRegistrationFactory(event=EventFactory(title="Abgemeldet"), user=person, status=Status.CANCELLED,
                             cancelled_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    calendar_feed_for(user=person)
    speaker = EventSpeakerFactory(event=past, participant=person, name="Dr. Erika Beispiel", affiliation="Stadt Gießen")
    return {"person": person, "full": full, "place": place, "waiting": waiting, "past": past, "speaker": speaker}


def test_export_holds_every_events_row_of_the_person(person_with_history):
    person = person_with_history["person"]
    export = user_export(user=person)["events"]
    text = json.dumps(export, ensure_ascii=False)
    rows = person_rows(person)
    assert {type(row) for row in rows} == {EventRegistration, CalendarFeed, EventSpeaker}
    registrations = [row for row in rows if isinstance(row, EventRegistration)]
    assert len(export["anmeldungen"]) == len(registrations) == 4
    for row in rows:
        for field in row._meta.concrete_fields:
            value = getattr(row, field.attname)
            if isinstance(value, str) and value and not field.choices:
                assert value in text, (type(row).__name__, field.name)
    assert NOTE in text and "Komme etwas später." in text
    assert export["kalender_abo"]["schluessel"] == CalendarFeed.objects.get(user=person).token
    assert export["als_referent_in"] == [{
        # On the programme's clock, as the site shows it (it was UTC: an hour early in winter).
        "veranstaltung": "Vergangen", "beginn": timezone.localtime(person_with_history["past"].starts_at).isoformat(),
        "name": "Dr. Erika Beispiel", "organisation_funktion": "Stadt Gießen"}]


def test_erasure_frees_places_keeps_counts_and_leaves_nothing(person_with_history):
    person = person_with_history["person"]
    email, pk = person.email, person.pk
    waiting, past, speaker = (person_with_history[k] for k in ("waiting", "past", "speaker"))
    OutboxMessage.objects.all().delete()

    user_delete(user=person)

    # The next person on the waitlist moved up and was told; the erased person got no events mail.
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert OutboxMessage.objects.filter(key=f"event-promoted:{waiting.pk}", to=waiting.user.email).exists()
    assert not OutboxMessage.objects.filter(to=email, key__startswith="event-").exists()
    # Nothing in events names or belongs to the person any more.
    assert not EventRegistration.objects.filter(user_id=pk).exists()
    assert not CalendarFeed.objects.filter(user_id=pk).exists()
    assert not EventRegistration.objects.filter(note__in=[NOTE, "Komme etwas später."]).exists()
    speaker.refresh_from_db()
    assert (speaker.name, speaker.affiliation, speaker.participant_id) == (str(FORMER_PARTICIPANT), "", None)
    # Staff keep the figures of the past event: two places, two attended, one of them an erased account.
    past = with_places(Event.objects.filter(pk=past.pk)).get()
    assert (past.confirmed_count, past.former_places, past.former_attended) == (1, 1, 1)
    # The full event's place went to the person who waited; the waitlist event lost its entry.
    assert with_places(Event.objects.filter(title="Ausgebucht")).get().confirmed_count == 1
    assert with_places(Event.objects.filter(title="Warteliste")).get().waitlist_count == 0


def test_admin_places_column_counts_erased_accounts(client, staff_user, person_with_history):
    user_delete(user=person_with_history["person"])
    client.force_login(staff_user)
    response = client.get("/admin/events/event/", {"q": "Vergangen"})
    assert "2 / 10" in response.content.decode()


def test_a_registrations_note_is_cleared_a_month_after_the_event_and_the_place_stays(settings, client):
    """Notes like "Rollstuhl, bitte barrierefreier Raum" (health data) stayed for ever after the event."""
    import datetime

    from events.services import registration_notes_expire
    from events.tasks import expire_registration_notes

    from .factories import EventFactory, EventRegistrationFactory

    now = timezone.now()
    old = EventFactory(starts_at=now - datetime.timedelta(days=33), ends_at=now - datetime.timedelta(days=32))
    recent = EventFactory(starts_at=now - datetime.timedelta(days=3), ends_at=now - datetime.timedelta(days=2))
    done = EventRegistrationFactory(event=old, note="Rollstuhl, bitte barrierefreier Raum")
    kept = EventRegistrationFactory(event=recent, note="Gebärdensprache")
    assert settings.EVENT_NOTE_RETENTION_DAYS == 30
    assert expire_registration_notes.apply().get() == 1
    done.refresh_from_db(), kept.refresh_from_db()
    assert done.note == "" and kept.note == "Gebärdensprache"  # the place itself stays: only the note goes
    assert registration_notes_expire(now=now + datetime.timedelta(days=29)) == 1
    kept.refresh_from_db()
    assert kept.note == ""
    # The privacy page says so.
    page = " ".join(client.get("/datenschutz/").content.decode().split())
    assert "(z. B. zu Barrierefreiheit) löschen wir 30 Tage nach der Veranstaltung" in page
