"""Signals other apps listen to, so that accounts does not import them."""
from django.dispatch import Signal

# Sent inside the transaction when a registration is withdrawn; kwargs: user, by.
# matching ends the person's Tandems, events frees their places.
registration_withdrawn = Signal()

# Sent inside the transaction when a person withdraws the consent to share their profile
# with a Tandem partner (kwargs: user): matching ends their Tandems, so no partner keeps
# seeing their contact details.
partner_sharing_withdrawn = Signal()
