"""Events are fetched through these helpers: an event or feed someone may not use answers 404."""
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts import rules

from .models import CalendarFeed, Event
from .selectors import event_for_page, events_visible_to, sees_every_event


def access_event(user, pk) -> Event:
    """The event this person may see; missing and forbidden answer the same 404."""
    return get_object_or_404(events_visible_to(user=user), pk=pk)


def access_event_page(user, pk) -> Event:
    """The event with its detail-page data; 404 for anyone who may not see it."""
    event = event_for_page(user=user, pk=pk)
    if event is None:
        raise Http404
    return event


def access_calendar_feed(token: str) -> CalendarFeed:
    """The private feed of this secret, while its owner is still an approved participant."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not rules.approved_participant(feed.user):
        raise Http404
    return feed


def sees_online_url(user, event, *, confirmed: bool) -> bool:
    """The online link is for people with a confirmed place, and for staff; a called-off event has none to give
    (its cancellation mail and calendar entry carry none either)."""
    return not event.is_cancelled and (confirmed or sees_every_event(user))
