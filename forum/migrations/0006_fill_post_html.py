"""Every existing post gets its sanitised HTML stored, as new and edited posts do (forum.services.posting)."""
from django.db import migrations

BATCH = 500


def fill_post_html(apps, schema_editor):
    from mentoring.kernel.markdown import render_markdown_stored

    Post = apps.get_model("forum", "Post")
    batch = []
    for post in Post.objects.only("pk", "body").order_by("pk").iterator(chunk_size=BATCH):
        post.body_html = render_markdown_stored(post.body)
        batch.append(post)
        if len(batch) >= BATCH:
            Post.objects.bulk_update(batch, ["body_html"])
            batch = []
    if batch:
        Post.objects.bulk_update(batch, ["body_html"])


class Migration(migrations.Migration):
    dependencies = [("forum", "0005_post_html_thread_version_category_read")]
    operations = [migrations.RunPython(fill_post_html, migrations.RunPython.noop)]
