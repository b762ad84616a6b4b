"""Barrier reports become cases: status "offen" is now "neu", "erledigt" stays (new value "done"), plus
"in Bearbeitung"; an assignee, internal notes (the old single staff note becomes the first one) and
replies. The address becomes optional: a report may come without one."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def statuses_and_notes(apps, schema_editor):
    BarrierReport = apps.get_model("mentoring", "BarrierReport")
    BarrierReportNote = apps.get_model("mentoring", "BarrierReportNote")
    BarrierReport.objects.filter(status="handled", handled_at__isnull=True).update(handled_at=F("created_at"))
    BarrierReport.objects.filter(status="handled").update(status="done")
    BarrierReport.objects.exclude(status="done").update(status="new", handled_at=None, handled_by=None)
    for report in BarrierReport.objects.exclude(staff_note="").iterator():
        note = BarrierReportNote.objects.create(report=report, author=report.handled_by, text=report.staff_note)
        BarrierReportNote.objects.filter(pk=note.pk).update(created_at=report.handled_at or report.created_at)


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0008_sign_language_video'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BarrierReportNote',
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
            name='BarrierReportReply',
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
            model_name='barrierreport',
            name='assignee',
            field=models.ForeignKey(blank=True, limit_choices_to={'is_staff': True}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='zuständig'),
        ),
        migrations.AddField(
            model_name='barrierreport',
            name='language',
            field=models.CharField(blank=True, max_length=8, verbose_name='Sprache'),
        ),
        migrations.AlterField(
            model_name='barrierreport',
            name='email',
            field=models.EmailField(blank=True, max_length=254, verbose_name='E-Mail-Adresse'),
        ),
        migrations.AlterField(
            model_name='barrierreport',
            name='status',
            field=models.CharField(choices=[('new', 'neu'), ('in_progress', 'in Bearbeitung'), ('done', 'erledigt')], db_index=True, default='new', max_length=12, verbose_name='Status'),
        ),
        migrations.AddField(
            model_name='barrierreportnote',
            name='author',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='von'),
        ),
        migrations.AddField(
            model_name='barrierreportnote',
            name='report',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='mentoring.barrierreport', verbose_name='Meldung'),
        ),
        migrations.AddField(
            model_name='barrierreportreply',
            name='author',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='von'),
        ),
        migrations.AddField(
            model_name='barrierreportreply',
            name='report',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='mentoring.barrierreport', verbose_name='Meldung'),
        ),
        migrations.RunPython(statuses_and_notes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='barrierreport',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('handled_at__isnull', False), ('status', 'done')), models.Q(models.Q(('status', 'done'), _negated=True), ('handled_at__isnull', True)), _connector='OR'), name='barrierreport_handled_at_iff_done'),
        ),
        migrations.RemoveField(
            model_name='barrierreport',
            name='staff_note',
        ),
    ]
