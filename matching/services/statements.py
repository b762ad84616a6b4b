"""Mentoring time of a Mentor*in in a year and its PDF statement."""
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone

from accounts.choices import FundingLine
from accounts.models import Profile
from mentoring.kernel.programme import programme_name

from .. import selectors

MINUTES_PER_DAY = 8 * 60  # 8 hours of mentoring count as one day
A2_TARGET_DAYS = 5  # an A.2 project asks for up to five days of mentoring a year


def in_hours_and_days(minutes: int) -> tuple[Decimal, Decimal]:
    """Minutes as hours and days (8 hours a day), each to two places rounded half up, as every page and PDF writes
    them: 1095 minutes are 18,25 hours = 2,28 days (not 18,2 hours beside days taken from the exact minutes)."""
    def two_places(value: Decimal) -> Decimal:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    return two_places(Decimal(minutes) / 60), two_places(Decimal(minutes) / MINUTES_PER_DAY)


def mentoring_time(*, profile: Profile, year: int) -> dict:
    """Logged mentoring time as Mentor*in in a calendar year, against the five days of A.2."""
    minutes = sum(selectors.mentoring_minutes(profile=profile, year=year).values_list("duration_minutes", flat=True))
    hours, days = in_hours_and_days(minutes)
    return {"year": year, "minutes": minutes, "hours": hours, "days": days,
            "target_days": A2_TARGET_DAYS, "percent": min(round(days / A2_TARGET_DAYS * 100), 100),
            # The five days are what an A.2 project expects of its Mentor*in; others are shown their time alone.
            "a2": profile.funding_line == FundingLine.A2}


def a2_expected_days(*, year: int, on=None) -> float:
    """The share of the five A.2 days of ``year`` that is due ``on`` that day: all of a past year, none of a
    future one, the elapsed part of this one (on 1 July about 2.5 days)."""
    from datetime import date

    on = on or timezone.localdate()
    if year < on.year:
        share = 1.0
    elif year > on.year:
        share = 0.0
    else:
        start = date(year, 1, 1)
        share = ((on - start).days + 1) / ((date(year, 12, 31) - start).days + 1)
    return round(A2_TARGET_DAYS * share, 2)


def a2_standing(minutes: int, expected_days: float) -> tuple[float, float]:
    """An A.2 Mentor*in's mentoring days from their counted ``minutes``, and the days they miss towards
    ``expected_days`` (``a2_expected_days``; 0 when not behind)."""
    days = float(in_hours_and_days(minutes)[1])  # rounded as the Mentor*in's own page and statement round them
    return days, round(expected_days - days, 2) if days < expected_days else 0


def a2_mentors_behind(*, year: int, on=None) -> list[dict]:
    """A.2 Mentor*innen behind their five days of ``year``, the furthest behind first.

    Behind means below the days due so far (``a2_expected_days``); each row has the profile,
    ``days``, ``expected_days`` and ``missing_days``.
    """
    expected = a2_expected_days(year=year, on=on)
    rows = []
    for profile in selectors.a2_mentors_with_minutes(year=year):
        days, missing = a2_standing(profile.minutes, expected)
        if missing:
            rows.append({"profile": profile, "days": days, "expected_days": expected,
                         "missing_days": missing, "target_days": A2_TARGET_DAYS})
    return rows


def mentoring_statement_pdf(*, profile: Profile, year: int) -> bytes:
    """A statement of logged mentoring time to hand to an employer or funding body."""
    from ..pdf import statement

    meetings = list(selectors.mentoring_minutes(profile=profile, year=year))
    return statement(profile=profile, year=year, meetings=meetings, totals=mentoring_time(profile=profile, year=year),
                     operator=settings.PROGRAMME_OPERATOR, programme=programme_name())
