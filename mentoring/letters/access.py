"""Letters are fetched through these helpers: a letter a staff member may not open answers 404, the same as one
that does not exist (in the style of Zulip's ``access_stream_by_id``)."""
from django.shortcuts import get_object_or_404

from . import selectors
from .models import Letter


def access_letter(user, pk) -> Letter:
    """A letter ``user`` may open in admin (``selectors.letters_for``: not one that chooses people by what they may
    not see); missing and forbidden answer the same 404."""
    return get_object_or_404(selectors.letters_for(user, Letter.objects.all()), pk=pk)
