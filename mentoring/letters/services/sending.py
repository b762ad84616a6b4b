"""Sending a letter: the group fixed once under a row lock, each recipient mailed once through the outbox.

``letter_send`` moves a draft to "wird versendet" inside a lock on the letter row and stores
the recipient list; a second press, concurrent or later, finds it no longer a draft. The
mails are written by ``letter_deliver`` in batches (at once for small groups, else in a
Celery task after commit). Each mail's outbox key names letter and person, so a repeated or
parallel delivery never mails anyone twice; ``letters_resume`` (beat) finishes deliveries
whose task never ran because the broker was down, or whose worker died.
"""
import uuid
from datetime import timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import rules
from accounts.models import User
from accounts.staff_groups import SEND_ESSENTIAL_LETTER, staff_may
from mentoring.kernel.mail import mail_queue, outbox_withdraw
from mentoring.kernel.models import OutboxMessage

from .. import selectors
from ..models import Letter, LetterRecipient
from .errors import LetterError
from .rendering import letter_language, letter_mail

# Up to this many recipients the mails are written in the request; larger groups go to a worker.
SYNC_LIMIT = 50
BATCH_SIZE = 200
# A letter still "wird versendet" this long after the send lost its task (broker down, worker died).
PICKUP = timedelta(minutes=2)


def letter_may_send(*, letter: Letter, by: User) -> str | None:
    """Why ``by`` may not send ``letter`` now (German), or None if they may."""
    if not staff_may(by, "letters.change_letter"):
        return _("Rundschreiben versenden nur die Koordination und die Gruppe „Veranstaltungen“.")
    if beyond := selectors.criteria_beyond(letter, by):
        return _("Dieses Rundschreiben wählt Empfänger*innen nach Angaben, die nur die Koordination sehen darf "
                 "(%(criteria)s). Bitte bitten Sie die Koordination, es zu versenden.") % {
            "criteria": ", ".join(beyond)}
    if letter.is_essential and not staff_may(by, SEND_ESSENTIAL_LETTER):
        return _("Wichtige Informationen zum Programm an alle darf nur die Gruppe „Koordination“ versenden. "
                 "Bitte versenden Sie das Schreiben als Neuigkeit oder bitten Sie die Koordination darum.")
    if not letter.is_draft:
        return _("Dieses Rundschreiben ist bereits versendet oder wird gerade versendet; es geht an niemanden "
                 "ein zweites Mal.")
    if letter.is_essential and not letter.reason.strip():
        return _("Bitte geben Sie einen Grund an, warum diese Information alle der Gruppe erreichen muss.")
    if not letter.subject_de.strip() or not letter.body_de.strip():
        return _("Betreff und Text der deutschen Fassung fehlen.")
    return None


def letter_send(*, letter: Letter, by: User) -> Letter:
    """Send a draft to its group as it is now; raises ``LetterError`` (nothing sent) if it may not go."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        # Checked again under the lock: a parallel send or a changed kind is seen here.
        refusal = letter_may_send(letter=letter, by=by)
        if refusal:
            raise LetterError(refusal)
        people = list(selectors.letter_group(letter).values_list("pk", flat=True))
        if not people:
            raise LetterError(_("Zu dieser Auswahl gehört niemand, der dieses Rundschreiben erhalten darf; "
                                "es wurde nichts versendet."))
        now = timezone.now()
        LetterRecipient.objects.bulk_create([LetterRecipient(letter=letter, user_id=pk) for pk in people],
                                            batch_size=1000)
        Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.SENDING, sent_by=by,
                                                   sending_started_at=now, recipient_count=len(people))
        if letter.is_essential:
            LogEntry.objects.log_actions(
                by.pk, [letter], CHANGE,
                _("Wichtige Information an %(count)d Personen versendet. Grund: %(reason)s")
                % {"count": len(people), "reason": letter.reason.strip()})
        if len(people) <= SYNC_LIMIT:
            letter_deliver(letter_pk=letter.pk)
        else:
            from ..tasks import deliver_letter

            deliver_letter.delay_on_commit(letter.pk)
    letter.refresh_from_db()
    return letter


def _batch(letter: Letter) -> list[LetterRecipient]:
    # skip_locked: two workers on one letter (a resume beside a slow task) take different batches.
    return list(LetterRecipient.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(letter=letter, outbox_message__isnull=True, skipped=False, queued_at__isnull=True)
                .select_related("user").order_by("pk")[:BATCH_SIZE])


def letter_deliver(*, letter_pk: int) -> int:
    """Write the mails of a letter being sent into the outbox, batch by batch; returns how many.

    Each person is checked again when their mail is written (account still active, news
    consent still given); whoever no longer qualifies is marked skipped and not mailed.
    """
    letter = Letter.objects.filter(pk=letter_pk, status=Letter.Status.SENDING).first()
    if letter is None:
        return 0
    rule = rules.programme_mail_recipient_q() if letter.is_essential else rules.news_recipient_q()
    queued = 0
    while True:
        with transaction.atomic():
            batch = _batch(letter)
            if not batch:
                break
            allowed = set(User.objects.filter(rule, pk__in=[r.user_id for r in batch]).values_list("pk", flat=True))
            now = timezone.now()
            for recipient in batch:
                if recipient.user_id not in allowed:
                    recipient.skipped = True
                    continue
                language = letter_language(letter, recipient.user)
                recipient.outbox_message = mail_queue(
                    key=f"letter:{letter.pk}:{recipient.user_id}", to=recipient.user.email,
                    **letter_mail(letter=letter, person=recipient.user, language=language))
                recipient.language, recipient.queued_at = language, now
                queued += 1
            LetterRecipient.objects.bulk_update(batch, ["skipped", "outbox_message", "language", "queued_at"])
    with transaction.atomic():
        left = LetterRecipient.objects.filter(letter=letter, outbox_message__isnull=True, skipped=False,
                                              queued_at__isnull=True)
        if not left.exists():
            Letter.objects.filter(pk=letter.pk, status=Letter.Status.SENDING).update(status=Letter.Status.SENT,
                                                                                     sent_at=timezone.now())
    return queued


def letters_resume(*, now=None) -> int:
    """Finish letters whose delivery stalled (called by beat every minute); returns how many mails it wrote."""
    now = now or timezone.now()
    stalled = Letter.objects.filter(status=Letter.Status.SENDING, sending_started_at__lte=now - PICKUP)
    return sum(letter_deliver(letter_pk=pk) for pk in stalled.order_by("pk").values_list("pk", flat=True))


def letter_test_send(*, letter: Letter, to: User) -> list[OutboxMessage]:
    """The letter to the staff member themselves, in each version it has, marked as a test."""
    languages = ["de", "en"] if letter.has_english else ["de"]
    attempt = uuid.uuid4().hex
    return [mail_queue(key=f"letter-test:{letter.pk}:{attempt}:{language}", to=to.email,
                       **letter_mail(letter=letter, person=to, language=language, test=True))
            for language in languages]


def news_mails_withdraw(*, user: User) -> int:
    """The news letters still waiting in the outbox for ``user`` (a failed send being retried, a broker that was
    down) are not sent once the person withdrew the news consent; essential letters still go."""
    letters = LetterRecipient.objects.filter(user=user, letter__kind=Letter.Kind.NEWS).values_list("letter_id",
                                                                                                   flat=True)
    return outbox_withdraw(keys=[f"letter:{letter_pk}:{user.pk}" for letter_pk in letters])
