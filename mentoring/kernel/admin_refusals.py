"""A service's refusal on an admin form page is an error next to its field, never a 500, never half-saved.

Admin's ``save_model`` hands the change to the app's service, which checks its rules again under row locks.
A refusal only those locks see (a registration, a send or another staff member's edit in between) raised
out of ``save_model`` and answered 500; a caught one let Django save the form's relations and say "changed
successfully" next to the refusal. ``RefusalsEndTheSave`` (which ``mentoring.kernel.admin_site`` gives every
admin on the site) catches a ``Refusal`` around the change form: Django's ``changeform_view`` runs in one
transaction, so nothing of the save stays. The page is then built again from what the staff member typed, with
each reason next to the field it names (``add_service_error``), as any other mistake on the form is shown.
"""
import contextlib

from django.contrib import messages
from django.db import router, transaction
from django.http import HttpResponseRedirect

from .errors import Refusal
from .forms import add_service_error

# The refusal of the save just rolled back, on the request that shows it again; and whether its form showed it.
_REFUSAL, _SHOWN = "_admin_refusal", "_admin_refusal_shown"


class RefusalsEndTheSave:
    """A ``ModelAdmin``'s add and change page turns a service's ``Refusal`` into its form's errors."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refusal as refusal:  # the transaction around the save is rolled back: nothing of it stays
            setattr(request, _REFUSAL, refusal)
        for _name, uploads in request.FILES.lists():
            for upload in uploads:
                # Read once by the first try (one it stored and moved away: the form says the file is missing).
                with contextlib.suppress(OSError, ValueError):
                    upload.seek(0)
        storage = messages.get_messages(request)
        queued = list(storage._queued_messages)
        try:
            # The same POST again: the form now carries the refusal, is invalid and shows what was typed. Should
            # the form not come from ``get_form`` (so not carry it), this try is rolled back whatever it did,
            # and so is what it said ("changed successfully").
            with transaction.atomic(using=router.db_for_write(self.model)):
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if not getattr(request, _SHOWN, False):
                    raise getattr(request, _REFUSAL)
            return response
        except Refusal as refused:  # the reasons as messages on the page as it is stored
            storage._queued_messages[:] = queued
            for message in refused.errors.values():
                self.message_user(request, str(message), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, *args, **kwargs):
        form = super().get_form(request, *args, **kwargs)
        refusal = getattr(request, _REFUSAL, None)
        if refusal is None:
            return form

        class Refused(form):
            def clean(self):
                cleaned_data = super().clean()
                add_service_error(self, refusal)
                setattr(request, _SHOWN, True)
                return cleaned_data

        Refused.__name__ = form.__name__
        return Refused
