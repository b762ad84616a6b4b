"""Template helpers of the forum: how a person is named, the rows of a thread list."""
from django import template

from ..services import author_label

register = template.Library()


@register.filter
def forum_author(user) -> str:
    """Name and organisation only: nothing else from the profile appears in the forum."""
    return author_label(user)


@register.simple_tag
def thread_rows(threads, show_category=False):
    """The rows of a thread list, each from the cache while the thread is unchanged (forum.rows)."""
    from ..rows import render_thread_rows

    return render_thread_rows(threads, show_category=show_category)

