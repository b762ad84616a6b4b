"""Personal data in letters: what a person received (and, for staff, wrote), and erasing it."""
from django.db.models import Q

from accounts.models import User
from mentoring.kernel.mail import outbox_purge
from mentoring.kernel.models import OutboxMessage
from mentoring.kernel.privacy import moment

from ..models import Letter, LetterRecipient


def personal_data(*, user: User) -> dict:
    """Letters sent to the person with their delivery state, and letters they wrote or sent."""
    received = LetterRecipient.objects.filter(user=user).select_related("letter", "outbox_message").order_by("pk")
    written = Letter.objects.filter(Q(created_by=user) | Q(sent_by=user)).order_by("created_at", "pk")
    return {
        "erhalten": [
            {"betreff": r.letter.subject_en if r.language == "en" else r.letter.subject_de,
             "art": r.letter.get_kind_display(), "sprache": r.language or None,
             "versand_begonnen_am": moment(r.letter.sending_started_at),
             "in_postausgang_am": moment(r.queued_at),
             "zustellung": r.delivery_label}
            for r in received
        ],
        "verfasst_oder_versendet": [
            {"betreff": letter.subject_de, "art": letter.get_kind_display(), "status": letter.get_status_display(),
             "angelegt": letter.created_by_id == user.pk, "versendet": letter.sent_by_id == user.pk,
             "angelegt_am": moment(letter.created_at),
             "versendet_am": moment(letter.sending_started_at),
             "grund": letter.reason}
            for letter in written
        ],
    }


def personal_data_erase(*, user: User) -> None:
    """The person leaves every recipient list; their copies in the outbox are deleted while
    waiting and blanked once sent. Letters they wrote stay (their name goes with the account)."""
    received = LetterRecipient.objects.filter(user=user)
    copies = OutboxMessage.objects.filter(pk__in=received.exclude(outbox_message=None).values("outbox_message_id"))
    pks = list(copies.values_list("pk", flat=True))
    received.delete()
    OutboxMessage.objects.filter(pk__in=pks, status=OutboxMessage.Status.PENDING).delete()
    outbox_purge(messages=OutboxMessage.objects.filter(pk__in=pks))
