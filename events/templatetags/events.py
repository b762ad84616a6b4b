"""Template helpers of events: when an event takes place and who it is for, worked out once in Python."""
from django import template
from django.template.defaultfilters import date
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from mentoring.kernel.dates import iso_datetime, named_format

from ..models import Event

register = template.Library()

def _time(moment, name: str) -> str:
    return format_html('<time datetime="{}">{}</time>', iso_datetime(moment), date(moment, named_format(name)))


@register.simple_tag
def event_when(event: Event, plain: bool = False) -> str:
    """Start and end in local time: the end as a time alone when the event ends on the day it starts.

    The page's times carry no clock word; the translated phrase adds it where the language has one ("Uhr").
    ``plain=True`` is the e-mails' text, without time elements: "Dienstag, 1. Dezember 2026, 10:00 Uhr
    bis 12:30 Uhr".
    """
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    same_day = starts.date() == ends.date()
    if plain:
        return _("%(start)s bis %(end)s") % {"start": date(starts, named_format("WEEKDAY_DATETIME")),
                                             "end": date(ends, named_format("TIME" if same_day else
                                                                            "WEEKDAY_DATETIME"))}
    if same_day:
        return format_html(_("{start}–{end} Uhr"), start=_time(starts, "WEEKDAY_DATE_CLOCK"),
                           end=_time(ends, "CLOCK"))
    return format_html(_("{start} Uhr bis {end} Uhr"), start=_time(starts, "WEEKDAY_DATE_CLOCK"),
                       end=_time(ends, "WEEKDAY_DATE_CLOCK"))


@register.filter
def event_audience(event: Event) -> str:
    """Who may come, for a badge; empty for a public event."""
    if event.kind == Event.Kind.MENTOR_TRAINING:
        return _("nur für Mentor*innen")
    if event.visibility == Event.Visibility.MEMBERS:
        return _("nur für Teilnehmer*innen")
    return ""


@register.simple_tag
def event_place(event: Event) -> str:
    """Where: online, the venue, or the venue and online; with the federal state when one is set."""
    if event.format == Event.Format.ONLINE:
        place = _("online")
    elif event.format == Event.Format.HYBRID:
        place = format_html("{} {}", event.venue, _("und online"))
    else:
        place = event.venue
    if event.federal_state:
        return format_html("{} ({})", place, event.federal_state.name)
    return format_html("{}", place)
