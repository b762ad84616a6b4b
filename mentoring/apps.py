"""App config for the project package: it owns the outbox and the site pages."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Plattform")

    def ready(self):
        from .kernel import history, privacy
        from .pages import history as pages_history
        from .pages import services

        privacy.register("barrierefreiheit", export=services.barrier_reports_personal_data,
                         erase=services.barrier_reports_erase)
        history.register("barrierefreiheit", order=60, sections=pages_history.sections)
        _autocomplete_ignores_invalid_ids()


def _autocomplete_ignores_invalid_ids():
    """Admin's autocomplete widget re-renders a posted id by querying it: "abc" for a number crashed.

    Django filters the related model by every submitted value to show the chosen options; a
    value the key field cannot hold raised ValueError (a 500) instead of the form's own error.
    """
    from django.contrib.admin.widgets import AutocompleteMixin
    from django.core.exceptions import ValidationError
    from django.db import connection

    original = AutocompleteMixin.optgroups

    def holds(target, value) -> bool:
        try:
            number = target.to_python(value)
        except ValidationError:
            return False
        if not isinstance(number, int):
            return True
        low, high = connection.ops.integer_field_range(target.get_internal_type())
        return (low is None or number >= low) and (high is None or number <= high)

    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        return original(self, name, [v for v in value if holds(target, v)], attr)

    AutocompleteMixin.optgroups = optgroups
