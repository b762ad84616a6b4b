"""Problem reports become cases: a status (neu, in Bearbeitung, erledigt), an assignee, internal notes
and replies. Reports already marked done (resolved_at set) are "erledigt", the others "neu"."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def statuses_from_resolved(apps, schema_editor):
    ProblemReport = apps.get_model("matching", "ProblemReport")
    ProblemReport.objects.filter(resolved_at__isnull=False).update(status="done")
    ProblemReport.objects.filter(resolved_at__isnull=True).update(status="new")


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0005_reasons_as_data'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProblemReportNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=5000, verbose_name='Text')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='am')),
            ],
            options={
                'verbose_name': 'interne Notiz',
                'verbose_name_plural': 'interne Notizen',
                'ordering': ['created_at', 'pk'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ProblemReportReply',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=5000, verbose_name='Text')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='am')),
            ],
            options={
                'verbose_name': 'Antwort',
                'verbose_name_plural': 'Antworten',
                'ordering': ['created_at', 'pk'],
                'abstract': False,
            },
        ),
        migrations.AddField(
            model_name='problemreport',
            name='assignee',
            field=models.ForeignKey(blank=True, limit_choices_to={'is_staff': True}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='zuständig'),
        ),
        migrations.AddField(
            model_name='problemreport',
            name='status',
            field=models.CharField(choices=[('new', 'neu'), ('in_progress', 'in Bearbeitung'), ('done', 'erledigt')], db_index=True, default='new', max_length=12, verbose_name='Status'),
        ),
        migrations.RunPython(statuses_from_resolved, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='problemreport',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('resolved_at__isnull', False), ('status', 'done')), models.Q(models.Q(('status', 'done'), _negated=True), ('resolved_at__isnull', True)), _connector='OR'), name='problemreport_resolved_at_iff_done'),
        ),
        migrations.AddField(
            model_name='problemreportnote',
            name='author',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='von'),
        ),
        migrations.AddField(
            model_name='problemreportnote',
            name='report',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='matching.problemreport', verbose_name='Meldung'),
        ),
        migrations.AddField(
            model_name='problemreportreply',
            name='author',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='von'),
        ),
        migrations.AddField(
            model_name='problemreportreply',
            name='report',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='matching.problemreport', verbose_name='Meldung'),
        ),
    ]
