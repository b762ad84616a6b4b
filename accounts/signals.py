"""Signals other apps listen to, so that accounts does not import them."""
from django.dispatch import Signal

# Sent inside the transaction when a registration is withdrawn; kwargs: user, by.
# matching ends the person's Tandems, events frees their places.
registration_withdrawn = Signal()
