"""Celery the Django way: publish after commit without ever failing the request, tasks named
apart from the services they call and registered under their own paths, and the beat schedule
held in one place (the database)."""
import importlib
import inspect
import pkgutil
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from matching.tasks import execute_match_run
from mentoring import celery as project_celery
from mentoring.celery import app as celery_app
from mentoring.kernel import mail
from mentoring.kernel.tasks import deliver_outbox_message, flush_outbox
from mentoring.models import OutboxMessage
from mentoring.tests.test_outbox import broker
from mentoring.tests.test_redis_outage import closed_port

APPS = ("mentoring", "accounts", "matching", "forum", "events")
# What the programme runs on its own, as staff find it after migrate: name -> (task, minute, hour).
PERIODIC = {
    "outbox-flush": ("mentoring.kernel.tasks.flush_outbox", None, None),
    "matching-tandem-reminders": ("matching.tasks.send_tandem_reminders", "0", "7"),
    "forum-daily-digest": ("forum.tasks.send_daily_digests", "30", "6"),
    "events-reminders": ("events.tasks.send_event_reminders", "*/15", "*"),
    "outbox-purge-expired": ("mentoring.kernel.tasks.purge_expired_outbox_messages", "0", "3"),
    "barrier-reports-purge-expired": ("mentoring.tasks.purge_expired_barrier_reports", "10", "3"),
    "accounts-retention": ("accounts.tasks.expire_retained_accounts", "20", "3"),
    "matching-runs-recover": ("matching.tasks.recover_match_runs", "*/5", "*"),
    "letters-resume": ("mentoring.letters.tasks.resume_letters", "*", "*"),
    "accounts-intro-reminders": ("accounts.tasks.send_intro_reminders", "0", "7"),
    "matching-tandem-purpose": ("matching.tasks.run_daily_tandem_purpose", "30", "7"),
    "forum-notify-pending": ("forum.tasks.notify_pending_posts", "*/5", "*"),
    "sessions-clear-expired": ("mentoring.tasks.clear_expired_sessions", "40", "3"),
    "events-notes-expire": ("events.tasks.expire_registration_notes", "50", "3"),
}
FAST = 1.5


@pytest.fixture
def dead_broker():
    with broker(f"redis://127.0.0.1:{closed_port()}/14"):
        yield


def project_tasks():
    celery_app.loader.import_default_modules()  # the autodiscovery a worker does when it starts
    return {name: task for name, task in celery_app.tasks.items() if name.split(".")[0] in APPS}


def test_every_project_task_has_the_safe_task_class():
    tasks = project_tasks()
    assert len(tasks) >= 9
    for name, task in tasks.items():
        assert isinstance(task, project_celery.Task), name


@pytest.mark.django_db
def test_broker_down_publish_after_commit_returns_at_once_and_the_flush_delivers(dead_broker, mailoutbox, caplog,
                                                                                 django_capture_on_commit_callbacks):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        message = mail.mail_queue(key="celery:down", to="a@example.org", template="account_deleted", language="de")
    elapsed = time.monotonic() - started
    assert len(callbacks) == 1, "handed to Celery only on commit"
    assert elapsed < FAST, f"the commit waited {elapsed:.2f}s for the dead broker"
    assert "not handed to the broker" in caplog.text
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.PENDING
    assert mailoutbox == []
    assert flush_outbox() == 1
    assert [m.to for m in mailoutbox] == [["a@example.org"]]


@pytest.mark.django_db
def test_any_task_published_after_commit_never_raises_when_the_broker_is_down(dead_broker,
                                                                              django_capture_on_commit_callbacks):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        execute_match_run.delay_on_commit(1)
        deliver_outbox_message.apply_async_on_commit((1,), countdown=5)
    assert time.monotonic() - started < FAST


@pytest.mark.django_db
def test_nothing_is_published_when_the_transaction_rolls_back(monkeypatch, django_capture_on_commit_callbacks):
    published = []
    task = deliver_outbox_message._get_current_object()
    monkeypatch.setattr(task, "apply_async", lambda args=None, kwargs=None, **options: published.append(args))
    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
        mail.mail_queue(key="celery:rollback", to="a@example.org", template="account_deleted", language="de")
        raise RuntimeError
    assert callbacks == [] and published == []
    with django_capture_on_commit_callbacks(execute=True):
        message = mail.mail_queue(key="celery:commit", to="a@example.org", template="account_deleted", language="de")
    assert published == [(message.pk,)]


def service_function_names() -> dict[str, str]:
    """Every function defined in the apps outside tasks modules, tests and migrations."""
    names = {}
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            parts = info.name.split(".")
            if {"tests", "migrations", "tasks", "settings"} & set(parts):
                continue
            module = importlib.import_module(info.name)
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ == module.__name__:
                    names[name] = module.__name__
    return names


def test_no_task_function_shares_its_name_with_another_function():
    functions = service_function_names()
    assert "outbox_deliver" in functions and "match_run_execute" in functions, "the walk found the services"
    clashes = {task.run.__name__: (name, functions[task.run.__name__]) for name, task in project_tasks().items()
               if task.run.__name__ in functions}
    assert clashes == {}


def test_every_task_is_registered_under_its_own_functions_path():
    """A beat row or a worker's log names the function a reader finds, never the service it calls."""
    tasks = project_tasks()
    assert "matching.tasks.execute_match_run" in tasks and "mentoring.kernel.tasks.deliver_outbox_message" in tasks
    wrong = {name: f"{task.run.__module__}.{task.run.__name__}" for name, task in tasks.items()
             if name != f"{task.run.__module__}.{task.run.__name__}"}
    assert wrong == {}


@pytest.mark.django_db(transaction=True)
def test_beat_rows_of_a_database_from_before_follow_the_new_task_names():
    """A database migrated when tasks had names of their own: its rows run the same tasks afterwards, and a
    row staff pointed elsewhere, or the times they set, stay."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    renamed = {**importlib.import_module("mentoring.migrations.0014_beat_task_names").RENAMED,
               **importlib.import_module("mentoring.migrations.0015_beat_tandem_purpose_name").RENAMED}
    executor = MigrationExecutor(connection)
    executor.migrate([("mentoring", "0013_beat_sessions_clear")])
    try:
        assert PeriodicTask.objects.get(name="outbox-flush").task == "mentoring.tasks.outbox_flush"
        assert PeriodicTask.objects.get(name="matching-tandem-purpose").task == "matching.tasks.tandem_purpose"
        PeriodicTask.objects.filter(name="forum-daily-digest").update(task="mentoring.tasks.outbox_flush")
        PeriodicTask.objects.filter(name="events-reminders").update(enabled=False)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    registered = project_tasks()
    for row in PeriodicTask.objects.exclude(name="celery.backend_cleanup"):
        assert row.task not in renamed and row.task in registered, row.name
    assert PeriodicTask.objects.get(name="forum-daily-digest").task == "mentoring.kernel.tasks.flush_outbox"
    assert not PeriodicTask.objects.get(name="events-reminders").enabled


@pytest.mark.django_db
def test_every_periodic_task_is_there_after_migrate_and_registered():
    rows = {task.name: task for task in PeriodicTask.objects.select_related("crontab", "interval")}
    for name, (task, minute, hour) in PERIODIC.items():
        row = rows[name]
        assert (row.task, row.enabled) == (task, True), name
        if minute is None:
            assert (row.interval.every, row.interval.period) == (60, "seconds")
        else:
            assert (row.crontab.minute, row.crontab.hour, str(row.crontab.timezone)) == (minute, hour,
                                                                                         "Europe/Berlin"), name
    registered = project_tasks()
    for row in rows.values():
        assert row.task in registered, f"{row.name} runs {row.task}, which no worker knows"


@pytest.mark.django_db
def test_staff_edits_survive_a_beat_start_and_the_seed(monkeypatch):
    # Beat closes stale connections; here that would close the test's own transaction.
    monkeypatch.setattr("django_celery_beat.schedulers.close_old_connections", lambda: None)
    digest = PeriodicTask.objects.get(name="forum-daily-digest")
    digest.crontab = CrontabSchedule.objects.create(minute="15", hour="8", timezone="Europe/Berlin")
    digest.save()
    PeriodicTask.objects.filter(name="events-reminders").update(enabled=False)
    count = PeriodicTask.objects.count()

    # What `celery beat` does when it starts; it loads the crontab rows due within about two hours.
    with time_machine.travel(datetime(2026, 11, 26, 7, 30, tzinfo=ZoneInfo("Europe/Berlin"))):
        schedule = DatabaseScheduler(app=celery_app).schedule
    importlib.import_module("mentoring.migrations.0005_beat_schedule").create_missing(apps, None)

    digest.refresh_from_db()
    assert (digest.crontab.minute, digest.crontab.hour) == ("15", "8")
    assert not PeriodicTask.objects.get(name="events-reminders").enabled
    assert "events-reminders" not in schedule
    assert schedule["forum-daily-digest"].schedule.hour == {8}
    assert PeriodicTask.objects.count() == count, "beat adds no rows of its own"



@pytest.mark.django_db
def test_expired_sessions_leave_the_database(client):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.tests.factories import UserFactory
    from mentoring.tasks import clear_expired_sessions

    client.force_login(UserFactory())
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1))
    clear_expired_sessions()
    assert list(Session.objects.values_list("session_key", flat=True)) == [client.session.session_key]
