"""Create the periodic tasks the programme needs, once; from then on the database is the schedule.

Staff change times or switch a task off in the admin (Periodische Aufgaben); nothing
overwrites that, neither a later migrate nor a beat start (settings hold no beat schedule).
A row that already exists under its name is left exactly as it is.
"""
from django.db import migrations
from django.utils import timezone

TIMEZONE = "Europe/Berlin"
# name: (registered task name, every N seconds | crontab fields minute/hour). A task is registered under
# its function's path; databases seeded when tasks had names of their own are moved over by 0014.
SCHEDULE = {
    "outbox-flush": ("mentoring.kernel.tasks.flush_outbox", 60),
    "matching-tandem-reminders": ("matching.tasks.send_tandem_reminders", {"minute": "0", "hour": "7"}),
    "forum-daily-digest": ("forum.tasks.send_daily_digests", {"minute": "30", "hour": "6"}),
    "events-reminders": ("events.tasks.send_event_reminders", {"minute": "*/15", "hour": "*"}),
    "outbox-purge-expired": ("mentoring.kernel.tasks.purge_expired_outbox_messages", {"minute": "0", "hour": "3"}),
    "barrier-reports-purge-expired": ("mentoring.tasks.purge_expired_barrier_reports", {"minute": "10", "hour": "3"}),
    "accounts-retention": ("accounts.tasks.expire_retained_accounts", {"minute": "20", "hour": "3"}),
    # Added by 0006 for databases migrated before it existed.
    "matching-runs-recover": ("matching.tasks.recover_match_runs", {"minute": "*/5", "hour": "*"}),
    # Added by letters/0002 for databases migrated before it existed.
    "letters-resume": ("mentoring.letters.tasks.resume_letters", {"minute": "*", "hour": "*"}),
    # Added by 0010 for databases migrated before it existed.
    "accounts-intro-reminders": ("accounts.tasks.send_intro_reminders", {"minute": "0", "hour": "7"}),
    # Added by 0012 for databases migrated before it existed.
    "matching-tandem-purpose": ("matching.tasks.run_daily_tandem_purpose", {"minute": "30", "hour": "7"}),
    # Added by forum/0007 for databases migrated before it existed.
    "forum-notify-pending": ("forum.tasks.notify_pending_posts", {"minute": "*/5", "hour": "*"}),
    # Added by 0013 for databases migrated before it existed.
    "sessions-clear-expired": ("mentoring.tasks.clear_expired_sessions", {"minute": "40", "hour": "3"}),
    # Added by 0016 for databases migrated before it existed.
    "events-notes-expire": ("events.tasks.expire_registration_notes", {"minute": "50", "hour": "3"}),
}


def create_missing(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    created = False
    for name, (task, when) in SCHEDULE.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if isinstance(when, int):
            interval = IntervalSchedule.objects.filter(every=when, period="seconds").first()
            schedule = {"interval": interval or IntervalSchedule.objects.create(every=when, period="seconds")}
        else:
            fields = {"day_of_week": "*", "day_of_month": "*", "month_of_year": "*", "timezone": TIMEZONE, **when}
            crontab = CrontabSchedule.objects.filter(**fields).first()
            schedule = {"crontab": crontab or CrontabSchedule.objects.create(**fields)}
        PeriodicTask.objects.create(name=name, task=task, **schedule)
        created = True
    if created:
        # A running beat reloads its schedule when this timestamp moves (the admin does the same).
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0004_site_id_sequence"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_missing, migrations.RunPython.noop)]
