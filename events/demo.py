"""Demo events for the local run: every kind, a full one with waitlist, a past and a cancelled one."""
import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import FederalState, Registration, Topic, User

from .models import Event, EventRegistration, EventSpeaker

BERLIN = ZoneInfo("Europe/Berlin")
ORGANISER = "Koordinationsstelle Mentoring Klimaanpassung"

# (title, kind, format, visibility, days from today, start hour, hours, capacity, state code, venue, topics, text)
EVENTS = [
    ("Vernetzungstreffen Nord: Hitzeschutz in Kommunen", Event.Kind.NETWORKING, Event.Format.ONSITE,
     Event.Visibility.MEMBERS, 12, 10, 5, 25, "02", "Bezirksamt Altona, Platz der Republik 1, 22765 Hamburg",
     ["hitzeaktionsplan", "vernetzung"],
     "Wir tauschen uns zu **Hitzeaktionsplänen** aus: Was hat im Sommer 2026 funktioniert, was nicht?\n\n"
     "- Kurzimpulse aus Hamburg und Kiel\n- Arbeitsgruppen nach Kommunengröße\n- gemeinsames Mittagessen"),
    ("Online-Seminar: Fördermittel richtig abrufen", Event.Kind.WEBINAR, Event.Format.ONLINE,
     Event.Visibility.PUBLIC, 5, 14, 1.5, 80, None, "", ["projektmanagement", "foerdermittel"],
     "Mittelabruf, Zwischennachweis, Verwendungsnachweis: ein Überblick mit Beispielen aus A.1-Vorhaben. "
     "Fragen können Sie vorab per E-Mail schicken."),
    ("Fortbildung: Starkregenrisikomanagement in der Praxis", Event.Kind.TRAINING, Event.Format.HYBRID,
     Event.Visibility.MEMBERS, 26, 9, 7, 20, "05", "Stadthaus Münster, Klemensstraße 10, 48143 Münster",
     ["starkregen", "umsetzung"],
     "Von der Hinweiskarte zur Beratung von Eigentümer*innen. Mit Exkursion zu einem Rückhalteraum "
     "(nur vor Ort)."),
    ("Mentor*innen-Schulung: Gespräche gut führen", Event.Kind.MENTOR_TRAINING, Event.Format.ONLINE,
     Event.Visibility.MEMBERS, 9, 13, 3, 15, None, "", ["selbstorganisation"],
     "Für Mentor*innen im Programm: aktives Zuhören, Erwartungen klären, das erste Tandemtreffen vorbereiten."),
    ("Sprechstunde der Koordination", Event.Kind.CONSULTATION, Event.Format.ONLINE, Event.Visibility.MEMBERS,
     2, 11, 1, 4, None, "", ["einstieg"],
     "Offene Fragen zum Programm, zum Matching oder zum Tandem? Kommen Sie vorbei."),
    ("Vernetzungstreffen Süd: Schwammstadt", Event.Kind.NETWORKING, Event.Format.ONSITE,
     Event.Visibility.PUBLIC, 40, 10, 6, 30, "09", "Rathaus München, Marienplatz 8, 80331 München",
     ["schwammstadt", "stadtgruen"], "Praxisbeispiele aus München, Freiburg und Leipzig."),
    ("Online-Seminar: Klimadaten für die Betroffenheitsanalyse", Event.Kind.WEBINAR, Event.Format.ONLINE,
     Event.Visibility.PUBLIC, -20, 10, 2, 100, None, "", ["klimadaten"],
     "Welche Datenquellen gibt es, und wie liest man sie? Aufzeichnung auf Anfrage."),
    ("Fortbildung: Ratsvorlagen schreiben", Event.Kind.TRAINING, Event.Format.ONLINE, Event.Visibility.MEMBERS,
     18, 9, 3, 30, None, "", ["politik"], "Aufbau, Sprache und Timing einer überzeugenden Ratsvorlage."),
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
    for index, (title, kind, fmt, visibility, days, hour, hours, capacity, state, venue, topics, text) in \
            enumerate(EVENTS):
        if Event.objects.filter(title=title).exists():
            continue
        starts = _at(days, hour)
        event = Event.objects.create(
            title=title, kind=kind, format=fmt, visibility=visibility, status=Event.Status.PUBLISHED,
            description=text, starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours),
            registration_deadline=starts - datetime.timedelta(days=1), venue=venue,
            federal_state=FederalState.objects.filter(code=state).first() if state else None,
            online_url="https://konferenz.example.org/raum/klimaanpassung-" + str(index + 1)
            if fmt != Event.Format.ONSITE else "",
            organiser=ORGANISER, capacity=capacity)
        event.topics.set([topic_slugs[s] for s in topics if s in topic_slugs])
        if approved:
            speaker = approved[index % len(approved)]
            EventSpeaker.objects.create(event=event, name=str(speaker), affiliation="Mentor*in im Programm",
                                        participant=speaker)
        # A few places taken; the Sprechstunde is full with a waitlist.
        takers = approved[index * 3: index * 3 + (6 if kind == Event.Kind.CONSULTATION else 3)]
        for position, user in enumerate(takers):
            waiting = position >= capacity
            EventRegistration.objects.create(
                event=event, user=user, status=EventRegistration.Status.WAITLISTED if waiting
                else EventRegistration.Status.CONFIRMED, confirmed_at=None if waiting else timezone.now(),
                attended=True if days < 0 else None)
        made += 1
    stdout.write(f"Veranstaltungen: {made} neu angelegt ({Event.objects.count()} insgesamt).")
