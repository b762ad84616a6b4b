"""People: users, organisations, the topic taxonomy, profiles, registrations, consents."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.app_parts import AppParts, HistoryPart


class AccountsConfig(AppParts, AppConfig):
    name = "accounts"
    verbose_name = _("Teilnehmer*innen und Anmeldungen")
    history = (HistoryPart("accounts", order=10, sections="accounts.history.registration_sections"),
               HistoryPart("emails", order=90, sections="accounts.history.mail_sections"))

    def ready(self):
        super().ready()
        from django.core import checks

        from .retention import check_periods

        checks.register(check_periods)
