"""Celery beat tasks of accounts: deletions after the stated retention periods."""
from celery import shared_task

from . import retention


@shared_task(name="accounts.tasks.accounts_retention")
def expire_retained_accounts() -> dict:
    return retention.accounts_expire()
