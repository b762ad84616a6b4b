"""The beat row "letters-resume" (every minute): letters whose delivery task never ran are finished.

mentoring's 0005 function creates only the tasks missing by name, so every row staff edited stays.
"""
import importlib

from django.db import migrations

create_missing = importlib.import_module("mentoring.migrations.0005_beat_schedule").create_missing


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial"), ("mentoring", "0005_beat_schedule")]
    operations = [migrations.RunPython(create_missing, migrations.RunPython.noop)]
