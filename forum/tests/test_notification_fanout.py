"""A reply in a busy thread: the request stays small, the task queues every mail in a few queries."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Registration
from accounts.tests.factories import participant
from forum import services, tasks
from forum.models import Category, Post, ThreadSubscription
from mentoring.kernel.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.notify_after_commit]
FOLLOWERS = 200


@pytest.fixture
def busy_thread(mentor):
    thread = services.thread_create(author=mentor, category=Category.objects.get(slug="fragen-antworten"),
                                    title="Wie rechne ich den Mittelabruf ab?", kind="question", topics=[],
                                    body="Frage zum Mittelabruf", notify=False)
    followers = []
    for i in range(FOLLOWERS):
        person = participant()
        if i % 2:
            person.language = "en"
            person.save(update_fields=["language"])
        followers.append(person)
    ThreadSubscription.objects.bulk_create([ThreadSubscription(thread=thread, user=p) for p in followers])
    return thread, followers


def test_reply_with_200_followers_queues_one_mail_each_from_a_task(client, settings, mentee, mentor, busy_thread,
                                                                   django_assert_max_num_queries,
                                                                   django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    thread, followers = busy_thread
    withdrawn = participant()
    ThreadSubscription.objects.create(thread=thread, user=withdrawn)
    Registration.objects.filter(user=withdrawn).update(status=Registration.Status.WITHDRAWN)
    ThreadSubscription.objects.create(thread=thread, user=mentee)
    client.force_login(mentee)
    client.get(reverse("forum:thread", args=[thread.pk]))
    with django_capture_on_commit_callbacks() as callbacks, django_assert_max_num_queries(19):
        response = client.post(reverse("forum:thread_reply", args=[thread.pk]), {"body": "Quartalsweise."})
    assert response.status_code == 302
    assert OutboxMessage.objects.count() == 0, "no mail is written in the request"
    post = thread.posts.get(body="Quartalsweise.")
    published = [callback.args[0] for callback in callbacks
                 if getattr(getattr(callback, "func", None), "__self__", None) is not None
                 and callback.func.__self__.name == "forum.tasks.notify_post"]
    assert published == [(post.pk,)], "the notification task gets the post's key after commit"

    with CaptureQueriesContext(connection) as context:
        queued = tasks.notify_post(post.pk)
    assert queued == FOLLOWERS + 1  # the followers and the thread's author
    assert len(context.captured_queries) <= 12, [q["sql"][:120] for q in context.captured_queries]

    mails = {m.to: m for m in OutboxMessage.objects.filter(key__startswith=f"forum-post:{post.pk}:")}
    assert len(mails) == FOLLOWERS + 1
    assert set(mails) == {p.email for p in followers} | {mentor.email}
    assert mentee.email not in mails and withdrawn.email not in mails
    for person in followers[:4]:
        expected = "New reply: " if person.language == "en" else "Neue Antwort: "
        assert mails[person.email].subject == expected + thread.title

    assert tasks.notify_post(post.pk) == 0, "running the task again queues nothing twice"
    assert OutboxMessage.objects.filter(key__startswith=f"forum-post:{post.pk}:").count() == FOLLOWERS + 1


def test_no_task_for_a_deleted_post(mentee):
    assert tasks.notify_post(10**9) == 0


def test_catch_up_notifies_posts_whose_task_never_ran(mentor, mentee, busy_thread, settings):
    """The broker was down after commit: the periodic run queues the mails once, after a grace period."""
    thread, followers = busy_thread
    settings.CELERY_TASK_ALWAYS_EAGER = False
    post = services.post_create(author=mentee, thread=thread, body="Während des Ausfalls")
    assert Post.objects.get(pk=post.pk).notified_at is None
    assert tasks.notify_pending_posts() == 0, "not before the task after commit had its chance"
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert tasks.notify_pending_posts() == 1
    assert OutboxMessage.objects.filter(key__startswith=f"forum-post:{post.pk}:").count() == FOLLOWERS + 1
    assert Post.objects.get(pk=post.pk).notified_at is not None
    assert tasks.notify_pending_posts() == 0
    assert tasks.notify_post(post.pk) == 0, "a late task queues nothing twice"
