"""iCalendar files for events: one event as a download or attachment, a person's private feed."""
import datetime
from collections.abc import Callable, Iterable

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mentoring.kernel import calendar as ical
from mentoring.kernel.mail import recipient_language

from .models import Event

# Every file is published (RFC 5546 PUBLISH); mail attachments say so in their MIME type as well.
METHOD = "PUBLISH"
MIMETYPE = f"text/calendar; method={METHOD}"
# Outlook and Thunderbird fetch a subscribed feed again after this interval (RFC 7986 REFRESH-INTERVAL).
FEED_REFRESH = datetime.timedelta(hours=1)


def _vevent(event: Event, *, with_online_url: bool, stamp: datetime.datetime,
            place_cancelled: bool = False) -> icalendar.Event:
    page = f"{settings.SITE_URL}{event.get_absolute_url()}"
    vevent = icalendar.Event()
    vevent.add("uid", ical.uid("veranstaltung", event.pk))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", ical.local(event.starts_at))
    vevent.add("dtend", ical.local(event.ends_at))
    vevent.add("sequence", event.revision)
    vevent.add("summary", event.title)
    # PUBLISH requires an ORGANIZER (RFC 5546 3.2.1): the programme's contact address.
    vevent.add("organizer", f"mailto:{settings.PROGRAMME_CONTACT_EMAIL}", parameters={"CN": event.organiser})
    # The same UID and SEQUENCE with a newer DTSTAMP: the reader's calendar shows it as cancelled.
    vevent.add("status", "CANCELLED" if event.is_cancelled or place_cancelled else "CONFIRMED")
    vevent.add("url", page)
    vevent.add("categories", [event.get_kind_display()])
    lines = []
    if event.is_cancelled:
        lines += [_("ABGESAGT"), event.cancellation_message, ""]
    elif place_cancelled:
        lines += [_("Ihre Anmeldung ist storniert."), ""]
    lines += [event.description, "", _("Veranstalter*in: %(organiser)s") % {"organiser": event.organiser}]
    location = event.venue if event.format != Event.Format.ONLINE else _("online")
    if event.format != Event.Format.ONSITE:
        if with_online_url and event.online_url:
            lines.append(_("Link zur Online-Teilnahme: %(url)s") % {"url": event.online_url})
            location = f"{event.venue} / {event.online_url}" if event.venue else event.online_url
        else:
            lines.append(_("Den Link zur Online-Teilnahme sehen angemeldete Teilnehmer*innen auf der "
                           "Veranstaltungsseite."))
    lines += [_("Details: %(url)s") % {"url": page}]
    vevent.add("description", "\n".join(lines).strip())
    vevent.add("location", location)
    return vevent


def calendar_bytes(events: Iterable[Event], *, name: str, online_url_for: set[int] = frozenset(),
                   feed: bool = False, place_cancelled: bool = False) -> bytes:
    """An iCalendar file (``kernel.calendar``) with the site's VTIMEZONE and every time given with its TZID.

    ``online_url_for`` holds the pks of events whose meeting link the reader may see.
    """
    events = list(events)
    years = [e.starts_at.year for e in events] or [timezone.now().year]
    calendar = ical.calendar(product="Veranstaltungen", method=METHOD, years=years)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if feed:
        # icalendar 6 writes a bare timedelta here as "1:00:00"; vDuration gives the ISO form "PT1H".
        calendar.add("refresh-interval", icalendar.vDuration(FEED_REFRESH), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", icalendar.vDuration(FEED_REFRESH))
    stamp = ical.stamp()
    for event in events:
        calendar.add_component(_vevent(event, with_online_url=event.pk in online_url_for, stamp=stamp,
                                       place_cancelled=place_cancelled))
    return calendar.to_ical()


def event_ics(event: Event, *, with_online_url: bool, place_cancelled: bool = False) -> bytes:
    return calendar_bytes([event], name=event.title, online_url_for={event.pk} if with_online_url else set(),
                          place_cancelled=place_cancelled)


def event_ics_filename(event: Event) -> str:
    """Its day and title, so that a download folder tells events apart ("2026-12-02-online-seminar-….ics")."""
    day = timezone.localdate(event.starts_at).isoformat()
    return f"{day}-{slugify(event.title)[:60].strip('-') or 'veranstaltung'}.ics"


def event_ics_attachments(event: Event, *, with_online_url: bool = True,
                          place_cancelled: bool = False) -> Callable[[object], dict]:
    """The ``.ics`` of an event as an outbox attachment for each reader, in the reader's language (its
    description, "ABGESAGT", the kind), built once per language: a change mails everyone registered.
    ``place_cancelled``: for a person whose place is gone."""
    built: dict[str, dict] = {}

    def for_reader(user) -> dict:
        language = recipient_language(user)
        if language not in built:
            with translation.override(language):
                built[language] = {"filename": event_ics_filename(event), "mimetype": MIMETYPE,
                                   "content": event_ics(event, with_online_url=with_online_url,
                                                        place_cancelled=place_cancelled)}
        return built[language]

    return for_reader


def event_ics_attachment(event: Event, *, reader, **options) -> dict:
    """The ``.ics`` of an event as an outbox attachment for one reader, in their language."""
    return event_ics_attachments(event, **options)(reader)
