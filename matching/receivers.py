"""Reactions of the matching app to events elsewhere."""
from django.utils.translation import gettext as _

from . import outlook, services


def end_tandems_on_withdrawal(sender, user, by=None, **kwargs):
    """A withdrawn registration never leaves an active Tandem behind."""
    services.tandems_end_for_person(user=user, by=by)


def end_tandems_on_partner_sharing_withdrawal(sender, user, **kwargs):
    """Without the consent to share the profile, no partner may keep seeing the contact details."""
    services.tandems_end_for_person(user=user, by=user,
                                    reason=_("Einwilligung zur Weitergabe des Profils widerrufen"))


def answer_matching_outlook(sender, user, **kwargs):
    """/profil/ asks whether the matching looks for a partner for this person now."""
    return outlook.for_person(user)
