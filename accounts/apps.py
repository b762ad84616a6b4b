"""People: users, organisations, the topic taxonomy, profiles, registrations, consents."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Teilnehmer*innen und Anmeldungen")

    def ready(self):
        from django.core import checks

        from mentoring.kernel import history

        from . import history as person_history
        from .retention import check_periods

        checks.register(check_periods)
        history.register("accounts", order=10, sections=person_history.registration_sections)
        history.register("emails", order=90, sections=person_history.mail_sections)
