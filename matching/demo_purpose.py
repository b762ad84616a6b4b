"""Demo content for the Tandem's purpose: Vereinbarungen, Kurzbefragungen, closing reviews.

Runs after the overview's history has back-dated the Tandems (``mentoring.cockpit.demo``), so
each Tandem's agreement, check-ins and end follow its real start. Everything goes through the
services (mails land in the outbox as usual); only the timestamps are moved into the past
afterwards. It runs once: when any Vereinbarung exists, nothing is added.
"""
import datetime
import random
from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import programme_years
from accounts.models import Need, ProgrammeYear, Registration

from . import services
from .models import Agreement, CheckIn, ClosingReview, Meeting, Progress, Tandem
from .services.agreements import add_months
from .services.checkins import checkin_due_on

ENDED = 6  # the oldest Tandems end: most at their planned end (half a year), two early
DEMO_MENTEE = "teilnehmer002@example.org"  # the README's second login: a Tandem with everything to see
EARLY_REASONS = [ClosingReview.EarlyEnd.JOB, ClosingReview.EarlyEnd.TIME]
GOAL_TEXTS = [
    "Bis zum Sommer einen abgestimmten Fahrplan für unsere Verwaltung erarbeiten",
    "Zwei Beispiele aus anderen Kommunen kennenlernen und auf uns übertragen",
    "Eine Vorlage für den Ausschuss vorbereiten und gemeinsam durchgehen",
    "Die ersten Schritte mit den Fachämtern planen und Zuständigkeiten klären",
]
COMMENTS = [
    "Wir kommen gut voran, die Termine klappen meist.",
    "Die Urlaubszeit hat uns etwas ausgebremst, jetzt geht es weiter.",
    "Es wäre schön, wenn die Koordination eine Vorlage für den Zeitplan hätte.",
    "Gerade schwierig, Termine zu finden – wir versuchen es weiter.",
]
HELPED = [
    "Der ehrliche Blick von außen und die Beispiele aus einer anderen Kommune.",
    "Feste Termine alle paar Wochen und dass wir konkrete Unterlagen besprochen haben.",
    "Die Kontakte, die mein*e Mentor*in vermittelt hat.",
    "Zu sehen, wie eine andere Verwaltung die Beteiligung organisiert hat.",
    "Dass ich meine eigenen Erfahrungen ordnen und weitergeben konnte.",
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _year_of(day: datetime.date, oldest: ProgrammeYear | None) -> ProgrammeYear | None:
    return ProgrammeYear.for_day(day) or oldest


def _agree(tandem: Tandem, rng: random.Random, *, confirm: bool, planned_end: datetime.date,
           common_topics: set[int]) -> Agreement | None:
    # Most Tandems work on the programme's common topics, so the evaluation has groups of five.
    needs = services.goal_topics(tandem)
    common = [topic for topic in needs if topic.pk in common_topics]
    topics = (common + [topic for topic in needs if topic not in common])[:rng.choice([2, 3, 3])]
    if len(topics) < services.MIN_GOALS:
        return None
    goals = [(topic.pk, GOAL_TEXTS[(tandem.pk + n) % len(GOAL_TEXTS)])
             for n, topic in enumerate(topics)]
    today = timezone.localdate()
    agreement = services.agreement_draft(
        tandem=tandem, by=tandem.mentor.user, goals=goals,
        frequency=rng.choice([Agreement.Frequency.MONTHLY, Agreement.Frequency.BIWEEKLY, Agreement.Frequency.MONTHLY]),
        meeting_form=rng.choice(list(Agreement.Form)), planned_end=max(planned_end, today + timedelta(days=1)),
        confidential=True)
    drafted = tandem.started_at + timedelta(days=rng.randint(5, 12))
    Agreement.objects.filter(pk=agreement.pk).update(drafted_at=min(drafted, timezone.now()))
    if confirm:
        services.agreement_confirm(agreement=agreement, by=tandem.mentee.user)
        Agreement.objects.filter(pk=agreement.pk).update(
            planned_end=planned_end, confirmed_at=min(drafted + timedelta(days=rng.randint(1, 4)), timezone.now()))
    return agreement


def _progress(goals: list[int], number: int, stuck: bool) -> dict[int, str]:
    if stuck:
        return {topic: Progress.OPEN if n else Progress.UNDER_WAY for n, topic in enumerate(goals)}
    return {topic: Progress.REACHED if number >= 3 + n else Progress.UNDER_WAY if number >= 1 + n else Progress.OPEN
            for n, topic in enumerate(goals)}


def _answer_checkins(rng: random.Random, *, troubled: set[int], still_open: set[int], now: datetime.datetime) -> int:
    """Most partners answer a few days after the mail; the newest one of some Tandems stays open. (The
    Kurzbefragungen of ended Tandems were answered before they ended: ``_answer_before_end``.)"""
    answered = 0
    newest = {}
    for checkin in CheckIn.objects.order_by("number"):
        newest[(checkin.tandem_id, checkin.user_id)] = checkin.pk
    for checkin in (CheckIn.objects.filter(tandem__status=Tandem.Status.ACTIVE).select_related("tandem")
                    .order_by("due_on", "pk")):
        is_newest = newest[(checkin.tandem_id, checkin.user_id)] == checkin.pk
        if is_newest and checkin.tandem_id in still_open:
            continue  # not answered yet
        if checkin.tandem_id not in troubled and rng.random() < 0.08:
            continue  # not answered (yet)
        _answer(rng, checkin, trouble=checkin.tandem_id in troubled and is_newest, latest=now)
        answered += 1
    return answered


def _answer_before_end(rng: random.Random, *, tandem_pk: int, end: datetime.datetime) -> int:
    """A Tandem's Kurzbefragungen answered before it ends (a Kurzbefragung closes with its Tandem)."""
    answered = 0
    for checkin in CheckIn.objects.filter(tandem_id=tandem_pk, answered_at__isnull=True).select_related("tandem"):
        if rng.random() < 0.08:
            continue
        _answer(rng, checkin, trouble=False, latest=end)
        answered += 1
    return answered


def _answer(rng: random.Random, checkin: CheckIn, *, trouble: bool, latest: datetime.datetime) -> None:
    goals = [goal["topic"] for goal in services.checkin_goals(checkin)]
    rating = rng.choice([1, 2]) if trouble else rng.choice([3, 4, 4, 4, 5, 5])
    met = not (trouble and checkin.user_id == checkin.tandem.mentee.user_id) and rng.random() < 0.9
    mentee = checkin.user_id == checkin.tandem.mentee.user_id
    comment = (COMMENTS[3] if trouble and mentee else rng.choice(COMMENTS[:3])) \
        if (trouble and mentee) or rng.random() < 0.15 else ""
    services.checkin_answer(checkin=checkin, user=checkin.user, rating=rating, met=met, comment=comment,
                            progress=_progress(goals, checkin.number, stuck=trouble))
    when = min(_at(checkin.due_on, 9) + timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 9)), latest)
    CheckIn.objects.filter(pk=checkin.pk).update(answered_at=when)


def _answer_reviews(rng: random.Random, *, now: datetime.datetime) -> int:
    answered = 0
    reviews = list(ClosingReview.objects.select_related("tandem").order_by("tandem__ended_at", "pk"))
    for index, review in enumerate(reviews):
        ended = review.tandem.ended_at
        ClosingReview.objects.filter(pk=review.pk).update(created_at=ended)
        if index == len(reviews) - 1 and not review.is_mentee:
            continue  # one review still open: the form to try
        goals = services.review_goals(review)
        happy = not review.early
        services.review_answer(
            review=review, user=review.user,
            goals_reached={goal["topic"]: happy or n == 0 for n, goal in enumerate(goals)},
            competence={goal["topic"]: (goal["level"], min(3, goal["level"] + (1 if happy or n == 0 else 0)))
                        for n, goal in enumerate(goals)},
            helped=rng.choice(HELPED), nps=rng.choice([9, 10, 10, 8, 9]) if happy else rng.choice([6, 7, 8]),
            early_end_reason=EARLY_REASONS[review.tandem_id % len(EARLY_REASONS)] if review.early else "")
        ClosingReview.objects.filter(pk=review.pk).update(
            answered_at=min(ended + timedelta(days=rng.randint(1, 10)), now))
        answered += 1
    return answered


@transaction.atomic
def seed(*, staff, stdout) -> None:
    current = programme_years()
    if Agreement.objects.exists():
        return
    rng = random.Random(13)
    now = timezone.now()
    today = timezone.localdate()
    oldest = ProgrammeYear.objects.order_by("opens_on").first()
    for registration in Registration.objects.only("submitted_at"):
        Registration.objects.filter(pk=registration.pk).update(
            programme_year=_year_of(timezone.localdate(registration.submitted_at), oldest) or current)
    tandems = list(Tandem.objects.filter(status=Tandem.Status.ACTIVE, mentee__isnull=False, mentor__isnull=False)
                   .select_related("mentee__user", "mentor__user").order_by("started_at", "pk"))
    needs = Counter(pk for tandem in tandems[:ENDED]
                    for pk in tandem.mentee.needs.values_list("topic_id", flat=True))
    common_topics = {pk for pk, _count in needs.most_common(2)}
    for tandem in tandems[:ENDED]:  # the ended Tandems share two needs: goal figures reach five answers
        for pk in common_topics:
            Need.objects.get_or_create(profile=tandem.mentee, topic_id=pk, defaults={"priority": 1})
    ends: dict[int, tuple[datetime.date, bool]] = {}  # Tandem pk: (the day it ends, early?)
    troubled: set[int] = set()
    still_open: set[int] = set()  # the newest Kurzbefragung waits for an answer
    # The youngest Tandems: one without a Vereinbarung, one with a draft waiting (not the demo mentee's).
    young = [t for t in reversed(tandems) if t.mentee.user.email != DEMO_MENTEE]
    nothing, pending = (young[0].pk, young[1].pk) if len(young) > 2 else (None, None)
    for index, tandem in enumerate(tandems):
        start = timezone.localdate(tandem.started_at)
        Tandem.objects.filter(pk=tandem.pk).update(programme_year=_year_of(start, oldest))
        tandem.refresh_from_db()
        age = (today - start).days
        if tandem.pk == nothing or age < 14:
            continue  # weeks old and nothing agreed yet: on the at-risk list
        planned_end = add_months(start, 6 if index < ENDED and index % 3 != 1 else 12)
        if tandem.pk == pending:
            # The mentee is asked to confirm.
            _agree(tandem, rng, confirm=False, planned_end=planned_end, common_topics=common_topics)
            continue
        _agree(tandem, rng, confirm=True, planned_end=planned_end, common_topics=common_topics)
        if index < ENDED:
            if planned_end < today:
                ends[tandem.pk] = (planned_end, False)
            else:
                ends[tandem.pk] = (start + timedelta(days=max(age * 2 // 3, 45)), True)
        elif index % 3 == 2:
            troubled.add(tandem.pk)  # a low rating in the newest answer: on the at-risk list
        elif index % 3 == 0 or tandem.mentee.user.email == DEMO_MENTEE:
            still_open.add(tandem.pk)
    # Send the Kurzbefragungen day by day as the daily task would have; Tandems end on their day.
    by_pk = {tandem.pk: tandem for tandem in tandems}
    before_end = 0
    days = sorted({checkin_due_on(tandem, number) for tandem in tandems for number in range(1, 20)
                   if checkin_due_on(tandem, number) <= today} | {day for day, _early in ends.values()})
    for day in days:
        for pk, (end, early) in ends.items():
            if end == day:
                before_end += _answer_before_end(rng, tandem_pk=pk, end=_at(end, 15))
                # The demo's meetings were logged up to today; a Tandem that ended earlier had none after its end.
                Meeting.objects.filter(tandem_id=pk, date__gt=end).delete()
                if early:
                    services.tandem_end(tandem=by_pk[pk], by=staff, reason="Stellenwechsel der Mentee")
                else:
                    services.tandem_end(tandem=by_pk[pk], by=None, cause=Tandem.EndCause.PLANNED_END)
                Tandem.objects.filter(pk=pk).update(ended_at=_at(end, 16))
        services.checkins_send(now=_at(day, 8))
    sent = list(CheckIn.objects.only("pk", "due_on"))
    for checkin in sent:
        checkin.sent_at = _at(checkin.due_on, 8)
    CheckIn.objects.bulk_update(sent, ["sent_at"], batch_size=500)
    checkins = before_end + _answer_checkins(rng, troubled=troubled, still_open=still_open, now=now)
    reviews = _answer_reviews(rng, now=now)
    stdout.write(f"Tandem-Ziele: {Agreement.objects.count()} Vereinbarungen, {checkins} beantwortete "
                 f"Kurzbefragungen, {reviews} Rückblicke, {len(ends)} Tandems beendet; Jahrgang {current}.")
