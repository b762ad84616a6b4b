"""Reactions of the forum to events elsewhere in the platform (declared on the AppConfig: ``receivers``)."""
from django.db.models import QuerySet
from django.db.models.signals import post_delete
from django.dispatch import receiver

from accounts.signals import registration_withdrawn

from . import services
from .models import Thread


@receiver(registration_withdrawn, dispatch_uid="forum_stop_notifications")
def stop_notifications_on_withdrawal(sender, user, by=None, **kwargs):
    """A withdrawn registration closes the forum: no more mails or digests for that person."""
    services.subscriptions_remove(user=user)


@receiver(post_delete, sender="forum.Thread", dispatch_uid="forum_unindex_thread")
def unindex_deleted_thread(sender, instance, **kwargs):
    """A thread deleted in the admin leaves the search index with its words."""
    services.thread_unindex(thread_id=instance.pk)


@receiver(post_delete, sender="forum.Post", dispatch_uid="forum_reindex_post")
def reindex_after_post_deleted(sender, instance, origin=None, **kwargs):
    """A post deleted in the admin is no longer found or counted; posts going with their thread need nothing."""
    if isinstance(origin, Thread) or (isinstance(origin, QuerySet) and origin.model is Thread):
        return
    services.threads_refresh(thread_ids={instance.thread_id})


@receiver(post_delete, sender="forum.Attachment", dispatch_uid="forum_attachment_file")
def delete_attachment_file(sender, instance, **kwargs):
    """An attachment deleted with its post or thread (in the admin) takes its stored file along."""
    services.attachment_file_delete(attachment=instance)
