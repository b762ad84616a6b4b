"""Model fields that several apps declare alike."""
from django.conf import settings
from django.db import models


def acting_user(verbose_name, **options) -> models.ForeignKey:
    """The account that did something to a record: started, decided, confirmed, ended, hid or resolved it.

    The record outlives that account: deleting it empties the column instead of deleting the
    record, and the user gets no reverse accessor for what they once did. ``options`` go to the
    field as they are (``editable=False`` where only code sets it).
    """
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=verbose_name, **options)


def staff_member(verbose_name) -> models.ForeignKey:
    """The staff member a record is given to (a case's assignee, the host of a Kennenlerngespräch):
    forms offer only staff; like ``acting_user``, the record outlives the account."""
    return acting_user(verbose_name, limit_choices_to={"is_staff": True})
