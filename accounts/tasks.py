"""Celery beat tasks of accounts: deletions after the stated retention periods."""
from celery import shared_task

from . import retention


@shared_task
def accounts_retention() -> dict:
    return {"closed_registrations": retention.closed_registrations_expire(),
            "unconfirmed_accounts": retention.unconfirmed_accounts_expire()}
