"""Calendar feeds: each person's private subscription address and its renewal."""

from django.db import transaction

from accounts.models import User

from ..models import CalendarFeed, new_feed_token


def calendar_feed_for(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """A new secret for the private feed; the old URL stops working at once."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if not created:
            feed.token = new_feed_token()
            feed.save(update_fields=["token", "renewed_at"])
    return feed
