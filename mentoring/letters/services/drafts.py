"""Writing a letter: the draft staff save in admin."""
from django.db import transaction
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.staff_groups import SEND_ESSENTIAL_LETTER, staff_may

from .. import selectors
from ..models import Letter
from .errors import LetterError

SENT_MEANWHILE = gettext_lazy("Dieses Rundschreiben wurde inzwischen versendet; Ihre Änderungen sind nicht "
                              "gespeichert. Es bleibt so, wie es versendet wurde.")
ESSENTIAL_ONLY = gettext_lazy("Eine „Wichtige Information“ schreibt und ändert nur, wer sie auch versenden darf "
                              "(die Koordination).")


def letter_draft_save(*, letter: Letter, by: User) -> Letter:
    """Save a draft ``by`` wrote or changed. A new one records who wrote it; a staff member who may not choose
    people by the status of an Anmeldung (``selectors.criteria_withheld``) writes to approved participants only.
    Only staff who may send a "Wichtige Information" (it reaches people without consent to news) write one, or
    change or make one out of a draft: the one who sends it answers for its text and group."""
    may_essential = staff_may(by, SEND_ESSENTIAL_LETTER)
    if letter.is_essential and not may_essential:
        raise LetterError(ESSENTIAL_ONLY, field="kind")
    if letter.pk is None:
        letter.created_by = by
        if "statuses" in selectors.criteria_withheld(by):
            letter.statuses = selectors.APPROVED_ONLY
        letter.save()
        return letter
    with transaction.atomic():
        # Someone may have sent it since the form was opened: a letter that went out stays as it was sent.
        stored = Letter.objects.select_for_update().only("status", "kind").get(pk=letter.pk)
        if not stored.is_draft:
            raise LetterError(SENT_MEANWHILE)
        if stored.is_essential and not may_essential:
            raise LetterError(ESSENTIAL_ONLY, field="kind")
        letter.save()
    return letter
