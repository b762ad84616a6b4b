"""Letters to participants: their own app above the feature apps (they choose groups across them)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.app_parts import AppParts, PersonalData


class LettersConfig(AppParts, AppConfig):
    name = "mentoring.letters"
    label = "letters"
    verbose_name = _("Rundschreiben")
    personal_data = PersonalData("rundschreiben", export="mentoring.letters.services.personal_data",
                                 erase="mentoring.letters.services.personal_data_erase")
    # One draft letter to the approved participants.
    demo = ("mentoring.letters.demo.seed",)

    def ready(self):
        super().ready()
        from accounts.signals import news_withdrawn

        from .services import news_mails_withdraw

        news_withdrawn.connect(lambda sender, user, **kwargs: news_mails_withdraw(user=user), weak=False,
                               dispatch_uid="letters-withdraw-news-mails")
