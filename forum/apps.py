"""The protected exchange area for approved participants and staff."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.app_parts import AppParts, PersonalData


class ForumConfig(AppParts, AppConfig):
    name = "forum"
    verbose_name = _("Forum")
    personal_data = PersonalData("forum", export="forum.services.personal_data",
                                 erase="forum.services.personal_data_erase")
    # Threads, replies and Praxistipps.
    demo = ("forum.demo.seed",)

    def ready(self):
        super().ready()
        from accounts.signals import registration_withdrawn

        from .receivers import (
            delete_attachment_file,
            reindex_after_post_deleted,
            stop_notifications_on_withdrawal,
            unindex_deleted_thread,
        )

        registration_withdrawn.connect(stop_notifications_on_withdrawal, dispatch_uid="forum_stop_notifications")

        from django.db.models.signals import post_delete

        post_delete.connect(unindex_deleted_thread, sender="forum.Thread", dispatch_uid="forum_unindex_thread")
        post_delete.connect(reindex_after_post_deleted, sender="forum.Post", dispatch_uid="forum_reindex_post")
        post_delete.connect(delete_attachment_file, sender="forum.Attachment", dispatch_uid="forum_attachment_file")
