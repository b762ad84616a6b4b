"""The admin site that gives its rules to every ``ModelAdmin`` registered on it.

The rules hold for every admin page, the project's and the libraries' (allauth, django-celery-beat,
Django's own) alike, so they cannot live in a base class the project's admins choose to inherit:
``RuledAdminSite.register`` puts them in front of each admin class it is given. They are:

- ``RefusalsEndTheSave`` (``admin_refusals``): a service's refusal while saving rolls the save back and
  shows the form again with what was typed and each reason next to its field;
- ``CheckedInput`` (``admin_input``): a list refuses garbage in the request and filters only through models
  the staff member may see; every date has a plausible year; every inline's rows are unique against the
  stored ones (``CheckedInlineInput``).

Its autocomplete lists a choice by the model's ``autocomplete_label()`` where the model has one.

The site of this project (titles, login, the overview it opens on) is ``mentoring.cockpit.site``.
"""
import functools

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView

from .admin_input import CheckedInput
from .admin_refusals import RefusalsEndTheSave


@functools.cache
def ruled(admin_class: type) -> type:
    """``admin_class`` with the site's rules in front of its own methods (one class for each, made once)."""
    if issubclass(admin_class, (RefusalsEndTheSave, CheckedInput)):
        return admin_class
    attrs = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__,
             "__doc__": admin_class.__doc__}
    return type(admin_class.__name__, (RefusalsEndTheSave, CheckedInput, admin_class), attrs)


class LabelledAutocomplete(AutocompleteJsonView):
    """Admin's autocomplete, each choice named by its model's ``autocomplete_label()`` where it has one (a person's
    name alone cannot tell namesakes apart), its ``autocomplete_related`` read in the same query."""

    def get_queryset(self):
        choices = super().get_queryset()
        related = getattr(self.model_admin.model, "autocomplete_related", ())
        return choices.select_related(*related) if related else choices

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if hasattr(obj, "autocomplete_label"):
            result["text"] = obj.autocomplete_label()
        return result


class RuledAdminSite(admin.AdminSite):
    """An ``AdminSite`` whose every registered admin follows the rules above."""

    def register(self, model_or_iterable, admin_class=None, **options):
        return super().register(model_or_iterable, ruled(admin_class or admin.ModelAdmin), **options)

    def autocomplete_view(self, request):
        return LabelledAutocomplete.as_view(admin_site=self)(request)
