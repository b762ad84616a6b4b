"""The forum's pages need the same number of queries for 2 rows as for 50."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Topic
from accounts.tests.factories import participant, topic
from forum import services
from forum.models import Category, Thread

from .conftest import PDF, upload

pytestmark = pytest.mark.django_db
PRINT_QUERIES = False


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    if PRINT_QUERIES:
        print("\n".join(q["sql"][:200] for q in context.captured_queries))
    return len(context.captured_queries)


def _cold_and_warm(client, url) -> tuple[int, int]:
    """Queries of a thread page when its post bodies are not cached, then when they are.

    The first visit marks the thread read (a visit writes only when there is something new).
    """
    client.get(url)
    cache.clear()
    return _queries(client, url), _queries(client, url)


def _threads(count: int, category: Category):
    authors = [participant(mentor=True), participant()]
    made = []
    for i in range(count):
        thread = services.thread_create(author=authors[i % 2], category=category, title=f"Thema Nummer {i}",
                                        kind=Thread.Kind.TIP if i % 3 == 0 else Thread.Kind.QUESTION,
                                        topics=[topic("haushalt"), topic("starkregen")], body=f"Text {i}")
        if i % 3 == 0:
            thread.is_featured = True
            thread.save(update_fields=["is_featured"])
        made.append(thread)
    return made


@pytest.mark.parametrize("url_name", ["index", "category", "search"])
def test_lists_stay_flat(client, mentee, url_name):
    category = Category.objects.get(slug="praxistipps")
    url = {"index": reverse("forum:index"), "category": reverse("forum:category", args=[category.slug]),
           "search": reverse("forum:search") + "?q=Thema"}[url_name]
    client.force_login(mentee)
    _threads(2, category)
    few = _queries(client, url)
    _threads(48, category)
    assert _queries(client, url) == few


@pytest.mark.parametrize("url_name", ["index", "category", "search"])
def test_each_row_names_its_own_topics_in_the_taxonomy_s_order(client, mentee, url_name):
    """Topics are read for all rows at once (selectors.attach_topics): each row gets its own, in the
    order of their position, not the order they were chosen in or their ids."""
    category = Category.objects.get(slug="praxistipps")
    Topic.objects.filter(slug="starkregen").update(position=0)  # now before Haushalt, though its id is larger
    author = participant()
    both = services.thread_create(author=author, category=category, title="Thema Regen und Geld", kind=Thread.Kind.TIP,
                                  topics=[topic("haushalt"), topic("starkregen")], body="Text")
    one = services.thread_create(author=author, category=category, title="Thema Schwamm", kind=Thread.Kind.TIP,
                                 topics=[topic("schwammstadt")], body="Text")
    url = {"index": reverse("forum:index"), "category": reverse("forum:category", args=[category.slug]),
           "search": reverse("forum:search") + "?q=Thema"}[url_name]
    client.force_login(mentee)
    page = client.get(url).content.decode()

    def row(thread) -> str:
        return page.split(f'href="/forum/thema/{thread.pk}/"', 1)[1].split('class="list-group-item', 1)[0]

    assert "Schwammstadt" not in row(both) and "Haushaltsplanung" not in row(one) and "Starkregen" not in row(one)
    assert row(both).index("Starkregen") < row(both).index("Haushaltsplanung")
    assert "Schwammstadt" in row(one)


def test_thread_page_stays_flat(client, mentee):
    client.force_login(mentee)
    thread = _threads(1, Category.objects.get(slug="fragen-antworten"))[0]
    people = [participant(mentor=True), participant(), participant()]
    services.post_create(author=people[0], thread=thread, body="Mit Anhang", files=[upload("a.pdf", PDF)])
    url = reverse("forum:thread", args=[thread.pk])
    client.get(url)  # the first visit creates the read marker; later visits update it
    few = _cold_and_warm(client, url)
    assert few[1] < few[0], "cached post bodies need neither authors nor attachments"
    for i in range(48):
        services.post_create(author=people[i % 3], thread=thread, body=f"Antwort {i}",
                             files=[upload("b.pdf", PDF)] if i % 5 == 0 else [])
    thread.refresh_from_db()
    assert thread.post_count == 50
    assert _cold_and_warm(client, url + "?seite=1") == few
    assert _cold_and_warm(client, url + "?seite=3") == few


def test_thread_page_stays_flat_with_own_posts(client, mentee):
    """Whether each own post may still be edited is decided without a query per post."""
    client.force_login(mentee)
    thread = _threads(1, Category.objects.get(slug="fragen-antworten"))[0]
    services.post_create(author=mentee, thread=thread, body="Meine erste Antwort")
    url = reverse("forum:thread", args=[thread.pk])
    client.get(url)
    few = _cold_and_warm(client, url)
    for i in range(15):
        services.post_create(author=mentee, thread=thread, body=f"Meine Antwort {i}")
    page = client.get(url).content.decode()
    assert page.count(reverse("forum:post_edit", args=[thread.posts.last().pk])) == 1
    assert _cold_and_warm(client, url) == few
