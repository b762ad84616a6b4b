"""Django admin's changelists with their request values checked first: garbage answers 400, never 500.

Django's admin turns a posted selection into ``pk__in`` and the date navigation into ``int()`` unchecked,
so ``_selected_action=abc`` on any list answered a server error. ``check_every_changelist`` (called from
``mentoring.apps``) puts the check in front of every ModelAdmin's changelist, the project's and Django's own.
NUL bytes never get here: mentoring.middleware refuses them for every request.
"""
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import BadRequest
from django.utils.translation import gettext_lazy as _

from .params import parse_id

DATE_PARTS = ("year", "month", "day")


def refuse_garbage(model_admin: admin.ModelAdmin, request) -> None:
    """Raise ``BadRequest`` (400) for a selection that is not a list of ids or a date part that is no number."""
    if not all(parse_id(value) for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
        raise BadRequest(_("Die Auswahl ist ungültig."))
    if model_admin.date_hierarchy:
        for part in DATE_PARTS:
            value = request.GET.get(f"{model_admin.date_hierarchy}__{part}")
            if value is not None and not (value.isascii() and value.isdigit() and len(value) <= 4):
                raise BadRequest(_("Das Datum ist ungültig."))


def check_every_changelist() -> None:
    """Every ModelAdmin's changelist refuses garbage before Django's code reads it (idempotent)."""
    original = admin.ModelAdmin.changelist_view
    if getattr(original, "refuses_garbage", False):
        return

    def changelist_view(self, request, extra_context=None):
        refuse_garbage(self, request)
        return original(self, request, extra_context)

    changelist_view.refuses_garbage = True
    admin.ModelAdmin.changelist_view = changelist_view
