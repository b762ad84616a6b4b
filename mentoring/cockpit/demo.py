"""A year of history for the demo programme, so that the overview has months, waiting times and trends to show.

The other apps' demo data is created in one moment; this spreads it over the past fourteen
months as a real programme would have it: Anmeldungen with their Kennenlerngespräch and
approval, Kennenlerngespräche planned for this week and overdue, a rejected and a withdrawn
Anmeldung, Tandems that began after their approval and met every few weeks (``matching.demo_purpose``
then ends the oldest with their closing reviews), open
problem reports, past events with attendance and no-shows, forum threads across the months.
It runs once: when a registration older than a month exists, the history is there.
"""
import datetime
import random

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from accounts.choices import FundingLine
from accounts.models import Registration, RegistrationTransition, Topic, User
from events.models import Event, EventRegistration
from forum.models import Post, Thread
from matching.models import Meeting, ProblemReport, Tandem

Status = Registration.Status
DEMO_EMAILS = "@example.org"
PAST_EVENTS = [
    ("Online-Seminar: Hitzeschutz in Pflegeeinrichtungen", Event.Kind.WEBINAR, 250, 30),
    ("Vernetzungstreffen West: Starkregen und Stadtplanung", Event.Kind.NETWORKING, 160, 20),
    ("Fortbildung: Beteiligung in der Klimaanpassung", Event.Kind.TRAINING, 95, 25),
    ("Mentor*innen-Schulung: Das erste Tandemgespräch", Event.Kind.MENTOR_TRAINING, 60, 15),
]


def _ago(now: datetime.datetime, days: float) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


def _registrations(*, rng: random.Random, now: datetime.datetime, staff: User) -> dict[int, datetime.datetime]:
    """Back-date every demo registration with a full status history; returns approval times by user."""
    approved_at = {}
    registrations = list(Registration.objects.filter(user__email__endswith=DEMO_EMAILS, user__is_staff=False)
                         .select_related("user").order_by("user__email"))
    waiting = [r for r in registrations if r.status != Status.APPROVED]
    for registration in registrations:
        transitions = registration.transitions
        if registration.status == Status.APPROVED:
            submitted = _ago(now, rng.uniform(70, 420))
            scheduled = submitted + datetime.timedelta(days=rng.uniform(2, 8))
            intro = scheduled + datetime.timedelta(days=rng.uniform(4, 20))
            approved = intro + datetime.timedelta(days=rng.uniform(1, 9))
            transitions.filter(to_status=Status.APPROVED).delete()
            for from_status, to_status, at in ((Status.SUBMITTED, Status.INTRO_SCHEDULED, scheduled),
                                               (Status.INTRO_SCHEDULED, Status.INTRO_DONE, intro),
                                               (Status.INTRO_DONE, Status.APPROVED, approved)):
                transition = RegistrationTransition.objects.create(registration=registration, from_status=from_status,
                                                                   to_status=to_status, by=staff)
                RegistrationTransition.objects.filter(pk=transition.pk).update(at=at)
            Registration.objects.filter(pk=registration.pk).update(submitted_at=submitted, status_changed_at=approved,
                                                                   intro_call_at=intro)
            approved_at[registration.user_id] = approved
        else:
            submitted = _ago(now, rng.uniform(3, 45))
            Registration.objects.filter(pk=registration.pk).update(submitted_at=submitted, status_changed_at=submitted)
        transitions.filter(to_status=Status.SUBMITTED).update(at=submitted)
    # Of those still waiting: Kennenlerngespräche overdue, this week and later; one rejected, one withdrawn.
    offsets = [-6, -2, 1, 3, 9, 16]
    scheduled = [r for r in waiting if r.status == Status.INTRO_SCHEDULED]
    for index, registration in enumerate(scheduled):
        # One host may hold one talk at a time: each talk its own day and hour.
        call = now + datetime.timedelta(days=offsets[index % len(offsets)] + 7 * (index // len(offsets)),
                                        hours=index % len(offsets))
        registration.refresh_from_db()
        at = min(registration.submitted_at + datetime.timedelta(days=2), now)
        Registration.objects.filter(pk=registration.pk).update(intro_call_at=call, status_changed_at=at)
        registration.transitions.filter(to_status=Status.INTRO_SCHEDULED).update(at=at)
    for registration, outcome in zip([r for r in waiting if r.status == Status.SUBMITTED][:2],
                                     (Status.REJECTED, Status.WITHDRAWN), strict=False):
        registration.refresh_from_db()
        intro = registration.submitted_at + datetime.timedelta(days=rng.uniform(3, 10))
        closed = intro + datetime.timedelta(days=2)
        for from_status, to_status, at in ((Status.SUBMITTED, Status.INTRO_DONE, intro),
                                           (Status.INTRO_DONE, outcome, closed)):
            transition = RegistrationTransition.objects.create(registration=registration, from_status=from_status,
                                                               to_status=to_status, by=staff)
            RegistrationTransition.objects.filter(pk=transition.pk).update(at=min(at, now))
        Registration.objects.filter(pk=registration.pk).update(status=outcome, status_changed_at=min(closed, now),
                                                               intro_call_at=intro)
    return approved_at


def _tandems(*, rng: random.Random, now: datetime.datetime, approved_at: dict[int, datetime.datetime]) -> None:
    """Tandems begin after both sides' approval and meet every three to five weeks."""
    topics = list(Topic.objects.all()[:8])
    tandems = list(Tandem.objects.select_related("mentee", "mentor").order_by("pk"))
    for tandem in tandems:
        if tandem.mentee is None or tandem.mentor is None:
            continue
        ready = max(approved_at.get(tandem.mentee.user_id, now - datetime.timedelta(days=30)),
                    approved_at.get(tandem.mentor.user_id, now - datetime.timedelta(days=30)))
        started = min(ready + datetime.timedelta(days=rng.uniform(5, 30)), now - datetime.timedelta(days=14))
        logged = Meeting.objects.filter(tandem=tandem).aggregate(first=Min("date"))["first"]
        if logged is not None:
            started = min(started, timezone.make_aware(datetime.datetime.combine(logged, datetime.time(9)))
                          - datetime.timedelta(days=3))
        quiet = tandem.last_activity_at is not None and tandem.last_activity_at < now - datetime.timedelta(days=56)
        stop = (now - datetime.timedelta(days=70)).date() if quiet else timezone.localdate()
        day = timezone.localtime(started).date() + datetime.timedelta(days=7)
        # A.2 Mentor*innen owe five days a year: their Tandems often meet for half a day.
        durations = [120, 180, 240] if tandem.mentor.funding_line == FundingLine.A2 else [60, 90, 90, 120]
        while day < stop:
            meeting = Meeting.objects.create(
                tandem=tandem, logged_by=tandem.mentor.user, date=day, duration_minutes=rng.choice(durations),
                format=rng.choice(list(Meeting.Format)), status=Meeting.Status.CONFIRMED,
                reviewed_by=tandem.mentee.user, reviewed_at=now)
            meeting.topics.set(rng.sample(topics, 2))
            day += datetime.timedelta(days=rng.randint(21, 35))
        Tandem.objects.filter(pk=tandem.pk).update(started_at=started)
        if not quiet:
            latest = Meeting.objects.filter(tandem=tandem).aggregate(last=Max("date"))["last"]
            if latest is not None:
                    Tandem.objects.filter(pk=tandem.pk).update(last_activity_at=timezone.make_aware(
                    datetime.datetime.combine(latest, datetime.time(17))))
    active = [t for t in tandems if t.mentee is not None and t.mentor is not None][1:]
    for tandem, (kind, days, text) in zip(active, [
            (ProblemReport.Kind.PROBLEM, 2, "Wir finden seit Wochen keinen gemeinsamen Termin."),
            (ProblemReport.Kind.PROBLEM, 19, "Die Themen passen nicht so gut wie erhofft; bitte um ein Gespräch."),
            (ProblemReport.Kind.END_REQUEST, 41, "Meine Stelle endet im nächsten Monat.")], strict=False):
        report = ProblemReport.objects.create(tandem=tandem, reported_by=tandem.mentee.user, kind=kind, text=text)
        ProblemReport.objects.filter(pk=report.pk).update(created_at=_ago(now, days))


def _events(*, rng: random.Random, now: datetime.datetime) -> None:
    people = list(User.objects.filter(registration__status=Status.APPROVED, is_staff=False,
                                      email__endswith=DEMO_EMAILS).order_by("email"))
    for title, kind, days, capacity in PAST_EVENTS:
        starts = _ago(now, days).replace(hour=10, minute=0, second=0, microsecond=0)
        event = Event.objects.create(
            title=title, kind=kind, format=Event.Format.ONLINE, visibility=Event.Visibility.MEMBERS,
            status=Event.Status.PUBLISHED, description="Rückblick: " + title, starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2), registration_deadline=starts - datetime.timedelta(days=1),
            online_url="https://konferenz.example.org/raum/rueckblick", organiser="Koordinationsstelle Mentoring "
            "Klimaanpassung", capacity=capacity)
        for user in rng.sample(people, min(len(people), rng.randint(capacity // 2, capacity))):
            EventRegistration.objects.create(event=event, user=user, status=EventRegistration.Status.CONFIRMED,
                                             confirmed_at=starts - datetime.timedelta(days=7),
                                             attended=rng.choices([True, False, None], weights=[8, 2, 1])[0])


def _forum(*, now: datetime.datetime) -> None:
    """Threads spread over the past months, replies a few days after their thread."""
    for index, thread in enumerate(Thread.objects.order_by("pk")):
        opened = _ago(now, 20 + index * 37)
        Thread.objects.filter(pk=thread.pk).update(created_at=opened)
        last = opened
        for position, post in enumerate(thread.posts.order_by("created_at", "pk")):
            last = opened + datetime.timedelta(days=position * 3, hours=position)
            Post.objects.filter(pk=post.pk).update(created_at=last)
        Thread.objects.filter(pk=thread.pk).update(last_post_at=last)


@transaction.atomic
def seed(*, staff, stdout) -> None:
    now = timezone.now()
    first = Registration.objects.aggregate(first=Min("submitted_at"))["first"]
    if first is None or first < now - datetime.timedelta(days=30):
        return
    rng = random.Random(2026)
    approved_at = _registrations(rng=rng, now=now, staff=staff)
    _tandems(rng=rng, now=now, approved_at=approved_at)
    _events(rng=rng, now=now)
    _forum(now=now)
    stdout.write("Übersicht: Verlauf der letzten Monate für die Demo-Daten angelegt.")
