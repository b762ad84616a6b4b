"""Two clicks or two people at once on PostgreSQL: one report, and a hidden post never becomes the answer."""
import pytest

from accounts.tests.factories import participant, staff_member
from forum import services
from forum.models import Category, Report, Thread
from mentoring.kernel.models import OutboxMessage

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_reporting_a_post_twice_at_once_makes_one_report_and_one_mail_each(at_once):
    """The lock on reports found no row to hold before the first report: both clicks reported and mailed."""
    moderators = [staff_member("Moderation") for _ in range(2)]
    author, reporter = participant(), participant()
    thread = services.thread_create(author=author, category=Category.objects.get(slug="praxistipps"),
                                    title="Ein Tipp zur Hitzevorsorge", kind="discussion", topics=[], body="Tipp")
    post = thread.posts.get()
    results = at_once([lambda: services.report_create(post=post, reporter=reporter, reason="Werbung")
                       for _ in range(4)])
    assert Report.objects.filter(post=post, reporter=reporter).count() == 1
    assert sum(isinstance(result, Report) for result in results) == 1
    assert all(isinstance(result, services.ForumActionError) for result in results if not isinstance(result, Report))
    for moderator in moderators:
        assert OutboxMessage.objects.filter(to=moderator.email, key__startswith="forum-report:").count() == 1


def test_an_answer_hidden_while_it_is_accepted_is_never_the_solution(at_once):
    """Both at the same moment, in either order: the answer never ends up the solution, and neither call crashes
    (the stale copy alone: test_features)."""
    asker, answerer = participant(), participant()
    moderator = staff_member("Moderation")
    question = services.thread_create(author=asker, category=Category.objects.get(slug="fragen-antworten"),
                                      title="Welche Klimadaten nutzen Sie?", kind="question", topics=[], body="?")
    other = services.post_create(author=answerer, thread=question, body="Noch eine Antwort")
    results = at_once([lambda: services.posts_hide(post_pks=[other.pk], by=moderator),
                       lambda: services.thread_accept_answer(thread=question, post=other, by=asker)])
    assert all(not isinstance(result, Exception) or isinstance(result, services.ForumActionError)
               for result in results), results
    other.refresh_from_db()
    assert other.is_hidden and Thread.objects.get(pk=question.pk).accepted_post_id is None
