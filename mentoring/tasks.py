"""Celery tasks of the mentoring app's site pages and sessions: purge barrier reports that outlived their
retention period, clear expired sessions. The outbox's tasks are the kernel's (``mentoring/kernel/tasks.py``).

Task functions are named verb first and never like the service they call, and are registered under their own
paths.
"""
from celery import shared_task

from .pages import services


@shared_task
def purge_expired_barrier_reports() -> int:
    return services.barrier_reports_purge_expired()


@shared_task
def clear_expired_sessions() -> None:
    """Sessions past their end (SESSION_COOKIE_AGE) leave the database: nothing else ever deletes them."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
