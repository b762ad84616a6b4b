"""Profiles whose languages were typed as JSON in admin before the checkboxes: keep the known codes."""
from django.db import migrations

KNOWN = {"de", "en", "fr", "pl", "tr", "ar", "ru", "uk", "es", "it", "dgs"}  # accounts.choices.LANGUAGES


def keep_known_codes(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    for profile in Profile.objects.only("pk", "languages").iterator():
        value = profile.languages
        kept = [code for code in value if isinstance(code, str) and code in KNOWN] if isinstance(value, list) else []
        if kept != value:
            Profile.objects.filter(pk=profile.pk).update(languages=kept or ["de"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0017_profile_languages_known")]
    operations = [migrations.RunPython(keep_known_codes, migrations.RunPython.noop)]
