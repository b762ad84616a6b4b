"""The daily Tandem task, too, is named verb first like every other (``run_daily_tandem_purpose``), no longer
like the service it calls; its beat row follows, as 0014 moved the others (a row staff pointed at another task,
and every time staff set, stays as it is)."""
import importlib

from django.db import migrations

rename = importlib.import_module("mentoring.migrations.0014_beat_task_names").rename
RENAMED = {"matching.tasks.tandem_purpose": "matching.tasks.run_daily_tandem_purpose"}


def forwards(apps, schema_editor):
    rename(apps, schema_editor, mapping=RENAMED)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, mapping={new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0014_beat_task_names")]
    operations = [migrations.RunPython(forwards, backwards)]
