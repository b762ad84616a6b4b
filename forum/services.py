"""Every write of the forum: threads, posts, attachments, marks, moderation, notifications."""
import logging
import re
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_approved_participant
from accounts.models import Topic, User
from mentoring.kernel import privacy
from mentoring.kernel.mail import mail_queue

from . import access
from .models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Attachment,
    Category,
    CategorySubscription,
    DigestItem,
    HelpfulMark,
    NotificationSetting,
    Post,
    Report,
    Thread,
    ThreadRead,
    ThreadSubscription,
)
from .uploads import download_name, validate_upload

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "forum.unsubscribe"
EXCERPT_LENGTH = 400


class ForumActionError(Exception):
    """An action the rules do not allow; the message is German and meant for the person."""


# THREADS AND POSTS ---------------------------------------------------------------


def thread_create(*, author: User, category: Category, title: str, kind: str, topics: Iterable[Topic],
                  body: str, files: Iterable = (), notify: bool = True) -> Thread:
    """Open a thread with its first post; the author follows it and category followers hear of it.

    ``notify=False`` only for loading content (demo data), where nobody should be mailed.
    """
    if not access.visible_categories(author).filter(pk=category.pk).exists():
        raise ForumActionError(_("Diese Kategorie gibt es nicht."))
    if not access.can_start_thread(author, category):
        raise ForumActionError(_("In dieser Kategorie eröffnet nur die Koordination neue Themen."))
    title = " ".join((title or "").split())
    if not 5 <= len(title) <= TITLE_MAX_LENGTH:
        raise ForumActionError(_("Der Titel braucht 5 bis %(max)d Zeichen.") % {"max": TITLE_MAX_LENGTH})
    if kind not in Thread.Kind.values:
        raise ForumActionError(_("Diese Art von Beitrag gibt es nicht."))
    with _FilesRemovedOnError() as stored, transaction.atomic():
        now = timezone.now()
        thread = Thread.objects.create(category=category, title=title, kind=kind, author=author,
                                       last_post_at=now, post_count=0)
        thread.topics.set(topics)
        post = _post_add(thread=thread, author=author, body=body, files=files, is_first=True, stored=stored)
        ThreadSubscription.objects.get_or_create(thread=thread, user=author)
        if notify:
            _notify(post=post)
    return thread


def post_create(*, author: User, thread: Thread, body: str, files: Iterable = (), notify: bool = True) -> Post:
    """A reply; followers of the thread and its category get one mail each (or a digest entry)."""
    with _FilesRemovedOnError() as stored, transaction.atomic():
        thread = Thread.objects.select_for_update().select_related("category").get(pk=thread.pk)
        if not access.visible_threads(author).filter(pk=thread.pk).exists():
            raise ForumActionError(_("Dieses Thema gibt es nicht."))
        if not access.can_reply(author, thread):
            raise ForumActionError(_("Dieses Thema ist gesperrt; Antworten sind nicht mehr möglich."))
        post = _post_add(thread=thread, author=author, body=body, files=files, is_first=False, stored=stored)
        ThreadSubscription.objects.get_or_create(thread=thread, user=author)
        if notify:
            _notify(post=post)
    return post


def _quote_header(name: str) -> str:
    return _("%(name)s schrieb:") % {"name": name}


def _former_in_markdown() -> str:
    # Post bodies are Markdown: the gender stars of "ehemalige*r Teilnehmer*in" would render as emphasis.
    return str(privacy.FORMER_PARTICIPANT).replace("*", "\\*")


def quote_text(post: Post) -> str:
    """The start of a reply that quotes ``post``: a header naming its author, then the text as a quote."""
    name = post.author.get_full_name() if post.author else _former_in_markdown()
    quote = "\n".join(f"> {line}" for line in post.body.splitlines())
    return f"{_quote_header(name)}\n{quote}\n\n"


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ForumActionError(_("Bitte schreiben Sie einen Text."))
    if len(body) > BODY_MAX_LENGTH:
        raise ForumActionError(_("Der Text ist zu lang (höchstens %(max)d Zeichen).") % {"max": BODY_MAX_LENGTH})
    return body


def _post_add(*, thread: Thread, author: User, body: str, files: Iterable, is_first: bool,
              stored: list[str]) -> Post:
    body = _clean_body(body)
    post = Post.objects.create(thread=thread, author=author, body=body, is_first=is_first)
    for upload in files:
        attachment_add(post=post, upload=upload, stored=stored)
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1, last_post_at=post.created_at)
    ThreadRead.objects.update_or_create(thread=thread, user=author, defaults={"read_at": post.created_at})
    thread_reindex(thread=thread)
    return post


def attachment_add(*, post: Post, upload, stored: list[str] | None = None) -> Attachment:
    """Store one file after checking its content; raises ValidationError for a forbidden file.

    ``stored`` collects the names written to disk so that a caller can remove them on rollback.
    """
    mime, extension = validate_upload(upload)
    attachment = Attachment(post=post, original_name=download_name(upload.name, mime), extension=extension,
                            content_type=mime, size=upload.size)
    attachment.file.save(upload.name, upload, save=False)
    if stored is not None:
        stored.append(attachment.file.name)
    attachment.save()
    return attachment


class _FilesRemovedOnError:
    """Files are not part of the transaction: remove what was written if the transaction fails."""

    def __init__(self):
        self.stored: list[str] = []

    def __enter__(self):
        return self.stored

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for name in self.stored:
                Attachment.file.field.storage.delete(name)
        return False


def post_edit(*, post: Post, editor: User, body: str) -> Post:
    if not access.can_edit(editor, post):
        raise ForumActionError(_("Diesen Beitrag können Sie nicht mehr bearbeiten."))
    body = _clean_body(body)
    with transaction.atomic():
        post.body = body
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "edited_at"])
        thread_reindex(thread=post.thread)
    return post


def _thread_refresh_counts(*, thread: Thread) -> None:
    visible = Post.objects.filter(thread=thread, is_hidden=False)
    last = visible.aggregate(last=Max("created_at"))["last"] or thread.created_at
    Thread.objects.filter(pk=thread.pk).update(post_count=visible.count(), last_post_at=last)


def post_hide(*, post: Post, by: User) -> Post:
    """Hide a post from everyone but staff; hiding the first post hides the whole thread."""
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
        post.is_hidden, post.hidden_at, post.hidden_by = True, timezone.now(), by
        post.save(update_fields=["is_hidden", "hidden_at", "hidden_by"])
        if post.is_first:
            Thread.objects.filter(pk=post.thread_id).update(is_hidden=True)
        if post.thread.accepted_post_id == post.pk:
            Thread.objects.filter(pk=post.thread_id).update(accepted_post=None)
        _thread_refresh_counts(thread=post.thread)
        thread_reindex(thread=post.thread)
        Report.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=by)
    return post


def post_restore(*, post: Post, by: User) -> Post:
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
        post.is_hidden, post.hidden_at, post.hidden_by = False, None, None
        post.save(update_fields=["is_hidden", "hidden_at", "hidden_by"])
        if post.is_first:
            Thread.objects.filter(pk=post.thread_id).update(is_hidden=False)
        _thread_refresh_counts(thread=post.thread)
        thread_reindex(thread=post.thread)
    return post


def thread_set_flags(*, thread: Thread, by: User, is_locked: bool | None = None, is_pinned: bool | None = None,
                     is_featured: bool | None = None) -> Thread:
    """Staff lock, pin or feature a thread (only a Praxistipp can be featured on the front page)."""
    if not by.is_staff:
        raise ForumActionError(_("Das darf nur die Koordination."))
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
    if not by.is_staff:
        raise ForumActionError(_("Das darf nur die Koordination."))
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(category=category)
    thread.category = category
    return thread


def thread_accept_answer(*, thread: Thread, post: Post | None, by: User) -> Thread:
    """The asker (or staff) marks the answer that solved a Frage; ``post=None`` takes it back."""
    if not access.can_accept(by, thread):
        raise ForumActionError(_("Nur wer die Frage gestellt hat, kann eine Antwort als Lösung markieren."))
    if post is not None and (post.thread_id != thread.pk or post.is_first or post.is_hidden):
        raise ForumActionError(_("Dieser Beitrag kann nicht als Lösung markiert werden."))
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(accepted_post=post)
    thread.accepted_post = post
    return thread


def helpful_toggle(*, post: Post, user: User) -> bool:
    """Mark a post as hilfreich, or take the mark back. Returns whether it is marked now."""
    if post.author_id == user.pk:
        raise ForumActionError(_("Eigene Beiträge können Sie nicht als hilfreich markieren."))
    with transaction.atomic():
        Post.objects.select_for_update().filter(pk=post.pk).first()
        deleted, _rows = HelpfulMark.objects.filter(post=post, user=user).delete()
        if not deleted:
            HelpfulMark.objects.create(post=post, user=user)
        Post.objects.filter(pk=post.pk).update(helpful_count=HelpfulMark.objects.filter(post=post).count())
    return not deleted


def report_create(*, post: Post, reporter: User, reason: str) -> Report:
    reason = (reason or "").strip()
    if not reason:
        raise ForumActionError(_("Bitte nennen Sie einen Grund für die Meldung."))
    with transaction.atomic():
        report = Report.objects.create(post=post, reporter=reporter, reason=reason)
    return report


def report_resolve(*, report: Report, by: User) -> Report:
    with transaction.atomic():
        Report.objects.filter(pk=report.pk, resolved_at__isnull=True).update(resolved_at=timezone.now(),
                                                                           resolved_by=by)
    report.refresh_from_db()
    return report


def thread_mark_read(*, thread: Thread, user: User) -> None:
    ThreadRead.objects.update_or_create(thread=thread, user=user, defaults={"read_at": timezone.now()})


def threads_mark_all_read(*, user: User, category: Category | None = None) -> int:
    """Mark every visible thread (of one category, or all) as read now; returns how many."""
    threads = access.visible_threads(user)
    if category is not None:
        threads = threads.filter(category=category)
    now = timezone.now()
    rows = [ThreadRead(thread_id=pk, user=user, read_at=now) for pk in threads.values_list("pk", flat=True)]
    with transaction.atomic():
        ThreadRead.objects.bulk_create(rows, update_conflicts=True, unique_fields=["thread", "user"],
                                       update_fields=["read_at"], batch_size=500)
    return len(rows)


def thread_reindex(*, thread: Thread) -> None:
    """Refresh the German full-text vector of a thread: title weighted over its visible posts."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE forum_thread SET search_vector = "
            "setweight(to_tsvector('german', title), 'A') || "
            "setweight(to_tsvector('german', coalesce((SELECT string_agg(body, ' ') FROM forum_post "
            "WHERE thread_id = %s AND NOT is_hidden), '')), 'B') WHERE id = %s",
            [thread.pk, thread.pk])


# SUBSCRIPTIONS AND NOTIFICATIONS ------------------------------------------------------


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


def notification_mode(user: User) -> str:
    """How the person wants to hear of new posts; immediate mails unless they chose otherwise."""
    setting = getattr(user, "forum_notification_setting", None)
    return setting.mode if setting else NotificationSetting.Mode.IMMEDIATE


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
    return f"{name} ({_('Koordination')})" if user.is_staff else name


def _notify(*, post: Post) -> None:
    thread = post.thread
    path = reverse("forum:post_link", args=[post.pk])
    recipients = _recipients(post=post)
    DigestItem.objects.bulk_create(
        [DigestItem(user=person, post=post) for person in recipients
         if notification_mode(person) == NotificationSetting.Mode.DAILY], ignore_conflicts=True)
    for person in recipients:
        if notification_mode(person) != NotificationSetting.Mode.IMMEDIATE:
            continue
        scope, object_id = ("thread", thread.pk) if person.follows_thread else ("category", thread.category_id)
        unsubscribe_path = unsubscribe_url(user=person, scope=scope, object_id=object_id)
        mail_queue(
            key=f"forum-post:{post.pk}:{person.pk}", to=person.email, template="forum_post",
            context={"person": person, "thread": thread, "category": thread.category, "post": post,
                     "is_new_thread": post.is_first, "author": author_label(post.author),
                     "excerpt": _excerpt(post.body), "post_path": path, "scope": scope,
                     "unsubscribe_path": unsubscribe_path,
                     "unsubscribe_all_path": unsubscribe_url(user=person, scope="all")},
            headers=_unsubscribe_headers(unsubscribe_path),
        )


def _unsubscribe_headers(path: str) -> dict:
    return {"List-Unsubscribe": f"<{settings.SITE_URL}{path}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def digest_send(*, user: User) -> int:
    """Send one person their waiting digest entries in one mail; returns how many posts it lists."""
    with transaction.atomic():
        items = list(DigestItem.objects.select_for_update().filter(user=user).order_by("pk"))
        if not items:
            return 0
        visible = (access.visible_posts(user, Post.objects.filter(pk__in=[item.post_id for item in items]))
                   .select_related("thread__category", "author__profile__organisation")
                   .order_by("thread__category__position", "thread_id", "created_at"))
        posts = list(visible) if user.is_active and is_approved_participant(user) else []
        if posts:
            threads: dict[int, dict] = {}
            for post in posts:
                entry = threads.setdefault(post.thread_id, {"thread": post.thread, "posts": []})
                entry["posts"].append({"author": author_label(post.author), "excerpt": _excerpt(post.body),
                                       "path": reverse("forum:post_link", args=[post.pk])})
            unsubscribe_path = unsubscribe_url(user=user, scope="all")
            mail_queue(key=f"forum-digest:{user.pk}:{items[-1].pk}", to=user.email, template="forum_digest",
                       context={"person": user, "threads": list(threads.values()), "count": len(posts),
                                "unsubscribe_path": unsubscribe_path},
                       headers=_unsubscribe_headers(unsubscribe_path))
        DigestItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    return len(posts)


def digests_send_all() -> int:
    """The daily run: one digest per person with waiting entries. Returns how many mails went out."""
    sent = 0
    for user in User.objects.filter(pk__in=DigestItem.objects.values("user_id")).order_by("pk"):
        if digest_send(user=user):
            sent += 1
    return sent


# DSGVO ---------------------------------------------------------------------------------


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def personal_data(*, user: User) -> dict:
    """Every forum row that belongs to or names the person (DSGVO export)."""
    posts = (Post.objects.filter(author=user).select_related("thread__category")
             .prefetch_related("attachments").order_by("created_at", "pk"))
    return {
        "themen": [{"titel": t.title, "kategorie": t.category.name, "art": t.get_kind_display(),
                    "eroeffnet_am": _iso(t.created_at)}
                   for t in Thread.objects.filter(author=user).select_related("category").order_by("pk")],
        "beitraege": [{"thema": p.thread.title, "kategorie": p.thread.category.name, "text": p.body,
                       "verfasst_am": _iso(p.created_at), "bearbeitet_am": _iso(p.edited_at),
                       "ausgeblendet": p.is_hidden,
                       "anhaenge": [{"name": a.original_name, "typ": a.content_type, "groesse": a.size,
                                     "hochgeladen_am": _iso(a.uploaded_at)} for a in p.attachments.all()]}
                      for p in posts],
        "hilfreich_markiert": [{"thema": m.post.thread.title, "am": _iso(m.created_at)} for m in
                               HelpfulMark.objects.filter(user=user).select_related("post__thread").order_by("pk")],
        "abonnierte_themen": [{"thema": s.thread.title, "seit": _iso(s.created_at)} for s in
                              ThreadSubscription.objects.filter(user=user).select_related("thread").order_by("pk")],
        "abonnierte_kategorien": [{"kategorie": s.category.name, "seit": _iso(s.created_at)} for s in
                                  CategorySubscription.objects.filter(user=user).select_related("category")
                                  .order_by("pk")],
        "benachrichtigung": notification_mode(user),
        "wartend_fuer_tageszusammenfassung": [
            {"thema": d.post.thread.title, "seit": _iso(d.created_at)}
            for d in DigestItem.objects.filter(user=user).select_related("post__thread").order_by("pk")],
        "gelesen": [{"thema": r.thread.title, "gelesen_bis": _iso(r.read_at)} for r in
                    ThreadRead.objects.filter(user=user).select_related("thread").order_by("pk")],
        "meldungen": [{"thema": r.post.thread.title, "grund": r.reason, "gemeldet_am": _iso(r.created_at),
                       "erledigt_am": _iso(r.resolved_at)}
                      for r in Report.objects.filter(reporter=user).select_related("post__thread").order_by("pk")],
        "moderation": {
            "ausgeblendete_beitraege": [{"thema": p.thread.title, "ausgeblendet_am": _iso(p.hidden_at)} for p in
                                        Post.objects.filter(hidden_by=user).select_related("thread").order_by("pk")],
            "erledigte_meldungen": [{"thema": r.post.thread.title, "erledigt_am": _iso(r.resolved_at)} for r in
                                    Report.objects.filter(resolved_by=user).select_related("post__thread")
                                    .order_by("pk")],
        },
    }


def personal_data_erase(*, user: User) -> None:
    """Erase the person from the forum; runs inside the account deletion, before the user row goes.

    Their reports (free text), subscriptions, read markers, marks, waiting digest entries and
    setting are deleted. Their threads and posts stay for the conversations of others, shown as
    ``FORMER_PARTICIPANT`` once the user row is gone (the foreign keys are SET_NULL). Generated
    text that names them becomes ``FORMER_PARTICIPANT``: quote headers ("Name schrieb:") in
    other people's replies, and their full name in their own posts and titles. Attachment
    names on their posts that contain their first or last name become "Anhang-<id>".
    """
    name = user.get_full_name().strip()
    former = str(privacy.FORMER_PARTICIPANT)
    marked_posts = list(HelpfulMark.objects.filter(user=user).values_list("post_id", flat=True))
    Report.objects.filter(reporter=user).delete()
    HelpfulMark.objects.filter(user=user).delete()
    for post_id in marked_posts:
        Post.objects.filter(pk=post_id).update(helpful_count=HelpfulMark.objects.filter(post_id=post_id).count())
    ThreadSubscription.objects.filter(user=user).delete()
    CategorySubscription.objects.filter(user=user).delete()
    ThreadRead.objects.filter(user=user).delete()
    DigestItem.objects.filter(user=user).delete()
    NotificationSetting.objects.filter(user=user).delete()
    threads = set(Post.objects.filter(author=user).values_list("thread_id", flat=True))
    if name:
        _quote_headers_rewrite(user=user, name=name, former=_former_in_markdown(), thread_ids=threads)
        _own_text_unname(user=user, name=name, former=former)
    _attachment_names_unname(user=user)
    for thread in Thread.objects.filter(pk__in=threads):
        thread_reindex(thread=thread)


def _quote_headers_rewrite(*, user: User, name: str, former: str, thread_ids: set[int]) -> None:
    """Unname quotes of the person's posts in other people's replies, and nothing else of their text.

    A quote is always of a post in the same thread, so only threads the person wrote in are
    searched. A quote is a line that is exactly the header, followed by quoted ("> ") lines:
    the header names the person, the quoted lines are a copy of their own text (unnamed like
    their post). The other person's own lines stay as they wrote them.
    """
    quote = re.compile(rf"^{re.escape(_quote_header(name))}[ \t]*\r?\n(?:>[^\n]*(?:\n|$))+", re.MULTILINE)
    own_name = re.compile(re.escape(name), re.IGNORECASE)
    header, replacement = _quote_header(name), _quote_header(former)

    def unname(match: re.Match) -> str:
        block = match.group(0)
        return replacement + own_name.sub(lambda _match: former, block[len(header):])

    others = Post.objects.filter(thread_id__in=thread_ids).exclude(author=user).filter(body__icontains=name)
    for post in others.only("pk", "body"):
        body = quote.sub(unname, post.body)
        if body != post.body:
            Post.objects.filter(pk=post.pk).update(body=body)


def _own_text_unname(*, user: User, name: str, former: str) -> None:
    pattern = re.compile(re.escape(name), re.IGNORECASE)
    in_markdown = _former_in_markdown()
    for post in Post.objects.filter(author=user, body__icontains=name).only("pk", "body"):
        Post.objects.filter(pk=post.pk).update(body=pattern.sub(lambda _match: in_markdown, post.body))
    for thread in Thread.objects.filter(author=user, title__icontains=name).only("pk", "title"):
        Thread.objects.filter(pk=thread.pk).update(title=pattern.sub(former, thread.title)[:TITLE_MAX_LENGTH])


def _attachment_names_unname(*, user: User) -> None:
    parts = [part for part in (user.first_name, user.last_name) if len(part.strip()) >= 2]
    if not parts:
        return
    names = Q()
    for part in parts:
        names |= Q(original_name__icontains=part.strip())
    for attachment in Attachment.objects.filter(names, post__author=user).only("pk", "extension"):
        Attachment.objects.filter(pk=attachment.pk).update(original_name=f"Anhang-{attachment.pk}.{attachment.extension}")
