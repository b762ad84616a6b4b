"""Every .ics the site writes passes a strict parser other than the one that writes it (``ical``)."""
import base64
import datetime
import re

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from ical.calendar import Calendar
from ical.calendar_stream import IcsCalendarStream
from ical.exceptions import CalendarParseError

from events.ical import MIMETYPE
from events.models import Event, EventRegistration
from events.services import (
    calendar_feed_for,
    event_cancel,
    event_register,
    event_registration_cancel,
    event_reminder_send,
    event_save,
)
from mentoring.kernel.mail import outbox_deliver
from mentoring.kernel.models import OutboxMessage

from .factories import EventFactory, participant

pytestmark = pytest.mark.django_db

# Commas, semicolons, backslashes and line breaks must be escaped (RFC 5545 3.3.11).
TITLE = "Hitze, Starkregen; Dürre \\ Überflutung – ein sehr langer Titel, der über 75 Oktette hinausgeht"
VENUE = "Rathaus Kassel, Obere Königsstraße 8; Raum 2"
DESCRIPTION = "Erste Zeile; mit Semikolon\nZweite Zeile, mit Komma\n\nDritter Absatz."


def strict(content: bytes) -> Calendar:
    """Parse as a calendar client would, after checking the octet-level rules the parser is lenient about."""
    assert content.endswith(b"\r\n")
    lines = content.split(b"\r\n")[:-1]
    for line in lines:
        assert b"\n" not in line and b"\r" not in line, line  # every line ends in CRLF
        assert len(line) <= 75, line  # folded at 75 octets (RFC 5545 3.1)
        line.decode("utf-8")  # folding never splits a character
    calendar = IcsCalendarStream.calendar_from_ics(content.decode("utf-8"))
    assert calendar.prodid and calendar.version == "2.0"
    assert calendar.method == "PUBLISH"
    assert [tz.tz_id for tz in calendar.timezones] == ["Europe/Berlin"]
    for vevent in calendar.events:
        assert vevent.dtstamp.tzinfo is not None and vevent.dtstamp.utcoffset() == datetime.timedelta(0)
        assert re.fullmatch(r"veranstaltung-\d+@[\w.-]+", vevent.uid)
        assert str(vevent.dtstart.tzinfo) == "Europe/Berlin"
        assert vevent.organizer is not None
    return calendar


def attachment_bytes(key: str) -> bytes:
    [attachment] = OutboxMessage.objects.get(key=key).attachments
    assert attachment["mimetype"] == MIMETYPE
    return base64.b64decode(attachment["content"]) if attachment["base64"] else attachment["content"].encode()


def test_the_parser_rejects_the_old_refresh_interval(client):
    """The feed as it was written before: the strict parser refuses it, the fixed one passes."""
    registration = event_register(event=EventFactory(), user=participant())
    content = client.get(reverse("events:feed", args=[calendar_feed_for(user=registration.user).token])).content
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in content
    assert strict(content).refresh_interval == datetime.timedelta(hours=1)
    old = content.replace(b"REFRESH-INTERVAL;VALUE=DURATION:PT1H", b"REFRESH-INTERVAL;VALUE=DURATION:1:00:00")
    with pytest.raises(CalendarParseError):
        IcsCalendarStream.calendar_from_ics(old.decode())


def test_download_and_feed_parse_strictly_with_escaped_text_and_one_uid(client):
    event = EventFactory(title=TITLE, format=Event.Format.HYBRID, venue=VENUE, description=DESCRIPTION)
    person = participant()
    event_register(event=event, user=person)
    client.force_login(person)
    download = strict(client.get(reverse("events:ics", args=[event.pk])).content)
    feed = strict(client.get(reverse("events:feed", args=[calendar_feed_for(user=person).token])).content)
    assert feed.refresh_interval == datetime.timedelta(hours=1)
    for calendar in (download, feed):
        [vevent] = calendar.events
        assert vevent.summary == TITLE
        assert vevent.location == f"{VENUE} / {event.online_url}"
        assert DESCRIPTION in vevent.description
        assert vevent.dtstart == event.starts_at and vevent.end == event.ends_at
        assert vevent.uid == f"veranstaltung-{event.pk}@{download.events[0].uid.split('@')[1]}"
    assert download.events[0].uid == feed.events[0].uid
    raw = client.get(reverse("events:ics", args=[event.pk])).content
    assert b"SUMMARY:Hitze\\, Starkregen\\; D" in raw


def test_every_mail_attachment_parses_strictly_and_keeps_its_uid(staff_user):
    event = EventFactory(title=TITLE, capacity=1, onsite=True, venue=VENUE, description=DESCRIPTION)
    first, second = participant(), participant()
    place = event_register(event=event, user=first)
    waiting = event_register(event=event, user=second)
    confirmed = strict(attachment_bytes(f"event-confirmed:{place.pk}"))
    uid = confirmed.events[0].uid
    assert confirmed.events[0].location == VENUE and confirmed.events[0].summary == TITLE

    event_registration_cancel(registration=place, by=first)
    promoted = strict(attachment_bytes(f"event-promoted:{waiting.pk}"))

    event.refresh_from_db()
    event.venue = "Stadthalle Erfurt, Saal 1"
    event_save(event=event, changed_fields=["venue"], by=staff_user)
    changed = strict(attachment_bytes(f"event-changed:{event.pk}:1:{waiting.pk}"))
    assert changed.events[0].sequence == 1 and changed.events[0].location == "Stadthalle Erfurt, Saal 1"

    EventRegistration.objects.filter(pk=waiting.pk).update(
        confirmed_at=event.starts_at - datetime.timedelta(days=3))
    assert event_reminder_send(registration_pk=waiting.pk, now=event.starts_at - datetime.timedelta(hours=20))
    reminder = strict(attachment_bytes(f"event-reminder:{waiting.pk}"))

    event_cancel(event=event, message="Leider krankheitsbedingt; Ersatz folgt.", by=staff_user)
    cancelled = strict(attachment_bytes(f"event-cancelled:{event.pk}:{waiting.pk}"))
    assert cancelled.events[0].status.value == "CANCELLED" and cancelled.events[0].sequence == 2
    assert "Leider krankheitsbedingt; Ersatz folgt." in cancelled.events[0].description

    for calendar in (promoted, changed, reminder, cancelled):
        assert calendar.events[0].uid == uid


def test_sent_mail_declares_the_calendar_method():
    registration = event_register(event=EventFactory(), user=participant())
    message = OutboxMessage.objects.get(key=f"event-confirmed:{registration.pk}")
    django_mail.outbox.clear()
    outbox_deliver(message_pk=message.pk)
    [sent] = django_mail.outbox
    [part] = [p for p in sent.message().walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "PUBLISH" and part.get_content_charset() == "utf-8"
    strict(part.get_payload(decode=True))


def test_an_event_dated_in_the_last_year_a_date_can_have_still_has_a_calendar_file(client):
    """Staff may type 9999 by mistake: the time zone rules stop at the last year instead of crashing the download."""
    import datetime as dt

    from django.urls import reverse

    from events.tests.factories import EventFactory

    event = EventFactory(starts_at=dt.datetime(9999, 12, 30, 10, tzinfo=dt.UTC))
    response = client.get(reverse("events:ics", args=[event.pk]))
    assert response.status_code == 200 and b"BEGIN:VTIMEZONE" in response.content
