"""Template helpers of the forum: how a person is named."""
from django import template

from ..services import author_label

register = template.Library()


@register.filter
def forum_author(user) -> str:
    """Name and organisation only: nothing else from the profile appears in the forum."""
    return author_label(user)
