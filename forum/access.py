"""Who may see and write what in the forum; foreign or hidden things answer 404."""
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import rules
from accounts.staff_groups import MODERATE_FORUM, is_staff_member, staff_may, staff_may_q

from .models import Attachment, Category, Post, Thread

EDIT_WINDOW_HOURS = 24
READ_FORUM = "forum.view_post"


# The forum's variants of the shared rules (accounts.rules), each named once, as predicate and filter.


def moderates(user) -> bool:
    """Moderation (and superusers) moderate: they see hidden threads and posts, lock, pin, feature, move
    and hide. Other staff read the forum as participants do."""
    return staff_may(user, MODERATE_FORUM)


def moderates_q() -> Q:
    return staff_may_q(MODERATE_FORUM)


def reads_mentors_only(user) -> bool:
    """Mentor*innen-only categories: mentors, and staff who read the forum in admin (moderators,
    Koordination), who read every category."""
    return moderates(user) or staff_may(user, READ_FORUM) or rules.mentor(user)


def reads_mentors_only_q() -> Q:
    return moderates_q() | staff_may_q(READ_FORUM) | rules.mentor_q()


def visible_categories(user) -> QuerySet[Category]:
    if not rules.approved_participant(user):
        return Category.objects.none()
    if reads_mentors_only(user):
        return Category.objects.all()
    return Category.objects.filter(mentors_only=False)


def not_hidden_q(thread: str = "") -> Q:
    """Not hidden by the Moderation: a thread (``thread=""``), or a post and its thread (``thread="thread__"``).
    What every reader but the Moderation sees, and what the overview counts."""
    if not thread:
        return Q(is_hidden=False)
    return Q(is_hidden=False) & Q(**{f"{thread}is_hidden": False})


def visible_threads(user, queryset: QuerySet[Thread] | None = None) -> QuerySet[Thread]:
    """Threads in categories the person may see; threads hidden by staff only for staff."""
    queryset = Thread.objects.all() if queryset is None else queryset
    queryset = _in_visible_categories(user, queryset, "category")
    return queryset if moderates(user) else queryset.filter(not_hidden_q())


def _in_visible_categories(user, queryset: QuerySet, category: str) -> QuerySet:
    """``visible_categories`` as a condition on the rows' own category, without a subquery to plan."""
    if not rules.approved_participant(user):
        return queryset.none()
    if reads_mentors_only(user):
        return queryset
    return queryset.filter(**{f"{category}__mentors_only": False})


def visible_posts(user, queryset: QuerySet[Post] | None = None) -> QuerySet[Post]:
    queryset = Post.objects.all() if queryset is None else queryset
    queryset = _in_visible_categories(user, queryset, "thread__category")
    return queryset if moderates(user) else queryset.filter(not_hidden_q("thread__"))


def shown_in_thread(user, posts: QuerySet[Post]) -> QuerySet[Post]:
    """Of the posts of one thread the person may read (``access_thread``), those shown to them: a hidden post
    only to the Moderation (``visible_posts`` without asking the thread and its category again)."""
    return posts if moderates(user) else posts.filter(not_hidden_q())


def readers(post: Post, people: QuerySet) -> QuerySet:
    """Of ``people``, those who may read ``post`` now, for mails that link to it.

    The rules of ``visible_posts`` seen from the people's side (one query for any number of
    followers): an approved registration or staff, mentors or staff in a mentors-only
    category, staff alone for a hidden post or thread; and an active account, since a mail
    must not reach someone who can no longer log in. ``test_readers_agree_with_visible_posts``
    holds the two together.
    """
    thread = post.thread
    people = people.filter(rules.approved_participant_q())
    if thread.category.mentors_only:
        people = people.filter(reads_mentors_only_q())
    if post.is_hidden or thread.is_hidden:
        people = people.filter(moderates_q())
    return people


def can_start_thread(user, category: Category) -> bool:
    """A category whose threads the team starts (announcements): any staff member, whatever their group."""
    return is_staff_member(user) or not category.staff_only_threads


def may_mark_helpful(user, post: Post) -> bool:
    """Others' posts only: a mark says that the post helped someone else."""
    return post.author_id != user.pk


def may_report(user, post: Post) -> bool:
    """Others' posts only: the author edits their own post, or writes to the Moderation."""
    return post.author_id != user.pk


def can_reply(user, thread: Thread) -> bool:
    return moderates(user) or not thread.is_locked


def can_edit(user, post: Post) -> bool:
    if post.author_id != user.pk or post.is_hidden or post.thread.is_locked:
        return False
    return timezone.now() - post.created_at <= timedelta(hours=EDIT_WINDOW_HOURS)


def can_accept(user, thread: Thread) -> bool:
    return thread.kind == Thread.Kind.QUESTION and (moderates(user) or thread.author_id == user.pk)


def acceptable_answer(post: Post) -> bool:
    """Only a visible reply can be the solution of a Frage, never its opening post."""
    return not post.is_first and not post.is_hidden


def access_category(user, slug: str) -> Category:
    return get_object_or_404(visible_categories(user), slug=slug)


def access_thread(user, pk, queryset: QuerySet[Thread] | None = None) -> Thread:
    queryset = Thread.objects.select_related("category").defer("search_vector") if queryset is None else queryset
    return get_object_or_404(visible_threads(user, queryset), pk=pk)


def access_post(user, pk) -> Post:
    """A post the person may see: in a visible category, and not hidden unless they are staff."""
    return get_object_or_404(visible_posts(user, Post.objects.select_related("thread__category", "author")), pk=pk)


def access_attachment(user, pk) -> Attachment:
    return get_object_or_404(Attachment.objects.select_related("post__thread"), post__in=visible_posts(user), pk=pk)
