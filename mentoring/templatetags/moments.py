"""``{{ moment|iso_datetime }}``: the machine-readable value of every ``<time datetime>`` on the site.

HTML allows a valid date, or a local date and time with seconds and a time-zone offset, but no
microseconds (``|date:'c'`` writes them whenever the value has any). One filter, so no template
writes the attribute its own way.
"""
import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def iso_datetime(value) -> str:
    """``2026-11-25T14:03:07+01:00`` in the current time zone; a date alone as ``2026-11-25``; else ``""``."""
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
