"""Events are fetched through these helpers: an event someone may not see answers 404."""
from django.http import Http404

from .selectors import event_for_page, events_visible_to


def event_for_user(*, user, pk: int):
    """The event with its detail-page data; 404 for anyone who may not see it."""
    event = event_for_page(user=user, pk=pk)
    if event is None:
        raise Http404
    return event


def visible_event_or_404(*, user, pk: int):
    event = events_visible_to(user=user).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event

