"""The cockpit as a Django app: its one table of kept figures, its part of erasure, its demo history."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.app_parts import AppParts, PersonalData


class CockpitConfig(AppParts, AppConfig):
    name = "mentoring.cockpit"
    label = "cockpit"
    verbose_name = _("Übersicht")
    # Before an account goes, its part of past months' figures is kept as anonymous counts.
    personal_data = PersonalData("cockpit", erase="mentoring.cockpit.services.erased_figures_keep")
    # A year of history for the demo programme, so that the overview has months to show; then the
    # Vereinbarungen, Kurzbefragungen and reviews that follow the Tandems' back-dated starts.
    demo = ("mentoring.cockpit.demo.seed", "matching.demo_purpose.seed")
