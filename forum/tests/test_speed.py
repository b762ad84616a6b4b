"""Issue 12: stored post HTML, the cached post list of a thread page, read watermarks."""
import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from forum import selectors, services
from forum.models import Category, CategoryRead, Post, Thread, ThreadRead
from mentoring.kernel.markdown import render_markdown_stored, stored_html

pytestmark = pytest.mark.django_db


class BrokenCache(LocMemCache):
    """A cache server that does not answer (Redis down)."""

    def get(self, *args, **kwargs):
        raise ConnectionError("cache down")

    get_many = set = set_many = get


@pytest.fixture
def thread(mentor):
    return services.thread_create(author=mentor, category=Category.objects.get(slug="fragen-antworten"),
                                  title="Wie rechne ich den Mittelabruf ab?", kind="question", topics=[],
                                  body="Frage mit **fett**")


def _page(client, thread, **params) -> str:
    response = client.get(reverse("forum:thread", args=[thread.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_posts_store_their_sanitised_html_and_pages_print_it(client, thread, mentee):
    reply = services.post_create(author=mentee, thread=thread, body="Siehe <script>alert(1)</script> *hier*")
    assert reply.body_html == render_markdown_stored(reply.body)
    assert "<script>" not in reply.body_html and "<em>hier</em>" in reply.body_html
    services.post_edit(post=reply, editor=mentee, body="Jetzt | mit | Tabelle\n|---|---|---|\n| a | b | c |")
    reply.refresh_from_db()
    assert "<table>" in reply.body_html
    Post.objects.filter(pk=reply.pk).update(body_html="<p>gespeichert</p>")  # the page prints what is stored
    thread.refresh_from_db()
    services.thread_content_changed(thread_ids=[thread.pk])
    client.force_login(mentee)
    assert "<p>gespeichert</p>" in _page(client, thread)


def test_stored_table_box_speaks_the_readers_language(client, thread, mentee):
    services.post_create(author=mentee, thread=thread, body="| a | b |\n|---|---|\n| 1 | 2 |")
    client.force_login(mentee)
    assert 'aria-label="Tabelle (seitlich verschiebbar)"' in _page(client, thread)
    mentee.language = "en"
    mentee.save(update_fields=["language"])
    with translation.override("en"):
        assert str(stored_html(Post.objects.filter(thread=thread).last().body_html)).count(
            'aria-label="Table (scrolls sideways)"') == 1


def test_forum_rerender_renders_what_changed_and_refreshes_cached_pages(client, thread, mentee):
    reply = services.post_create(author=mentee, thread=thread, body="Text *kursiv*")
    Post.objects.filter(pk=reply.pk).update(body_html="<p>alte Regeln</p>")
    client.force_login(mentee)
    assert "alte Regeln" in _page(client, thread)
    version = Thread.objects.get(pk=thread.pk).content_version
    call_command("forum_rerender", batch_size=1)
    reply.refresh_from_db()
    assert reply.body_html == render_markdown_stored(reply.body)
    assert Thread.objects.get(pk=thread.pk).content_version > version
    assert "alte Regeln" not in _page(client, thread)
    assert services.posts_rerender() == 0  # nothing left to change


def test_fill_migration_renders_existing_posts(thread):
    from importlib import import_module

    from django.apps import apps

    Post.objects.update(body_html="")
    import_module("forum.migrations.0006_fill_post_html").fill_post_html(apps, None)
    post = Post.objects.get(thread=thread)
    assert post.body_html == render_markdown_stored("Frage mit **fett**")


def test_cached_post_list_follows_edits_hiding_and_viewers(client, thread, mentee, mentor, staff_user):
    reply = services.post_create(author=mentee, thread=thread, body="Erste Fassung")
    client.force_login(mentee)
    first = _page(client, thread)
    assert "Erste Fassung" in first
    assert first.count(reverse("forum:post_edit", args=[reply.pk])) == 1  # the author may edit
    client.force_login(mentor)
    as_mentor = _page(client, thread)
    assert reverse("forum:post_edit", args=[reply.pk]) not in as_mentor, "the author's buttons are not cached"
    assert reverse("forum:post_report", args=[reply.pk]) in as_mentor
    services.post_edit(post=reply, editor=mentee, body="Zweite Fassung")
    assert "Zweite Fassung" in _page(client, thread) and "Erste Fassung" not in _page(client, thread)
    services.post_hide(post=reply, by=staff_user)
    assert "Zweite Fassung" not in _page(client, thread)
    client.force_login(staff_user)
    as_staff = _page(client, thread)
    assert "Zweite Fassung" in as_staff and "nur für die Moderation sichtbar" in as_staff
    client.force_login(mentor)
    assert "Zweite Fassung" not in _page(client, thread), "what staff see is cached apart"


def test_thread_page_is_served_when_the_cache_does_not_answer(client, settings, thread, mentee):
    services.post_create(author=mentee, thread=thread, body="Antwort trotz Ausfall")
    settings.CACHES = {"default": {"BACKEND": "forum.tests.test_speed.BrokenCache"}}
    client.force_login(mentee)
    assert "Antwort trotz Ausfall" in _page(client, thread)
    assert client.get(reverse("forum:index")).status_code == 200
    assert client.get(reverse("forum:search"), {"q": "Ausfall"}).status_code == 200


def test_mark_all_read_writes_one_watermark_per_category(client, thread, mentee, mentor):
    client.force_login(mentee)
    client.post(reverse("forum:mark_all_read"))
    assert not ThreadRead.objects.filter(user=mentee).exists()
    assert CategoryRead.objects.filter(user=mentee).count() == Category.objects.filter(mentors_only=False).count()
    assert not any(t.is_unread for t in selectors.list_rows(selectors.threads_for_rows(mentee), mentee))
    services.post_create(author=mentor, thread=thread, body="Neu nach dem Markieren")
    assert {t.title for t in selectors.list_rows(selectors.threads_for_rows(mentee), mentee)
            if t.is_unread} == {thread.title}


def test_unread_state_needs_no_subquery_per_thread(mentee):
    sql = str(selectors.threads_with_read_state(mentee).query).upper()
    assert sql.count("SELECT") == 1  # no subquery at all, neither per thread nor for the visible categories
    assert "LEFT OUTER JOIN" in sql


def test_thread_visit_writes_a_read_marker_only_for_something_new(client, thread, mentee, mentor):
    client.force_login(mentee)
    _page(client, thread)
    read_at = ThreadRead.objects.get(user=mentee, thread=thread).read_at
    _page(client, thread)
    assert ThreadRead.objects.get(user=mentee, thread=thread).read_at == read_at
    services.post_create(author=mentor, thread=thread, body="Neu")
    _page(client, thread)
    assert ThreadRead.objects.get(user=mentee, thread=thread).read_at > read_at
