"""Mentoring time of a Mentor*in in a year and its PDF statement."""
from django.conf import settings

from accounts.models import Profile

from .. import selectors

MINUTES_PER_DAY = 8 * 60  # 8 hours of mentoring count as one day
A2_TARGET_DAYS = 5  # an A.2 project asks for up to five days of mentoring a year


def mentoring_time(*, profile: Profile, year: int) -> dict:
    """Logged mentoring time as Mentor*in in a calendar year, against the five days of A.2."""
    minutes = sum(selectors.mentoring_minutes(profile=profile, year=year).values_list("duration_minutes", flat=True))
    days = minutes / MINUTES_PER_DAY
    return {"year": year, "minutes": minutes, "hours": round(minutes / 60, 1), "days": round(days, 2),
            "target_days": A2_TARGET_DAYS, "percent": min(int(days / A2_TARGET_DAYS * 100), 100)}


def mentoring_statement_pdf(*, profile: Profile, year: int) -> bytes:
    """A statement of logged mentoring time to hand to an employer or funding body."""
    from ..pdf import statement

    meetings = list(selectors.mentoring_minutes(profile=profile, year=year))
    return statement(profile=profile, year=year, meetings=meetings, totals=mentoring_time(profile=profile, year=year),
                     operator=settings.PROGRAMME_OPERATOR, programme=settings.PROGRAMME_NAME)
