"""Celery tasks of the events app."""
from celery import shared_task

from . import services


@shared_task
def send_event_reminders() -> int:
    """Celery beat, every 15 minutes: reminders about a day before each event."""
    return services.event_reminders_send()


@shared_task
def expire_registration_notes() -> int:
    """Celery beat, nightly: notes on registrations for events that ended long enough ago are cleared."""
    return services.registration_notes_expire()
