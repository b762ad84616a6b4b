"""Letters to participants: their own app above the feature apps (they choose groups across them)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "mentoring.letters"
    label = "letters"
    verbose_name = _("Rundschreiben")

    def ready(self):
        from mentoring.kernel import privacy

        from . import services

        privacy.register("rundschreiben", export=services.personal_data, erase=services.personal_data_erase)

    def seed_demo(self, *, staff, stdout):
        """Demo content for ``manage.py seed_demo``: one draft letter to the approved participants."""
        from .demo import seed

        seed(staff=staff, stdout=stdout)
