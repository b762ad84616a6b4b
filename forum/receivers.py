"""Reactions of the forum to events elsewhere in the platform."""
from django.db.models import QuerySet

from . import services
from .models import Thread


def stop_notifications_on_withdrawal(sender, user, by=None, **kwargs):
    """A withdrawn registration closes the forum: no more mails or digests for that person."""
    services.subscriptions_remove(user=user)


def unindex_deleted_thread(sender, instance, **kwargs):
    """A thread deleted in the admin leaves the search index with its words."""
    services.thread_unindex(thread_id=instance.pk)


def reindex_after_post_deleted(sender, instance, origin=None, **kwargs):
    """A post deleted in the admin is no longer found or counted; posts going with their thread need nothing."""
    if isinstance(origin, Thread) or (isinstance(origin, QuerySet) and origin.model is Thread):
        return
    services.threads_refresh(thread_ids={instance.thread_id})


def delete_attachment_file(sender, instance, **kwargs):
    """An attachment deleted with its post or thread (in the admin) takes its stored file along."""
    services.attachment_file_delete(attachment=instance)
