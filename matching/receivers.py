"""Reactions of the matching app to events elsewhere."""
from . import outlook, services
from .models import Tandem


def end_tandems_on_withdrawal(sender, user, by=None, **kwargs):
    """A withdrawn registration never leaves an active Tandem behind."""
    services.tandems_end_for_person(user=user, by=by)


def end_tandems_on_partner_sharing_withdrawal(sender, user, **kwargs):
    """Without the consent to share the profile, no partner may keep seeing the contact details."""
    services.tandems_end_for_person(user=user, by=user, cause=Tandem.EndCause.PARTNER_SHARING)


def answer_matching_outlook(sender, user, **kwargs):
    """/profil/ asks whether the matching looks for a partner for this person now."""
    return outlook.for_person(user)
