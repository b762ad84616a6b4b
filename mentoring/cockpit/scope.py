"""What the staff member chose to look at: a year, and optionally one Bundesland, funding line and Jahrgang."""
import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import FederalState, ProgrammeYear
from mentoring.kernel.dates import day_start


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


GERMANY = ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime.datetime) -> datetime.date:
    """The calendar day in Germany of an aware moment (waiting times count calendar days).

    The site's one time zone, not the request's: the programme's months and days are German
    ones whatever language a staff member reads in (and looking the active zone up for each of
    thousands of rows costs more than the query).
    """
    return moment.astimezone(GERMANY).date()


@dataclass(frozen=True)
class Scope:
    year: int
    state: FederalState | None = None
    funding_line: str | None = None
    cohort: ProgrammeYear | None = None  # a Jahrgang: only its registrations and Tandems count
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def filtered(self) -> bool:
        """A Bundesland, funding line or Jahrgang is chosen: only people whose profile says so are counted."""
        return self.state is not None or bool(self.funding_line) or self.cohort is not None

    @property
    def start(self) -> datetime.datetime:
        """The first moment of the year in Germany."""
        return day_start(datetime.date(self.year, 1, 1))

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the year."""
        return day_start(datetime.date(self.year + 1, 1, 1))

    def months(self) -> list[datetime.date]:
        """The year's months up to the current one (a past year: all twelve; a future year: none)."""
        last = 12 if self.year < self.today.year else (self.today.month if self.year == self.today.year else 0)
        return [datetime.date(self.year, month, 1) for month in range(1, last + 1)]

    def people(self, prefix: str, *, cohort: bool = True) -> Q:
        """The chosen Bundesland and funding line on the profile at ``prefix`` (e.g. ``"mentee__"``)."""
        condition = Q()
        if self.state is not None:
            condition &= Q(**{f"{prefix}organisation__federal_state": self.state})
        if self.funding_line:
            condition &= Q(**{f"{prefix}funding_line": self.funding_line})
        if cohort and self.cohort is not None:
            condition &= Q(**{f"{prefix}user__registration__programme_year": self.cohort})
        return condition

    def tandems(self, prefix: str = "") -> Q:
        """The chosen Jahrgang on the Tandem at ``prefix`` (e.g. ``"tandem__"``); people() covers the rest."""
        return Q(**{f"{prefix}programme_year": self.cohort}) if self.cohort is not None else Q()
