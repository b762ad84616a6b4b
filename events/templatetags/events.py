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
def event_when(event: Event) -> str:
    """Start and end in local time: the end as a time alone when the event ends on the day it starts.

    The times carry no clock word; the translated phrase adds it where the language has one ("Uhr").
    """
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if starts.date() == ends.date():
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
