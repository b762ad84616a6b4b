"""Reactions of the matching app to events elsewhere."""
from . import services


def end_tandems_on_withdrawal(sender, user, by=None, **kwargs):
    """A withdrawn registration never leaves an active Tandem behind."""
    services.tandems_end_for_person(user=user, by=by)
