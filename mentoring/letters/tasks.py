"""Celery tasks of the letters: write a large letter's mails, finish deliveries that stalled."""
from celery import shared_task

from . import services


@shared_task
def deliver_letter(letter_pk: int) -> int:
    return services.letter_deliver(letter_pk=letter_pk)


@shared_task
def resume_letters() -> int:
    """Celery beat, every minute: letters whose task never ran (broker down) or whose worker died."""
    return services.letters_resume()
