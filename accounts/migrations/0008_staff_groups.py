"""The staff groups Koordination, Moderation and Veranstaltungen, created once if missing.

An existing group (and the permissions staff gave it) is left as it is; the names live in
accounts/staff_groups.py and are copied here so the migration does not change with that module.
"""
from django.db import migrations

GROUPS = ("Koordination", "Moderation", "Veranstaltungen")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_languages"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
