"""Writing a letter: the draft staff save in admin."""
from accounts.models import User

from .. import selectors
from ..models import Letter


def letter_draft_save(*, letter: Letter, by: User) -> Letter:
    """Save a draft ``by`` wrote or changed. A new one records who wrote it; a staff member who may not choose
    people by the status of an Anmeldung (``selectors.criteria_withheld``) writes to approved participants only."""
    if letter.pk is None:
        letter.created_by = by
        if "statuses" in selectors.criteria_withheld(by):
            letter.statuses = selectors.APPROVED_ONLY
    letter.save()
    return letter
