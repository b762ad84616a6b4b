"""Reactions of the forum to events elsewhere in the platform."""
from . import services


def stop_notifications_on_withdrawal(sender, user, by=None, **kwargs):
    """A withdrawn registration closes the forum: no more mails or digests for that person."""
    services.subscriptions_remove(user=user)
