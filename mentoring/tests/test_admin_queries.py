"""Admin pages and actions whose rows come from one record (an event's places, a profile's needs, a thread's
posts) and a person's data export: the number of queries stays the same with few or many rows."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Competence, Need, Topic
from accounts.tests.factories import participant
from events.tests.factories import EventFactory, EventRegistrationFactory
from forum.models import Post
from forum.services import posting
from forum.tests.factories import ThreadFactory
from matching.models import CheckIn, ClosingReview
from matching.tests.factories import TandemFactory

pytestmark = pytest.mark.django_db


def queries(client, method: str, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(captured)


def test_an_events_page_in_admin_asks_the_same_for_5_or_30_places(client, staff_user):
    client.force_login(staff_user)
    event = EventFactory(capacity=100)
    url = reverse("admin:events_event_change", args=[event.pk])
    EventRegistrationFactory.create_batch(5, event=event)
    queries(client, "get", url)  # the first request of a session reads what the later ones keep
    few = queries(client, "get", url)
    EventRegistrationFactory.create_batch(25, event=event)
    assert queries(client, "get", url) == few


def test_a_profile_page_in_admin_asks_the_same_for_2_or_12_needs_and_competences(client, staff_user):
    client.force_login(staff_user)
    profile = participant(needs=["haushalt"], competences=["starkregen"]).profile
    url = reverse("admin:accounts_profile_change", args=[profile.pk])
    queries(client, "get", url)
    few = queries(client, "get", url)
    for index, topic in enumerate(Topic.objects.exclude(slug__in=["haushalt", "starkregen"])[:10]):
        model = Need if index % 2 else Competence
        model.objects.create(profile=profile, topic=topic, **({"priority": 2} if model is Need else {"level": 2}))
    assert queries(client, "get", url) == few


def test_the_data_export_asks_the_same_for_one_or_six_kurzbefragungen_and_reviews(client):
    mentee = participant(needs=["haushalt", "hitzeaktionsplan"])
    topics = [str(pk) for pk in Topic.objects.filter(slug__in=["haushalt", "hitzeaktionsplan"])
              .values_list("pk", flat=True)]
    client.force_login(mentee)

    def answered(tandem, number):
        CheckIn.objects.create(tandem=tandem, user=mentee, number=number, due_on=datetime.date(2026, 3, number),
                               progress=dict.fromkeys(topics, "underway"), rating=4, met=True)
        ClosingReview.objects.create(tandem=tandem, user=mentee, is_mentee=True, nps=9,
                                     goals_reached=dict.fromkeys(topics, True),
                                     competence={pk: [1, 2] for pk in topics})

    answered(TandemFactory(mentee=mentee.profile), 1)
    queries(client, "get", reverse("accounts:data_export"))
    few = queries(client, "get", reverse("accounts:data_export"))
    for number in range(2, 7):
        answered(TandemFactory(mentee=mentee.profile, status="ended"), number)
    assert queries(client, "get", reverse("accounts:data_export")) == few


def test_hiding_posts_in_admin_recounts_and_reindexes_each_thread_once(client, staff_user):
    client.force_login(staff_user)
    author = participant()
    thread = ThreadFactory(author=author)
    replies = [posting.post_create(author=author, thread=thread, body=f"Werbung {i}") for i in range(25)]
    url = reverse("admin:forum_post_changelist")
    few = queries(client, "post", url, {"action": "hide", "_selected_action": [p.pk for p in replies[:3]]})
    many = queries(client, "post", url, {"action": "hide", "_selected_action": [p.pk for p in replies[3:]]})
    assert many == few
    assert Post.objects.filter(thread=thread, is_hidden=True).count() == 25
    thread.refresh_from_db()
    assert thread.post_count == 1
