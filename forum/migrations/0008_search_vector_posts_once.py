"""Every thread's search vector anew: the posts' words once each, without positions (forum.services.search).

Only PostgreSQL keeps the vector in the row; SQLite's FTS5 rank gives the posts' words no weight, so its
index needs nothing rewritten. The statement is the service's, copied so that this migration keeps its
meaning when the service changes.
"""
from django.db import migrations

REINDEX_ALL = ("UPDATE forum_thread SET search_vector = setweight(to_tsvector('german', forum_thread.title), 'A') || "
               "strip(to_tsvector('german', coalesce((SELECT string_agg(body, ' ' ORDER BY id) FROM forum_post "
               "WHERE thread_id = forum_thread.id AND NOT is_hidden), '')))")


def reindex(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REINDEX_ALL)


class Migration(migrations.Migration):
    dependencies = [("forum", "0007_post_notified_at")]
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
