"""The .ics download and the private feed parse with icalendar and keep Berlin times across DST."""
import base64
import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from events.models import Event, EventRegistration
from events.services import calendar_feed_for, event_cancel, event_register
from mentoring.kernel.models import OutboxMessage

from .factories import EventFactory, EventRegistrationFactory, participant

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BERLIN)


def parse(content: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0"
    [timezone] = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Berlin"
    return calendar


@time_machine.travel(berlin(2027, 3, 1, 9, 0), tick=False)
def test_event_ics_has_berlin_times_on_both_sides_of_the_spring_change(client):
    # Summer time begins on 28 March 2027; the event before it is CET (+1), the one after it CEST (+2).
    before = EventFactory(starts_at=berlin(2027, 3, 27, 10, 0), ends_at=berlin(2027, 3, 27, 12, 0))
    after = EventFactory(starts_at=berlin(2027, 3, 29, 10, 0), ends_at=berlin(2027, 3, 29, 12, 0))
    for event, offset in ((before, 1), (after, 2)):
        response = client.get(reverse("events:ics", args=[event.pk]))
        assert response["Content-Type"].startswith("text/calendar")
        assert "attachment" in response["Content-Disposition"]
        assert b"DTSTART;TZID=Europe/Berlin:202703" in response.content
        [vevent] = parse(response.content).walk("VEVENT")
        start = vevent.decoded("DTSTART")
        assert (start.hour, start.minute) == (10, 0)
        assert start.utcoffset() == datetime.timedelta(hours=offset)
        assert start == event.starts_at
        assert vevent.decoded("DTEND") == event.ends_at
        assert str(vevent["SUMMARY"]) == event.title
        assert str(vevent["STATUS"]) == "CONFIRMED"


@time_machine.travel(berlin(2027, 10, 1, 9, 0), tick=False)
def test_feed_lists_confirmed_places_across_the_autumn_change(client):
    registration = EventRegistrationFactory(
        event=EventFactory(title="Vor der Zeitumstellung", starts_at=berlin(2027, 10, 30, 18, 0),
                           ends_at=berlin(2027, 10, 30, 20, 0)))
    person = registration.user
    after = EventFactory(title="Nach der Zeitumstellung", starts_at=berlin(2027, 11, 1, 18, 0),
                         ends_at=berlin(2027, 11, 1, 20, 0))
    EventRegistrationFactory(event=after, user=person)
    EventRegistrationFactory(event=EventFactory(title="Nur Warteliste"), user=person,
                             status=EventRegistration.Status.WAITLISTED, confirmed_at=None)
    EventRegistrationFactory(event=EventFactory(title="Abgemeldet"), user=person,
                             status=EventRegistration.Status.CANCELLED)
    EventRegistrationFactory(event=EventFactory(title="Platz einer anderen Person"))
    token = calendar_feed_for(user=person).token
    response = client.get(reverse("events:feed", args=[token]))
    assert response.status_code == 200
    # Calendar apps subscribe to it: handed over, not saved.
    assert response["Content-Disposition"] == 'inline; filename="veranstaltungen.ics"'
    calendar = parse(response.content)
    assert "REFRESH-INTERVAL" in calendar
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Vor der Zeitumstellung", "Nach der Zeitumstellung"}
    assert events["Vor der Zeitumstellung"].decoded("DTSTART").utcoffset() == datetime.timedelta(hours=2)
    assert events["Nach der Zeitumstellung"].decoded("DTSTART").utcoffset() == datetime.timedelta(hours=1)
    assert events["Nach der Zeitumstellung"].decoded("DTSTART").hour == 18
    # Only the person's own feed carries the meeting link, and it is in the subscribed calendar.
    assert after.online_url in events["Nach der Zeitumstellung"].decoded("DESCRIPTION").decode()


def test_cancelled_event_appears_cancelled_with_a_higher_sequence(client, staff_user):
    registration = EventRegistrationFactory()
    event = registration.event
    event_cancel(event=event, message="Leider krankheitsbedingt.", by=staff_user)
    token = calendar_feed_for(user=registration.user).token
    [vevent] = parse(client.get(reverse("events:feed", args=[token])).content).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent.decoded("SEQUENCE") == 1
    assert "Leider krankheitsbedingt." in vevent.decoded("DESCRIPTION").decode()
    assert Event.objects.get(pk=event.pk).is_cancelled


def test_mail_attachment_parses_too():
    event = EventFactory(starts_at=berlin(2030, 7, 1, 9, 30), ends_at=berlin(2030, 7, 1, 11, 0))
    registration = event_register(event=event, user=participant())
    [attachment] = OutboxMessage.objects.get(key=f"event-confirmed:{registration.pk}").attachments
    content = base64.b64decode(attachment["content"]) if attachment["base64"] else attachment["content"].encode()
    [vevent] = parse(content).walk("VEVENT")
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=2)
