"""Writing a letter: the draft staff save in admin."""
from django.db import transaction
from django.utils.translation import gettext_lazy

from accounts.models import User

from .. import selectors
from ..models import Letter
from .errors import LetterError

SENT_MEANWHILE = gettext_lazy("Dieses Rundschreiben wurde inzwischen versendet; Ihre Änderungen sind nicht "
                              "gespeichert. Es bleibt so, wie es versendet wurde.")


def letter_draft_save(*, letter: Letter, by: User) -> Letter:
    """Save a draft ``by`` wrote or changed. A new one records who wrote it; a staff member who may not choose
    people by the status of an Anmeldung (``selectors.criteria_withheld``) writes to approved participants only."""
    if letter.pk is None:
        letter.created_by = by
        if "statuses" in selectors.criteria_withheld(by):
            letter.statuses = selectors.APPROVED_ONLY
        letter.save()
        return letter
    with transaction.atomic():
        # Someone may have sent it since the form was opened: a letter that went out stays as it was sent.
        stored = Letter.objects.select_for_update().only("status").get(pk=letter.pk)
        if not stored.is_draft:
            raise LetterError(SENT_MEANWHILE)
        letter.save()
    return letter
