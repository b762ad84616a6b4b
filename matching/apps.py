"""Pairing: the matching engine, match runs with proposals, Tandems and their life."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.app_parts import AppParts, HistoryPart, PersonalData


class MatchingConfig(AppParts, AppConfig):
    name = "matching"
    verbose_name = _("Matching und Tandems")
    personal_data = PersonalData("matching", export="matching.services.personal_data",
                                 erase="matching.services.personal_data_erase")
    history = (HistoryPart("matching", order=40, sections="matching.history.sections"),)
    # Tandems from a first matching run.
    demo = ("matching.demo.seed",)

    def ready(self):
        super().ready()
        from accounts.signals import matching_outlook, partner_sharing_withdrawn, registration_withdrawn

        from .receivers import (
            answer_matching_outlook,
            end_tandems_on_partner_sharing_withdrawal,
            end_tandems_on_withdrawal,
        )

        registration_withdrawn.connect(end_tandems_on_withdrawal, dispatch_uid="matching-end-tandems")
        partner_sharing_withdrawn.connect(end_tandems_on_partner_sharing_withdrawal,
                                          dispatch_uid="matching-end-tandems-partner-sharing")
        matching_outlook.connect(answer_matching_outlook, dispatch_uid="matching-outlook")
