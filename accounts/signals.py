"""Signals other apps listen to, so that accounts does not import them."""
from dataclasses import dataclass

from django.dispatch import Signal

# Sent inside the transaction when a registration is withdrawn; kwargs: user, by.
# matching ends the person's Tandems, events frees their places.
registration_withdrawn = Signal()

# Sent inside the transaction when a person withdraws the consent to share their profile
# with a Tandem partner (kwargs: user): matching ends their Tandems, so no partner keeps
# seeing their contact details.
partner_sharing_withdrawn = Signal()

# Sent when staff are about to change a profile's role in admin (kwargs: profile, as stored, and role, the new
# one); a receiver answers with the sentence why the profile cannot take that role now, or None. matching refuses
# a role without a side the person holds in a running Tandem (a Mentor*in made Mentee was proposed as one).
role_change_refusal = Signal()

# Sent inside the transaction when a person withdraws the news consent (kwargs: user): letters
# withdraws the news mails still waiting in the outbox for them.
news_withdrawn = Signal()


@dataclass(frozen=True)
class OutlookNote:
    """One sentence of a matching outlook, with where to act on it; ``key`` names the case."""

    key: str
    text: str
    link: str = ""
    link_text: str = ""


@dataclass(frozen=True)
class MatchingOutlook:
    """What the matching does for a person in the pool now: whether it looks for a partner for
    them at all (``open``), and a note for each side it does not look for and why."""

    open: bool
    notes: tuple[OutlookNote, ...] = ()


# Sent by /profil/ for a person in the matching pool (kwargs: user); a receiver answers with a
# MatchingOutlook. The pool rule (accounts.rules) says who may be proposed; matching knows the
# Tandems and the places, so it answers whether anyone is being looked for. Without an answer
# the page says only what the pool rule says.
matching_outlook = Signal()
