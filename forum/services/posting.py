"""Posting: threads, replies, quotes, edits and their attachments."""
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Topic, User
from mentoring.kernel import privacy
from mentoring.kernel.mail import recipient_language
from mentoring.kernel.markdown import render_markdown_stored

from .. import access
from ..models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    Attachment,
    Category,
    Post,
    Thread,
    ThreadRead,
    ThreadSubscription,
)
from ..uploads import MAX_ATTACHMENTS_PER_POST, download_name, validate_upload
from . import notifications
from .errors import ForumActionError
from .search import thread_reindex


def thread_create(*, author: User, category: Category, title: str, kind: str, topics: Iterable[Topic],
                  body: str, files: Iterable = (), notify: bool = True) -> Thread:
    """Open a thread with its first post; the author follows it and category followers hear of it.

    ``notify=False`` only for loading content (demo data), where nobody should be mailed.
    """
    if not access.visible_categories(author).filter(pk=category.pk).exists():
        raise ForumActionError(_("Diese Kategorie gibt es nicht."))
    if not access.can_start_thread(author, category):
        raise ForumActionError(_("In dieser Kategorie eröffnet nur das Programmteam neue Themen."))
    title = " ".join((title or "").split())
    if not TITLE_MIN_LENGTH <= len(title) <= TITLE_MAX_LENGTH:
        raise ForumActionError(_("Der Titel braucht 5 bis %(max)d Zeichen.") % {"max": TITLE_MAX_LENGTH})
    if kind not in Thread.Kind.values:
        raise ForumActionError(_("Diese Art von Beitrag gibt es nicht."))
    with _FilesRemovedOnError() as stored, transaction.atomic():
        now = timezone.now()
        thread = Thread.objects.create(category=category, title=title, kind=kind, author=author,
                                       last_post_at=now, post_count=0, language=recipient_language(author))
        thread.topics.set(topics)
        _post_add(thread=thread, author=author, body=body, files=files, is_first=True, stored=stored, notify=notify)
    return thread


def post_create(*, author: User, thread: Thread, body: str, files: Iterable = (), notify: bool = True) -> Post:
    """A reply; followers of the thread and its category get one mail each (or a digest entry)."""
    with _FilesRemovedOnError() as stored, transaction.atomic():
        thread = Thread.objects.select_for_update().select_related("category").get(pk=thread.pk)
        if not access.visible_threads(author).filter(pk=thread.pk).exists():
            raise ForumActionError(_("Dieses Thema gibt es nicht."))
        if not access.can_reply(author, thread):
            raise ForumActionError(_("Dieses Thema ist gesperrt; Antworten sind nicht mehr möglich."))
        post = _post_add(thread=thread, author=author, body=body, files=files, is_first=False, stored=stored,
                         notify=notify)
    return post


def quote_header(name: str) -> str:
    return _("%(name)s schrieb:") % {"name": name}


def former_in_markdown() -> str:
    # Post bodies are Markdown: the gender stars of "ehemalige*r Teilnehmer*in" would render as emphasis.
    return str(privacy.FORMER_PARTICIPANT).replace("*", "\\*")


def quote_text(post: Post) -> str:
    """The start of a reply that quotes ``post``: a header naming its author, then the text as a quote."""
    name = post.author.get_full_name() if post.author else former_in_markdown()
    quote = "\n".join(f"> {line}" for line in post.body.splitlines())
    return f"{quote_header(name)}\n{quote}\n\n"


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ForumActionError(_("Bitte schreiben Sie einen Text."))
    if len(body) > BODY_MAX_LENGTH:
        raise ForumActionError(_("Der Text ist zu lang (höchstens %(max)d Zeichen).") % {"max": BODY_MAX_LENGTH})
    return body


def _post_add(*, thread: Thread, author: User, body: str, files: Iterable, is_first: bool,
              stored: list[str], notify: bool) -> Post:
    """Write a post with its files; its author follows the thread and its followers hear of it."""
    body = _clean_body(body)
    files = list(files)
    if len(files) > MAX_ATTACHMENTS_PER_POST:
        raise ForumActionError(_("Höchstens %(max)d Anhänge pro Beitrag.") % {"max": MAX_ATTACHMENTS_PER_POST},
                               field="attachments")
    # Without notifications (loading content) nothing is pending for the catch-up run.
    post = Post.objects.create(thread=thread, author=author, body=body, body_html=render_markdown_stored(body),
                               is_first=is_first, notified_at=None if notify else timezone.now(),
                               language=recipient_language(author))
    for upload in files:
        attachment_add(post=post, upload=upload, stored=stored)
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1, last_post_at=post.created_at)
    # One upsert each, whether or not the row is there: a reply's request stays a few queries.
    ThreadRead.objects.bulk_create([ThreadRead(thread=thread, user=author, read_at=post.created_at)],
                                   update_conflicts=True, unique_fields=["thread", "user"], update_fields=["read_at"])
    thread_reindex(thread=thread)
    ThreadSubscription.objects.bulk_create([ThreadSubscription(thread=thread, user=author)], ignore_conflicts=True)
    if notify:
        notifications.post_notify_after_commit(post=post)
    return post


def attachment_add(*, post: Post, upload, stored: list[str] | None = None) -> Attachment:
    """Store one file after checking its content; a forbidden file is refused (``ForumActionError`` next to the
    attachments).

    ``stored`` collects the names written to disk so that a caller can remove them on rollback.
    """
    try:
        mime, extension = validate_upload(upload)
    except ValidationError as error:
        raise ForumActionError(" ".join(error.messages), field="attachments") from None
    attachment = Attachment(post=post, original_name=download_name(upload.name, mime), extension=extension,
                            content_type=mime, size=upload.size)
    attachment.file.save(upload.name, upload, save=False)
    if stored is not None:
        stored.append(attachment.file.name)
    attachment.save()
    return attachment


def attachment_file_delete(*, attachment: Attachment) -> None:
    """A deleted attachment's stored file goes too, once the deletion is committed (a post or thread deleted in
    the admin must not leave the file in storage, unreachable but never erased)."""
    name = attachment.file.name
    if name:
        transaction.on_commit(lambda: Attachment.file.field.storage.delete(name))


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
        post.body, post.body_html = body, render_markdown_stored(body)
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "body_html", "edited_at"])
        thread_content_changed(thread_ids=[post.thread_id])
        thread_reindex(thread=post.thread)
    return post


def thread_content_changed(*, thread_ids: Iterable[int]) -> None:
    """A post of these threads changed (not a new one): their cached post lists are stale."""
    Thread.objects.filter(pk__in=list(thread_ids)).update(content_version=F("content_version") + 1)


def post_body_set(*, post_pk: int, body: str) -> None:
    """Replace a post's text without further checks (the privacy erasure), its stored HTML with it."""
    Post.objects.filter(pk=post_pk).update(body=body, body_html=render_markdown_stored(body))


def posts_rerender(*, batch_size: int = 500) -> int:
    """Render every post's stored HTML again (the sanitising policy changed); returns how many changed.

    Reads the posts in batches through an iterator and writes only those whose HTML differs.
    """
    changed, threads, batch = 0, set(), []

    def flush():
        nonlocal batch
        if batch:
            with transaction.atomic():
                Post.objects.bulk_update(batch, ["body_html"])
                thread_content_changed(thread_ids={post.thread_id for post in batch})
            batch = []

    for post in Post.objects.only("pk", "thread_id", "body", "body_html").order_by("pk").iterator(
            chunk_size=batch_size):
        html = render_markdown_stored(post.body)
        if html != post.body_html:
            post.body_html = html
            batch.append(post)
            threads.add(post.thread_id)
            changed += 1
            if len(batch) >= batch_size:
                flush()
    flush()
    return changed
