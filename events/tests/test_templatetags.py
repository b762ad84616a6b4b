"""What the event pages print for time, place and audience, from the events template tags."""
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation

from events.models import Event
from events.services import event_register
from mentoring.kernel.models import OutboxMessage

from .factories import EventFactory, participant

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


def test_the_mails_write_the_time_with_the_same_day_rule_of_the_pages():
    """The e-mails' "Wann" is ``event_when`` as plain text: the end as a time alone only when the event ends on the
    local day it starts; an event past Berlin's midnight names both days."""
    same_day = Event(starts_at=dt.datetime(2026, 12, 1, 9, tzinfo=UTC),
                     ends_at=dt.datetime(2026, 12, 1, 11, 30, tzinfo=UTC))
    assert render("{% event_when event plain=True %}", same_day) == (
        "Dienstag, 1. Dezember 2026, 10:00 Uhr bis 12:30 Uhr")
    late = Event(starts_at=dt.datetime(2026, 12, 1, 22, 30, tzinfo=UTC),
                 ends_at=dt.datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    assert render("{% event_when event plain=True %}", late) == (
        "Dienstag, 1. Dezember 2026, 23:30 Uhr bis Mittwoch, 2. Dezember 2026, 00:30 Uhr")


@pytest.mark.django_db
def test_a_confirmation_mail_of_an_event_past_midnight_names_both_days():
    event = EventFactory(starts_at=dt.datetime(2035, 12, 4, 22, 30, tzinfo=UTC),
                         ends_at=dt.datetime(2035, 12, 4, 23, 30, tzinfo=UTC))
    registration = event_register(event=event, user=participant())
    message = OutboxMessage.objects.get(key=f"event-confirmed:{registration.pk}")
    when = "Dienstag, 4. Dezember 2035, 23:30 Uhr bis Mittwoch, 5. Dezember 2035, 00:30 Uhr"
    assert f"Wann: {when}\n" in message.body_text
    assert f">{when}</td>" in message.body_html


def test_no_mail_template_decides_the_same_day_itself():
    """The same-day rule has one home, ``event_when``; the mail templates call it instead of comparing days."""
    templates = Path(settings.BASE_DIR) / "templates" / "email"
    own_rule = [path.name for path in templates.glob("events_*") if 'date:"Ymd"' in path.read_text()]
    assert not own_rule
