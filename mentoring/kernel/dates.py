"""Dates as the programme writes and counts them: named formats of the active language (Django's and the
project's own, mentoring/formats/), the machine-readable value of ``<time datetime>`` and calendar days from
midnight in the site's time zone."""
import datetime

from django.utils import formats, timezone, translation


def named_format(name: str) -> str:
    """The format string called ``<name>_FORMAT`` in the active language (``"WEEKDAY_DATETIME"``)."""
    setting = f"{name}_FORMAT"
    if setting in formats.FORMAT_SETTINGS:
        return formats.get_format(setting)
    for module in formats.get_format_modules(lang=translation.get_language()):
        if hasattr(module, setting):
            return getattr(module, setting)
    raise ValueError(f"no date format {setting} for {translation.get_language()}")


def iso_datetime(value, timespec: str = "seconds") -> str:
    """``2026-11-25T14:03:07+01:00`` in the current time zone; a date alone as ``2026-11-25``; else ``""``.

    HTML allows a valid date, or a local date and time with seconds and a time-zone offset, but no
    microseconds (``|date:'c'`` writes them whenever the value has any); a data export keeps them
    (``timespec="auto"``), so that each row can be found by its time.
    """
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return timezone.localtime(value).isoformat(timespec=timespec)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` (midnight, site time); the next day's start ends it."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

