"""Name the site; allauth puts it in its e-mails."""
from urllib.parse import urlparse

from django.conf import settings
from django.db import migrations


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={
        "domain": urlparse(settings.SITE_URL).netloc or "127.0.0.1:8000", "name": settings.PROGRAMME_NAME})


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial"), ("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
