"""Celery beat tasks of accounts: deletions after the stated retention periods."""
from celery import shared_task

from . import retention


@shared_task(name="accounts.tasks.accounts_retention")
def expire_retained_accounts() -> dict:
    return {"closed_registrations": retention.closed_registrations_expire(),
            "unconfirmed_accounts": retention.unconfirmed_accounts_expire()}
