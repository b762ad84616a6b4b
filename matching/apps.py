"""Pairing: the matching engine, match runs with proposals, Tandems and their life."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching und Tandems")

    def ready(self):
        from accounts.signals import registration_withdrawn

        from .receivers import end_tandems_on_withdrawal

        registration_withdrawn.connect(end_tandems_on_withdrawal, dispatch_uid="matching-end-tandems")
