"""Pairing: the matching engine, match runs with proposals, Tandems and their life."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.app_parts import AppParts, HistoryPart, PersonalData


class MatchingConfig(AppParts, AppConfig):
    name = "matching"
    verbose_name = _("Matching und Tandems")
    personal_data = PersonalData("matching",
                                 # Private meeting notes: nobody else reads them, staff included.
                                 personal_only=("ihre_private_notiz",))
    history = (HistoryPart("matching", order=40, sections="matching.history.sections"),)
    # Tandems from a first matching run.
    demo = ("matching.demo.seed",)
    # A withdrawn registration or partner-sharing consent ends the person's Tandems; /profil/ asks the outlook.
    receivers = "matching.receivers"
