"""Databases migrated before "events-notes-expire" joined the schedule in 0005 get it now.

A note on an event registration (often an access need) stayed for ever; it is cleared a while after the event.
0005's function creates only the tasks missing by name, so every row staff edited stays.
"""
import importlib

from django.db import migrations

create_missing = importlib.import_module("mentoring.migrations.0005_beat_schedule").create_missing


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0015_beat_tandem_purpose_name")]
    operations = [migrations.RunPython(create_missing, migrations.RunPython.noop)]
