"""Dates and times in the active language's own format: ``{{ moment|when:"WEEKDAY_DATETIME" }}``.

Django's ``date`` filter knows only its own format names; this one also reads the project's
(``WEEKDAY_DATE``, ``WEEKDAY_DATETIME``, ``DAY_TIME``, ``WEEKDAY_DATE_CLOCK``, ``CLOCK``) from
mentoring/formats/<language>/formats.py.
"""
from django import template
from django.template.defaultfilters import date

from mentoring.kernel.dates import named_format

register = template.Library()


@register.filter(expects_localtime=True)
def when(value, name: str = "DATETIME") -> str:
    """``value`` (a date or an aware datetime, shown in local time) in the named format."""
    if value in (None, ""):
        return ""
    return date(value, named_format(name))
