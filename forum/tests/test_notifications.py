"""Who hears of a new post: one mail per reply per person, never the author; digest; unsubscribe."""
import re

import pytest
from django.core import mail
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from accounts.models import Registration
from accounts.services import registration_transition
from accounts.tests.factories import participant
from forum import services, tasks
from forum.models import Category, CategorySubscription, DigestItem, NotificationSetting, ThreadSubscription
from mentoring.kernel.mail import outbox_flush
from mentoring.kernel.models import OutboxMessage

from .factories import ThreadFactory

pytestmark = pytest.mark.django_db


def _outbox_to(address):
    return list(OutboxMessage.objects.filter(to=address))


@pytest.fixture
def question(mentor):
    return services.thread_create(author=mentor, category=Category.objects.get(slug="fragen-antworten"),
                                  title="Wie rechne ich den Mittelabruf ab?", kind="question", topics=[],
                                  body="Frage zum Mittelabruf")


def test_reply_mails_thread_author_once_and_never_the_replier(question, mentor, mentee):
    services.post_create(author=mentee, thread=question, body="Wir machen das quartalsweise.")
    to_mentor = _outbox_to(mentor.email)
    assert len(to_mentor) == 1
    assert to_mentor[0].subject == "Neue Antwort: Wie rechne ich den Mittelabruf ab?"
    assert "Wir machen das quartalsweise." in to_mentor[0].body_text
    assert "/forum/abbestellen/" in to_mentor[0].body_text and "/forum/abbestellen/" in to_mentor[0].body_html
    assert to_mentor[0].headers["List-Unsubscribe"].startswith("<http")
    assert _outbox_to(mentee.email) == []  # the author of the reply hears nothing of it


def test_follower_of_both_thread_and_category_gets_one_mail(question, mentor, mentee):
    other = participant()
    services.thread_subscribe(thread=question, user=other)
    services.category_subscribe(category=question.category, user=other)
    services.post_create(author=mentee, thread=question, body="Antwort")
    assert len(_outbox_to(other.email)) == 1
    services.post_create(author=mentee, thread=question, body="Noch eine Antwort")
    assert len(_outbox_to(other.email)) == 2  # one per reply


def test_replier_follows_thread_and_hears_of_later_replies(question, mentor, mentee):
    services.post_create(author=mentee, thread=question, body="Erste Antwort")
    services.post_create(author=mentor, thread=question, body="Danke!")
    assert len(_outbox_to(mentee.email)) == 1
    assert ThreadSubscription.objects.filter(thread=question, user=mentee).exists()


def test_category_followers_hear_of_new_threads(mentor, mentee):
    services.category_subscribe(category=Category.objects.get(slug="praxistipps"), user=mentee)
    services.thread_create(author=mentor, category=Category.objects.get(slug="praxistipps"),
                           title="Schattenplätze kartieren", kind="tip", topics=[], body="So geht's")
    [message] = _outbox_to(mentee.email)
    assert message.subject == "Neues Thema in „Praxistipps“: Schattenplätze kartieren"


def test_people_who_may_not_read_get_nothing(staff_user, mentee, mentor):
    category = Category.objects.get(slug="methoden-hilfsmittel")
    thread = ThreadFactory(author=staff_user, category=category)
    CategorySubscription.objects.create(category=category, user=mentee)  # left over from when they could
    services.category_subscribe(category=category, user=mentor)
    services.post_create(author=staff_user, thread=thread, body="Neuer Leitfaden")
    assert _outbox_to(mentee.email) == [] and len(_outbox_to(mentor.email)) == 1
    unapproved = participant(status=Registration.Status.SUBMITTED)
    ThreadSubscription.objects.create(thread=thread, user=unapproved)
    services.post_create(author=staff_user, thread=thread, body="Noch ein Leitfaden")
    assert _outbox_to(unapproved.email) == []


def test_mail_is_delivered_after_commit(client, question, mentee, django_capture_on_commit_callbacks):
    client.force_login(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("forum:thread_reply", args=[question.pk]), {"body": "Per Formular"})
    assert [m.to for m in mail.outbox] == [[question.author.email]]


def test_daily_digest_collects_and_sends_once(question, mentor, mentee, django_capture_on_commit_callbacks):
    services.notification_mode_set(user=mentor, mode=NotificationSetting.Mode.DAILY)
    services.post_create(author=mentee, thread=question, body="Antwort eins")
    services.post_create(author=mentee, thread=question, body="Antwort zwei")
    assert _outbox_to(mentor.email) == [] and DigestItem.objects.filter(user=mentor).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests.delay().get() == 1
    [digest] = _outbox_to(mentor.email)
    assert "2 neue Beiträge" in digest.subject
    assert "Antwort eins" in digest.body_text and "Antwort zwei" in digest.body_text
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    assert not DigestItem.objects.exists()
    assert tasks.send_daily_digests() == 0  # nothing new: no second mail


def test_digest_leaves_out_posts_hidden_meanwhile(question, mentor, mentee, staff_user):
    services.notification_mode_set(user=mentor, mode=NotificationSetting.Mode.DAILY)
    post = services.post_create(author=mentee, thread=question, body="Spam")
    services.post_hide(post=post, by=staff_user)
    assert services.digests_send_all() == 0
    assert _outbox_to(mentor.email) == [] and not DigestItem.objects.exists()


def test_instant_mails_about_a_post_hidden_before_they_went_out_are_withdrawn(question, mentor, mentee, staff_user,
                                                                              mailoutbox):
    follower = participant()
    services.thread_subscribe(thread=question, user=follower)
    spam = services.post_create(author=mentee, thread=question, body="Kaufen Sie jetzt!")
    kept = services.post_create(author=mentee, thread=question, body="Zur Sache: quartalsweise.")
    assert {m.status for m in _outbox_to(follower.email)} == {OutboxMessage.Status.PENDING}
    services.post_hide(post=spam, by=staff_user)
    outbox_flush()
    assert [m.body for m in mailoutbox if "Kaufen" in m.body] == [], "the hidden post reached nobody"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([mentor.email, follower.email])
    withdrawn = OutboxMessage.objects.filter(key__startswith=f"forum-post:{spam.pk}:")
    assert {m.status for m in withdrawn} == {OutboxMessage.Status.WITHDRAWN}
    assert all(m.body_text == "" and m.to == "" for m in withdrawn), "no copy of the hidden text is kept"
    assert OutboxMessage.objects.filter(key__startswith=f"forum-post:{kept.pk}:", status="sent").count() == 2


def test_hiding_a_thread_withdraws_waiting_mails_about_all_its_posts(question, mentor, mentee, staff_user):
    services.category_subscribe(category=question.category, user=mentee)
    reply = services.post_create(author=mentee, thread=question, body="Antwort")
    first = question.posts.order_by("created_at").first()
    services.post_hide(post=first, by=staff_user)
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING,
                                            key__regex=rf"^forum-post:({first.pk}|{reply.pk}):").exists()


def test_mode_none_sends_nothing(question, mentor, mentee):
    services.notification_mode_set(user=mentor, mode=NotificationSetting.Mode.NONE)
    services.post_create(author=mentee, thread=question, body="Antwort")
    assert _outbox_to(mentor.email) == [] and not DigestItem.objects.exists()


def test_unsubscribe_link_works_without_login_and_needs_post(client, question, mentor, mentee):
    services.post_create(author=mentee, thread=question, body="Antwort")
    [message] = _outbox_to(mentor.email)
    path = next(word for word in message.body_text.split() if "/forum/abbestellen/" in word)
    path = path[path.index("/forum/"):]
    page = client.get(path)
    assert page.status_code == 200 and "Ja, abbestellen" in page.content.decode()
    assert ThreadSubscription.objects.filter(thread=question, user=mentor).exists()  # a GET changes nothing
    done = client.post(path)
    assert done.status_code == 200 and "keine E-Mails mehr" in done.content.decode()
    assert not ThreadSubscription.objects.filter(thread=question, user=mentor).exists()
    services.post_create(author=mentee, thread=question, body="Noch eine")
    assert len(_outbox_to(mentor.email)) == 1


def test_unsubscribe_all_switches_mails_off(client, mentor):
    client.post(services.unsubscribe_url(user=mentor, scope="all"))
    assert NotificationSetting.objects.get(user=mentor).mode == NotificationSetting.Mode.NONE


def test_tampered_token_changes_nothing(client, question, mentor, mentee):
    token = services.unsubscribe_token(user=mentor, scope="thread", object_id=question.pk)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(reverse("forum:unsubscribe", args=[forged])).status_code == 400
    assert ThreadSubscription.objects.filter(thread=question, user=mentor).exists()


def test_settings_page_switches_to_digest(client, mentee):
    client.force_login(mentee)
    response = client.post(reverse("forum:settings"), {"mode": "daily"})
    assert response.status_code == 302
    assert NotificationSetting.objects.get(user=mentee).mode == "daily"
    page = client.get(reverse("forum:settings")).content.decode()
    assert re.search(r'<input[^>]*value="daily"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="immediate"[^>]*checked', page)
    response = client.post(reverse("forum:settings"), {"mode": "gefaelscht"})
    assert response.status_code == 200 and "gültige Auswahl" in response.content.decode()


def test_withdrawal_stops_forum_mails(question, mentor, mentee, staff_user):
    services.post_create(author=mentee, thread=question, body="Antwort")
    registration_transition(registration=mentee.registration, to_status=Registration.Status.WITHDRAWN, by=mentee,
                            notify=False)
    assert not ThreadSubscription.objects.filter(user=mentee).exists()


def test_digest_task_is_the_one_celery_beat_runs():
    entry = PeriodicTask.objects.get(name="forum-daily-digest", enabled=True)
    assert entry.task == tasks.send_daily_digests.name == "forum.tasks.send_daily_digests"


def test_settings_page_names_only_what_the_person_may_still_read(client, mentee):
    """A followed thread hidden by the moderation, or moved where only Mentor*innen read, is no longer named
    on the person's settings page (its title would leak, and its unfollow button would answer 404)."""
    from .factories import CategoryFactory
    shown, hidden, moved = (ThreadFactory(title=f"Thema {word}") for word in ("sichtbar", "ausgeblendet", "verschoben"))
    mentors_only = CategoryFactory(mentors_only=True)
    for thread in (shown, hidden, moved):
        services.thread_subscribe(thread=thread, user=mentee)
    services.category_subscribe(category=mentors_only, user=mentee)
    type(hidden).objects.filter(pk=hidden.pk).update(is_hidden=True)
    type(moved).objects.filter(pk=moved.pk).update(category=mentors_only)
    client.force_login(mentee)
    page = client.get(reverse("forum:settings")).content.decode()
    assert "Thema sichtbar" in page
    assert "Thema ausgeblendet" not in page and "Thema verschoben" not in page and mentors_only.name not in page
