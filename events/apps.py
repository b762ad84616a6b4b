"""Veranstaltungen: listing, registration with capacity and waitlist, calendar, reminders."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.app_parts import AppParts, PersonalData


class EventsConfig(AppParts, AppConfig):
    name = "events"
    verbose_name = _("Veranstaltungen")
    personal_data = PersonalData("events",
                                 # The calendar feed's key opens the person's calendar.
                                 personal_only=("schluessel",))
    # Veranstaltungen with registrations.
    demo = ("events.demo.seed",)
    # A withdrawn registration frees the person's places.
    receivers = "events.receivers"
