"""Subscriptions: following threads and categories, the notification setting, unsubscribe links."""
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Category, CategorySubscription, DigestItem, NotificationSetting, Thread, ThreadSubscription
from .errors import ForumActionError

UNSUBSCRIBE_SALT = "forum.unsubscribe"


def thread_subscribe(*, thread: Thread, user: User) -> None:
    ThreadSubscription.objects.get_or_create(thread=thread, user=user)


def thread_unsubscribe(*, thread: Thread, user: User) -> None:
    ThreadSubscription.objects.filter(thread=thread, user=user).delete()


def category_subscribe(*, category: Category, user: User) -> None:
    CategorySubscription.objects.get_or_create(category=category, user=user)


def category_unsubscribe(*, category: Category, user: User) -> None:
    CategorySubscription.objects.filter(category=category, user=user).delete()


def notification_mode_set(*, user: User, mode: str) -> NotificationSetting:
    if mode not in NotificationSetting.Mode.values:
        raise ForumActionError(_("Diese Einstellung gibt es nicht."))
    with transaction.atomic():
        setting, _created = NotificationSetting.objects.update_or_create(user=user, defaults={"mode": mode})
        if mode != NotificationSetting.Mode.DAILY:
            DigestItem.objects.filter(user=user).delete()
    return setting


def notification_mode(user: User) -> str:
    """How the person wants to hear of new posts; immediate mails unless they chose otherwise."""
    setting = getattr(user, "forum_notification_setting", None)
    return setting.mode if setting else NotificationSetting.Mode.IMMEDIATE


def subscriptions_remove(*, user: User) -> None:
    """A person who leaves the programme hears nothing more from the forum."""
    ThreadSubscription.objects.filter(user=user).delete()
    CategorySubscription.objects.filter(user=user).delete()
    DigestItem.objects.filter(user=user).delete()


def unsubscribe_token(*, user: User, scope: str, object_id: int | None = None) -> str:
    """A signed token for a link that works without login: scope is thread, category or all."""
    return signing.dumps({"u": user.pk, "s": scope, "o": object_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user: User, scope: str, object_id: int | None = None) -> str:
    return reverse("forum:unsubscribe", args=[unsubscribe_token(user=user, scope=scope, object_id=object_id)])


def unsubscribe_resolve(*, token: str) -> tuple[User, str, object | None]:
    """What a token refers to: (person, scope, thread or category or None); BadSignature if forged."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    user = User.objects.filter(pk=data.get("u")).first()
    scope = data.get("s")
    if user is None or scope not in ("thread", "category", "all"):
        raise signing.BadSignature("unknown person or scope")
    target = None
    if scope == "thread":
        target = Thread.objects.filter(pk=data.get("o")).first()
    elif scope == "category":
        target = Category.objects.filter(pk=data.get("o")).first()
    return user, scope, target


def unsubscribe_by_token(*, token: str) -> tuple[User, str, object | None]:
    user, scope, target = unsubscribe_resolve(token=token)
    with transaction.atomic():
        if scope == "thread" and target is not None:
            thread_unsubscribe(thread=target, user=user)
        elif scope == "category" and target is not None:
            category_unsubscribe(category=target, user=user)
        elif scope == "all":
            notification_mode_set(user=user, mode=NotificationSetting.Mode.NONE)
    return user, scope, target
