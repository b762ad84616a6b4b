"""Every figure of the overview against counts taken directly from the rows of a generated programme.

The expected values are computed here with plain Python over the model rows, not with the
cockpit's queries, for the whole programme and for a Bundesland, a funding line and both.
"""
import datetime
import statistics
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import numpy
import pytest
from django.conf import settings
from django.utils import timezone, translation

from accounts.choices import FundingLine, Role
from accounts.models import (
    Consent,
    FederalState,
    OrganisationType,
    Profile,
    Registration,
    RegistrationTransition,
    User,
)
from events.models import Event, EventRegistration
from forum.models import Post, Thread
from matching.models import Meeting, ProblemReport, Tandem
from matching.services.statements import MINUTES_PER_DAY
from matching.tests.factories import TandemFactory
from mentoring.cockpit import figures
from mentoring.cockpit.scope import Scope

from .programme import NOW

pytestmark = pytest.mark.django_db
YEAR = 2026
Status = Registration.Status
SUPERUSER = User(is_superuser=True, is_staff=True, is_active=True)  # may see every table
SCOPES = [(None, None), ("06", None), (None, FundingLine.A2), ("09", FundingLine.A1)]


def make_scope(state, line) -> Scope:
    return Scope(year=YEAR, state=FederalState.objects.get(code=state) if state else None, funding_line=line)


def in_scope(profile: Profile | None, scope: Scope) -> bool:
    if not scope.filtered:
        return True
    return (profile is not None
            and (scope.state is None or profile.organisation.federal_state_id == scope.state.pk)
            and (not scope.funding_line or profile.funding_line == scope.funding_line))


def month(moment) -> datetime.date:
    day = timezone.localtime(moment).date() if isinstance(moment, datetime.datetime) else moment
    return day.replace(day=1)


def months() -> list[datetime.date]:
    return [datetime.date(YEAR, m, 1) for m in range(1, NOW.month + 1)]


def column(table, index=0) -> dict:
    return {row.label: row.values[index] for row in table.rows}


def registrations(scope: Scope) -> list[Registration]:
    return [r for r in Registration.objects.select_related("user__profile__organisation")
            if not r.user.is_staff and in_scope(getattr(r.user, "profile", None), scope)]


def each_scope(test):
    """Run ``test(scope)`` for the whole programme and for each filter, on one generated programme."""

    def run(generated, *args, **kwargs):
        for state, line in SCOPES:
            test(make_scope(state, line), *args, **kwargs)

    run.__name__, run.__doc__ = test.__name__, test.__doc__
    return run


def test_the_generated_programme_has_every_case(generated):
    statuses = Counter(Registration.objects.filter(user__is_staff=False).values_list("status", flat=True))
    assert set(statuses) == set(Status.values) and len(generated["people"]) == 42
    assert Tandem.objects.filter(status="ended").exists() and Tandem.objects.filter(status="active").exists()
    assert len({month(at) for at in RegistrationTransition.objects.values_list("at", flat=True)}) > 10


@each_scope
def test_status_now(scope):
    expected = Counter(r.status for r in registrations(scope))
    table = figures.table(scope, "status")
    assert column(table) == {str(label): expected[value] for value, label in Status.choices}


@each_scope
def test_registrations_and_status_changes_per_month(scope):
    regs = registrations(scope)
    table = figures.table(scope, "anmeldungen-je-monat")
    assert [row.month for row in table.rows] == months()
    by_month = {row.month: row.values for row in table.rows}
    ids = {r.pk for r in regs}
    transitions = [t for t in RegistrationTransition.objects.all() if t.registration_id in ids]
    for first in months():
        submitted = sum(1 for r in regs if month(r.submitted_at) == first)
        changes = [sum(1 for t in transitions if t.to_status == status and month(t.at) == first)
                   for status in (Status.INTRO_DONE, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN)]
        assert by_month[first] == [submitted, *changes], first
    assert sum(sum(values) for values in by_month.values()) > 0


@each_scope
def test_intro_calls_planned_this_week_and_overdue(scope):
    planned = [r for r in registrations(scope) if r.status == Status.INTRO_SCHEDULED]
    monday = timezone.make_aware(datetime.datetime(2026, 11, 16))
    week = [r for r in planned if r.intro_call_at and monday <= r.intro_call_at < monday + datetime.timedelta(days=7)]
    overdue = sorted((r for r in planned if r.intro_call_at and r.intro_call_at < NOW), key=lambda r: r.intro_call_at)
    assert list(column(figures.table(scope, "kennenlerngespraeche")).values()) == [len(planned), len(week),
                                                                                   len(overdue)]
    rows = figures.table(scope, "kennenlerngespraeche-ueberfaellig").rows
    assert [row.label for row in rows] == [str(r.user) for r in overdue]
    assert [row.values[1] for row in rows] == [(NOW.date() - timezone.localtime(r.intro_call_at).date()).days
                                               for r in overdue]
    if not scope.filtered:
        assert planned and week and overdue, "the programme has each kind"


def stage_days(scope: Scope) -> dict[str, dict[datetime.date, list[int]]]:
    found = {"intro": {}, "approval": {}, "tandem": {}}
    for registration in registrations(scope):
        history = sorted(registration.transitions.all(), key=lambda t: (t.at, t.pk))
        first = {}
        for transition in history:
            first.setdefault(transition.to_status, transition.at)
        starts = sorted(Tandem.objects.filter(mentee__user=registration.user).values_list("started_at", flat=True))
        intro, approved, tandem = first.get(Status.INTRO_DONE), first.get(Status.APPROVED), (starts or [None])[0]
        for name, begin, end in (("intro", registration.submitted_at, intro), ("approval", intro, approved),
                                 ("tandem", approved, tandem)):
            if begin and end and end >= begin and timezone.localtime(end).year == YEAR:
                days = (timezone.localtime(end).date() - timezone.localtime(begin).date()).days
                found[name].setdefault(month(end), []).append(days)
    return found


@each_scope
def test_waiting_times_median_and_90th_percentile_per_month(scope):
    expected = stage_days(scope)
    table = figures.table(scope, "wartezeiten")
    assert len(table.columns) == 9
    for row in table.rows:
        values = []
        for name in ("intro", "approval", "tandem"):
            days = expected[name].get(row.month, [])
            values += ([float(statistics.median(days)), int(numpy.percentile(days, 90, method="inverted_cdf")),
                        len(days)] if days else [None, None, 0])
        assert row.values == values, row.label
    if not scope.filtered:
        assert all(expected[name] for name in expected), "every stage has waiting times"


def waiting_mentees(scope: Scope) -> list[tuple[Profile, datetime.datetime]]:
    found = []
    for profile in Profile.objects.select_related("user__registration", "organisation"):
        user = profile.user
        consent = Consent.objects.filter(user=user, purpose=Consent.Purpose.PARTNER_SHARING,
                                         withdrawn_at__isnull=True).exists()
        registration = getattr(user, "registration", None)
        if (registration is None or registration.status != Status.APPROVED or not user.is_active or not consent
                or profile.role not in (Role.MENTEE, Role.BOTH) or not in_scope(profile, scope)
                or Tandem.objects.filter(mentee=profile, status=Tandem.Status.ACTIVE).exists()):
            continue
        ends = [t.ended_at for t in Tandem.objects.filter(mentee=profile, status=Tandem.Status.ENDED)]
        found.append((profile, max([registration.status_changed_at, *ends])))
    return sorted(found, key=lambda pair: (pair[1], pair[0].pk))


@each_scope
def test_mentees_waiting_for_a_partner_longest_first(scope):
    expected = waiting_mentees(scope)
    table = figures.table(scope, "wartende-mentees")
    assert [row.label for row in table.rows] == [str(p.user) for p, _since in expected]
    assert [row.values[-1] for row in table.rows] == [(NOW.date() - timezone.localtime(since).date()).days
                                                      for _p, since in expected]
    page = figures.overview(scope, SUPERUSER)[0][2][5]
    assert page.slug == "wartende-mentees" and page.total_rows == len(expected)
    assert [row.label for row in page.rows] == [row.label for row in table.rows][:20]


def test_waiting_mentees_are_matchings_pool_mentees(generated):
    """The overview asks the pool with Exists; matching's selector with counts: the same people."""
    from matching.selectors import pool_mentees

    table = figures.table(Scope(year=YEAR), "wartende-mentees")
    assert sorted(row.url for row in table.rows) == sorted(
        f"/admin/accounts/profile/{pk}/change/" for pk in pool_mentees().values_list("pk", flat=True))
    assert len(table.rows) >= 3


@each_scope
def test_free_places_of_mentors_by_topic(scope):
    table = column(figures.table(scope, "freie-plaetze"), 0), column(figures.table(scope, "freie-plaetze"), 1)
    expected_mentors, expected_places = Counter(), Counter()
    for profile in Profile.objects.select_related("user__registration").prefetch_related("competences__topic"):
        registration = getattr(profile.user, "registration", None)
        active = Tandem.objects.filter(mentor=profile, status=Tandem.Status.ACTIVE).count()
        if (registration is None or registration.status != Status.APPROVED or profile.role == Role.MENTEE
                or not profile.mentor_available or profile.mentor_capacity <= active or not in_scope(profile, scope)):
            continue
        for competence in profile.competences.all():
            expected_mentors[competence.topic.name] += 1
            expected_places[competence.topic.name] += profile.mentor_capacity - active
    assert {k: v for k, v in table[0].items() if v} == dict(expected_mentors)
    assert {k: v for k, v in table[1].items() if v} == dict(expected_places)


def tandems(scope: Scope) -> list[Tandem]:
    return [t for t in Tandem.objects.select_related("mentee__organisation") if in_scope(t.mentee, scope)]


@each_scope
def test_tandems_active_quiet_begun_ended(scope):
    found = tandems(scope)
    quiet_before = NOW - datetime.timedelta(days=56)
    expected = [sum(1 for t in found if t.status == "active"),
                sum(1 for t in found if t.status == "active" and t.last_activity_at < quiet_before),
                sum(1 for t in found if timezone.localtime(t.started_at).year == YEAR),
                sum(1 for t in found if t.status == "ended" and timezone.localtime(t.ended_at).year == YEAR)]
    assert [row.values[0] for row in figures.table(scope, "tandems").rows] == expected
    quiet = sorted((t for t in found if t.status == "active" and t.last_activity_at < quiet_before),
                   key=lambda t: (t.last_activity_at, t.pk))
    assert [row.label for row in figures.table(scope, "ruhige-tandems").rows] == [str(t) for t in quiet]


def counted(meeting: Meeting) -> bool:
    cutoff = NOW - datetime.timedelta(days=settings.MEETING_CONFIRM_DAYS)
    return meeting.status in ("confirmed", "corrected") or (meeting.status == "open" and meeting.submitted_at <= cutoff)


@each_scope
def test_meetings_and_hours_per_month(scope):
    ids = {t.pk for t in tandems(scope)}
    meetings = [m for m in Meeting.objects.all() if m.tandem_id in ids and counted(m) and m.date.year == YEAR]
    table = figures.table(scope, "treffen-je-monat")
    for row in table.rows:
        found = [m for m in meetings if month(m.date) == row.month]
        minutes = sum(m.duration_minutes for m in found)
        hours = float((Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        assert row.values == [len(found), hours], row.label
    if not scope.filtered:
        assert Meeting.objects.exclude(pk__in=[m.pk for m in meetings]).exists(), "some meetings do not count"


@each_scope
def test_a2_mentoring_days_those_behind_first(scope):
    day_of_year = (NOW.date() - datetime.date(YEAR, 1, 1)).days + 1
    expected_share = round(5 * day_of_year / 365, 2)
    mentors = []
    for profile in Profile.objects.filter(funding_line=FundingLine.A2, role__in=(Role.MENTOR, Role.BOTH),
                                          user__is_active=True).select_related("user", "organisation"):
        if not in_scope(profile, scope):
            continue
        minutes = sum(m.duration_minutes for m in Meeting.objects.filter(tandem__mentor=profile, date__year=YEAR)
                      if counted(m))
        mentors.append((profile, round(minutes / MINUTES_PER_DAY, 2)))
    table = figures.table(scope, "a2-mentoring-tage")
    got = {row.label: row.values for row in table.rows}
    assert sorted(got) == sorted(str(p.user) for p, _days in mentors)
    for profile, days in mentors:
        values = got[str(profile.user)]
        assert values[1] == days and values[2] == 5
        assert values[3] == ("ja" if days < expected_share else "nein")
    behind = [row.values[3] == "ja" for row in table.rows]
    assert behind == sorted(behind, reverse=True), "those behind come first"
    distribution = [row.values[0] for row in figures.table(scope, "a2-verteilung").rows]
    assert sum(distribution) == len(mentors)
    assert distribution[0] == sum(1 for _p, days in mentors if days == 0)
    assert distribution[-1] == sum(1 for _p, days in mentors if days >= 5)
    if scope.funding_line == FundingLine.A1:
        assert table.rows == [], "an A.1 filter leaves no A.2 Mentor*in"


@each_scope
def test_open_problem_reports_and_their_age(scope):
    ids = {t.pk for t in tandems(scope)}
    open_reports = sorted((r for r in ProblemReport.objects.filter(resolved_at__isnull=True) if r.tandem_id in ids),
                          key=lambda r: (r.created_at, r.pk))
    table = figures.table(scope, "offene-meldungen")
    ages = [(NOW.date() - timezone.localtime(r.created_at).date()).days for r in open_reports]
    assert [row.values[-1] for row in table.rows] == ages
    assert [row.values[0] for row in figures.table(scope, "meldungen-alter").rows] == [
        sum(1 for age in ages if age <= 7), sum(1 for age in ages if 7 < age <= 30), sum(1 for age in ages if age > 30)]
    if not scope.filtered:
        assert ProblemReport.objects.filter(resolved_at__isnull=False).exists() and open_reports


def participants(scope: Scope) -> list[Profile]:
    found = []
    start = timezone.make_aware(datetime.datetime(YEAR, 1, 1))
    end = timezone.make_aware(datetime.datetime(YEAR + 1, 1, 1))
    for registration in registrations(scope):
        history = {t.to_status: t.at for t in sorted(registration.transitions.all(), key=lambda t: t.at, reverse=True)}
        approved, left = history.get(Status.APPROVED), history.get(Status.WITHDRAWN)
        if approved and approved < end and (left is None or left >= start):
            found.append(registration.user.profile)
    return found


BREAKDOWNS = [
    ("teilnehmende-bundesland", lambda p: p.organisation.federal_state.name, FederalState),
    ("teilnehmende-organisationstyp", lambda p: p.organisation.org_type.name, OrganisationType),
    ("teilnehmende-foerderlinie", lambda p: str(FundingLine(p.funding_line).label), None),
]


@each_scope
def test_participants_of_the_year_by_state_type_and_funding_line(scope):
    found = participants(scope)
    for slug, key, model in BREAKDOWNS:
        expected = Counter(key(p) for p in found)
        table = column(figures.table(scope, slug))
        assert {k: v for k, v in table.items() if v} == dict(expected), slug
        if model is not None:
            assert set(table) == set(model.objects.values_list("name", flat=True)), "every row, also the empty"
    if not scope.filtered:
        assert found and any(p.user.registration.status == Status.WITHDRAWN for p in found), \
            "who withdrew this year still counts for it"


@each_scope
def test_events_with_registered_attended_and_no_shows(scope):
    start = timezone.make_aware(datetime.datetime(YEAR, 1, 1))
    events = [e for e in Event.objects.order_by("starts_at", "pk")
              if e.status != Event.Status.DRAFT and start <= e.starts_at < start.replace(year=YEAR + 1)]
    rows = figures.table(scope, "veranstaltungen").rows
    assert len(rows) == len(events) and len(events) >= 3
    for row, event in zip(rows, events, strict=True):
        places = [r for r in EventRegistration.objects.filter(event=event, status="confirmed")
                  if in_scope(getattr(r.user, "profile", None), scope)]
        assert row.values[1:] == [len(places), sum(1 for r in places if r.attended is True),
                                  sum(1 for r in places if r.attended is False)], event.title


@each_scope
def test_forum_threads_and_replies_per_month(scope):
    def author_in_scope(item):
        return in_scope(getattr(item.author, "profile", None), scope) if item.author else not scope.filtered

    threads = [t for t in Thread.objects.all() if not t.is_hidden and author_in_scope(t)
               and timezone.localtime(t.created_at).year == YEAR]
    replies = [p for p in Post.objects.select_related("thread") if not p.is_first and not p.is_hidden
               and not p.thread.is_hidden and author_in_scope(p) and timezone.localtime(p.created_at).year == YEAR]
    table = figures.table(scope, "forum-je-monat")
    for row in table.rows:
        assert row.values == [sum(1 for t in threads if month(t.created_at) == row.month),
                              sum(1 for p in replies if month(p.created_at) == row.month)], row.label
    if not scope.filtered:
        assert sum(row.values[1] for row in table.rows) > 0


def test_every_table_slug_matches_its_download_address(generated):
    scope = Scope(year=YEAR)
    for slug in figures.TABLES:
        assert figures.table(scope, slug).slug == slug
    assert [t.slug for _a, _h, tables in figures.overview(scope, SUPERUSER) for t in tables] == [
        slug for _a, _h, slugs in figures.SECTIONS for slug in slugs]
    assert sorted([*(slug for _a, _h, slugs in figures.SECTIONS for slug in slugs), *figures.EVALUATION]) == sorted(
        figures.TABLES), "each table is on the overview or on the evaluation page"


@pytest.mark.django_db
def test_hours_per_month_read_as_the_statements_write_them():
    """1635 minutes are 27,25 hours on the Zeitnachweis; the overview wrote 27,2 (Python's round to one place)."""
    from mentoring.cockpit.tables import shown

    day = timezone.localdate() - datetime.timedelta(days=20)
    for minutes in (480, 480, 480, 195):
        tandem = TandemFactory(days_ago=60)
        Meeting.objects.create(tandem=tandem, logged_by=tandem.mentee.user, date=day, duration_minutes=minutes,
                               format="online", status="confirmed")
    table = figures.table(Scope(year=day.year), "treffen-je-monat")
    row = next(row for row in table.rows if row.month == day.replace(day=1))
    with translation.override("de"):
        assert shown(row.values[1], table.decimals_of(1)) == "27,25"
