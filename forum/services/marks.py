"""What people mark: hilfreich, the accepted answer of a Frage, threads read."""
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .. import access
from ..models import Category, CategoryRead, HelpfulMark, Post, Thread, ThreadRead
from .errors import ForumActionError


def thread_accept_answer(*, thread: Thread, post: Post | None, by: User) -> Thread:
    """The asker (or staff) marks the answer that solved a Frage; ``post=None`` takes it back."""
    if not access.can_accept(by, thread):
        raise ForumActionError(_("Nur wer die Frage gestellt hat, kann eine Antwort als Lösung markieren."))
    with transaction.atomic():
        if post is not None:
            # Asked under the post's lock, which hiding takes too: a post hidden meanwhile never becomes the answer.
            post = Post.objects.select_for_update().filter(pk=post.pk).first()
            if post is None or post.thread_id != thread.pk or not access.acceptable_answer(post):
                raise ForumActionError(_("Dieser Beitrag kann nicht als Lösung markiert werden."))
        Thread.objects.filter(pk=thread.pk).update(accepted_post=post)
    thread.accepted_post = post
    return thread


def helpful_toggle(*, post: Post, user: User) -> bool:
    """Mark a post as hilfreich, or take the mark back. Returns whether it is marked now."""
    if not access.may_mark_helpful(user, post):
        raise ForumActionError(_("Eigene Beiträge können Sie nicht als hilfreich markieren."))
    with transaction.atomic():
        Post.objects.select_for_update().filter(pk=post.pk).first()
        deleted, _rows = HelpfulMark.objects.filter(post=post, user=user).delete()
        if not deleted:
            HelpfulMark.objects.create(post=post, user=user)
        helpful_recount([post.pk])
    return not deleted


def helpful_recount(post_pks) -> None:
    """Store each post's number of hilfreich marks again, from the marks themselves, in one query."""
    marks = (HelpfulMark.objects.filter(post=OuterRef("pk")).order_by().values("post")
             .annotate(count=Count("pk")).values("count"))
    Post.objects.filter(pk__in=post_pks).update(helpful_count=Coalesce(Subquery(marks), 0))


def thread_mark_read(*, thread: Thread, user: User) -> None:
    ThreadRead.objects.bulk_create([ThreadRead(thread=thread, user=user, read_at=timezone.now())],
                                   update_conflicts=True, unique_fields=["thread", "user"], update_fields=["read_at"])


def threads_mark_all_read(*, user: User, category: Category | None = None) -> int:
    """Mark every visible thread (of one category, or all) as read now; returns in how many categories.

    One watermark per category (``CategoryRead``) instead of a read marker per thread.
    """
    categories = access.visible_categories(user)
    if category is not None:
        categories = categories.filter(pk=category.pk)
    now = timezone.now()
    rows = [CategoryRead(category_id=pk, user=user, read_at=now) for pk in categories.values_list("pk", flat=True)]
    with transaction.atomic():
        CategoryRead.objects.bulk_create(rows, update_conflicts=True, unique_fields=["category", "user"],
                                         update_fields=["read_at"])
    return len(rows)
