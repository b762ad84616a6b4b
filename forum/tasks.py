"""Celery tasks of the forum."""
from celery import shared_task

from . import services


@shared_task(name="forum.tasks.send_daily_digests")
def send_daily_digests() -> int:
    """Daily (Celery beat): one digest mail per person who chose the daily summary."""
    return services.digests_send_all()
