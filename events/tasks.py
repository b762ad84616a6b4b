"""Celery tasks of the events app."""
from celery import shared_task

from . import services


@shared_task
def send_event_reminders() -> int:
    """Celery beat, every 15 minutes: reminders about a day before each event."""
    return services.event_reminders_send()
