"""One organisation per normalised name and Bundesland (a separate step: PostgreSQL cannot alter a
table with the merge's deferred foreign-key checks still pending)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_merge_duplicate_organisations"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(fields=("name_normalised", "federal_state"),
                                               name="organisation_unique_normalised_name_per_state"),
        ),
    ]
