"""Veranstaltungen: listing, registration with capacity and waitlist, calendar, reminders."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self):
        from mentoring.kernel import privacy

        from . import services as app_services

        privacy.register("events", export=app_services.personal_data, erase=app_services.personal_data_erase)

        from . import receivers  # noqa: F401 - connects the signal receivers

    def seed_demo(self, *, staff, stdout):
        """Demo content for ``manage.py seed_demo``: Veranstaltungen with registrations."""
        from .demo import seed

        seed(staff=staff, stdout=stdout)
