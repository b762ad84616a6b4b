"""Celery tasks of the kernel: deliver and flush the outbox, purge mail that outlived its retention period.

The kernel's own tasks (``mentoring.celery`` discovers this module beside every app's ``tasks``), so that
the outbox enqueues its delivery without importing anything above the kernel. Task functions are named verb
first and never like the service they call, and are registered under their own paths.
"""
from celery import shared_task
from django.utils import timezone

from . import mail


@shared_task(bind=True, max_retries=None)
def deliver_outbox_message(self, message_pk: int) -> None:
    # A worker sends the other due messages over the same connection; eager (tests, ``make
    # run``) sends just this one, as the caller expects.
    message = mail.outbox_deliver(message_pk=message_pk, with_due=not self.request.is_eager)
    if message is not None and message.status == message.Status.PENDING and not self.request.is_eager:
        # Retry at the time the outbox recorded (exponential backoff); a flush would too.
        countdown = max(1, int((message.next_attempt_at - timezone.now()).total_seconds()))
        raise self.retry(countdown=countdown)


@shared_task
def flush_outbox() -> int:
    return mail.outbox_flush()


@shared_task
def purge_expired_outbox_messages() -> int:
    return mail.outbox_purge_expired()
