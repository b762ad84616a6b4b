"""The cockpit as a Django app: its one table of kept figures, its part of erasure, its demo history."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "mentoring.cockpit"
    label = "cockpit"
    verbose_name = _("Übersicht")

    def ready(self):
        from mentoring.kernel import privacy

        from . import services

        # Before an account goes, its part of past months' figures is kept as anonymous counts.
        privacy.register("cockpit", export=services.personal_data, erase=services.erased_figures_keep)

    def seed_demo(self, *, staff, stdout):
        """A year of history for the demo programme, so that the overview has months to show."""
        from matching import demo_purpose

        from .demo import seed

        seed(staff=staff, stdout=stdout)
        # Vereinbarungen, Kurzbefragungen and reviews follow the Tandems' back-dated starts.
        demo_purpose.seed(staff=staff, stdout=stdout)
