"""A meeting by phone reads "Telefonat" (a call), beside "online" and "vor Ort"."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0014_tandem_end_cause'),
    ]

    operations = [
        migrations.AlterField(
            model_name='meeting',
            name='format',
            field=models.CharField(choices=[('online', 'online'), ('onsite', 'vor Ort'), ('phone', 'Telefonat')], max_length=8, verbose_name='Format'),
        ),
    ]
