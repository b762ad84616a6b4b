"""A service's refusal on an admin form page is a message on that page, never a server error, never half-saved.

Admin's ``save_model`` hands the change to the app's service, which checks its rules again under row locks.
A refusal only those locks see (a registration, a send or another staff member's edit in between) raised
out of ``save_model`` and answered 500; a caught one let Django save the form's relations and say "changed
successfully" next to the refusal. ``refusals_end_the_save`` (called from ``mentoring.apps``) catches a
``Refusal`` around every change form: Django's ``changeform_view`` runs in one transaction, so nothing of the
save stays, and the staff member is back on the page with the reason.
"""
from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from .errors import Refusal


def refusals_end_the_save() -> None:
    """Every ModelAdmin's add and change page turns a service's ``Refusal`` into its message (idempotent)."""
    original = admin.ModelAdmin.changeform_view
    if getattr(original, "ends_on_refusal", False):
        return

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return original(self, request, object_id, form_url, extra_context)
        try:
            return original(self, request, object_id, form_url, extra_context)
        except Refusal as refusal:  # the transaction around the save is rolled back: nothing of it stays
            for message in refusal.errors.values():
                self.message_user(request, str(message), messages.ERROR)
            # Back to the page as it is stored now (what was typed is gone with the save: the page says why).
            return HttpResponseRedirect(request.get_full_path())

    changeform_view.ends_on_refusal = True
    admin.ModelAdmin.changeform_view = changeform_view
