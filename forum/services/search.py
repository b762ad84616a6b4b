"""Search: the German full-text index of each thread, its title weighted over its visible posts.

PostgreSQL keeps it in ``Thread.search_vector`` (to_tsvector('german'), a GIN index); SQLite in the
FTS5 table ``forum_thread_fts`` fed with the same German stems (``forum.fulltext``).
"""
from django.db import connection

from .. import fulltext
from ..models import Post, Thread


def thread_reindex(*, thread: Thread) -> None:
    """Refresh a thread's entry in the full-text index after its title or a visible post changed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE forum_thread SET search_vector = "
                "setweight(to_tsvector('german', title), 'A') || "
                "setweight(to_tsvector('german', coalesce((SELECT string_agg(body, ' ') FROM forum_post "
                "WHERE thread_id = %s AND NOT is_hidden), '')), 'B') WHERE id = %s",
                [thread.pk, thread.pk])
        return
    title = Thread.objects.filter(pk=thread.pk).values_list("title", flat=True).first()
    bodies = Post.objects.filter(thread_id=thread.pk, is_hidden=False).order_by("pk").values_list("body", flat=True)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM forum_thread_fts WHERE rowid = %s", [thread.pk])
        if title is not None:
            cursor.execute("INSERT INTO forum_thread_fts (rowid, title, body) VALUES (%s, %s, %s)",
                           [thread.pk, " ".join(fulltext.lexemes(title)),
                            " ".join(fulltext.lexemes(" ".join(bodies)))])


def thread_unindex(*, thread_id: int) -> None:
    """Remove a deleted thread from SQLite's index (on PostgreSQL its vector goes with its row)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM forum_thread_fts WHERE rowid = %s", [thread_id])
