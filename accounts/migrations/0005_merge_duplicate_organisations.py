"""Fill the normalised names and join organisations that are one under it (same Bundesland).

The oldest row of each group is kept with its name, type and size; every reference to the
others moves to it (the same walk over related objects as ``organisation_merge``).
"""
from django.db import migrations

from accounts.organisations import normalise_organisation_name, reassign_references


def merge_duplicates(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    groups: dict[tuple[str, int], list] = {}
    for organisation in Organisation.objects.order_by("pk"):
        organisation.name_normalised = normalise_organisation_name(organisation.name)
        groups.setdefault((organisation.name_normalised, organisation.federal_state_id), []).append(organisation)
    for keep, *duplicates in groups.values():
        if duplicates:
            duplicate_pks = [d.pk for d in duplicates]
            reassign_references(Organisation, keep=keep, duplicate_pks=duplicate_pks)
            Organisation.objects.filter(pk__in=duplicate_pks).delete()
        Organisation.objects.filter(pk=keep.pk).update(name_normalised=keep.name_normalised)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_organisation_name_normalised"),
    ]

    operations = [
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
    ]
