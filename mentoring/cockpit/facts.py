"""The figures about registrations, counted one way for the live programme and for one person about to be erased.

A fact is one count of a figure in a month (or a year), split by the Bundesland, organisation
type and funding line of the person's profile, and for waiting times by the whole calendar days
waited. The overview and the funder report read ``facts_for_year``: the counts of the surviving
rows plus the anonymous counts that erased registrations left (``ErasedFigure``). Erasure stores
``person_facts`` of the leaving person through the very same functions, so a month's figure is
the same before and after a deletion by construction.
"""
import datetime
from collections import Counter
from typing import NamedTuple

from django.db.models import Case, Count, DateTimeField, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import Registration, RegistrationTransition, User
from matching.models import Tandem

from .models import ErasedFigure
from .scope import Scope, local_day, month_start

Figure = ErasedFigure.Figure
Status = Registration.Status

# Status changes counted per month, each as its own figure.
TRANSITION_FIGURES = {Status.INTRO_DONE: Figure.INTRO_DONE, Status.APPROVED: Figure.APPROVED,
                      Status.REJECTED: Figure.REJECTED, Status.WITHDRAWN: Figure.WITHDRAWN}
WAIT_FIGURES = (Figure.WAIT_INTRO, Figure.WAIT_APPROVAL, Figure.WAIT_TANDEM)


class Fact(NamedTuple):
    period: datetime.date
    figure: str
    state: str
    org_type: str
    funding_line: str
    days: int = 0


def _dims(prefix: str) -> dict:
    return {"state": F(f"{prefix}organisation__federal_state__code"),
            "org_type": F(f"{prefix}organisation__org_type__slug"),
            "funding_line": F(f"{prefix}funding_line")}


def _key(row: dict) -> tuple[str, str, str]:
    return row["state"] or "", row["org_type"] or "", row["funding_line"] or ""


def month_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    day = local_day(moment) if isinstance(moment, datetime.datetime) else moment
    return month_start(day)


def registrations(*, user: User | None = None) -> QuerySet[Registration]:
    """The registrations that figures count: every participant's (staff are not participants)."""
    queryset = Registration.objects.filter(user__is_staff=False)
    return queryset.filter(user=user) if user is not None else queryset


def _between(field: str, start, end) -> Q:
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{field}__lt": end})
    return condition


def submitted(regs: QuerySet[Registration], *, start=None, end=None) -> Counter:
    rows = (regs.filter(_between("submitted_at", start, end)).order_by()
            .annotate(month=TruncMonth("submitted_at"), **_dims("user__profile__"))
            .values("month", "state", "org_type", "funding_line").annotate(n=Count("pk")))
    return Counter({Fact(month_of(r["month"]), Figure.SUBMITTED, *_key(r)): r["n"] for r in rows})


def transitions(regs: QuerySet[Registration], *, start=None, end=None) -> Counter:
    rows = (RegistrationTransition.objects.filter(registration__in=regs, to_status__in=TRANSITION_FIGURES)
            .filter(_between("at", start, end)).order_by()
            .annotate(month=TruncMonth("at"), **_dims("registration__user__profile__"))
            .values("month", "to_status", "state", "org_type", "funding_line").annotate(n=Count("pk")))
    facts = Counter()
    for r in rows:
        facts[Fact(month_of(r["month"]), TRANSITION_FIGURES[r["to_status"]], *_key(r))] += r["n"]
    return facts


def _first(status: str):
    """When the registration first reached ``status``, from its status history."""
    return Subquery(RegistrationTransition.objects.filter(registration=OuterRef("pk"), to_status=status)
                    .order_by("at", "pk").values("at")[:1])


def _first_tandem():
    return Subquery(Tandem.objects.filter(mentee__user=OuterRef("user")).order_by("started_at", "pk")
                    .values("started_at")[:1])


def waits(regs: QuerySet[Registration], *, start=None, end=None) -> Counter:
    """Calendar days of each stage Anmeldung → Kennenlerngespräch → Freigabe → Tandem, in the month it ended.

    The stages end with the first status change to "Kennenlerngespräch geführt", the first to
    "freigegeben" (both from the registration's status history) and the start of the person's
    first Tandem as mentee. A stage whose start is unknown (no such history row) is not counted.
    """
    annotated = regs.order_by().annotate(intro_at=_first(Status.INTRO_DONE), approved_at=_first(Status.APPROVED),
                                         tandem_at=_first_tandem(), **_dims("user__profile__"))
    ended = Q()
    for name in ("intro_at", "approved_at", "tandem_at"):
        ended |= _between(name, start, end) & Q(**{f"{name}__isnull": False})
    facts = Counter()
    for r in annotated.filter(ended).values("submitted_at", "intro_at", "approved_at", "tandem_at", "state",
                                            "org_type", "funding_line"):
        stages = ((Figure.WAIT_INTRO, r["submitted_at"], r["intro_at"]),
                  (Figure.WAIT_APPROVAL, r["intro_at"], r["approved_at"]),
                  (Figure.WAIT_TANDEM, r["approved_at"], r["tandem_at"]))
        for figure, began, done in stages:
            if began is None or done is None or done < began:
                continue
            if (start is not None and done < start) or (end is not None and done >= end):
                continue
            days = (local_day(done) - local_day(began)).days
            facts[Fact(month_of(done), figure, *_key(r), days)] += 1
    return facts


def _approved_at():
    return Coalesce(_first(Status.APPROVED), Case(When(status=Status.APPROVED, then=F("status_changed_at"))),
                    output_field=DateTimeField())


def _left_at():
    return Coalesce(_first(Status.WITHDRAWN), Case(When(status=Status.WITHDRAWN, then=F("status_changed_at"))),
                    output_field=DateTimeField())


def participation(regs: QuerySet[Registration]) -> QuerySet[Registration]:
    """Registrations with ``approved_at`` and ``left_at`` (withdrawn; an approval cannot be rejected)."""
    return regs.order_by().annotate(approved_at=_approved_at(), left_at=_left_at())


def participated_in(year: int) -> Q:
    """Approved before the year ended and not withdrawn before it began: a Teilnehmer*in of that year."""
    scope = Scope(year=year)
    return Q(approved_at__lt=scope.end) & (Q(left_at__isnull=True) | Q(left_at__gte=scope.start))


def participants(regs: QuerySet[Registration], *, year: int) -> Counter:
    rows = (participation(regs).filter(participated_in(year)).annotate(**_dims("user__profile__"))
            .values("state", "org_type", "funding_line").annotate(n=Count("pk")))
    return Counter({Fact(datetime.date(year, 1, 1), Figure.PARTICIPANT, *_key(r)): r["n"] for r in rows})


def kept(*, start: datetime.date, end: datetime.date) -> Counter:
    """What erased registrations left in the periods from ``start`` up to (not including) ``end``."""
    rows = ErasedFigure.objects.filter(period__gte=start, period__lt=end, count__gt=0).values_list(
        "period", "figure", "state", "org_type", "funding_line", "days", "count")
    return Counter({Fact(*row[:6]): row[6] for row in rows})


def facts_for_year(year: int) -> Counter:
    """Every registration figure of ``year``: the surviving rows' counts plus the kept counts."""
    scope = Scope(year=year)
    regs = registrations()
    facts = submitted(regs, start=scope.start, end=scope.end)
    facts += transitions(regs, start=scope.start, end=scope.end)
    facts += waits(regs, start=scope.start, end=scope.end)
    facts += participants(regs, year=year)
    facts += kept(start=datetime.date(year, 1, 1), end=datetime.date(year + 1, 1, 1))
    return facts


def person_facts(*, user: User) -> Counter:
    """Everything one person's registration adds to the figures, in every month and year."""
    regs = registrations(user=user)
    facts = submitted(regs) + transitions(regs) + waits(regs)
    row = participation(regs).values("approved_at").first()
    if row and row["approved_at"]:
        for year in range(local_day(row["approved_at"]).year, timezone.localdate().year + 1):
            facts += participants(regs, year=year)
    return facts


def select(facts: Counter, figure: str, scope: Scope) -> Counter:
    """One figure's counts per period, for the scope's Bundesland and funding line."""
    result = Counter()
    for fact, count in facts.items():
        if fact.figure == figure and scope.matches(state=fact.state, funding_line=fact.funding_line):
            result[fact.period] += count
    return result


def select_days(facts: Counter, figure: str, scope: Scope) -> dict[datetime.date, list[int]]:
    """A waiting time's days per month (each day value as often as it occurred), for the scope."""
    result: dict[datetime.date, list[int]] = {}
    for fact, count in facts.items():
        if fact.figure == figure and scope.matches(state=fact.state, funding_line=fact.funding_line):
            result.setdefault(fact.period, []).extend([fact.days] * count)
    return result


def by_dimension(facts: Counter, figure: str, scope: Scope, dimension: str) -> Counter:
    """One figure's counts by ``state``, ``org_type`` or ``funding_line``, for the scope."""
    result = Counter()
    for fact, count in facts.items():
        if fact.figure == figure and scope.matches(state=fact.state, funding_line=fact.funding_line):
            result[getattr(fact, dimension)] += count
    return result
