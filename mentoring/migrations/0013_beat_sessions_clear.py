"""Databases migrated before "sessions-clear-expired" joined the schedule in 0005 get it now.

Expired sessions stayed in the database for ever: nothing but a person's erasure removed them.
0005's function creates only the tasks missing by name, so every row staff edited stays.
"""
import importlib

from django.db import migrations

create_missing = importlib.import_module("mentoring.migrations.0005_beat_schedule").create_missing


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0012_beat_tandem_purpose")]
    operations = [migrations.RunPython(create_missing, migrations.RunPython.noop)]
