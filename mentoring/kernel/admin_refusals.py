"""A service's refusal on an admin form page is an error next to its field, never a 500, never half-saved.

Admin's ``save_model`` hands the change to the app's service, which checks its rules again under row locks.
A refusal only those locks see (a registration, a send or another staff member's edit in between) raised
out of ``save_model`` and answered 500; a caught one let Django save the form's relations and say "changed
successfully" next to the refusal. ``refusals_end_the_save`` (called from ``mentoring.apps``) catches a
``Refusal`` around every change form: Django's ``changeform_view`` runs in one transaction, so nothing of the
save stays. The page is then built again from what the staff member typed, with each reason next to the field
it names (``add_service_error``), as any other mistake on the form is shown.
"""
from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from .errors import Refusal
from .forms import add_service_error

# The refusal of the save just rolled back, on the request that shows it again.
_REFUSAL = "_admin_refusal"


def refusals_end_the_save() -> None:
    """Every ModelAdmin's add and change page turns a service's ``Refusal`` into its errors (idempotent)."""
    original_view = admin.ModelAdmin.changeform_view
    if getattr(original_view, "ends_on_refusal", False):
        return
    original_get_form = admin.ModelAdmin.get_form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return original_view(self, request, object_id, form_url, extra_context)
        try:
            return original_view(self, request, object_id, form_url, extra_context)
        except Refusal as refusal:  # the transaction around the save is rolled back: nothing of it stays
            setattr(request, _REFUSAL, refusal)
        try:
            # The same POST again: the form now carries the refusal, is invalid and shows what was typed.
            return original_view(self, request, object_id, form_url, extra_context)
        except Refusal as refusal:  # a form admin builds without ``get_form``: the reasons as messages
            for message in refusal.errors.values():
                self.message_user(request, str(message), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = original_get_form(self, request, obj, change, **kwargs)
        refusal = getattr(request, _REFUSAL, None)
        if refusal is None:
            return form

        class Refused(form):
            def clean(self):
                cleaned_data = super().clean()
                add_service_error(self, refusal)
                return cleaned_data

        Refused.__name__ = form.__name__
        return Refused

    changeform_view.ends_on_refusal = True
    get_form.__wrapped__ = original_get_form
    admin.ModelAdmin.changeform_view = changeform_view
    admin.ModelAdmin.get_form = get_form
