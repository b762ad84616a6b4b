"""Every forum mail goes only to people who may read what it links to, checked when it is queued or sent."""
import itertools

import pytest

from accounts.models import Registration, User
from accounts.tests.factories import StaffFactory, participant, staff_member
from forum import access, services
from forum.models import Category, DigestItem, NotificationSetting, Post, ThreadSubscription
from mentoring.kernel.models import OutboxMessage

from .factories import ThreadFactory

pytestmark = pytest.mark.django_db


def _mails_to(user):
    return list(OutboxMessage.objects.filter(to=user.email))


@pytest.fixture
def followers(mentor, mentee):
    """A mentee, a mentor and a second staff member following one ordinary thread."""
    colleague = StaffFactory(email="kollegin@example.org")
    thread = ThreadFactory(author=colleague)
    for person in (mentor, mentee, colleague):
        services.thread_subscribe(thread=thread, user=person)
    return thread, colleague


def test_staff_reply_in_a_hidden_thread_reaches_only_staff(followers, mentor, mentee, staff_user):
    thread, colleague = followers
    services.post_hide(post=thread.posts.get(is_first=True), by=staff_user)
    services.post_create(author=staff_user, thread=thread, body="Interne Notiz zum ausgeblendeten Thema")
    assert _mails_to(mentor) == [] and _mails_to(mentee) == []
    [mail] = _mails_to(colleague)
    assert "Interne Notiz" in mail.body_text


def test_thread_moved_into_a_mentors_only_category_no_longer_mails_mentees(followers, mentor, mentee, staff_user):
    thread, _colleague = followers
    services.thread_move(thread=thread, category=Category.objects.get(slug="methoden-hilfsmittel"), by=staff_user)
    services.post_create(author=staff_user, thread=thread, body="Nur für Mentor*innen")
    assert _mails_to(mentee) == [] and len(_mails_to(mentor)) == 1


@pytest.mark.parametrize("status", [Registration.Status.WITHDRAWN, Registration.Status.REJECTED,
                                    Registration.Status.SUBMITTED])
def test_follower_no_longer_approved_gets_nothing(followers, mentee, staff_user, status):
    thread, _colleague = followers
    Registration.objects.filter(user=mentee).update(status=status)  # subscription left behind
    services.post_create(author=staff_user, thread=thread, body="Neuigkeit")
    assert _mails_to(mentee) == [] and not DigestItem.objects.filter(user=mentee).exists()


def test_deactivated_account_gets_nothing(followers, mentee, staff_user):
    thread, _colleague = followers
    User.objects.filter(pk=mentee.pk).update(is_active=False)
    services.post_create(author=staff_user, thread=thread, body="Neuigkeit")
    assert _mails_to(mentee) == []


@pytest.mark.parametrize("change", ["hide_thread", "hide_post", "delete_post", "mentors_only", "withdrawn",
                                    "inactive"])
def test_digest_checks_again_when_it_is_sent(followers, mentee, staff_user, change):
    thread, _colleague = followers
    services.notification_mode_set(user=mentee, mode=NotificationSetting.Mode.DAILY)
    post = services.post_create(author=staff_user, thread=thread, body="Für die Zusammenfassung")
    assert DigestItem.objects.filter(user=mentee, post=post).exists()
    if change == "hide_thread":
        services.post_hide(post=thread.posts.get(is_first=True), by=staff_user)
    elif change == "hide_post":
        services.post_hide(post=post, by=staff_user)
    elif change == "delete_post":
        post.delete()
    elif change == "mentors_only":
        Category.objects.filter(pk=thread.category_id).update(mentors_only=True)
    elif change == "withdrawn":
        Registration.objects.filter(user=mentee).update(status=Registration.Status.WITHDRAWN)
    else:
        User.objects.filter(pk=mentee.pk).update(is_active=False)
    services.digests_send_all()
    assert _mails_to(mentee) == []


def test_digest_still_arrives_when_nothing_changed(followers, mentee, staff_user):
    thread, _colleague = followers
    services.notification_mode_set(user=mentee, mode=NotificationSetting.Mode.DAILY)
    services.post_create(author=staff_user, thread=thread, body="Für die Zusammenfassung")
    assert services.digests_send_all() == 1
    assert "Für die Zusammenfassung" in _mails_to(mentee)[0].body_text


def test_readers_agree_with_visible_posts(mentor, mentee, staff_user):
    """The rule for mails and the rule for pages are the same, for every kind of person and post."""
    people = [mentor, mentee, staff_user, participant(status=Registration.Status.WITHDRAWN),
              participant(mentor=True, status=Registration.Status.REJECTED),
              *(staff_member(group, email=f"{group or 'ohne'}@example.org")
                for group in ("Koordination", "Moderation", "Veranstaltungen", None))]
    open_thread = ThreadFactory(author=staff_user)
    mentors_thread = ThreadFactory(author=staff_user, category=Category.objects.get(slug="methoden-hilfsmittel"))
    posts = []
    for thread, hidden in itertools.product([open_thread, mentors_thread], [False, True]):
        post = services.post_create(author=staff_user, thread=thread, body="Antwort", notify=False)
        if hidden:
            services.post_hide(post=post, by=staff_user)
        posts.append(post)
    hidden_thread = ThreadFactory(author=staff_user)
    services.post_hide(post=hidden_thread.posts.get(), by=staff_user)
    posts.append(services.post_create(author=staff_user, thread=hidden_thread, body="Antwort", notify=False))
    everyone = User.objects.filter(pk__in=[person.pk for person in people])
    for post in Post.objects.filter(pk__in=[p.pk for p in posts]).select_related("thread__category"):
        by_mail = set(access.readers(post, everyone).values_list("pk", flat=True))
        by_page = {person.pk for person in User.objects.filter(pk__in=everyone)
                   if person.is_active and access.visible_posts(person).filter(pk=post.pk).exists()}
        assert by_mail == by_page, post.body


def test_unsubscribe_keeps_working_for_a_thread_hidden_meanwhile_without_naming_it(followers, mentee, staff_user,
                                                                                   client):
    thread, _colleague = followers
    services.post_hide(post=thread.posts.get(is_first=True), by=staff_user)
    url = services.unsubscribe_url(user=mentee, scope="thread", object_id=thread.pk)
    page = client.get(url).content.decode()
    assert "Keine E-Mails mehr zu diesem Abonnement erhalten?" in page and thread.title not in page
    done = client.post(url).content.decode()
    assert "keine E-Mails mehr" in done and thread.title not in done
    assert not ThreadSubscription.objects.filter(thread=thread, user=mentee).exists()


def test_unsubscribe_page_names_a_thread_the_person_may_read(followers, mentee, client):
    thread, _colleague = followers
    page = client.get(services.unsubscribe_url(user=mentee, scope="thread", object_id=thread.pk)).content.decode()
    assert thread.title in page
