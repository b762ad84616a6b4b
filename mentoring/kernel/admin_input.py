"""Django admin's changelist with its request values checked first: garbage answers 400, never 500."""
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import BadRequest
from django.utils.translation import gettext_lazy as _

from .params import parse_id

DATE_PARTS = ("year", "month", "day")


class HostileInputAdmin(admin.ModelAdmin):
    """Hand-made garbage in a selection or the date navigation answers 400, not a server error.

    NUL bytes never get here: mentoring.middleware refuses them for every request.
    """

    def changelist_view(self, request, extra_context=None):
        # Django's admin turns the selection into ``pk__in`` and the dates into ``int()`` unchecked.
        if not all(parse_id(value) for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
            raise BadRequest(_("Die Auswahl ist ungültig."))
        if self.date_hierarchy:
            for part in DATE_PARTS:
                value = request.GET.get(f"{self.date_hierarchy}__{part}")
                if value is not None and not (value.isascii() and value.isdigit() and len(value) <= 4):
                    raise BadRequest(_("Das Datum ist ungültig."))
        return super().changelist_view(request, extra_context)
