"""The Tandem's purpose along the way, across its capabilities: what the Tandem page offers a member to fill
in (an open Kurzbefragung, the closing review) and the daily beat task's work (Vereinbarung reminders,
Kurzbefragungen, the end at the planned date)."""
from accounts.models import User

from ..models import Tandem
from .agreements import agreement_reminders
from .checkins import checkin_open, checkins_send
from .reviews import review_open, tandems_end_planned


def member_tasks(*, tandem: Tandem, user: User) -> dict:
    """What the Tandem page offers ``user`` to fill in: an open Kurzbefragung, the closing review."""
    if not tandem.has_member(user):
        return {}
    return {"open_checkin": checkin_open(tandem=tandem, user=user),
            "open_review": review_open(tandem=tandem, user=user)}


def tandem_purpose_daily(*, now=None) -> dict:
    """The beat task's work; each mail has an idempotency key, so running it twice sends nothing new."""
    return {"agreement_reminders": agreement_reminders(now=now), "checkins": checkins_send(now=now),
            "ended_as_planned": tandems_end_planned(now=now)}
