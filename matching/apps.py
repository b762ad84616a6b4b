"""Pairing: the matching engine, match runs with proposals, Tandems and their life."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching und Tandems")

    def ready(self):
        from mentoring.kernel import privacy

        from . import services as app_services

        privacy.register("matching", export=app_services.personal_data, erase=app_services.personal_data_erase)

        from mentoring.kernel import history

        from . import history as person_history

        history.register("matching", order=40, sections=person_history.sections)

        from accounts.signals import partner_sharing_withdrawn, registration_withdrawn

        from .receivers import end_tandems_on_partner_sharing_withdrawal, end_tandems_on_withdrawal

        registration_withdrawn.connect(end_tandems_on_withdrawal, dispatch_uid="matching-end-tandems")
        partner_sharing_withdrawn.connect(end_tandems_on_partner_sharing_withdrawal,
                                          dispatch_uid="matching-end-tandems-partner-sharing")

    def seed_demo(self, *, staff, stdout):
        """Demo content for ``manage.py seed_demo``: Tandems from a first matching run."""
        from .demo import seed

        seed(staff=staff, stdout=stdout)
