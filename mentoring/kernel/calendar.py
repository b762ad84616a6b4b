"""The iCalendar files the programme writes (Veranstaltungen, Kennenlerngespräche), all of one shape: the same
header, the site's time zone with its VTIMEZONE, UIDs on the site's host and stamps in UTC."""
import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone


def calendar(*, product: str, method: str, years: list[int]) -> icalendar.Calendar:
    """An empty calendar of ``product`` ("Veranstaltungen") whose events fall in ``years``; ``method`` is the
    iTIP method (RFC 5546: ``PUBLISH``, ``REQUEST``, ``CANCEL``)."""
    made = icalendar.Calendar()
    made.add("prodid", f"-//Mentoring Klimaanpassung//{product}//DE")
    made.add("version", "2.0")
    made.add("calscale", "GREGORIAN")
    made.add("method", method)
    made.add_component(time_zone(years))
    return made


def time_zone(years: list[int]) -> icalendar.Timezone:
    """The site's VTIMEZONE for events in ``years``: the zone's rules from the year before the first to two after
    the last, kept within the years a date can have (a date typed as 9999 makes no crash)."""
    first = max(min(years) - 1, datetime.MINYEAR)
    last = min(max(years) + 2, datetime.MAXYEAR)
    return icalendar.Timezone.from_tzid(settings.TIME_ZONE, first_date=datetime.date(first, 1, 1),
                                        last_date=datetime.date(last, 1, 1))


def local(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` in the site's time zone, so that the file gives it with that TZID."""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def uid(kind: str, pk: int) -> str:
    """``veranstaltung-7@mentoring.example.org``: the same for every version of one appointment, so that calendars
    replace it instead of adding another."""
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def stamp() -> datetime.datetime:
    """DTSTAMP: when this file was made, in UTC and whole seconds (RFC 5545 3.8.7.2)."""
    return timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
