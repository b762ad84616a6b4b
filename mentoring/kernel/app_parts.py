"""What an app adds to the whole platform, declared on its AppConfig instead of wired by hand."""
from importlib import import_module
from typing import NamedTuple

from django.utils.module_loading import import_string

from . import history, privacy


class PersonalData(NamedTuple):
    """The app's part of a person's data export and of erasing an account (``kernel.privacy``)."""

    label: str
    # Keys of that export only the person's own copy holds; the Koordination's copy says they exist.
    personal_only: tuple[str, ...] = ()
    # Dotted paths of export(*, user) -> data and erase(*, user); by default the app's
    # ``services.personal_data`` and ``services.personal_data_erase``.
    export: str | None = None
    erase: str | None = None


class HistoryPart(NamedTuple):
    """One part of a person's history for staff (``kernel.history``); lower ``order`` comes first."""

    label: str
    order: int
    sections: str  # dotted path of sections(*, user) -> list[history.Section]


class AppParts:
    """Mixed into an app's AppConfig (``class EventsConfig(AppParts, AppConfig)``); dotted paths, so
    that the kernel names no app:

    - ``personal_data = PersonalData(label)``: registered when the app is ready (``export`` and
      ``erase`` name other functions than the app's ``services.personal_data`` and
      ``services.personal_data_erase``);
    - ``history = (HistoryPart(label, order=..., sections=...), ...)``: the app's tables of the
      person history, registered when the app is ready;
    - ``demo = (seed, ...)``: what ``manage.py seed_demo`` runs for the app's demo content, in
      order, each called as ``seed(staff=..., stdout=...)``;
    - ``receivers = "app.receivers"``: the module whose ``@receiver`` functions answer other apps'
      signals, imported when the app is ready.

    An app that wires more (signal receivers, checks) extends ``ready()`` and calls
    ``super().ready()`` first.
    """

    personal_data: PersonalData | None = None
    history: tuple[HistoryPart, ...] = ()
    demo: tuple[str, ...] = ()
    receivers: str | None = None

    def ready(self):
        super().ready()
        if self.receivers:
            import_module(self.receivers)
        if part := self.personal_data:
            privacy.register(part.label, export=import_string(part.export or f"{self.name}.services.personal_data"),
                             erase=import_string(part.erase or f"{self.name}.services.personal_data_erase"),
                             personal_only=part.personal_only)
        for part in self.history:
            history.register(part.label, order=part.order, sections=import_string(part.sections))

    def seed_demo(self, *, staff, stdout):
        for seed in self.demo:
            import_string(seed)(staff=staff, stdout=stdout)
