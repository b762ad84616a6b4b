"""A large programme in bulk, for benchmarks: 5,000 participants, a busy forum, events, Tandems and a match run.

Usage (into the database of DATABASE_URL, which must be migrated and hold no participants yet):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/data.py
bench/web.py calls ``build()`` on a database of its own.

What it makes (the defaults): 5,000 participants (three in ten Mentor*innen, nineteen in twenty
approved, with needs, competences and consents), 2,000 forum threads with 50,000 posts (one
thread of exactly 50), 500 events with places taken, 1,000 Tandems (seven in ten active) with
4,000 meetings, and a match run computed by the real engine over everyone approved and still
without an active Tandem (about 2,600 proposals). Everything else goes in with bulk_create.
A participant (a Mentor*in with Tandems) and a coordinator (staff, superuser, with an
authenticator app) are returned for logging in.
"""
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mentoring.kernel.bulk import keeping_dates  # noqa: E402 - after the path is set

DAY = datetime.timedelta(days=1)
PARTICIPANT_EMAIL = "bench-teilnehmerin@example.org"
COORDINATOR_EMAIL = "bench-koordination@example.org"
SEARCH_WORD = "Hitzeschutz"
# Words of the programme's everyday, so that search finds threads and stems them as German.
VOCABULARY = ("Hitzeschutz Starkregen Klimaanpassung Förderantrag Gründach Entsiegelung Hitzeaktionsplan "
              "Bürgerbeteiligung "
              "Schwammstadt Baumpflanzung Trinkwasser Kommune Konzept Verwaltung Stadtrat Kreistag Beschluss "
              "Anpassung Risikoanalyse Hochwasser Dürre Grünflächen Verschattung Kaltluft Stadtklima Monitoring "
              "Maßnahme Bericht Erfahrung Austausch Frage Antwort Vorlage Ausschreibung Gutachten Beteiligung "
              "Landkreis Pflegeheim Kita Schule Krankenhaus Hitzewarnung Netzwerk Mentoring Fortbildung Webinar "
              "Zuständigkeit Haushalt")
WORDS = VOCABULARY.split()



def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def post_counts(rng: random.Random, threads: int, posts: int, long_thread: int) -> list[int]:
    """Posts per thread: the first thread has exactly ``long_thread``, the rest share the remainder (1 to 49 each)."""
    rest = posts - long_thread
    counts = [rng.randint(1, 2 * rest // (threads - 1) - 1) for _ in range(threads - 1)]
    while sum(counts) != rest:  # nudge random threads until the total is exact
        i = rng.randrange(len(counts))
        if sum(counts) < rest and counts[i] < long_thread - 1:
            counts[i] += 1
        elif sum(counts) > rest and counts[i] > 1:
            counts[i] -= 1
    return [long_thread, *counts]


def build(*, participants: int = 5000, threads: int = 2000, posts: int = 50000, long_thread: int = 50,
          events: int = 500, tandems: int = 1000, meetings: int = 4000, seed: int = 2026,
          log=print) -> dict:
    """Fill an empty, migrated database; returns the ids the benchmark needs."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from accounts.choices import Role
    from accounts.models import Competence, Need, Profile, Registration, Topic, User
    from bench import people
    from events.models import Event, EventRegistration
    from forum.benchdata import index_all
    from forum.models import Category, Post, Thread
    from matching.models import Meeting, Tandem
    from matching.services.runs import match_run_create, match_run_execute
    from mentoring.kernel.markdown import render_markdown_stored

    if User.objects.filter(is_staff=False).exists():
        raise SystemExit("The database already holds participants: build() fills an empty one only.")
    rng = random.Random(seed)
    now = timezone.now()
    started = time.perf_counter()

    def step(text: str) -> None:
        log(f"  {time.perf_counter() - started:5.1f} s  {text}")

    topics = list(Topic.objects.all())
    organisations = people.organisations(rng, participants // 3)
    password = make_password("Bench-Passwort-2026")
    users = people.logins(participants, password=password, now=now, first_email=PARTICIPANT_EMAIL)
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users])
    # The logged-in participant (n = 0) is a Mentor*in; three in ten mentor, a few both mentor and are mentored.
    roles = [Role.MENTOR if n % 10 < 3 else (Role.BOTH if n % 23 == 5 else Role.MENTEE) for n in range(participants)]
    profiles = Profile.objects.bulk_create([
        Profile(user=user, role=role, organisation=rng.choice(organisations), position="Klimaanpassungsmanager*in",
                role_started_on=datetime.date(2025, 1, 1), funding_line=rng.choice(people.FUNDING_LINES),
                concept_stage=rng.choice(["none", "in_progress", "adopted"]),
                meeting_format=rng.choice(["online", "both", "both", "onsite"]),
                languages=["de", "en"] if rng.random() < 0.4 else ["de"],
                mentor_capacity=rng.choice([2, 2, 3, 3]) if role != Role.MENTEE else 0,
                mentor_available=role != Role.MENTEE)
        for user, role in zip(users, roles, strict=True)])
    Competence.objects.bulk_create([Competence(profile=p, topic=topic, level=rng.randint(1, 3)) for p in profiles
                                    if p.role != Role.MENTEE for topic in rng.sample(topics, rng.randint(3, 7))])
    Need.objects.bulk_create([Need(profile=p, topic=topic, priority=rng.randint(1, 3)) for p in profiles
                              if p.role != Role.MENTOR for topic in rng.sample(topics, rng.randint(2, 5))])
    step(f"{participants} participants with profiles, needs, competences, consents")

    Status = Registration.Status
    path = [Status.INTRO_SCHEDULED, Status.INTRO_DONE, Status.APPROVED]
    # One in twenty is still on the way.
    registrations = people.registrations(rng, users, lambda n: path[: rng.randint(0, 2)] if n % 20 == 19 else path,
                                         now=now, submitted_days=(30, 430), step_days=10)
    approved = {r.user_id for r in registrations if r.status == Status.APPROVED}
    step("registrations with their history")

    mentors = [p for p in profiles if p.user_id in approved and p.role == Role.MENTOR]
    mentees = [p for p in profiles if p.user_id in approved and p.role == Role.MENTEE]
    rng.shuffle(mentees)
    participant_profile = profiles[0]
    # The participant mentors two Tandems; the rest go round the Mentor*innen, one each.
    pairs = [(mentees[0], participant_profile), (mentees[1], participant_profile)]
    pairs += [(mentee, mentors[1 + n % (len(mentors) - 1)]) for n, mentee in enumerate(mentees[2:tandems])]
    tandem_rows = []
    for n, (mentee, mentor) in enumerate(pairs):
        started_at = now - rng.randint(20, 300) * DAY
        ended = n % 10 >= 7
        tandem_rows.append(Tandem(mentee=mentee, mentor=mentor, started_at=started_at,
                                  status=Tandem.Status.ENDED if ended else Tandem.Status.ACTIVE,
                                  ended_at=started_at + 10 * DAY if ended else None,
                                  last_activity_at=now - rng.randint(1, 60) * DAY))
    with keeping_dates(Tandem, Meeting):
        tandem_rows = Tandem.objects.bulk_create(tandem_rows)
        per_tandem = meetings // len(tandem_rows)
        Meeting.objects.bulk_create([
            Meeting(tandem=t, logged_by_id=t.mentor.user_id,
                    date=(min(t.started_at + rng.randint(0, 60) * DAY, now - DAY)).date(),
                    duration_minutes=rng.choice([60, 90, 120]), format=rng.choice(["online", "onsite"]),
                    status="confirmed", submitted_at=now - 10 * DAY, created_at=now - 10 * DAY)
            for t in tandem_rows for _m in range(per_tandem)], batch_size=2000)
    step(f"{len(tandem_rows)} Tandems with {per_tandem * len(tandem_rows)} meetings")

    event_rows = []
    for n in range(events):
        starts = now + (n - events // 2) * DAY / 2
        event_rows.append(Event(title=f"Bench-Veranstaltung {n}: {sentence(rng, 3)}", kind=rng.choice(
            ["networking", "webinar", "training", "consultation"]), format="online", status="published",
            visibility="members" if n % 3 else "public", description=sentence(rng, 40), starts_at=starts,
            ends_at=starts + DAY / 12, registration_deadline=starts - DAY, organiser="Koordinationsstelle",
            online_url="https://konferenz.example.org/bench", capacity=100, created_at=now, updated_at=now))
    approved_users = [u for u in users if u.pk in approved]
    with keeping_dates(Event, EventRegistration):
        event_rows = Event.objects.bulk_create(event_rows)
        EventRegistration.objects.bulk_create([
            EventRegistration(event=event, user=user, status="confirmed", created_at=event.starts_at - 5 * DAY,
                              confirmed_at=event.starts_at - 5 * DAY)
            for event in event_rows for user in rng.sample(approved_users, 20)], batch_size=5000)
    step(f"{events} events with 20 places taken each")

    categories = list(Category.objects.filter(mentors_only=False, staff_only_threads=False).order_by("position"))
    categories = categories or list(Category.objects.filter(mentors_only=False))
    counts = post_counts(rng, threads, posts, long_thread)
    thread_rows = []
    for n, count in enumerate(counts):
        created = now - rng.randint(count + 1, 500) * DAY
        thread_rows.append(Thread(category=categories[0] if n == 0 else rng.choice(categories),
                                  title=f"Bench-Thema {n}: {sentence(rng, rng.randint(3, 8))}"[:120],
                                  author=rng.choice(approved_users), created_at=created,
                                  last_post_at=created + (count - 1) * DAY, post_count=count))
    with keeping_dates(Thread, Post):
        thread_rows = Thread.objects.bulk_create(thread_rows)
        post_rows = []
        for thread, count in zip(thread_rows, counts, strict=True):
            for i in range(count):
                body = sentence(rng, rng.randint(20, 120))
                # As posting stores it: the sanitised HTML (pages print it) and "followers told".
                post_rows.append(Post(thread=thread, author=rng.choice(approved_users), body=body,
                                      body_html=render_markdown_stored(body), is_first=i == 0,
                                      created_at=thread.created_at + i * DAY, notified_at=now))
        Post.objects.bulk_create(post_rows, batch_size=5000)
    index_all()
    step(f"{threads} threads with {len(post_rows)} posts (one of {long_thread}), search index")

    coordinator = User.objects.create(email=COORDINATOR_EMAIL, first_name="Bench", last_name="Koordination",
                                      password=password, is_staff=True, is_superuser=True)
    coordinator.groups.add(*Group.objects.filter(name="Koordination"))
    EmailAddress.objects.create(user=coordinator, email=COORDINATOR_EMAIL, primary=True, verified=True)
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "bench"})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # a running database keeps its statistics current; after a bulk load, take them
    run = match_run_execute(run=match_run_create(by=coordinator))
    step(f"match run: {run.status}, {run.matched_count} proposals for {run.mentee_count} mentees, "
         f"{run.mentor_count} Mentor*innen, engine {run.duration_ms / 1000:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"participant": users[0].pk, "coordinator": coordinator.pk, "thread": thread_rows[0].pk,
            "category": categories[0].slug, "run": run.pk, "proposals": run.matched_count,
            "seconds": round(time.perf_counter() - started, 1)}


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings.local")
    import django

    django.setup()
    print("Building a large programme in", django.db.connection.settings_dict["NAME"])
    result = build()
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
