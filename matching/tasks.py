"""Celery tasks of the matching app: large runs and the daily Tandem reminders."""
from celery import shared_task

from . import services


@shared_task(name="matching.tasks.match_run_execute")
def execute_match_run(run_pk: int) -> None:
    run = services.match_run_claim(run_pk=run_pk)
    if run is not None:
        services.match_run_execute(run=run)


@shared_task(name="matching.tasks.match_runs_recover")
def recover_match_runs() -> dict:
    return services.match_runs_recover()


@shared_task(name="matching.tasks.tandem_reminders")
def send_tandem_reminders() -> dict:
    return services.tandem_reminders()


@shared_task(name="matching.tasks.tandem_purpose")
def tandem_purpose() -> dict:
    """Daily: Vereinbarung reminders, Kurzbefragungen, and closing reviews at the planned end."""
    return services.tandem_purpose_daily()
