"""A generated programme for the cockpit's tests: people in several Bundesländer, funding lines and
organisation types, every registration status with its history across many months, Tandems with
meetings (counted and not), problem reports, events with attendance, forum threads and replies."""
import datetime
import random
from zoneinfo import ZoneInfo

from accounts.choices import FundingLine, Role
from accounts.models import FederalState, Organisation, OrganisationType, Registration, RegistrationTransition
from accounts.tests.factories import OrganisationFactory, StaffFactory, participant
from events.models import Event, EventRegistration
from events.tests.factories import EventFactory
from forum.models import Post, Thread
from forum.tests.factories import ThreadFactory
from matching.models import Meeting, ProblemReport, Tandem
from matching.tests.factories import TandemFactory

BERLIN = ZoneInfo("Europe/Berlin")
# A Wednesday: "this week" runs from Monday 16 to Sunday 22 November 2026.
NOW = datetime.datetime(2026, 11, 18, 11, 0, tzinfo=BERLIN)
STATES = ("05", "06", "09", "14")
LINES = (FundingLine.A1, FundingLine.A2, FundingLine.A3, FundingLine.STATE)
ORG_TYPES = ("kreisfreie-stadt", "landkreis")
Status = Registration.Status
# The final status of every seventh person, in turn.
PATHS = (Status.SUBMITTED, Status.INTRO_SCHEDULED, Status.INTRO_DONE, Status.APPROVED, Status.APPROVED,
         Status.APPROVED, "closed")
DAY = datetime.timedelta(days=1)


def organisations() -> dict[tuple[str, str], Organisation]:
    types = {t.slug: t for t in OrganisationType.objects.filter(slug__in=ORG_TYPES)}
    states = {s.code: s for s in FederalState.objects.filter(code__in=STATES)}
    found = {}
    for state in STATES:
        for kind in ORG_TYPES:
            name = f"Organisation {state} {kind}"
            found[(state, kind)] = (Organisation.objects.filter(name=name).first() or OrganisationFactory(
                name=name, federal_state=states[state], org_type=types[kind]))
    return found


def _history(rng: random.Random, index: int) -> tuple[str, list[tuple[str, str]], bool]:
    """The final status, the status changes (from, to) after the Anmeldung, and whether the intro was planned."""
    path = PATHS[index % len(PATHS)]
    planned = index % 3 != 0
    before = [(Status.SUBMITTED, Status.INTRO_SCHEDULED)] if planned else []
    done = Status.INTRO_SCHEDULED if planned else Status.SUBMITTED
    if path == Status.SUBMITTED:
        return path, [], False
    if path == Status.INTRO_SCHEDULED:
        return path, [(Status.SUBMITTED, Status.INTRO_SCHEDULED)], True
    if path == Status.INTRO_DONE:
        return path, [*before, (done, Status.INTRO_DONE)], planned
    if path == Status.APPROVED:
        return path, [*before, (done, Status.INTRO_DONE), (Status.INTRO_DONE, Status.APPROVED)], planned
    outcome = rng.choice([Status.REJECTED, Status.WITHDRAWN])
    if outcome == Status.WITHDRAWN and index % 2:
        return outcome, [(Status.SUBMITTED, Status.INTRO_DONE), (Status.INTRO_DONE, Status.APPROVED),
                         (Status.APPROVED, Status.WITHDRAWN)], False
    return outcome, [*before, (done, Status.INTRO_DONE), (Status.INTRO_DONE, outcome)], planned


# Planned Kennenlerngespräche: overdue, this week still ahead, this week already passed, next week, in the past month.
INTRO_CALLS = (NOW + DAY, NOW - 3 * DAY, NOW + 8 * DAY, NOW - 2 * DAY + datetime.timedelta(hours=2), NOW - 30 * DAY,
               NOW + 3 * DAY)


def person(*, index: int, rng: random.Random, orgs, staff, now=NOW):
    """One participant with a complete status history; every step dated."""
    state, line, kind = STATES[index % 4], LINES[(index // 4) % 4], ORG_TYPES[(index // 2) % 2]
    role = Role.MENTOR if index % 3 == 0 else (Role.BOTH if index % 5 == 0 else Role.MENTEE)
    final, steps, planned = _history(rng, index)
    user = participant(mentor=role != Role.MENTEE, status=final, organisation=orgs[(state, kind)],
                       funding_line=line, role=role, needs=["haushalt"],
                       competences=[("haushalt", 3), ("klimadaten", 2)] if role != Role.MENTEE else ["beteiligung"])
    registration = user.registration
    waiting = final in (Status.SUBMITTED, Status.INTRO_SCHEDULED)
    submitted = now - rng.randint(2, 40) * DAY if waiting else now - rng.randint(130, 520) * DAY
    submitted -= datetime.timedelta(minutes=rng.randint(0, 600))
    at = submitted
    RegistrationTransition.objects.filter(pk=RegistrationTransition.objects.create(
        registration=registration, to_status=Status.SUBMITTED, by=user).pk).update(at=at)
    intro_call_at = None
    for from_status, to_status in steps:
        at = at + rng.randint(1, 30) * DAY + datetime.timedelta(hours=rng.randint(0, 20))
        at = min(at, now - datetime.timedelta(hours=1))
        transition = RegistrationTransition.objects.create(registration=registration, from_status=from_status,
                                                           to_status=to_status, by=staff)
        RegistrationTransition.objects.filter(pk=transition.pk).update(at=at)
        if to_status == Status.INTRO_SCHEDULED:
            intro_call_at = INTRO_CALLS[index % len(INTRO_CALLS)] if final == Status.INTRO_SCHEDULED else at + 5 * DAY
    Registration.objects.filter(pk=registration.pk).update(submitted_at=submitted, status_changed_at=at,
                                                           intro_call_at=intro_call_at)
    return user


def programme(size: int, *, seed: int = 11, now=NOW) -> dict:
    """``size`` participants and everything around them; returns the staff user and the Tandems."""
    rng = random.Random(seed)
    staff = StaffFactory()
    # A staff member who once registered is no participant: no figure may count them.
    registered_staff = participant()
    registered_staff.is_staff = True
    registered_staff.save()
    orgs = organisations()
    people = [person(index=index, rng=rng, orgs=orgs, staff=staff, now=now) for index in range(size)]
    approved = [p for p in people if p.registration.status == Status.APPROVED]
    mentees = [p.profile for p in approved if p.profile.role in (Role.MENTEE, Role.BOTH)]
    mentors = [p.profile for p in approved if p.profile.role in (Role.MENTOR, Role.BOTH)]
    tandems = []
    for number, mentee in enumerate(mentees[: max(len(mentees) * 2 // 3, 1)]):
        mentor = next((m for m in mentors[number % max(len(mentors), 1):] + mentors if m.pk != mentee.pk), None)
        if mentor is None:
            continue
        ready = max(_approved_at(mentee.user), _approved_at(mentor.user))
        started = min(ready + rng.randint(3, 40) * DAY, now - 2 * DAY)
        tandem = TandemFactory(mentee=mentee, mentor=mentor)
        quiet = number % 3 == 0
        fields = {"started_at": started, "last_activity_at": now - (70 if quiet else 5) * DAY}
        if number % 4 == 1 and started + 60 * DAY < now:
            fields.update(status=Tandem.Status.ENDED, ended_at=started + 60 * DAY, end_reason="Ziel erreicht")
        Tandem.objects.filter(pk=tandem.pk).update(**fields)
        tandem.refresh_from_db()
        tandems.append(tandem)
        _meetings(tandem, rng=rng, now=now)
        if number % 5 == 0:
            report = ProblemReport.objects.create(tandem=tandem, reported_by=mentee.user,
                                                  kind=ProblemReport.Kind.PROBLEM, text="Wir finden keinen Termin.")
            ProblemReport.objects.filter(pk=report.pk).update(created_at=now - (number * 7 % 50 + 1) * DAY)
        if number % 7 == 3:
            ProblemReport.objects.create(tandem=tandem, reported_by=mentee.user, kind=ProblemReport.Kind.END_REQUEST,
                                         text="Erledigt.", status=ProblemReport.Status.DONE, resolved_at=now - DAY,
                                         resolved_by=staff)
    _events(approved, rng=rng, now=now)
    _forum(approved, staff=staff, rng=rng, now=now)
    return {"staff": staff, "people": people, "tandems": tandems}


def _approved_at(user) -> datetime.datetime:
    return user.registration.transitions.get(to_status=Status.APPROVED).at


def _meetings(tandem: Tandem, *, rng: random.Random, now) -> None:
    statuses = [(Meeting.Status.CONFIRMED, 0), (Meeting.Status.CORRECTED, 0), (Meeting.Status.OPEN, 30),
                (Meeting.Status.OPEN, 1), (Meeting.Status.DISPUTED, 0)]
    end = tandem.ended_at or now
    span = max((end - tandem.started_at).days, 1)
    for count in range(rng.randint(0, 6)):
        status, age = statuses[(tandem.pk + count) % len(statuses)]
        day = (tandem.started_at + rng.randint(0, span) * DAY).astimezone(BERLIN).date()
        meeting = Meeting.objects.create(tandem=tandem, logged_by=tandem.mentor.user, date=min(day, now.date()),
                                         duration_minutes=rng.choice([30, 60, 90, 120, 240]),
                                         format=Meeting.Format.ONLINE, status=status)
        Meeting.objects.filter(pk=meeting.pk).update(submitted_at=now - age * DAY if age else now - 20 * DAY)


def _events(approved, *, rng: random.Random, now) -> None:
    # Three held this year (the report counts events once they have taken place), one ahead, one cancelled,
    # a draft and one of last year.
    plans = [(-100, Event.Status.PUBLISHED), (-10, Event.Status.PUBLISHED), (-30, Event.Status.PUBLISHED),
             (-50, Event.Status.CANCELLED), (-20, Event.Status.DRAFT), (20, Event.Status.PUBLISHED),
             (-400, Event.Status.PUBLISHED)]
    for offset, status in plans:
        starts = now + offset * DAY
        event = EventFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
                             registration_deadline=starts - DAY, status=status, capacity=40)
        for user in rng.sample(approved, min(len(approved), rng.randint(3, 12))):
            kind = rng.choice(["confirmed", "confirmed", "confirmed", "waitlisted", "cancelled"])
            attended = rng.choice([True, True, False, None]) if kind == "confirmed" and offset < 0 else None
            EventRegistration.objects.create(event=event, user=user, status=kind, attended=attended,
                                             confirmed_at=starts - 5 * DAY if kind == "confirmed" else None)


def _forum(approved, *, staff, rng: random.Random, now) -> None:
    authors = [*approved[:8], staff]
    for number in range(12):
        opened = now - (number * 29 + 3) * DAY
        author = authors[number % len(authors)]
        thread = ThreadFactory(author=author, is_hidden=number == 5)
        Thread.objects.filter(pk=thread.pk).update(created_at=opened)
        thread.posts.update(created_at=opened)
        for reply in range(number % 4):
            post = Post.objects.create(thread=thread, author=authors[(number + reply + 1) % len(authors)],
                                       body="Antwort", is_hidden=reply == 2)
            Post.objects.filter(pk=post.pk).update(created_at=min(opened + (reply + 1) * 9 * DAY,
                                                                  now - datetime.timedelta(hours=reply + 1)))
