"""The programme consent's wording of 26 November 2026 was labelled "2026-12", a month still to come; its
label is now the day it was revised. Only the label of that one wording changes: the text each person
consented to is stored with their consent and stays as it was."""
from django.db import migrations

OLD, NEW = "2026-12", "2026-11-26"


def relabel(apps, schema_editor):
    Consent = apps.get_model("accounts", "Consent")
    Consent.objects.filter(purpose="programme", version=OLD).update(version=NEW)


def label_back(apps, schema_editor):
    Consent = apps.get_model("accounts", "Consent")
    Consent.objects.filter(purpose="programme", version=NEW).update(version=OLD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0018_profile_languages_cleaned")]
    operations = [migrations.RunPython(relabel, label_back)]
