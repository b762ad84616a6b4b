"""The protected exchange area for approved participants and staff."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.app_parts import AppParts, PersonalData


class ForumConfig(AppParts, AppConfig):
    name = "forum"
    verbose_name = _("Forum")
    personal_data = PersonalData("forum")
    # Threads, replies and Praxistipps.
    demo = ("forum.demo.seed",)
    # A withdrawn registration stops forum mail; what admin deletes leaves the index and storage too.
    receivers = "forum.receivers"
