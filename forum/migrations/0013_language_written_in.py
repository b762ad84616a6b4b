"""Forum threads and posts keep the language they were written in."""

from django.db import migrations, models


def from_authors(apps, schema_editor):
    """What was written so far is marked in its author's language now: the best there is to know."""
    User = apps.get_model("accounts", "User")
    for model in ("Thread", "Post"):
        rows = apps.get_model("forum", model).objects
        for language in User.objects.exclude(language__in=["", "de"]).values_list("language", flat=True).distinct():
            rows.filter(author__language=language).update(language=language)


class Migration(migrations.Migration):

    dependencies = [
        ('forum', '0012_thread_title_too_short_message'),
        ('accounts', '0007_languages'),  # User.language, which the rows take
    ]

    operations = [
        migrations.AddField(
            model_name='post',
            name='language',
            field=models.CharField(default='de', editable=False, max_length=8, verbose_name='Sprache'),
        ),
        migrations.AddField(
            model_name='thread',
            name='language',
            field=models.CharField(default='de', editable=False, max_length=8, verbose_name='Sprache'),
        ),
        migrations.RunPython(from_authors, migrations.RunPython.noop),
    ]
