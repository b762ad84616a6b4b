"""Celery tasks of the matching app: large runs and the daily Tandem reminders."""
from celery import shared_task

from . import services


@shared_task
def execute_match_run(run_pk: int) -> None:
    services.match_run_claimed_execute(run_pk=run_pk)


@shared_task
def recover_match_runs() -> dict:
    return services.match_runs_recover()


@shared_task
def send_tandem_reminders() -> dict:
    return services.tandem_reminders()


@shared_task
def run_daily_tandem_purpose() -> dict:
    """Daily: Vereinbarung reminders, Kurzbefragungen, and closing reviews at the planned end."""
    return services.tandem_purpose_daily()
