"""Celery tasks of the forum."""
from celery import shared_task

from . import services


@shared_task
def send_daily_digests() -> int:
    """Daily (Celery beat): one digest mail per person who chose the daily summary."""
    return services.digests_send_all()


@shared_task
def notify_post(post_pk: int) -> int:
    """After a post is committed: mails and digest entries for the followers of its thread and category."""
    return services.post_notify_by_pk(post_pk=post_pk)


@shared_task
def notify_pending_posts() -> int:
    """Every five minutes (Celery beat): notify about posts whose task never ran (the broker was down)."""
    return services.posts_notify_pending()
