"""Reactions to other apps' signals."""
from django.dispatch import receiver

from accounts.signals import registration_withdrawn

from .services import registrations_cancel_for_withdrawn


@receiver(registration_withdrawn, dispatch_uid="events_free_places_of_withdrawn")
def free_places_of_withdrawn(sender, user, by=None, **kwargs):
    registrations_cancel_for_withdrawn(user=user, by=by)
