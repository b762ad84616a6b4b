"""The list pages read the unread state of their rows by a second small query (``selectors.mark_unread``):
it must agree with the joined read state that /forum/ counts by (``threads_with_read_state``) and never show
a stale marker."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import participant, topic
from forum import selectors, services
from forum.models import Category, CategoryRead, Thread, ThreadRead

from .factories import ThreadFactory

pytestmark = pytest.mark.django_db


def _row(html: str, title: str) -> str:
    """The ``<li>`` of the thread with this title."""
    end = html.index(title)
    return html[html.rindex("<li", 0, end):html.index("</li>", end)]


def test_mark_unread_agrees_with_the_joined_read_state(mentee, mentor):
    now = timezone.now()
    category = Category.objects.get(slug="fragen-antworten")
    other = Category.objects.get(slug="praxistipps")
    never = ThreadFactory(author=mentor, category=category, last_post_at=now)
    read_before = ThreadFactory(author=mentor, category=category, last_post_at=now)
    read_after = ThreadFactory(author=mentor, category=category, last_post_at=now - timedelta(hours=2))
    under_watermark = ThreadFactory(author=mentor, category=other, last_post_at=now - timedelta(days=2))
    over_watermark = ThreadFactory(author=mentor, category=other, last_post_at=now)
    ThreadRead.objects.create(thread=read_before, user=mentee, read_at=now - timedelta(hours=1))
    ThreadRead.objects.create(thread=read_after, user=mentee, read_at=now - timedelta(hours=1))
    CategoryRead.objects.create(category=other, user=mentee, read_at=now - timedelta(days=1))
    joined = {t.pk: t.is_unread for t in selectors.threads_with_read_state(mentee)}
    second_query = {t.pk: t.is_unread for t in selectors.mark_unread(selectors.threads_for_rows(mentee), mentee)}
    assert second_query == joined
    assert {pk for pk, unread in second_query.items() if unread} == {never.pk, read_before.pk, over_watermark.pk}
    assert not second_query[read_after.pk] and not second_query[under_watermark.pk]


def test_mark_unread_of_nothing_asks_nothing(mentee):
    with CaptureQueriesContext(connection) as queries:
        assert selectors.mark_unread([], mentee) == []
    assert not queries.captured_queries


@pytest.mark.parametrize("page", ["index", "category", "search"])
def test_list_pages_never_show_a_stale_unread_marker(client, mentee, mentor, page):
    thread = services.thread_create(author=mentor, category=Category.objects.get(slug="fragen-antworten"),
                                    title="Hitzeschutz im Rathaus planen", kind=Thread.Kind.QUESTION, topics=[],
                                    body="Hitzeschutz beginnt im Rathaus", files=[])
    url = {"index": reverse("forum:index"), "category": reverse("forum:category", args=[thread.category.slug]),
           "search": reverse("forum:search") + "?q=Hitzeschutz"}[page]
    client.force_login(mentee)
    assert "forum-unread" in _row(client.get(url).content.decode(), thread.title)
    client.get(reverse("forum:thread", args=[thread.pk]))  # read: the row is cached as read from now on
    assert "forum-unread" not in _row(client.get(url).content.decode(), thread.title)
    services.post_create(author=mentor, thread=thread, body="Noch mehr Hitzeschutz")  # news again
    assert "forum-unread" in _row(client.get(url).content.decode(), thread.title)
    client.post(reverse("forum:mark_all_read"))  # the category watermark covers it
    assert "forum-unread" not in _row(client.get(url).content.decode(), thread.title)
    services.post_create(author=mentor, thread=thread, body="Hitzeschutz nach dem Markieren")
    assert "forum-unread" in _row(client.get(url).content.decode(), thread.title)


def test_unread_marker_is_per_person(client, mentee, mentor):
    thread = ThreadFactory(author=mentor, title="Klimaanpassung im Bauamt verankern")
    other_mentee = participant()
    client.force_login(mentee)
    client.get(reverse("forum:thread", args=[thread.pk]))
    assert "forum-unread" not in _row(client.get(reverse("forum:index")).content.decode(), thread.title)
    client.force_login(other_mentee)
    assert "forum-unread" in _row(client.get(reverse("forum:index")).content.decode(), thread.title)


def test_threads_for_needs_without_needs_asks_no_list_query(mentor):
    on_topic = ThreadFactory(author=mentor)
    on_topic.topics.add(topic("haushalt"))
    no_needs = participant()
    with CaptureQueriesContext(connection) as queries:
        assert list(selectors.threads_for_needs(no_needs)) == []
    assert not any("forum_thread" in query["sql"] for query in queries.captured_queries), "only the needs are read"


def test_threads_for_needs_follows_the_profile_and_access(mentee, mentor):
    on_need = ThreadFactory(author=mentor, title="Doppelhaushalt und Klimaanpassung")
    on_need.topics.add(topic("haushalt"))
    other = ThreadFactory(author=mentor, title="Pressearbeit im Sommer")
    other.topics.add(topic("oeffentlichkeit"))
    mentors_only = ThreadFactory(author=mentor, category=Category.objects.create(
        name="Unter Mentor*innen", slug="unter-mentorinnen", description="x", mentors_only=True))
    mentors_only.topics.add(topic("haushalt"))
    hidden = ThreadFactory(author=mentor, is_hidden=True)
    hidden.topics.add(topic("steuerungskreis"))
    assert [t.pk for t in selectors.threads_for_needs(mentee)] == [on_need.pk]


def test_topic_filter_lists_every_topic_in_one_plain_query(client, mentee):
    from accounts.models import Topic

    client.force_login(mentee)
    url = reverse("forum:category", args=["fragen-antworten"])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url, {"thema": "haushalt"}).content.decode()
    topic_reads = [q["sql"] for q in queries.captured_queries if 'FROM "accounts_topic"' in q["sql"]
                   and "forum_thread_topics" not in q["sql"]]
    assert not any("COUNT(" in sql.upper() or "DECLARE" in sql.upper() for sql in topic_reads)
    select = html[html.index('name="thema"'):]
    select = select[:select.index("</select>")]
    assert select.count("<option") == Topic.objects.count() + 1  # and "alle Themen"
    assert '<option value="haushalt" selected>' in select
    assert client.get(url, {"thema": "gibt-es-nicht"}).status_code == 200  # the message by the field, no 500
