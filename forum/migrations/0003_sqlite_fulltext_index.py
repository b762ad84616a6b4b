"""On SQLite, the FTS5 table that holds each thread's German word stems for the forum search.

PostgreSQL keeps them in ``forum_thread.search_vector`` (migration 0002); SQLite has no German
full-text search, so ``forum.fulltext`` makes the same stems and this table indexes them
(rowid = thread id; a title column and one of the visible posts). Existing threads are indexed here.
"""
from django.db import migrations

from forum.fulltext import lexemes


def create_fts_table(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    # The stems are lower case already; keep their letters as they are (no folding of "ś" to "s",
    # which PostgreSQL's German configuration does not do either).
    schema_editor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS forum_thread_fts "
                          "USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')")
    Thread = apps.get_model("forum", "Thread")
    Post = apps.get_model("forum", "Post")
    for thread_id, title in Thread.objects.values_list("pk", "title").iterator():
        bodies = Post.objects.filter(thread_id=thread_id, is_hidden=False).order_by("pk").values_list("body", flat=True)
        schema_editor.execute("INSERT INTO forum_thread_fts (rowid, title, body) VALUES (%s, %s, %s)",
                              [thread_id, " ".join(lexemes(title)), " ".join(lexemes(" ".join(bodies)))])


def drop_fts_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS forum_thread_fts")


class Migration(migrations.Migration):
    dependencies = [("forum", "0002_default_categories_and_search_index")]

    operations = [migrations.RunPython(create_fts_table, drop_fts_table)]
