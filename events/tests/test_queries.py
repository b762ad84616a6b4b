"""Query counts of the events pages stay the same with 2 or 50 rows."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import topic
from events.models import Event, EventRegistration
from events.selectors import upcoming_events_for_home
from events.services import calendar_feed_for

from .factories import EventFactory, EventRegistrationFactory, EventSpeakerFactory, participant

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_events(n: int, user) -> None:
    for i in range(n):
        event = EventFactory(members=i % 2 == 0, topics=[topic("hitzeaktionsplan"), topic("starkregen")])
        EventRegistrationFactory(event=event, user=user,
                                 status=EventRegistration.Status.CONFIRMED if i % 3 else
                                 EventRegistration.Status.WAITLISTED)
        EventRegistrationFactory(event=event)


@pytest.mark.parametrize("kind", ["anonymous", "mentee"])
def test_list_query_count_is_flat(kind, client, mentee):
    if kind == "mentee":
        client.force_login(mentee)
    add_events(2, mentee)
    few = count_queries(client, reverse("events:list"))
    add_events(18, mentee)  # 20 fill one page
    many = count_queries(client, reverse("events:list"))
    assert few == many


def test_archive_query_count_is_flat(client, mentee):
    client.force_login(mentee)
    for _ in range(2):
        EventFactory(past=True, topics=[topic("klimadaten")])
    few = count_queries(client, reverse("events:archive"))
    for _ in range(15):
        EventFactory(past=True, topics=[topic("klimadaten")])
    assert count_queries(client, reverse("events:archive")) == few


def test_detail_query_count_is_flat(client, mentee):
    client.force_login(mentee)
    event = EventFactory(capacity=3, topics=[topic("hitzeaktionsplan")])

    def grow(n):
        for _ in range(n):
            speaker = participant(competences=[("hitzeaktionsplan", 3)])
            EventSpeakerFactory(event=event, participant=speaker, name=str(speaker))
            EventRegistrationFactory(event=event, status=EventRegistration.Status.WAITLISTED, confirmed_at=None)

    EventRegistrationFactory(event=event, user=mentee, status=EventRegistration.Status.WAITLISTED)
    grow(2)
    few = count_queries(client, event.get_absolute_url())
    grow(48)
    assert count_queries(client, event.get_absolute_url()) == few


def test_my_events_and_feed_query_count_is_flat(client, mentee):
    client.force_login(mentee)
    token = calendar_feed_for(user=mentee).token
    add_events(2, mentee)
    few_page = count_queries(client, reverse("events:mine"))
    few_feed = count_queries(client, reverse("events:feed", args=[token]))
    add_events(30, mentee)
    assert count_queries(client, reverse("events:mine")) == few_page
    assert count_queries(client, reverse("events:feed", args=[token])) == few_feed


def test_home_selector_is_one_query_and_respects_visibility(django_assert_num_queries, mentee, mentor):
    EventFactory(title="Schulung", mentor_training=True)
    EventFactory(title="Entwurf", status="draft")
    EventFactory(title="Vergangen", past=True)
    for i in range(4):
        EventFactory(title=f"Termin {i}", members=i % 2 == 1)
    with django_assert_num_queries(1):
        titles = [e.title for e in upcoming_events_for_home(user=mentee)]
    assert len(titles) == 3 and "Schulung" not in titles and "Entwurf" not in titles and "Vergangen" not in titles
    with django_assert_num_queries(1):
        anonymous = [e.title for e in upcoming_events_for_home(user=AnonymousUser())]
    assert anonymous == ["Termin 0", "Termin 2"]
    assert "Schulung" in [e.title for e in upcoming_events_for_home(user=mentor)]


def test_home_page_shows_the_next_events(client):
    EventFactory(title="Sommer-Vernetzungstreffen", onsite=True)
    content = client.get(reverse("home")).content.decode()
    assert "Sommer-Vernetzungstreffen" in content
    assert "Rathaus Kassel" in content


def test_the_home_page_names_each_events_place_as_the_event_pages_do(client):
    """The place comes from the event_place tag (with the Bundesland), read in the home's one events query."""
    from accounts.models import FederalState

    bavaria = FederalState.objects.get(code="09")
    EventFactory(title="Vor Ort in München", format=Event.Format.HYBRID, venue="Rathaus München",
                 federal_state=bavaria, visibility=Event.Visibility.PUBLIC)
    page = client.get("/").content.decode()
    assert "Rathaus München und online (Bayern)" in page
