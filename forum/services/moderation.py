"""Moderation: hide and restore posts, lock, pin, feature, move and edit threads, reports."""
from collections.abc import Iterable
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentoring.kernel.mail import mail_queue, mail_staff, recipient_language

from .. import access
from ..models import Category, Post, Report, Thread
from .errors import ForumActionError
from .notifications import post_notifications_withdraw
from .posting import thread_content_changed
from .search import thread_reindex


def _moderator_only(by: User) -> None:
    if not access.moderates(by):
        raise ForumActionError(_("Das darf nur die Moderation des Forums."))


def _thread_refresh_counts(*, thread: Thread) -> None:
    visible = Post.objects.filter(access.not_hidden_q(), thread=thread)
    last = visible.aggregate(last=Max("created_at"))["last"] or thread.created_at
    Thread.objects.filter(pk=thread.pk).update(post_count=visible.count(), last_post_at=last)


def post_hide(*, post: Post, by: User) -> Post:
    """Hide a post from everyone but staff; hiding the first post hides the whole thread."""
    posts_hide(post_pks=[post.pk], by=by)
    return Post.objects.select_related("thread").get(pk=post.pk)


class Hidden(NamedTuple):
    """What one hiding changed, counted under its locks: posts and whole threads hidden now, reports closed."""

    posts: int
    threads: int
    reports: int


def posts_hide(*, post_pks: Iterable[int], by: User) -> Hidden:
    """Hide posts (a first post hides its thread), withdraw their unsent notices and close their reports; each
    thread touched is recounted and reindexed once, however many of its posts go (a spam clean-up)."""
    _moderator_only(by)
    now = timezone.now()
    with transaction.atomic():
        posts = list(Post.objects.select_for_update().filter(pk__in=list(post_pks)).order_by("pk"))
        pks = [post.pk for post in posts]
        # One already hidden keeps who hid it and when; its reports still close below.
        hidden = Post.objects.filter(pk__in=pks, is_hidden=False).update(is_hidden=True, hidden_at=now, hidden_by=by)
        whole = {post.thread_id for post in posts if post.is_first}
        threads = Thread.objects.filter(pk__in=whole, is_hidden=False).update(is_hidden=True)
        post_notifications_withdraw(post_pks=sorted(
            set(pks) | set(Post.objects.filter(thread_id__in=whole).values_list("pk", flat=True))))
        Thread.objects.filter(accepted_post_id__in=pks).update(accepted_post=None)
        reports = Report.objects.filter(post_id__in=pks, resolved_at__isnull=True).update(resolved_at=now,
                                                                                          resolved_by=by)
        threads_refresh(thread_ids={post.thread_id for post in posts})
    return Hidden(posts=hidden, threads=threads, reports=reports)


def post_restore(*, post: Post, by: User) -> Post:
    posts_restore(post_pks=[post.pk], by=by)
    return Post.objects.select_related("thread").get(pk=post.pk)


def posts_restore(*, post_pks: Iterable[int], by: User) -> int:
    """Show hidden posts again (a first post its thread); each thread touched is recounted and reindexed once.
    Returns how many were hidden until now."""
    _moderator_only(by)
    with transaction.atomic():
        posts = list(Post.objects.select_for_update().filter(pk__in=list(post_pks)).order_by("pk"))
        shown = Post.objects.filter(pk__in=[post.pk for post in posts], is_hidden=True).update(
            is_hidden=False, hidden_at=None, hidden_by=None)
        Thread.objects.filter(pk__in={post.thread_id for post in posts if post.is_first}).update(is_hidden=False)
        threads_refresh(thread_ids={post.thread_id for post in posts})
    return shown


def threads_refresh(*, thread_ids: set[int]) -> None:
    """Recount, reindex and re-render what lists show of these threads after their posts changed (hidden,
    restored, or deleted in the admin)."""
    for thread in Thread.objects.filter(pk__in=thread_ids):
        _thread_refresh_counts(thread=thread)
        thread_reindex(thread=thread)
    thread_content_changed(thread_ids=thread_ids)


def thread_set_flags(*, thread: Thread, by: User, is_locked: bool | None = None, is_pinned: bool | None = None,
                     is_featured: bool | None = None) -> Thread:
    """Staff lock, pin or feature a thread (only a Praxistipp can be featured on the front page)."""
    _moderator_only(by)
    if is_featured and thread.kind != Thread.Kind.TIP:
        raise ForumActionError(_("Nur Praxistipps können auf der Startseite hervorgehoben werden."))
    changes = {name: value for name, value in
               (("is_locked", is_locked), ("is_pinned", is_pinned), ("is_featured", is_featured))
               if value is not None}
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(**changes)
    for name, value in changes.items():
        setattr(thread, name, value)
    return thread


def thread_move(*, thread: Thread, category: Category, by: User) -> Thread:
    _moderator_only(by)
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(category=category)
    thread.category = category
    return thread


def thread_kind_refusal(thread: Thread, kind: str) -> str | None:
    """Why a thread may not take this kind (German), or None: only a Praxistipp is featured on the front page."""
    if thread.is_featured and kind != Thread.Kind.TIP:
        return _("Dieses Thema ist als Praxistipp auf der Startseite des Forums hervorgehoben. Nehmen Sie die "
                 "Hervorhebung zuerst zurück (in der Liste der Themen die Aktion „Nicht mehr hervorheben“), dann "
                 "können Sie die Art ändern.")
    return None


def thread_edit(*, thread: Thread, by: User, changed_fields: Iterable[str]) -> Thread:
    """Staff edit a thread in the admin (title, kind, category); the search index follows the title.

    Only a question has an accepted answer: a thread that is no longer one loses its mark."""
    _moderator_only(by)
    if refusal := thread_kind_refusal(thread, thread.kind):
        raise ForumActionError(refusal)
    if thread.kind != Thread.Kind.QUESTION:
        thread.accepted_post = None
    with transaction.atomic():
        thread.save()
        if "title" in set(changed_fields):
            thread_reindex(thread=thread)
    return thread


def report_create(*, post: Post, reporter: User, reason: str) -> Report:
    if not access.may_report(reporter, post):
        raise ForumActionError(_("Eigene Beiträge können Sie nicht melden; Sie können sie bearbeiten oder der "
                                 "Moderation schreiben."))
    reason = (reason or "").strip()
    if not reason:
        raise ForumActionError(_("Bitte nennen Sie einen Grund für die Meldung."))
    with transaction.atomic():
        # One open report per person and post: reporting again changes nothing and mails nobody again. The post's
        # lock holds it for two clicks at once too (a lock on reports finds no row to hold before the first).
        Post.objects.select_for_update().filter(pk=post.pk).first()
        if Report.objects.filter(post=post, reporter=reporter, resolved_at__isnull=True).exists():
            raise ForumActionError(_("Sie haben diesen Beitrag bereits gemeldet; die Moderation sieht ihn sich an."))
        report = Report.objects.create(post=post, reporter=reporter, reason=reason)
        _report_mail_moderators(report)
    return report


def moderators():
    """Who is told of a new report: staff who moderate (the Moderation group, ``access.moderates``), not every
    superuser."""
    return User.objects.filter(access.moderates_q(), is_superuser=False).order_by("pk")


def _report_mail_moderators(report: Report) -> None:
    """Each moderator, in their language; without any, the programme's staff addresses. The mail names
    no one: the report in the admin does."""
    post = report.post
    context = {"report": report, "thread_title": post.thread.title,
               "post_path": reverse("forum:post_link", args=[post.pk]),
               "admin_path": reverse("admin:forum_report_change", args=[report.pk])}
    people = list(moderators())
    if not people:
        mail_staff(key=f"forum-report:{report.pk}", template="forum_report_staff", context=context)
    for person in people:
        mail_queue(key=f"forum-report:{report.pk}:{person.email}", to=person.email, template="forum_report_staff",
                   language=recipient_language(person), context=context)


def report_resolve(*, report: Report, by: User) -> Report:
    _moderator_only(by)
    with transaction.atomic():
        Report.objects.filter(pk=report.pk, resolved_at__isnull=True).update(resolved_at=timezone.now(),
                                                                             resolved_by=by)
    report.refresh_from_db()
    return report
