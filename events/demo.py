"""Demo events for the local run: every kind, a full one with waitlist, a past and a cancelled one."""
import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import FederalState, Registration, Topic, User

from .models import Event, EventRegistration, EventSpeaker

BERLIN = ZoneInfo("Europe/Berlin")
ORGANISER = "Koordinationsstelle Mentoring Klimaanpassung"

@dataclass(frozen=True)
class DemoEvent:
    title: str
    kind: str
    format: str
    visibility: str
    in_days: int  # from today; negative for a past event
    start_hour: float
    hours: float
    capacity: int
    topics: list[str]
    text: str
    state: str | None = None  # Bundesland code of the venue
    venue: str = ""


EVENTS = [
    DemoEvent("Vernetzungstreffen Nord: Hitzeschutz in Kommunen", Event.Kind.NETWORKING, Event.Format.ONSITE,
              Event.Visibility.MEMBERS, in_days=12, start_hour=10, hours=5, capacity=25,
              state="02", venue="Bezirksamt Altona, Platz der Republik 1, 22765 Hamburg",
              topics=["hitzeaktionsplan", "vernetzung"],
              text="Wir tauschen uns zu **Hitzeaktionsplänen** aus: Was hat im Sommer 2026 funktioniert, was nicht?"
                   "\n\n- Kurzimpulse aus Hamburg und Kiel\n- Arbeitsgruppen nach Kommunengröße\n"
                   "- gemeinsames Mittagessen"),
    DemoEvent("Online-Seminar: Fördermittel richtig abrufen", Event.Kind.WEBINAR, Event.Format.ONLINE,
              Event.Visibility.PUBLIC, in_days=5, start_hour=14, hours=1.5, capacity=80,
              topics=["projektmanagement", "foerdermittel"],
              text="Mittelabruf, Zwischennachweis, Verwendungsnachweis: ein Überblick mit Beispielen aus "
                   "A.1-Vorhaben. Fragen können Sie vorab per E-Mail schicken."),
    DemoEvent("Fortbildung: Starkregenrisikomanagement in der Praxis", Event.Kind.TRAINING, Event.Format.HYBRID,
              Event.Visibility.MEMBERS, in_days=26, start_hour=9, hours=7, capacity=20,
              state="05", venue="Stadthaus Münster, Klemensstraße 10, 48143 Münster",
              topics=["starkregen", "umsetzung"],
              text="Von der Hinweiskarte zur Beratung von Eigentümer*innen. Mit Exkursion zu einem Rückhalteraum "
                   "(nur vor Ort)."),
    DemoEvent("Mentor*innen-Schulung: Gespräche gut führen", Event.Kind.MENTOR_TRAINING, Event.Format.ONLINE,
              Event.Visibility.MEMBERS, in_days=9, start_hour=13, hours=3, capacity=15,
              topics=["selbstorganisation"],
              text="Für Mentor*innen im Programm: aktives Zuhören, Erwartungen klären, das erste Tandemtreffen "
                   "vorbereiten."),
    DemoEvent("Sprechstunde der Koordination", Event.Kind.CONSULTATION, Event.Format.ONLINE,
              Event.Visibility.MEMBERS, in_days=2, start_hour=11, hours=1, capacity=4, topics=["einstieg"],
              text="Offene Fragen zum Programm, zum Matching oder zum Tandem? Kommen Sie vorbei."),
    DemoEvent("Vernetzungstreffen Süd: Schwammstadt", Event.Kind.NETWORKING, Event.Format.ONSITE,
              Event.Visibility.PUBLIC, in_days=40, start_hour=10, hours=6, capacity=30,
              state="09", venue="Rathaus München, Marienplatz 8, 80331 München",
              topics=["schwammstadt", "stadtgruen"], text="Praxisbeispiele aus München, Freiburg und Leipzig."),
    DemoEvent("Online-Seminar: Klimadaten für die Betroffenheitsanalyse", Event.Kind.WEBINAR, Event.Format.ONLINE,
              Event.Visibility.PUBLIC, in_days=-20, start_hour=10, hours=2, capacity=100, topics=["klimadaten"],
              text="Welche Datenquellen gibt es, und wie liest man sie? Aufzeichnung auf Anfrage."),
    DemoEvent("Fortbildung: Ratsvorlagen schreiben", Event.Kind.TRAINING, Event.Format.ONLINE,
              Event.Visibility.MEMBERS, in_days=18, start_hour=9, hours=3, capacity=30, topics=["politik"],
              text="Aufbau, Sprache und Timing einer überzeugenden Ratsvorlage."),
]


def _at(days: int, hour: float) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    while day.weekday() >= 5:  # public servants meet on working days
        day += datetime.timedelta(days=1 if days >= 0 else -1)
    return datetime.datetime.combine(day, datetime.time(int(hour), int(hour % 1 * 60)), tzinfo=BERLIN)


@transaction.atomic
def seed(*, staff, stdout) -> None:
    made = 0
    approved = list(User.objects.filter(registration__status=Registration.Status.APPROVED, is_staff=False)
                    .order_by("email"))
    topic_slugs = {t.slug: t for t in Topic.objects.all()}
    for index, demo in enumerate(EVENTS):
        if Event.objects.filter(title=demo.title).exists():
            continue
        starts = _at(demo.in_days, demo.start_hour)
        event = Event.objects.create(
            title=demo.title, kind=demo.kind, format=demo.format, visibility=demo.visibility,
            status=Event.Status.PUBLISHED, description=demo.text, starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=demo.hours),
            registration_deadline=starts - datetime.timedelta(days=1), venue=demo.venue,
            federal_state=FederalState.objects.filter(code=demo.state).first() if demo.state else None,
            online_url="https://konferenz.example.org/raum/klimaanpassung-" + str(index + 1)
            if demo.format != Event.Format.ONSITE else "",
            organiser=ORGANISER, capacity=demo.capacity)
        event.topics.set([topic_slugs[s] for s in demo.topics if s in topic_slugs])
        if approved:
            speaker = approved[index % len(approved)]
            EventSpeaker.objects.create(event=event, name=str(speaker), affiliation="Mentor*in im Programm",
                                        participant=speaker)
        # A few places taken; the Sprechstunde is full with a waitlist.
        takers = approved[index * 3: index * 3 + (6 if demo.kind == Event.Kind.CONSULTATION else 3)]
        for position, user in enumerate(takers):
            waiting = position >= demo.capacity
            EventRegistration.objects.create(
                event=event, user=user, status=EventRegistration.Status.WAITLISTED if waiting
                else EventRegistration.Status.CONFIRMED, confirmed_at=None if waiting else timezone.now(),
                attended=True if demo.in_days < 0 else None)
        made += 1
    stdout.write(f"Veranstaltungen: {made} neu angelegt ({Event.objects.count()} insgesamt).")
