"""The protected exchange area for approved participants and staff."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from mentoring.kernel import privacy

        from . import services as app_services

        privacy.register("forum", export=app_services.personal_data, erase=app_services.personal_data_erase)

        from accounts.signals import registration_withdrawn

        from .receivers import reindex_after_post_deleted, stop_notifications_on_withdrawal, unindex_deleted_thread

        registration_withdrawn.connect(stop_notifications_on_withdrawal, dispatch_uid="forum_stop_notifications")

        from django.db.models.signals import post_delete

        post_delete.connect(unindex_deleted_thread, sender="forum.Thread", dispatch_uid="forum_unindex_thread")
        post_delete.connect(reindex_after_post_deleted, sender="forum.Post", dispatch_uid="forum_reindex_post")

    def seed_demo(self, *, staff, stdout):
        """Demo content for ``manage.py seed_demo``: threads, replies and Praxistipps."""
        from .demo import seed

        seed(staff=staff, stdout=stdout)
