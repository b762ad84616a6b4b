"""Celery tasks of the kernel: deliver and flush the outbox, purge what outlived its retention period.

Task functions are named verb first and never like the service they call; the registered
names stay as they were, so messages already queued and the beat rows still find them.
"""
from celery import shared_task
from django.utils import timezone

from .kernel import mail
from .pages import services


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


@shared_task
def purge_expired_barrier_reports() -> int:
    return services.barrier_reports_purge_expired()


@shared_task
def clear_expired_sessions() -> None:
    """Sessions past their end (SESSION_COOKIE_AGE) leave the database: nothing else ever deletes them."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
