"""Rows of the thread lists (/forum/, categories, search), rendered once per state and kept in the cache.

A row's cache key is a digest of everything ``_thread_row.html`` shows: title, kind, flags, the
reader's unread state, category, the author's label, topics, post count and last activity, with the
language and time zone. A changed thread therefore has a new key by itself; nothing needs to be
invalidated, and unchanged rows come back in one round trip (``get_many``). A cache that fails only
costs time: the rows are rendered without it.
"""
import hashlib
import logging

from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from .services import author_label

logger = logging.getLogger(__name__)
CACHE_SECONDS = 24 * 3600
CACHE_FORMAT = 1  # raise when _thread_row.html changes


def _key(thread, show_category: bool, label: str) -> str:
    topics = tuple(topic.short_label for topic in thread.row_topics)
    state = repr((thread.pk, thread.title, thread.kind, thread.is_pinned, thread.is_locked, thread.is_hidden,
                  bool(getattr(thread, "is_unread", False)), thread.accepted_post_id, thread.category.slug,
                  thread.category.label if show_category else "", label, topics, thread.post_count,
                  thread.last_post_at.isoformat()))
    digest = hashlib.blake2b(state.encode(), digest_size=16).hexdigest()
    return (f"forum-row:{CACHE_FORMAT}:{translation.get_language()}:{timezone.get_current_timezone_name()}:"
            f"{int(show_category)}:{digest}")


def render_thread_rows(threads, *, show_category: bool = False) -> SafeString:
    """The ``<li>`` of each thread, from the cache where it holds the row in this state. ``threads``
    come from ``selectors.list_rows``, which attaches their topics and read state."""
    threads = list(threads)
    if not threads:
        return mark_safe("")
    keys = [_key(thread, show_category, author_label(thread.author)) for thread in threads]
    try:
        found = cache.get_many(keys)
    except Exception:  # a cache that does not answer must not take the page down
        logger.warning("forum row cache unavailable (get)", exc_info=True)
        found = {}
    missing = {}
    template = None
    rows = []
    for thread, key in zip(threads, keys, strict=True):
        row = found.get(key)
        if not isinstance(row, str):
            template = template or get_template("forum/_thread_row.html")
            row = missing[key] = template.render({"thread": thread, "show_category": show_category})
        rows.append(row)
    if missing:
        try:
            cache.set_many(missing, CACHE_SECONDS)
        except Exception:
            logger.warning("forum row cache unavailable (set)", exc_info=True)
    return mark_safe("".join(rows))  # noqa: S308 - rendered by the template engine
