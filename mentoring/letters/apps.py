"""Letters to participants: their own app above the feature apps (they choose groups across them)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.app_parts import AppParts, PersonalData


class LettersConfig(AppParts, AppConfig):
    name = "mentoring.letters"
    label = "letters"
    verbose_name = _("Rundschreiben")
    personal_data = PersonalData("rundschreiben")
    # One draft letter to the approved participants.
    demo = ("mentoring.letters.demo.seed",)
    # A withdrawn news consent withdraws the news mails still waiting for the person.
    receivers = "mentoring.letters.receivers"
