"""App config for the project package: it owns the outbox and the site pages."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Plattform")

    def ready(self):
        from . import privacy, services

        privacy.register("barrierefreiheit", export=services.barrier_reports_personal_data,
                         erase=services.barrier_reports_erase)
