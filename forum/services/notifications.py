"""Notifications: instant mails about new posts and the daily digest."""
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import rules
from accounts.models import User
from mentoring.kernel import privacy
from mentoring.kernel.mail import (
    mail_queue,
    mail_queue_bulk,
    one_click_unsubscribe_headers,
    outbox_withdraw,
    recipient_language,
)

from .. import access
from ..models import DigestItem, NotificationSetting, Post, ThreadSubscription
from .subscriptions import notification_mode, unsubscribe_url

EXCERPT_LENGTH = 400


def _recipients(*, post: Post) -> list[User]:
    """Followers of the thread or its category who may read the post now, never the author."""
    thread = post.thread
    followers = (
        User.objects.filter(Q(forum_thread_subscriptions__thread=thread)
                            | Q(forum_category_subscriptions__category_id=thread.category_id))
        .exclude(pk=post.author_id)
    )
    people = (access.readers(post, followers).select_related("forum_notification_setting")
              .distinct().order_by("pk"))
    thread_followers = set(ThreadSubscription.objects.filter(thread=thread).values_list("user_id", flat=True))
    people = list(people)
    for person in people:
        person.follows_thread = person.pk in thread_followers
    return people


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH].rsplit(" ", 1)[0] + " …"


def author_label(user: User | None) -> str:
    """What the forum shows of a person: name and organisation, nothing else from the profile."""
    if user is None:
        return str(privacy.FORMER_PARTICIPANT)
    name = user.get_full_name() or _("Teilnehmer*in")
    profile = getattr(user, "profile", None)
    if profile is not None:
        return f"{name} ({profile.organisation.name})"
    # Staff of every group (Koordination, Moderation, Veranstaltungen) write as the programme's team.
    return _("%(name)s (Programmteam)") % {"name": name} if user.is_staff else name


def post_notify_after_commit(*, post: Post) -> None:
    """Followers hear of the new post from a Celery task once the post is committed (``post_notify``)."""
    from ..tasks import notify_post  # the tasks module imports the services

    notify_post.delay_on_commit(post.pk)


def post_notify_by_pk(*, post_pk: int) -> int:
    """The task's work: notify about the post if it still exists; returns how many mails were queued."""
    post = (Post.objects.select_related("thread__category", "author__profile__organisation")
            .filter(pk=post_pk).first())
    return 0 if post is None else post_notify(post=post)


def post_notify(*, post: Post) -> int:
    """One mail to each follower who wants them, digest entries for the others; returns the mails queued.

    A bounded number of queries however many follow: the readers, the thread's followers, one
    insert of digest entries, one lookup and one insert into the outbox (``mail_queue_bulk``).
    """
    thread = post.thread
    path = reverse("forum:post_link", args=[post.pk])
    recipients = _recipients(post=post)
    DigestItem.objects.bulk_create(
        [DigestItem(user=person, post=post) for person in recipients
         if notification_mode(person) == NotificationSetting.Mode.DAILY], ignore_conflicts=True)
    excerpt = _excerpt(post.body)
    labels: dict[str, str] = {}
    messages = []
    for person in recipients:
        if notification_mode(person) != NotificationSetting.Mode.IMMEDIATE:
            continue
        scope, object_id = ("thread", thread.pk) if person.follows_thread else ("category", thread.category_id)
        unsubscribe_path = unsubscribe_url(user=person, scope=scope, object_id=object_id)
        language = recipient_language(person)
        if language not in labels:
            # The whole mail in the follower's language, the author's label ("Koordination") included.
            with translation.override(language):
                labels[language] = author_label(post.author)
        messages.append({
            "key": f"forum-post:{post.pk}:{person.pk}", "to": person.email, "template": "forum_post",
            "context": {"person": person, "thread": thread, "category": thread.category, "post": post,
                        "is_new_thread": post.is_first, "author": labels[language], "excerpt": excerpt,
                        "post_path": path, "scope": scope, "unsubscribe_path": unsubscribe_path,
                        "unsubscribe_all_path": unsubscribe_url(user=person, scope="all")},
            "headers": one_click_unsubscribe_headers(unsubscribe_path), "language": language,
        })
    queued = len(mail_queue_bulk(messages))
    Post.objects.filter(pk=post.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    return queued


PENDING_GRACE = timedelta(minutes=2)  # the task after commit normally runs within seconds
PENDING_BATCH = 200


def posts_notify_pending() -> int:
    """Notify about posts whose after-commit task never ran (broker down); returns how many posts.

    Queueing is idempotent (outbox keys, unique digest entries): a post the task is handling at the
    same moment gets no second mail.
    """
    cutoff = timezone.now() - PENDING_GRACE
    pending = list(Post.objects.filter(notified_at__isnull=True, created_at__lte=cutoff)
                   .select_related("thread__category", "author__profile__organisation")
                   .order_by("pk")[:PENDING_BATCH])
    for post in pending:
        post_notify(post=post)
    return len(pending)


def post_notifications_withdraw(*, post_pks: list[int]) -> int:
    """Instant mails about these posts that have not gone out yet are not sent (the post was hidden)."""
    return outbox_withdraw(key_prefixes=[f"forum-post:{pk}:" for pk in post_pks])


def digest_send(*, user: User) -> int:
    """Send one person their waiting digest entries in one mail; returns how many posts it lists."""
    with transaction.atomic():
        items = list(DigestItem.objects.select_for_update().filter(user=user).order_by("pk"))
        if not items:
            return 0
        visible = (access.visible_posts(user, Post.objects.filter(pk__in=[item.post_id for item in items]))
                   .select_related("thread__category", "author__profile__organisation")
                   .order_by("thread__category__position", "thread_id", "created_at"))
        posts = list(visible) if rules.approved_participant(user) else []
        if posts:
            _digest_mail(user=user, posts=posts, last_item=items[-1])
        DigestItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    return len(posts)


def _digest_mail(*, user: User, posts: list[Post], last_item: DigestItem) -> None:
    with translation.override(recipient_language(user)):
        threads: dict[int, dict] = {}
        for post in posts:
            entry = threads.setdefault(post.thread_id, {"thread": post.thread, "posts": []})
            entry["posts"].append({"author": author_label(post.author), "excerpt": _excerpt(post.body),
                                   "path": reverse("forum:post_link", args=[post.pk])})
        unsubscribe_path = unsubscribe_url(user=user, scope="all")
        mail_queue(key=f"forum-digest:{user.pk}:{last_item.pk}", to=user.email, template="forum_digest",
                   context={"person": user, "threads": list(threads.values()), "count": len(posts),
                            "unsubscribe_path": unsubscribe_path},
                   headers=one_click_unsubscribe_headers(unsubscribe_path), language=recipient_language(user))


def digests_send_all() -> int:
    """The daily run: one digest per person with waiting entries. Returns how many mails went out."""
    sent = 0
    for user in User.objects.filter(pk__in=DigestItem.objects.values("user_id")).order_by("pk"):
        if digest_send(user=user):
            sent += 1
    return sent
