"""What an app adds to the whole platform, declared on its AppConfig instead of wired by hand."""
from django.utils.module_loading import import_string

from . import privacy


class AppParts:
    """Mixed into an app's AppConfig (``class EventsConfig(AppParts, AppConfig)``); dotted paths, so
    that the kernel names no app:

    - ``personal_data = (label, export, erase)``: the app's part of a person's data export and of
      erasing an account (``mentoring.kernel.privacy``), registered when the app is ready;
    - ``demo = (seed, ...)``: what ``manage.py seed_demo`` runs for the app's demo content, in
      order, each called as ``seed(staff=..., stdout=...)``.

    An app that wires more (signal receivers, its part of the person history) extends ``ready()``
    and calls ``super().ready()`` first.
    """

    personal_data: tuple[str, str, str] | None = None
    demo: tuple[str, ...] = ()

    def ready(self):
        super().ready()
        if self.personal_data:
            label, export, erase = self.personal_data
            privacy.register(label, export=import_string(export), erase=import_string(erase))

    def seed_demo(self, *, staff, stdout):
        for seed in self.demo:
            import_string(seed)(staff=staff, stdout=stdout)
