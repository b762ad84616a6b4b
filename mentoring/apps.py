"""App config for the project package: it owns the outbox and the site pages."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .kernel.admin_input import check_every_changelist, filter_only_through_visible_models
from .kernel.admin_links import link_readonly_references_by_permission
from .kernel.app_parts import AppParts, HistoryPart, PersonalData


class MentoringConfig(AppParts, AppConfig):
    name = "mentoring"
    verbose_name = _("Plattform")
    personal_data = PersonalData("barrierefreiheit", export="mentoring.pages.services.barrier_reports_personal_data",
                                 erase="mentoring.pages.services.barrier_reports_erase")
    history = (HistoryPart("barrierefreiheit", order=60, sections="mentoring.pages.history.sections"),)

    def ready(self):
        super().ready()
        from django.db.models.signals import post_delete, post_save, pre_save

        from .pages import services
        from .pages.models import SignLanguageVideo

        # A replaced, cleared or deleted sign-language file leaves storage with the change.
        pre_save.connect(lambda instance, **kwargs: services.sign_language_files_note_replaced(video=instance),
                         sender=SignLanguageVideo, weak=False, dispatch_uid="sign_language_files_note_replaced")
        post_save.connect(lambda instance, **kwargs: services.sign_language_files_delete_replaced(video=instance),
                          sender=SignLanguageVideo, weak=False, dispatch_uid="sign_language_files_delete_replaced")
        post_delete.connect(lambda instance, **kwargs: services.sign_language_files_delete(video=instance),
                            sender=SignLanguageVideo, weak=False, dispatch_uid="sign_language_files_delete")
        _autocomplete_ignores_invalid_ids()
        link_readonly_references_by_permission()
        check_every_changelist()
        filter_only_through_visible_models()


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
