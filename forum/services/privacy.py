"""Personal data in the forum: DSGVO export and erasure."""
import re

from django.db.models import Q

from accounts.models import User
from accounts.privacy import identifiers as account_identifiers
from mentoring.kernel import privacy
from mentoring.kernel.mail import outbox_erase_keys
from mentoring.kernel.privacy import moment

from ..models import (
    TITLE_MAX_LENGTH,
    Attachment,
    CategoryRead,
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
from .marks import helpful_recount
from .posting import former_in_markdown, post_body_set, quote_header, thread_content_changed
from .search import thread_reindex
from .subscriptions import notification_mode


def personal_data(*, user: User) -> dict:
    """Every forum row that belongs to or names the person (DSGVO export)."""
    posts = (Post.objects.filter(author=user).select_related("thread__category")
             .prefetch_related("attachments").order_by("created_at", "pk"))
    return {
        "themen": [{"titel": t.title, "kategorie": t.category.label, "art": t.get_kind_display(),
                    "eroeffnet_am": moment(t.created_at)}
                   for t in Thread.objects.filter(author=user).select_related("category").order_by("pk")],
        "beitraege": [{"thema": p.thread.title, "kategorie": p.thread.category.label, "text": p.body,
                       "verfasst_am": moment(p.created_at), "bearbeitet_am": moment(p.edited_at),
                       "ausgeblendet": p.is_hidden,
                       "anhaenge": [{"name": a.original_name, "typ": a.content_type, "groesse": a.size,
                                     "hochgeladen_am": moment(a.uploaded_at)} for a in p.attachments.all()]}
                      for p in posts],
        "hilfreich_markiert": [{"thema": m.post.thread.title, "am": moment(m.created_at)} for m in
                               HelpfulMark.objects.filter(user=user).select_related("post__thread").order_by("pk")],
        "abonnierte_themen": [{"thema": s.thread.title, "seit": moment(s.created_at)} for s in
                              ThreadSubscription.objects.filter(user=user).select_related("thread").order_by("pk")],
        "abonnierte_kategorien": [{"kategorie": s.category.label, "seit": moment(s.created_at)} for s in
                                  CategorySubscription.objects.filter(user=user).select_related("category")
                                  .order_by("pk")],
        "benachrichtigung": str(NotificationSetting.Mode(notification_mode(user)).label),
        "wartend_fuer_tageszusammenfassung": [
            {"thema": d.post.thread.title, "seit": moment(d.created_at)}
            for d in DigestItem.objects.filter(user=user).select_related("post__thread").order_by("pk")],
        "gelesen": [{"thema": r.thread.title, "gelesen_bis": moment(r.read_at)} for r in
                    ThreadRead.objects.filter(user=user).select_related("thread").order_by("pk")],
        "kategorien_gelesen": [{"kategorie": r.category.label, "gelesen_bis": moment(r.read_at)} for r in
                               CategoryRead.objects.filter(user=user).select_related("category").order_by("pk")],
        "meldungen": [{"thema": r.post.thread.title, "grund": r.reason, "gemeldet_am": moment(r.created_at),
                       "erledigt_am": moment(r.resolved_at)}
                      for r in Report.objects.filter(reporter=user).select_related("post__thread").order_by("pk")],
        "moderation": {
            "ausgeblendete_beitraege": [{"thema": p.thread.title, "ausgeblendet_am": moment(p.hidden_at)} for p in
                                        Post.objects.filter(hidden_by=user).select_related("thread").order_by("pk")],
            "erledigte_meldungen": [{"thema": r.post.thread.title, "erledigt_am": moment(r.resolved_at)} for r in
                                    Report.objects.filter(resolved_by=user).select_related("post__thread")
                                    .order_by("pk")],
        },
    }


def personal_data_erase(*, user: User) -> None:
    """Erase the person from the forum; runs inside the account deletion, before the user row goes.

    Their reports (free text, and the moderators' notices that carry it), subscriptions, read markers, marks,
    waiting digest entries and setting are deleted. Their threads and posts stay for the conversations of
    others, shown as ``FORMER_PARTICIPANT`` once the user row is gone (the foreign keys are SET_NULL).
    Text that names them becomes ``FORMER_PARTICIPANT``: quote headers ("Name schrieb:") in other people's
    replies; in their own posts and titles their name (the surname alone too), addresses and phone number; in
    anyone's post their full name either way round, their addresses and phone number ("@Paul Fuchs"). A first
    name alone in someone else's words stays. Attachment names on their posts that contain their first or last
    name become "Anhang-<id>". Every thread touched is reindexed, so the search no longer finds them.
    """
    name = user.get_full_name().strip()
    identifiers = account_identifiers(user)
    former = str(privacy.FORMER_PARTICIPANT)
    marked_posts = list(HelpfulMark.objects.filter(user=user).values_list("post_id", flat=True))
    reports = Report.objects.filter(reporter=user)
    # The moderators' notices carry the report's text: they go with it.
    outbox_erase_keys(key_prefixes=[f"forum-report:{pk}:" for pk in reports.values_list("pk", flat=True)])
    reports.delete()
    HelpfulMark.objects.filter(user=user).delete()
    helpful_recount(marked_posts)
    ThreadSubscription.objects.filter(user=user).delete()
    CategorySubscription.objects.filter(user=user).delete()
    ThreadRead.objects.filter(user=user).delete()
    CategoryRead.objects.filter(user=user).delete()
    DigestItem.objects.filter(user=user).delete()
    NotificationSetting.objects.filter(user=user).delete()
    threads = set(Post.objects.filter(author=user).values_list("thread_id", flat=True))
    if name:
        _quote_headers_rewrite(user=user, name=name, former=former_in_markdown(), thread_ids=threads)
    surname = user.last_name.strip()
    _own_text_unname(user=user, needles=[*identifiers, *([surname] if len(surname) >= 3 else [])], former=former)
    threads |= _others_text_unname(user=user, needles=identifiers)
    _attachment_names_unname(user=user)
    # Their posts will name a former participant: the cached post lists of their threads are stale.
    thread_content_changed(thread_ids=threads)
    for thread in Thread.objects.filter(pk__in=threads):
        thread_reindex(thread=thread)


def _quote_headers_rewrite(*, user: User, name: str, former: str, thread_ids: set[int]) -> None:
    """Unname quotes of the person's posts in other people's replies, and nothing else of their text.

    A quote is always of a post in the same thread, so only threads the person wrote in are
    searched. A quote is a line that is exactly the header, followed by quoted ("> ") lines:
    the header names the person, the quoted lines are a copy of their own text (unnamed like
    their post). The other person's own lines stay as they wrote them.
    """
    quote = re.compile(rf"^{re.escape(quote_header(name))}[ \t]*\r?\n(?:>[^\n]*(?:\n|$))+", re.MULTILINE)
    own_name = re.compile(re.escape(name), re.IGNORECASE)
    header, replacement = quote_header(name), quote_header(former)

    def unname(match: re.Match) -> str:
        block = match.group(0)
        return replacement + own_name.sub(lambda _match: former, block[len(header):])

    others = Post.objects.filter(thread_id__in=thread_ids).exclude(author=user).filter(body__icontains=name)
    for post in others.only("pk", "body"):
        body = quote.sub(unname, post.body)
        if body != post.body:
            post_body_set(post_pk=post.pk, body=body)


PHONE_GAP = r"[\s/().\-]*"


def _phone_digits(needle: str) -> str | None:
    """The digits of a phone number ("+49 561 765-4321" → "495617654321"), or None for a name or address."""
    digits = re.sub(r"\D", "", needle)
    return digits if len(digits) >= 6 and not re.search(r"[A-Za-z@]", needle) else None


def _phone_pattern(digits: str) -> str:
    """The number however it is written: with any spaces, slashes, dashes or brackets between its digits, and
    with "0" for the German country code (+49 561 … is also 0561 …)."""
    spellings = {digits}
    for country in ("0049", "49"):
        if digits.startswith(country):
            spellings.add("0" + digits[len(country):])
    return "|".join(r"\+?" + PHONE_GAP.join(spelling) for spelling in sorted(spellings, key=len, reverse=True))


def _naming(needles: list[str]) -> re.Pattern | None:
    """Any of ``needles`` as a whole word, in any case (Python's, so "SIOBHÁN" is found on SQLite too); a phone
    number in any of its spellings."""
    needles = sorted({needle.strip() for needle in needles if needle.strip()}, key=len, reverse=True)
    if not needles:
        return None
    parts = [_phone_pattern(digits) if (digits := _phone_digits(needle)) else re.escape(needle) for needle in needles]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def _candidates(field: str, needles: list[str]) -> Q:
    """A first filter in the database (case-insensitive for ASCII on SQLite; a phone by its last digits); the
    pattern decides."""
    found = Q()
    for needle in needles:
        digits = _phone_digits(needle)
        found |= Q(**{f"{field}__contains": digits[-4:]}) if digits else (
            Q(**{f"{field}__icontains": needle}) | Q(**{f"{field}__icontains": needle.casefold()}))
    return found


def _own_text_unname(*, user: User, needles: list[str], former: str) -> None:
    pattern = _naming(needles)
    if pattern is None:
        return
    in_markdown = former_in_markdown()
    for post in Post.objects.filter(author=user).only("pk", "body"):
        body = pattern.sub(lambda _match: in_markdown, post.body)
        if body != post.body:
            post_body_set(post_pk=post.pk, body=body)
    for thread in Thread.objects.filter(author=user).only("pk", "title"):
        title = pattern.sub(former, thread.title)
        if title != thread.title:
            Thread.objects.filter(pk=thread.pk).update(title=title[:TITLE_MAX_LENGTH])


def _others_text_unname(*, user: User, needles: list[str]) -> set[int]:
    """Other people's posts and thread titles that name the person in full, by address or phone: that mention is
    unnamed, the rest of their words stays. Returns the threads changed."""
    pattern = _naming(needles)
    if pattern is None:
        return set()
    in_markdown, former, changed = former_in_markdown(), str(privacy.FORMER_PARTICIPANT), set()
    for post in Post.objects.filter(_candidates("body", needles)).exclude(author=user).only("pk", "body",
                                                                                            "thread_id"):
        body = pattern.sub(lambda _match: in_markdown, post.body)
        if body != post.body:
            post_body_set(post_pk=post.pk, body=body)
            changed.add(post.thread_id)
    for thread in Thread.objects.filter(_candidates("title", needles)).exclude(author=user).only("pk", "title"):
        title = pattern.sub(former, thread.title)
        if title != thread.title:
            Thread.objects.filter(pk=thread.pk).update(title=title[:TITLE_MAX_LENGTH])
            changed.add(thread.pk)
    return changed


def _plain(text: str) -> str:
    """A name as an upload's file name keeps it: letters and digits, everything else one space, folded case."""
    return " ".join(re.sub(r"[\W_]+", " ", text).casefold().split())


def _attachment_names_unname(*, user: User) -> None:
    parts = [_plain(part) for part in (user.first_name, user.last_name) if len(part.strip()) >= 2]
    if not parts:
        return
    for attachment in Attachment.objects.filter(post__author=user).only("pk", "extension", "original_name"):
        stored = f" {_plain(attachment.original_name)} "
        if any(f" {part} " in stored for part in parts if part):
            Attachment.objects.filter(pk=attachment.pk).update(
                original_name=f"Anhang-{attachment.pk}.{attachment.extension}")
