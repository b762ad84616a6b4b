"""Reactions of the matching app to events elsewhere (declared on the AppConfig: ``receivers``)."""
from django.dispatch import receiver

from accounts.signals import matching_outlook, partner_sharing_withdrawn, registration_withdrawn

from . import outlook, services
from .models import Tandem


@receiver(registration_withdrawn, dispatch_uid="matching-end-tandems")
def end_tandems_on_withdrawal(sender, user, by=None, **kwargs):
    """A withdrawn registration never leaves an active Tandem behind."""
    services.tandems_end_for_person(user=user, by=by)


@receiver(partner_sharing_withdrawn, dispatch_uid="matching-end-tandems-partner-sharing")
def end_tandems_on_partner_sharing_withdrawal(sender, user, **kwargs):
    """Without the consent to share the profile, no partner may keep seeing the contact details."""
    services.tandems_end_for_person(user=user, by=user, cause=Tandem.EndCause.PARTNER_SHARING)


@receiver(matching_outlook, dispatch_uid="matching-outlook")
def answer_matching_outlook(sender, user, **kwargs):
    """/profil/ asks whether the matching looks for a partner for this person now."""
    return outlook.for_person(user)
