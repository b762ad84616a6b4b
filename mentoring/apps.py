"""App config for the project package: it owns the outbox and the site pages."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

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

        from . import checks  # noqa: F401 - registers the deploy check of the programme's contact data
        from .kernel import choice_keys
        from .pages import services
        from .pages.models import SignLanguageVideo

        # A replaced, cleared or deleted sign-language file leaves storage with the change.
        pre_save.connect(lambda instance, **kwargs: services.sign_language_files_note_replaced(video=instance),
                         sender=SignLanguageVideo, weak=False, dispatch_uid="sign_language_files_note_replaced")
        post_save.connect(lambda instance, **kwargs: services.sign_language_files_delete_replaced(video=instance),
                          sender=SignLanguageVideo, weak=False, dispatch_uid="sign_language_files_delete_replaced")
        post_delete.connect(lambda instance, **kwargs: services.sign_language_files_delete(video=instance),
                            sender=SignLanguageVideo, weak=False, dispatch_uid="sign_language_files_delete")
        choice_keys.autocomplete_ignores_keys_no_row_can_have()
        choice_keys.refuse_keys_no_row_can_have()
        link_readonly_references_by_permission()

