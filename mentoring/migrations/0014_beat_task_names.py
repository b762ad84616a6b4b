"""Every task is registered under its function's own path (``matching.tasks.execute_match_run``), no longer
under a name of its own that matched the service it calls (``matching.tasks.match_run_execute``): a beat row
or a worker's log now names the function a reader finds. The beat rows follow; a row staff pointed at another
task, and every time staff set, stays as it is.

A message still waiting in the broker under an old name is not lost: each such task is caught up from the
database (the outbox flush sends waiting mail, ``recover_match_runs`` computes waiting runs,
``resume_letters`` finishes letters, ``notify_pending_posts`` the forum's notices).
"""
from django.db import migrations
from django.utils import timezone

RENAMED = {
    "accounts.tasks.accounts_retention": "accounts.tasks.expire_retained_accounts",
    "accounts.tasks.intro_reminders": "accounts.tasks.send_intro_reminders",
    "matching.tasks.match_run_execute": "matching.tasks.execute_match_run",
    "matching.tasks.match_runs_recover": "matching.tasks.recover_match_runs",
    "matching.tasks.tandem_reminders": "matching.tasks.send_tandem_reminders",
    "mentoring.tasks.outbox_deliver": "mentoring.kernel.tasks.deliver_outbox_message",
    "mentoring.tasks.outbox_flush": "mentoring.kernel.tasks.flush_outbox",
    "mentoring.tasks.outbox_purge_expired": "mentoring.kernel.tasks.purge_expired_outbox_messages",
    "mentoring.tasks.barrier_reports_purge_expired": "mentoring.tasks.purge_expired_barrier_reports",
    "mentoring.tasks.sessions_clear_expired": "mentoring.tasks.clear_expired_sessions",
    "mentoring.letters.tasks.letter_deliver": "mentoring.letters.tasks.deliver_letter",
    "mentoring.letters.tasks.letters_resume": "mentoring.letters.tasks.resume_letters",
}


def rename(apps, schema_editor, mapping=RENAMED):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    changed = 0
    for old, new in mapping.items():
        changed += PeriodicTask.objects.filter(task=old).update(task=new)
    if changed:
        # A running beat reloads its schedule when this timestamp moves (the admin does the same).
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, mapping={new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0013_beat_sessions_clear"),
        ("forum", "0007_post_notified_at"),
        ("letters", "0002_beat_letters_resume"),
    ]
    operations = [migrations.RunPython(rename, rename_back)]
