"""The figures about registrations, counted one way for the live programme and for one person about to be erased.

A fact is one count of a figure in a month (or a year), for waiting times also the whole
calendar days waited, and split by the Bundesland, organisation type and funding line of the
person's profile where that split is asked for. The overview and the funder report read
``facts_for_year``: the counts of the surviving rows plus the anonymous counts that erased
registrations left (``ErasedFigure``). Erasure stores ``person_facts`` of the leaving person,
counted by the very same functions, so a month's figure is the same before and after a
deletion by construction.

The database does the counting: months by one conditional count each, waiting times grouped
by month and days, participants grouped by Bundesland, organisation type and funding line.
What comes back is bounded by months, days and those groups, not by the number of people.
"""
import datetime
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from accounts.models import Registration, RegistrationTransition, User
from matching.models import Tandem
from mentoring.kernel.dates import day_start

from .models import ErasedFigure
from .scope import Scope, local_day, month_start

Figure = ErasedFigure.Figure
Status = Registration.Status

# Status changes counted per month, each as its own figure.
TRANSITION_FIGURES = {Status.INTRO_DONE: Figure.INTRO_DONE, Status.APPROVED: Figure.APPROVED,
                      Status.REJECTED: Figure.REJECTED, Status.WITHDRAWN: Figure.WITHDRAWN}
PROFILE = "user__profile__"
# A count's Bundesland, organisation type or funding line when the person has none (an erased account
# kept as anonymous counts, an account without a profile).
UNKNOWN = ""


class Fact(NamedTuple):
    period: datetime.date
    figure: str
    state: str = ""
    org_type: str = ""
    funding_line: str = ""
    days: int = 0


@dataclass(frozen=True)
class Whom:
    """Whose registrations a count covers, and whether it splits them by Bundesland, type and funding line.

    Staff are never counted. ``scope`` narrows to a Bundesland and funding line in the database;
    ``user`` to one person (erasure); ``split`` keeps the three on each fact.
    """

    scope: Scope | None = None
    user: User | None = None
    split: bool = False

    def where(self, registration: str, profile: str) -> Q:
        """The condition on a row that reaches the registration at ``registration`` and the profile at ``profile``."""
        condition = Q(**{f"{registration}user__is_staff": False})
        if self.user is not None:
            condition &= Q(**{f"{registration}user": self.user})
        if self.scope is not None:
            condition &= self.scope.people(profile)
        return condition

    def dims(self, profile: str) -> dict:
        if not self.split:
            return {}
        return {"state": F(f"{profile}organisation__federal_state__code"),
                "org_type": F(f"{profile}organisation__org_type__slug"),
                "funding_line": F(f"{profile}funding_line")}

    def key(self, row: dict) -> tuple[str, str, str]:
        if not self.split:
            return UNKNOWN, UNKNOWN, UNKNOWN
        return row["state"] or UNKNOWN, row["org_type"] or UNKNOWN, row["funding_line"] or UNKNOWN


def registrations(scope: Scope | None = None):
    """The registrations that figures count (staff are not participants), in the scope's Bundesland and funding line."""
    return Registration.objects.filter(Whom(scope=scope).where("", PROFILE))


def month_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The first day of the moment's month in Germany (``TruncMonth`` gives its result in that time already)."""
    day = local_day(moment) if isinstance(moment, datetime.datetime) else moment
    return month_start(day)


def months_between(start: datetime.datetime, end: datetime.datetime) -> list[tuple[datetime.date, datetime.datetime,
                                                                                   datetime.datetime]]:
    """Each month from ``start``'s to the one before ``end``: its first day and its first and last moment."""
    first = month_start(local_day(start))
    found = []
    while True:
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        begins = day_start(first)
        if begins >= end:
            return found
        found.append((first, begins, day_start(following)))
        first = following


def _per_month(field: str, months) -> dict:
    """One conditional count per month: the database sorts the rows into months, no date function per row."""
    return {f"m{index}": Count("pk", filter=Q(**{f"{field}__gte": begins, f"{field}__lt": ends}))
            for index, (_first, begins, ends) in enumerate(months)}


def submitted(*, start, end, whom: Whom) -> Counter:
    months = months_between(start, end)
    found = Registration.objects.filter(whom.where("", PROFILE), submitted_at__gte=start, submitted_at__lt=end)
    counts = _per_month("submitted_at", months)
    dims = whom.dims(PROFILE)
    # Without a split one row for all: values() without fields would group by every column.
    rows = found.order_by().values(**dims).annotate(**counts) if dims else [found.aggregate(**counts)]
    facts = Counter()
    for r in rows:
        for index, (first, _begins, _ends) in enumerate(months):
            if r[f"m{index}"]:
                facts[Fact(first, Figure.SUBMITTED, *whom.key(r))] += r[f"m{index}"]
    return facts


def transitions(*, start, end, whom: Whom) -> Counter:
    months = months_between(start, end)
    profile = f"registration__{PROFILE}"
    rows = (RegistrationTransition.objects.filter(whom.where("registration__", profile),
                                                  to_status__in=TRANSITION_FIGURES, at__gte=start, at__lt=end)
            .order_by().values("to_status", **whom.dims(profile)).annotate(**_per_month("at", months)))
    facts = Counter()
    for r in rows:
        for index, (first, _begins, _ends) in enumerate(months):
            if r[f"m{index}"]:
                facts[Fact(first, TRANSITION_FIGURES[r["to_status"]], *whom.key(r))] += r[f"m{index}"]
    return facts


def _first_at(status: str, registration=None):
    """When the registration (by default the outer row) first reached ``status``, from its history."""
    return Subquery(RegistrationTransition.objects.filter(registration=registration or OuterRef("pk"),
                                                          to_status=status).order_by("at", "pk").values("at")[:1],
                    output_field=DateTimeField())


def _first_reached(status: str) -> Q:
    """This history row is the registration's first change to ``status`` (the workflow allows only one)."""
    return ~Q(Exists(RegistrationTransition.objects.filter(registration=OuterRef("registration"), to_status=status,
                                                           at__lt=OuterRef("at"))))


def _days(done, began) -> ExpressionWrapper:
    """Calendar days in Germany from ``began`` to ``done``."""
    return ExpressionWrapper(TruncDate(done) - TruncDate(began), output_field=DurationField())


def waits(*, start, end, whom: Whom) -> Counter:
    """Calendar days of each stage Anmeldung → Kennenlerngespräch → Freigabe → Tandem, in the month it ended.

    The stages end with the first status change to "Kennenlerngespräch geführt", the first to
    "freigegeben" (both from the registration's status history) and the start of the person's
    first Tandem as mentee; each is read from the rows that end a stage within the period and
    grouped by month and days. A stage whose start is unknown (no such history row) is not counted.
    """
    profile = f"registration__{PROFILE}"
    history = RegistrationTransition.objects.filter(whom.where("registration__", profile), at__gte=start, at__lt=end)
    intro = (history.filter(_first_reached(Status.INTRO_DONE), to_status=Status.INTRO_DONE)
             .values(month=TruncMonth("at"), days=_days("at", "registration__submitted_at"), **whom.dims(profile)))
    intro_at = _first_at(Status.INTRO_DONE, OuterRef("registration"))
    approval = (history.filter(_first_reached(Status.APPROVED), to_status=Status.APPROVED)
                .values(month=TruncMonth("at"), days=_days("at", intro_at), **whom.dims(profile)))
    earlier = Tandem.objects.filter(mentee=OuterRef("mentee"), started_at__lt=OuterRef("started_at"))
    tandem = (Tandem.objects.filter(whom.where("mentee__user__registration__", "mentee__"), started_at__gte=start,
                                    started_at__lt=end).exclude(Exists(earlier))
              .values(month=TruncMonth("started_at"),
                      days=_days("started_at", _first_at(Status.APPROVED, OuterRef("mentee__user__registration"))),
                      **whom.dims("mentee__")))
    facts = Counter()
    for figure, rows in ((Figure.WAIT_INTRO, intro), (Figure.WAIT_APPROVAL, approval), (Figure.WAIT_TANDEM, tandem)):
        for r in rows.order_by().annotate(n=Count("pk")):
            if r["days"] is None or r["days"].days < 0:
                continue
            facts[Fact(month_of(r["month"]), figure, *whom.key(r), r["days"].days)] += r["n"]
    return facts


def _reached(status: str, before: datetime.datetime) -> Q:
    """The registration's status history reached ``status`` before that moment (every status change is recorded
    there, from the Anmeldung on)."""
    return Q(Exists(RegistrationTransition.objects.filter(registration=OuterRef("pk"), to_status=status,
                                                          at__lt=before)))


def participated_in(year: int) -> Q:
    """Approved before the year ended and not withdrawn before it began: a Teilnehmer*in of that year.

    (An approval cannot be rejected afterwards, only withdrawn.)
    """
    scope = Scope(year=year)
    return _reached(Status.APPROVED, scope.end) & ~_reached(Status.WITHDRAWN, scope.start)


def participants(*, year: int, whom: Whom) -> Counter:
    """Always split: the overview shows them by Bundesland, type and funding line, the report by two of them."""
    split = Whom(scope=whom.scope, user=whom.user, split=True)
    rows = (Registration.objects.filter(split.where("", PROFILE), participated_in(year)).order_by()
            .values(**split.dims(PROFILE)).annotate(n=Count("pk")))
    facts = Counter()
    for r in rows:
        facts[Fact(datetime.date(year, 1, 1), Figure.PARTICIPANT, *split.key(r))] += r["n"]
    return facts


def kept(*, start: datetime.date, end: datetime.date, scope: Scope | None = None) -> Counter:
    """What erased registrations left in the periods from ``start`` up to (not including) ``end``."""
    if scope is not None and scope.cohort is not None:
        return Counter()  # kept counts name no Jahrgang: a Jahrgang's figures are those of its surviving rows
    rows = ErasedFigure.objects.filter(period__gte=start, period__lt=end, count__gt=0)
    if scope is not None and scope.state is not None:
        rows = rows.filter(state=scope.state.code)
    if scope is not None and scope.funding_line:
        rows = rows.filter(funding_line=scope.funding_line)
    return Counter({Fact(*row[:6]): row[6] for row in rows.values_list(
        "period", "figure", "state", "org_type", "funding_line", "days", "count")})


def facts_for_year(year: int, scope: Scope | None = None) -> Counter:
    """Every registration figure of ``year`` for the scope: the surviving rows' counts plus the kept counts."""
    whom = Whom(scope=scope if scope is not None and scope.filtered else None)
    period = Scope(year=year)
    facts = submitted(start=period.start, end=period.end, whom=whom)
    facts += transitions(start=period.start, end=period.end, whom=whom)
    facts += waits(start=period.start, end=period.end, whom=whom)
    facts += participants(year=year, whom=whom)
    facts += kept(start=datetime.date(year, 1, 1), end=datetime.date(year + 1, 1, 1), scope=whom.scope)
    return facts


def person_facts(*, user: User) -> Counter:
    """Everything one person's registration adds to the figures, split, in every month and year until now."""
    row = (Registration.objects.filter(user=user, user__is_staff=False).annotate(approved_at=_first_at(Status.APPROVED))
           .values("submitted_at", "approved_at").first())
    if row is None:
        return Counter()
    whom = Whom(user=user, split=True)
    first = RegistrationTransition.objects.filter(registration__user=user).aggregate(first=Min("at"))["first"]
    start = min(filter(None, [row["submitted_at"], first]))
    end = timezone.now() + datetime.timedelta(seconds=1)
    facts = (submitted(start=start, end=end, whom=whom) + transitions(start=start, end=end, whom=whom)
             + waits(start=start, end=end, whom=whom))
    if row["approved_at"]:
        for year in range(local_day(row["approved_at"]).year, timezone.localdate().year + 1):
            facts += participants(year=year, whom=whom)
    return facts


def select(facts: Counter, figure: str) -> Counter:
    """One figure's counts per period (the facts are already those of the scope)."""
    result = Counter()
    for fact, count in facts.items():
        if fact.figure == figure:
            result[fact.period] += count
    return result


def select_days(facts: Counter, figure: str) -> dict[datetime.date, list[int]]:
    """A waiting time's days per month, each day value as often as it occurred."""
    result: dict[datetime.date, list[int]] = {}
    for fact, count in sorted(facts.items()):
        if fact.figure == figure:
            result.setdefault(fact.period, []).extend([fact.days] * count)
    return result


def by_dimension(facts: Counter, figure: str, dimension: str) -> Counter:
    """One figure's counts by ``state``, ``org_type`` or ``funding_line``."""
    result = Counter()
    for fact, count in facts.items():
        if fact.figure == figure:
            result[getattr(fact, dimension)] += count
    return result
