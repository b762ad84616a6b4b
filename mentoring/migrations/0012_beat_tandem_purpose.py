"""Databases migrated before "matching-tandem-purpose" joined the schedule in 0005 get it now.

The daily task reminds Tandems of their Mentoring-Vereinbarung, sends the Kurzbefragungen and
asks for the closing review when a Tandem reaches its planned end. 0005's function creates only
the tasks missing by name, so every row staff edited stays.
"""
import importlib

from django.db import migrations

create_missing = importlib.import_module("mentoring.migrations.0005_beat_schedule").create_missing


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0011_outbox_claim_lease")]
    operations = [migrations.RunPython(create_missing, migrations.RunPython.noop)]
