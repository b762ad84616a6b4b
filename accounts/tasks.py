"""Celery beat tasks of accounts: deletions after the stated retention periods, Kennenlerngespräch reminders."""
from celery import shared_task

from . import intro_calls, retention


@shared_task
def expire_retained_accounts() -> dict:
    return retention.accounts_expire()


@shared_task
def send_intro_reminders() -> int:
    """Celery beat, every morning: reminders of tomorrow's Kennenlerngespräche to participant and host."""
    return intro_calls.intro_reminders_send()
