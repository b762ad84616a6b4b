"""Search: the German full-text vector of each thread."""
from django.db import connection

from ..models import Thread


def thread_reindex(*, thread: Thread) -> None:
    """Refresh the German full-text vector of a thread: title weighted over its visible posts."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE forum_thread SET search_vector = "
            "setweight(to_tsvector('german', title), 'A') || "
            "setweight(to_tsvector('german', coalesce((SELECT string_agg(body, ' ') FROM forum_post "
            "WHERE thread_id = %s AND NOT is_hidden), '')), 'B') WHERE id = %s",
            [thread.pk, thread.pk])
