"""What the event pages print for time, place and audience, from the events template tags."""
import datetime as dt

from django.template import engines
from django.utils import translation

from events.models import Event

UTC = dt.UTC


def render(source: str, event: Event) -> str:
    with translation.override("de"):
        return engines["django"].from_string("{% load events %}" + source).render({"event": event})


def test_an_event_on_one_day_shows_the_end_as_a_time():
    event = Event(starts_at=dt.datetime(2026, 12, 1, 9, tzinfo=UTC),
                  ends_at=dt.datetime(2026, 12, 1, 11, 30, tzinfo=UTC))
    assert render("{% event_when event %}", event) == (
        '<time datetime="2026-12-01T10:00:00+01:00">Dienstag, 1. Dezember 2026, 10:00</time>–'
        '<time datetime="2026-12-01T12:30:00+01:00">12:30</time> Uhr')


def test_an_event_past_local_midnight_shows_both_days():
    # 22:30 to 23:30 UTC is one day in UTC but two days in Berlin, where the page is read.
    event = Event(starts_at=dt.datetime(2026, 12, 1, 22, 30, tzinfo=UTC),
                  ends_at=dt.datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    assert render("{% event_when event %}", event) == (
        '<time datetime="2026-12-01T23:30:00+01:00">Dienstag, 1. Dezember 2026, 23:30</time> Uhr bis '
        '<time datetime="2026-12-02T00:30:00+01:00">Mittwoch, 2. Dezember 2026, 00:30</time> Uhr')


def test_place_escapes_the_venue_and_names_hybrid_events():
    event = Event(format=Event.Format.HYBRID, venue="Rathaus <b>Saal</b>")
    assert render("{% event_place event %}", event) == "Rathaus &lt;b&gt;Saal&lt;/b&gt; und online"
    assert render("{% event_place event %}", Event(format=Event.Format.ONLINE, venue="Rathaus")) == "online"


def test_audience_badge_names_who_may_come():
    assert render("{{ event|event_audience }}", Event(kind=Event.Kind.MENTOR_TRAINING)) == "nur für Mentor*innen"
    members = Event(kind=Event.Kind.WEBINAR, visibility=Event.Visibility.MEMBERS)
    assert render("{{ event|event_audience }}", members) == "nur für Teilnehmer*innen"
    public = Event(kind=Event.Kind.WEBINAR, visibility=Event.Visibility.PUBLIC)
    assert render("{{ event|event_audience }}", public) == ""


def test_in_english_the_times_carry_no_clock_word():
    event = Event(starts_at=dt.datetime(2026, 12, 1, 9, tzinfo=UTC),
                  ends_at=dt.datetime(2026, 12, 1, 11, 30, tzinfo=UTC))
    with translation.override("en"):
        same_day = engines["django"].from_string("{% load events %}{% event_when event %}").render({"event": event})
    assert same_day == (
        '<time datetime="2026-12-01T10:00:00+01:00">Tuesday, 1 December 2026, 10:00</time>–'
        '<time datetime="2026-12-01T12:30:00+01:00">12:30</time>')
