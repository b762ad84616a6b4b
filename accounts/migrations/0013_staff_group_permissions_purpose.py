"""Koordination gets the rights of the Tandem's purpose: the programme years, the agreement,
check-ins and closing reviews (read on the Tandem's page) and the evaluation of the answers.

The same ``grant_permissions`` as 0011, run again now that those models exist; it only adds.
"""
from django.db import migrations

from accounts.staff_groups import grant_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_programme_years"),
        ("matching", "0011_tandem_closing_reviews"),
    ]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
