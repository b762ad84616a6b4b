"""The one place that sends e-mail: queue into the outbox, deliver through Celery.

A message is written to the outbox in the same transaction as the change that causes it
and handed to Celery only after that transaction commits. If the broker is down the
request still succeeds; ``outbox_flush`` (Celery beat) delivers what is waiting.
"""
import base64
import functools
import hashlib
import html
import json
import logging
import os
import re
import smtplib
import socket
import time
import uuid
from collections.abc import Iterable
from contextlib import nullcontext
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.db import connection, transaction
from django.db.models import Case, Q, Value, When
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from .models import OutboxMessage
from .programme import programme_name

logger = logging.getLogger(__name__)
KEY_LENGTH = OutboxMessage._meta.get_field("key").max_length
# Keys outlive every purge, so an address inside a key is replaced by a keyed digest.
EMAIL_IN_KEY = re.compile(r"[^\s:@]+@[^\s:@]+")


def on_site(url: str) -> str:
    """``url`` on the site's address (``SITE_URL``): a link a library builds from the request's host (allauth's
    confirmation and reset links) points where every other link of a mail points, whichever host was asked."""
    from urllib.parse import urlsplit, urlunsplit

    parts, site = urlsplit(url), urlsplit(settings.SITE_URL)
    return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, parts.fragment))


def recipient_language(user=None, *, default: str = "") -> str:
    """The language a person's mails are written in: theirs if known, else ``default`` or the site's."""
    return getattr(user, "language", "") or default or settings.LANGUAGE_CODE


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(60 * 2**attempts, 6 * 3600))


def mail_queue(
    *,
    key: str,
    to: str,
    template: str,
    context: dict | None = None,
    attachments: list[dict] | None = None,
    headers: dict | None = None,
    language: str,
    purge_after_send: bool = False,
) -> OutboxMessage:
    """Render ``templates/email/<template>.{subject.txt,txt,html}`` into the outbox in ``language``.

    ``language`` is the recipient's: ``user.language`` for a person, ``settings.LANGUAGE_CODE``
    for the staff addresses; a language the site does not offer falls back to that.

    ``key`` is unique: queueing the same key again returns the stored message and sends
    nothing new. Attachments are dicts with ``filename``, ``content`` (str, or bytes for
    binary files) and ``mimetype``. ``purge_after_send`` blanks recipient and content as
    soon as the message is sent.
    """
    return _queue(key=key, to=to, template=template, context=context, attachments=attachments, headers=headers,
                  language=language, purge_after_send=purge_after_send)[0]


def _queue(*, key: str, template: str, context: dict | None, language: str, **stored) -> tuple[OutboxMessage, bool]:
    """The message under ``key`` and whether it is new: the one stored before, or this one rendered and stored."""
    key = _safe_key(key)
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing:
        return existing, False
    subject, body_text, body_html = mail_render(template=template, context=context, language=language)
    return _store(key=key, subject=subject, body_text=body_text, body_html=body_html, **stored), True


def mail_staff(*, key: str, template: str, context: dict | None = None) -> None:
    """A notice to the programme's staff addresses (``STAFF_NOTIFICATION_EMAILS``), each in the site's first
    language, once per ``key`` and address."""
    for address in settings.STAFF_NOTIFICATION_EMAILS:
        mail_queue(key=f"{key}:{address}", to=address, template=template, context=context,
                   language=settings.LANGUAGE_CODE)


def mail_queue_once(*, key: str, **kwargs) -> bool:
    """``mail_queue``, answering whether the message is new: False when the key was queued before (a daily
    reminder that already went out), so callers count what they sent without asking the outbox themselves."""
    kwargs.setdefault("context", None)
    return _queue(key=key, **kwargs)[1]


def mail_queue_bulk(messages: Iterable[dict], *, batch_size: int = 500) -> list[OutboxMessage]:
    """Queue many mails with one lookup and one insert per ``batch_size``: the fan-out of a notification.

    Each message is a dict of ``mail_queue``'s arguments (``key``, ``to``, ``template``, ``context``,
    ``headers``, ``language`` — the recipient's — and optionally ``purge_after_send``); each is rendered
    in its own language. Keys stay unique: a key already queued (or twice in ``messages``) is
    skipped, so running the same fan-out again sends nothing new. Returns the messages stored now.
    """
    wanted: dict[str, dict] = {}
    for message in messages:
        wanted.setdefault(_safe_key(message["key"]), message)
    if not wanted:
        return []
    existing = set(OutboxMessage.objects.filter(key__in=list(wanted)).values_list("key", flat=True))
    rows = []
    for key, message in wanted.items():
        if key in existing:
            continue
        subject, body_text, body_html = mail_render(template=message["template"], context=message.get("context"),
                                                    language=message["language"])
        rows.append(OutboxMessage(key=key, to=message["to"], subject=subject[:300], body_text=body_text,
                                  body_html=body_html, attachments=[], headers=message.get("headers") or {},
                                  purge_after_send=message.get("purge_after_send", False)))
    if not rows:
        return []
    with transaction.atomic():
        # A concurrent run may have queued some of the keys meanwhile: those rows are skipped, and the
        # stored ones are read back by key (ignore_conflicts returns no primary keys).
        OutboxMessage.objects.bulk_create(rows, batch_size=batch_size, ignore_conflicts=True)
        created = list(OutboxMessage.objects.filter(key__in=[row.key for row in rows]).only("pk", "key"))
    from .tasks import deliver_outbox_message  # the tasks module imports this one

    for message in created:
        deliver_outbox_message.delay_on_commit(message.pk)
    return created


def mail_render(*, template: str, context: dict | None = None, language: str = "de") -> tuple[str, str, str]:
    """Subject, plain text and HTML of ``templates/email/<template>.*`` as ``mail_queue`` stores them
    (a preview renders through here too, so it shows exactly what would be sent)."""
    ctx = {
        "site_url": settings.SITE_URL,
        "PROGRAMME_NAME": programme_name(),
        "MINISTRY_NAME": settings.MINISTRY_NAME,
        "PROGRAMME_OPERATOR": settings.PROGRAMME_OPERATOR,
        "PROGRAMME_CONTACT_EMAIL": settings.PROGRAMME_CONTACT_EMAIL,
        **(context or {}),
    }
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        subject = " ".join(render_to_string(f"email/{template}.subject.txt", ctx).split())
        body_text = render_to_string(f"email/{template}.txt", ctx).strip()
        body_html = render_to_string(f"email/{template}.html", ctx).strip()
    return subject, body_text, body_html


def _safe_key(key: str) -> str:
    def digest(match: re.Match) -> str:
        return "mail-" + salted_hmac("outbox-key", match.group(0).lower()).hexdigest()[:20]

    return EMAIL_IN_KEY.sub(digest, key)[:KEY_LENGTH]


def mail_queue_rendered(*, key: str, to: str, subject: str, body_text: str, body_html: str = "",
                        headers: dict | None = None, purge_after_send: bool = False) -> OutboxMessage:
    """Queue a message already rendered elsewhere (allauth renders its own mails)."""
    return _store(key=key, to=to, subject=subject, body_text=body_text, body_html=body_html,
                  attachments=None, headers=headers, purge_after_send=purge_after_send)


def _store(*, key, to, subject, body_text, body_html, attachments=None, headers=None,
           purge_after_send: bool = False) -> OutboxMessage:
    stored_attachments = []
    for att in attachments or []:
        content = att["content"]
        is_binary = isinstance(content, bytes)
        stored_attachments.append({
            "filename": att["filename"],
            "mimetype": att.get("mimetype", "application/octet-stream"),
            "base64": is_binary,
            "content": base64.b64encode(content).decode() if is_binary else content,
        })
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            key=_safe_key(key),
            defaults={
                "to": to, "subject": subject[:300], "body_text": body_text, "body_html": body_html,
                "attachments": stored_attachments, "headers": headers or {},
                "purge_after_send": purge_after_send,
            },
        )
    if created:
        from .tasks import deliver_outbox_message  # the tasks module imports this one

        # Published after commit, never blocking or raising when the broker is down
        # (mentoring.celery.Task); outbox_flush delivers what was not handed over.
        deliver_outbox_message.delay_on_commit(message.pk)
    return message


def one_click_unsubscribe_headers(path: str) -> dict:
    """``List-Unsubscribe`` (RFC 2369) with RFC 8058's one-click: the mail client POSTs
    ``List-Unsubscribe=One-Click`` to the site path ``path``, which must act at once without login."""
    return {"List-Unsubscribe": f"<{settings.SITE_URL}{path}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def outbox_message_id(key: str) -> str:
    """The RFC 5322 msg-id of the outbox message with this key: the same on every attempt."""
    token = hashlib.sha256(key.encode()).hexdigest()[:40]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or DNS_NAME.get_fqdn()
    return f"<outbox.{token}@{domain.encode('idna').decode('ascii')}>"


def _email(message: OutboxMessage, connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.body_text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to], headers={"Message-ID": outbox_message_id(message.key), **message.headers},
        # Mails say "reply to this e-mail"; the sender is a no-reply address, so answers go to the
        # Koordinationsstelle (a message's own Reply-To header wins).
        reply_to=[settings.PROGRAMME_CONTACT_EMAIL] if settings.PROGRAMME_CONTACT_EMAIL else None,
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for att in message.attachments:
        content = base64.b64decode(att["content"]) if att.get("base64") else att["content"]
        email.attach(att["filename"], content, att["mimetype"])
    return email


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS)


def _due(now):
    """Waiting messages whose next attempt is due and that no live worker has claimed."""
    return (
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - _lease()))
    )


def _worker_id() -> str:
    """Names one claim: host and process for staff looking at a stuck row, plus a unique part."""
    return f"{socket.gethostname()[:50]}:{os.getpid()}:{uuid.uuid4().hex[:16]}"


def outbox_claim(*, worker: str, limit: int, pks: Iterable[int] | None = None,
                 first_pk: int | None = None) -> list[OutboxMessage]:
    """Claim up to ``limit`` due messages for ``worker``, oldest first (``first_pk`` before all).

    The rows are locked only for this short transaction: on PostgreSQL ``FOR UPDATE SKIP
    LOCKED`` lets workers claim side by side; everywhere the claim itself is one conditional
    UPDATE that checks again that the row is still due and unclaimed, so two workers never
    hold the same message (SQLite serialises that UPDATE). ``pks`` limits the claim to those.
    """
    now = timezone.now()
    candidates = _due(now)
    if pks is not None:
        candidates = candidates.filter(pk__in=list(pks))
    order = ["created_at", "pk"]
    if first_pk is not None:
        order.insert(0, Case(When(pk=first_pk, then=Value(0)), default=Value(1)))
    candidates = candidates.order_by(*order)
    skip_locked = connection.features.has_select_for_update_skip_locked
    # SQLite has no row locks: its SELECT stays outside a transaction, so that two workers never
    # both hold a read lock they cannot upgrade; the UPDATE below decides alone.
    with transaction.atomic() if skip_locked else nullcontext():
        if skip_locked:
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        chosen = list(candidates.values_list("pk", flat=True)[:limit])
        if not chosen:
            return []
        _due(now).filter(pk__in=chosen).update(claimed_at=now, claimed_by=worker)
    claimed = list(OutboxMessage.objects.filter(claimed_by=worker, status=OutboxMessage.Status.PENDING)
                   .order_by("created_at", "pk"))
    claimed.sort(key=lambda message: message.pk != first_pk)
    return claimed


# How old the batch's view of withdrawn and erased messages may be when a send starts.
RECHECK_SECONDS = 0.1
# Answers after which the SMTP session is still usable: the server refused this one message.
KEEPS_CONNECTION = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def _record_sent(message: OutboxMessage, now) -> None:
    """One statement, so recipient and content of a purge_after_send message are blanked in
    the same transaction that records it sent. A message withdrawn meanwhile stays withdrawn.

    Written as SQL prepared once: this runs after every message, and building the same UPDATE
    through the ORM each time cost more than the database round trip itself."""
    sql, constants = _sent_statement(connection.vendor, message.purge_after_send)
    stamp = OutboxMessage._meta.get_field("sent_at").get_db_prep_save(now, connection)
    params = [stamp if value is _NOW else value for value in constants]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, message.pk, OutboxMessage.Status.PENDING.value])


_NOW = object()


@functools.cache
def _sent_statement(vendor: str, purge: bool) -> tuple[str, list]:
    """The UPDATE that records a message sent, and its values (``_NOW`` for the time)."""
    values = {"status": OutboxMessage.Status.SENT.value, "sent_at": _NOW, "last_error": "",
              "next_attempt_at": None, "claimed_at": None, "claimed_by": ""}
    if purge:
        values.update(PURGED_FIELDS, purged_at=_NOW)
    quote = connection.ops.quote_name
    assignments, constants = [], []
    for name, value in values.items():
        field = OutboxMessage._meta.get_field(name)
        assignments.append(f"{quote(field.column)} = %s")
        constants.append(value if value is _NOW else field.get_db_prep_save(value, connection))
    attempts = quote(OutboxMessage._meta.get_field("attempts").column)
    assignments.append(f"{attempts} = {attempts} + 1")
    pk, status = OutboxMessage._meta.pk.column, OutboxMessage._meta.get_field("status").column
    # Only quoted names from the model's metadata go into the text; every value is a parameter.
    sql = (f"UPDATE {quote(OutboxMessage._meta.db_table)} SET {', '.join(assignments)} "  # noqa: S608
           f"WHERE {quote(pk)} = %s AND {quote(status)} = %s")
    return sql, constants


def _record_failures(failures: dict[int, Exception], *, worker: str) -> None:
    """Failed attempts in one bulk update: backoff, or failed for good after the last attempt."""
    if not failures:
        return
    now = timezone.now()
    with transaction.atomic():
        messages = list(OutboxMessage.objects.select_for_update()
                        .filter(pk__in=failures, claimed_by=worker, status=OutboxMessage.Status.PENDING))
        for message in messages:
            exc = failures[message.pk]
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.claimed_at, message.claimed_by = None, ""
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
                logger.error("Outbox message %s failed for good: %s", message.pk, message.last_error)
            else:
                message.next_attempt_at = now + _backoff(message.attempts)
        OutboxMessage.objects.bulk_update(
            messages, ["attempts", "last_error", "claimed_at", "claimed_by", "status", "next_attempt_at"])
        outbox_purge(messages=OutboxMessage.objects.filter(
            pk__in=[m.pk for m in messages if m.purge_after_send and m.status == OutboxMessage.Status.FAILED]))


def outbox_send_batch(*, limit: int | None = None, pks: Iterable[int] | None = None,
                      first_pk: int | None = None) -> tuple[int, set[int]]:
    """Claim a batch of due messages and send it over one SMTP connection.

    Returns how many were sent and the primary keys of those attempted. No row lock is held
    while the SMTP server answers (``EMAIL_TIMEOUT`` bounds each wait): rows are locked only to
    claim them and to record a result. Each message is recorded sent as soon as the server took
    it, so a worker that dies leaves at most the message in flight unrecorded; its claim (and
    those of the messages it had not reached) lapse after ``OUTBOX_CLAIM_LEASE_SECONDS`` and
    another worker sends them, the one in flight possibly a second time with the same
    Message-ID. Failures are recorded together at the end. The batch's rows are read again
    before a send whenever ``RECHECK_SECONDS`` have passed: a message withdrawn or erased
    meanwhile is not sent (one withdrawn within that fraction of a second before its turn still
    can be, like the message in the SMTP dialogue; a query per message would cost as much as
    sending it).
    """
    worker = _worker_id()
    messages = outbox_claim(worker=worker, limit=limit or settings.OUTBOX_BATCH_SIZE, pks=pks, first_pk=first_pk)
    if not messages:
        return 0, set()
    # Start no send that could end after the lease: another worker may take the rest over then.
    stop_at = messages[0].claimed_at + _lease() - timedelta(seconds=3 * (settings.EMAIL_TIMEOUT or 0))
    mail_connection = get_connection()
    is_open, open_error, in_flight = False, None, None
    sent, attempted, failures = 0, set(), {}
    still_claimed, checked_at = {m.pk for m in messages}, time.monotonic()
    fast_commit = connection.vendor == "postgresql" and not settings.OUTBOX_SYNCHRONOUS_COMMIT
    if fast_commit:
        _set_synchronous_commit("off")
    try:
        for message in messages:
            if timezone.now() >= stop_at:
                logger.warning("Outbox batch %s stopped before its lease ended; the rest waits.", worker)
                break
            if time.monotonic() >= checked_at + RECHECK_SECONDS:
                still_claimed = set(OutboxMessage.objects.filter(claimed_by=worker, status=OutboxMessage.Status.PENDING)
                                    .values_list("pk", flat=True))
                checked_at = time.monotonic()
            if message.pk not in still_claimed:
                continue  # withdrawn or erased since the claim
            attempted.add(message.pk)
            if open_error is None and not is_open:
                try:
                    mail_connection.open()
                    is_open = True
                except Exception as exc:  # unreachable server: every message of the batch failed
                    open_error = exc
            if open_error is not None:
                failures[message.pk] = open_error
                continue
            in_flight = message.pk
            try:
                _email(message, mail_connection).send()
            except Exception as exc:
                failures[message.pk] = exc
                if not isinstance(exc, KEEPS_CONNECTION):
                    _close(mail_connection)
                    is_open = False
            else:
                _record_sent(message, timezone.now())
                sent += 1
            in_flight = None
    finally:
        if fast_commit:
            _set_synchronous_commit("on")
        if is_open:
            _close(mail_connection)
        _record_failures(failures, worker=worker)
        # Messages not reached go back at once; one whose send was cut off stays claimed until
        # the lease lapses (the server may have taken it).
        OutboxMessage.objects.filter(claimed_by=worker, status=OutboxMessage.Status.PENDING).exclude(
            pk=in_flight).update(claimed_at=None, claimed_by="")
    return sent, attempted


def _set_synchronous_commit(value: str) -> None:
    """PostgreSQL: whether a commit waits for its WAL record to reach the disk (``on``) or
    returns at once (``off``, flushed by the WAL writer within a fraction of a second).

    A record committed with ``off`` is visible to every session at once and survives the death
    of the worker; only a crash of the database server itself can forget the last such records,
    and those messages are sent again with the same Message-ID. That saves a disk flush per
    message, which would otherwise cost more than sending it over an open SMTP connection.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SET synchronous_commit TO {value}")


def _close(mail_connection) -> None:
    try:
        mail_connection.close()
    except Exception:  # the session is gone anyway
        logger.debug("Closing the SMTP connection failed", exc_info=True)


def outbox_deliver(*, message_pk: int, with_due: bool = False) -> OutboxMessage | None:
    """Send one waiting message; returns the message if an attempt was made.

    With ``with_due`` the same connection also takes the other due messages (up to
    ``OUTBOX_BATCH_SIZE``): the Celery worker does this, so that a burst of mails (a letter to
    everyone) shares connections, and the tasks of messages sent that way find nothing to do.

    Delivery is at least once: a worker that dies after the SMTP server took the message but
    before the row is saved leaves it waiting, and the next attempt sends it again. Both copies
    carry the same Message-ID (derived from the key), by which mail servers and clients can
    recognise the duplicate; only the message in flight can arrive twice.
    """
    if with_due:
        _sent, attempted = outbox_send_batch(first_pk=message_pk)
    else:
        _sent, attempted = outbox_send_batch(pks=[message_pk], limit=1)
    if message_pk not in attempted:
        return None
    return OutboxMessage.objects.filter(pk=message_pk).first()


def outbox_retry(*, message_pks: Iterable[int]) -> int:
    """Staff send waiting or finally failed messages now (admin's "Jetzt (erneut) senden"); how many went out.

    Sent and withdrawn messages stay as they are, and so does a purged one: it has no recipient left.
    """
    pks = list(OutboxMessage.objects.filter(
        pk__in=list(message_pks), status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED],
        purged_at__isnull=True).values_list("pk", flat=True))
    OutboxMessage.objects.filter(pk__in=pks).update(status=OutboxMessage.Status.PENDING, next_attempt_at=None)
    sent = 0
    for pk in pks:
        result = outbox_deliver(message_pk=pk)
        sent += bool(result and result.status == OutboxMessage.Status.SENT)
    return sent


def outbox_due_pks(*, limit: int = 500) -> list[int]:
    """Waiting messages whose next attempt is due, oldest first."""
    return list(_due(timezone.now()).order_by("created_at", "pk").values_list("pk", flat=True)[:limit])


def outbox_flush() -> int:
    """Deliver every waiting message that is due (broker was down, SMTP failed before), batch by
    batch, each over one connection; how many went out."""
    total = 0
    while True:
        sent, attempted = outbox_send_batch()
        total += sent
        if not attempted:
            return total


# What a purge blanks: everything that can name a person. Key, status and times stay.
PURGED_FIELDS = {"to": "", "subject": "", "body_text": "", "body_html": "", "attachments": [], "headers": {},
                 "last_error": ""}


def outbox_withdraw(*, key_prefixes: Iterable[str] = (), keys: Iterable[str] = ()) -> int:
    """Messages not sent yet whose cause is gone (a forum post hidden by moderation) are not
    sent: they stay as withdrawn rows without content, so the same key never mails later.
    Only a message a worker is sending at this moment can still go out. ``keys`` names whole keys,
    ``key_prefixes`` the beginnings of keys."""
    prefixes = [_safe_key(prefix) for prefix in key_prefixes]
    exact = [_safe_key(key) for key in keys]
    if not prefixes and not exact:
        return 0
    match = Q(key__in=exact)
    for prefix in prefixes:
        match |= Q(key__startswith=prefix)
    with transaction.atomic():
        pks = list(OutboxMessage.objects.select_for_update().filter(match, status=OutboxMessage.Status.PENDING)
                   .values_list("pk", flat=True))
        withdrawn = OutboxMessage.objects.filter(pk__in=pks)
        withdrawn.update(status=OutboxMessage.Status.WITHDRAWN)
        outbox_purge(messages=withdrawn)
    return len(pks)


def outbox_purge(*, messages) -> int:
    """Blank recipient and content of ``messages`` (a queryset); returns how many were purged."""
    return messages.filter(purged_at__isnull=True).update(purged_at=timezone.now(), **PURGED_FIELDS)


def outbox_purge_expired(*, now=None) -> int:
    """Sent and finally failed mails lose their content after ``OUTBOX_RETENTION_DAYS``."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    expired = OutboxMessage.objects.filter(
        Q(status=OutboxMessage.Status.SENT, sent_at__lte=cutoff)
        | Q(status=OutboxMessage.Status.FAILED, created_at__lte=cutoff))
    return outbox_purge(messages=expired)


def _message_text(message: OutboxMessage) -> str:
    """Everything a message holds as one case-folded text, HTML and JSON escapes undone."""
    parts = [message.to, message.subject, message.body_text, html.unescape(message.body_html), message.last_error,
             json.dumps(message.headers, ensure_ascii=False)]
    for attachment in message.attachments:
        parts.append(attachment.get("filename", ""))
        content = attachment.get("content", "")
        if attachment.get("base64"):
            content = base64.b64decode(content).decode("utf-8", errors="ignore")
        parts.append(content)
    return "\n".join(parts).casefold()


def outbox_erase_keys(*, key_prefixes: Iterable[str]) -> tuple[int, int]:
    """The messages of erased records (a report, a check-in: their keys begin with ``key_prefixes``):
    deleted while waiting, purged once sent, as ``outbox_erase_person`` does. Returns (deleted, purged)."""
    prefixes = [_safe_key(prefix) for prefix in key_prefixes]
    deleted = purged = 0
    for start in range(0, len(prefixes), 200):  # a few hundred ORed terms per query: SQLite limits the depth
        match = Q()
        for prefix in prefixes[start:start + 200]:
            match |= Q(key__startswith=prefix)
        messages = OutboxMessage.objects.filter(match)
        deleted += messages.filter(status=OutboxMessage.Status.PENDING).delete()[0]
        purged += outbox_purge(messages=messages)
    return deleted, purged


def outbox_erase_person(*, identifiers: Iterable[str]) -> tuple[int, int]:
    """Every message to a person or naming them: deleted while waiting, purged once sent.

    ``identifiers`` are the person's addresses, name and phone number. Returns
    (deleted, purged).
    """
    needles = [i.casefold() for i in identifiers if i]
    if not needles:
        return 0, 0
    hits = []
    for message in OutboxMessage.objects.filter(purged_at__isnull=True).iterator(chunk_size=500):
        text = _message_text(message)
        if any(needle in text for needle in needles):
            hits.append((message.pk, message.status))
    waiting = [pk for pk, status in hits if status == OutboxMessage.Status.PENDING]
    done = [pk for pk, status in hits if status != OutboxMessage.Status.PENDING]
    deleted, _ = OutboxMessage.objects.filter(pk__in=waiting).delete()
    return deleted, outbox_purge(messages=OutboxMessage.objects.filter(pk__in=done))
