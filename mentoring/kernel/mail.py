"""The one place that sends e-mail: queue into the outbox, deliver through Celery.

A message is written to the outbox in the same transaction as the change that causes it
and handed to Celery only after that transaction commits. If the broker is down the
request still succeeds; ``outbox_flush`` (Celery beat) delivers what is waiting.
"""
import base64
import hashlib
import html
import json
import logging
import re
from collections.abc import Iterable
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from .models import OutboxMessage

logger = logging.getLogger(__name__)
KEY_LENGTH = OutboxMessage._meta.get_field("key").max_length
# Keys outlive every purge, so an address inside a key is replaced by a keyed digest.
EMAIL_IN_KEY = re.compile(r"[^\s:@]+@[^\s:@]+")


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
    key = _safe_key(key)
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing:
        return existing
    subject, body_text, body_html = mail_render(template=template, context=context, language=language)
    return _store(key=key, to=to, subject=subject, body_text=body_text, body_html=body_html,
                  attachments=attachments, headers=headers, purge_after_send=purge_after_send)


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
    from mentoring.tasks import deliver_outbox_message  # the tasks module imports this one

    for message in created:
        deliver_outbox_message.delay_on_commit(message.pk)
    return created


def mail_render(*, template: str, context: dict | None = None, language: str = "de") -> tuple[str, str, str]:
    """Subject, plain text and HTML of ``templates/email/<template>.*`` as ``mail_queue`` stores them
    (a preview renders through here too, so it shows exactly what would be sent)."""
    ctx = {
        "site_url": settings.SITE_URL,
        "PROGRAMME_NAME": settings.PROGRAMME_NAME,
        "MINISTRY_NAME": settings.MINISTRY_NAME,
        "PROGRAMME_OPERATOR": settings.PROGRAMME_OPERATOR,
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
                        headers: dict | None = None) -> OutboxMessage:
    """Queue a message already rendered elsewhere (allauth renders its own mails)."""
    return _store(key=key, to=to, subject=subject, body_text=body_text, body_html=body_html,
                  attachments=None, headers=headers)


def _store(*, key, to, subject, body_text, body_html, attachments, headers,
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
        from mentoring.tasks import deliver_outbox_message  # the tasks module imports this one

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


def outbox_deliver(*, message_pk: int) -> OutboxMessage | None:
    """Send one waiting message; returns the message if an attempt was made.

    Delivery is at least once: a worker that dies after the SMTP server took the message but
    before the row is saved leaves it waiting, and the next attempt sends it again. Both copies
    carry the same Message-ID (derived from the key), by which mail servers and clients can
    recognise the duplicate; only the message in flight can arrive twice.
    """
    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_pk, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None or (message.next_attempt_at and message.next_attempt_at > now):
            return None
        email = EmailMultiAlternatives(
            subject=message.subject, body=message.body_text, from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to], headers={"Message-ID": outbox_message_id(message.key), **message.headers},
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        for att in message.attachments:
            content = base64.b64decode(att["content"]) if att.get("base64") else att["content"]
            email.attach(att["filename"], content, att["mimetype"])
        message.attempts += 1
        try:
            email.send()
        except Exception as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
                logger.error("Outbox message %s failed for good: %s", message.pk, message.last_error)
            else:
                message.next_attempt_at = now + _backoff(message.attempts)
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = now
            message.last_error = ""
            message.next_attempt_at = None
        message.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
        if message.purge_after_send and message.status != OutboxMessage.Status.PENDING:
            outbox_purge(messages=OutboxMessage.objects.filter(pk=message.pk))
    return message


def outbox_due_pks(*, limit: int = 500) -> list[int]:
    """Waiting messages whose next attempt is due, oldest first."""
    from django.db.models import Q

    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_flush() -> int:
    """Deliver every waiting message that is due (broker was down, SMTP failed before); how many went out."""
    sent = 0
    for pk in outbox_due_pks():
        message = outbox_deliver(message_pk=pk)
        if message is not None and message.status == OutboxMessage.Status.SENT:
            sent += 1
    return sent


# What a purge blanks: everything that can name a person. Key, status and times stay.
PURGED_FIELDS = {"to": "", "subject": "", "body_text": "", "body_html": "", "attachments": [], "headers": {},
                 "last_error": ""}


def outbox_withdraw(*, key_prefixes: Iterable[str]) -> int:
    """Messages not sent yet whose cause is gone (a forum post hidden by moderation) are not
    sent: they stay as withdrawn rows without content, so the same key never mails later.
    Only a message a worker is sending at this moment can still go out."""
    prefixes = [_safe_key(prefix) for prefix in key_prefixes]
    if not prefixes:
        return 0
    match = Q()
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
