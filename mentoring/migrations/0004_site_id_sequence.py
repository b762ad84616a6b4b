"""Move the site table's id sequence past the site 0002 created with an explicit id.

Without it PostgreSQL hands out id 1 again and adding a site in admin fails (a 500).
"""
from django.core.management.color import no_style
from django.db import migrations


def reset_site_sequence(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Site]):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0003_outbox_purge_and_barrier_report")]
    operations = [migrations.RunPython(reset_site_sequence, migrations.RunPython.noop)]
