"""What the page frame needs to know about the person: whether the participants' areas are open to them."""
from django.utils.functional import SimpleLazyObject

from . import rules


def participation(request):
    # Lazy: a page that never asks (most anonymous pages) costs no query.
    return {"participant_approved": SimpleLazyObject(lambda: rules.approved_participant(request.user))}
