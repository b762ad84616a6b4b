"""Organisations get a normalised name; the old case-only uniqueness goes (0006 adds the new one)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_transition_labels"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="organisation",
            name="organisation_unique_name_per_state",
        ),
        migrations.AddField(
            model_name="organisation",
            name="name_normalised",
            field=models.CharField(default="", editable=False, max_length=400, verbose_name="Name (normalisiert)"),
            preserve_default=False,
        ),
    ]
