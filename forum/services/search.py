"""Search: the German full-text index of each thread, its title weighted over its visible posts.

PostgreSQL keeps it in ``Thread.search_vector`` (to_tsvector('german'), a GIN index); SQLite in the
FTS5 table ``forum_thread_fts`` fed with the same German stems (``forum.fulltext``).

What ranks: a word in the title, by how often it stands there; a word only in the posts counts once,
however often it is written, so among threads that hold it in their posts only, the one with the latest
post comes first. The posts' part of the vector therefore keeps no positions (``strip``): the vector is
about a sixth of its size (684 instead of 4,286 bytes on the bench programme), stays inside the row
instead of being compressed out of it, and matching and ranking the 1,987 threads that hold a common
word takes 1.7 ms instead of 10.5 ms (see docs/forum.md).
"""
from django.db import connection

from .. import fulltext
from ..access import not_hidden_q
from ..models import Post, Thread

# A thread's vector on PostgreSQL, as an expression of its forum_thread row: its title with positions and
# weight A, its visible posts' words once each.
VECTOR_SQL = ("setweight(to_tsvector('german', forum_thread.title), 'A') || "
              "strip(to_tsvector('german', coalesce((SELECT string_agg(body, ' ' ORDER BY id) FROM forum_post "
              "WHERE thread_id = forum_thread.id AND NOT is_hidden), '')))")


def thread_reindex(*, thread: Thread) -> None:
    """Refresh a thread's entry in the full-text index after its title or a visible post changed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE forum_thread SET search_vector = {VECTOR_SQL} WHERE id = %s",  # noqa: S608 - constant
                           [thread.pk])
        return
    title = Thread.objects.filter(pk=thread.pk).values_list("title", flat=True).first()
    bodies = Post.objects.filter(not_hidden_q(), thread_id=thread.pk).order_by("pk").values_list("body", flat=True)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM forum_thread_fts WHERE rowid = %s", [thread.pk])
        if title is not None:
            cursor.execute("INSERT INTO forum_thread_fts (rowid, title, body) VALUES (%s, %s, %s)",
                           [thread.pk, " ".join(fulltext.lexemes(title)),
                            " ".join(dict.fromkeys(fulltext.lexemes(" ".join(bodies))))])


def thread_unindex(*, thread_id: int) -> None:
    """Remove a deleted thread from SQLite's index (on PostgreSQL its vector goes with its row)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM forum_thread_fts WHERE rowid = %s", [thread_id])
