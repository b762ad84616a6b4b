"""Django admin's input checked before Django's code reads it: garbage answers 400, never 500; a filter in the
URL reaches only models the staff member may see; a date has a plausible year; an inline's rows are unique.

Django's admin turns a posted selection into ``pk__in`` and the date navigation into ``int()`` unchecked,
so ``_selected_action=abc`` on any list answered a server error. ``CheckedInput`` and ``CheckedInlineInput``
hold the checks; ``mentoring.kernel.admin_site`` gives them to every admin registered on the site, the
project's and the libraries' alike. NUL bytes never get here: mentoring.middleware refuses them for every
request.
"""
import functools

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import validators
from django.core.exceptions import BadRequest, FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import UniqueConstraint
from django.db.models.constants import LOOKUP_SEP
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .params import parse_id

DATE_PARTS = ("year", "month", "day")
# Every date and time typed into admin lies in these years: the programme's records begin long after 1900, and a
# time in year 1 cannot be stored (turned into UTC it falls before year 1: a bare 400 lost the typed form).
PLAUSIBLE_YEARS = range(1900, 2201)
YEAR_IMPLAUSIBLE = _("Bitte prüfen Sie das Jahr.")


def refuse_garbage(model_admin: admin.ModelAdmin, request) -> None:
    """Raise ``BadRequest`` (400) for a selection that is not a list of ids or a date part that is no number."""
    if not all(parse_id(value) for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
        raise BadRequest(_("Die Auswahl ist ungültig."))
    if model_admin.date_hierarchy:
        for part in DATE_PARTS:
            value = request.GET.get(f"{model_admin.date_hierarchy}__{part}")
            if value is not None and not (value.isascii() and value.isdigit() and len(value) <= 4):
                raise BadRequest(_("Das Datum ist ungültig."))



# Parts of a date a filter in the URL may name, and the years a year filter may ask for (year 0 or 99999 raised
# while the list was drawn: a 500 on every date field of every list).
DATE_TRANSFORMS = {"year", "iso_year", "quarter", "month", "week", "week_day", "iso_week_day", "day", "hour",
                   "minute", "second"}
YEAR_TRANSFORMS = {"year", "iso_year"}
# Lookups a URL never reaches: a pattern the database runs (an invalid one failed, a slow one ties it up), and
# lookups whose database extension or type the site does not guarantee.
REFUSED_LOOKUPS = {"regex", "iregex", "search", "unaccent", "trigram_similar", "trigram_word_similar",
                   "trigram_strict_word_similar", "trigram_distance", "trigram_word_distance",
                   "trigram_strict_word_distance", "contained_by", "overlap", "has_key", "has_keys", "has_any_keys",
                   "keys", "values", "len"}


def lookup_value_plausible(lookup: str, value) -> bool:
    """Whether a filter from the URL can run at all: no refused lookup, a date part as a number in range, a range
    as two values (``id__range=1`` raised ``IndexError``)."""
    parts = lookup.split(LOOKUP_SEP)
    if REFUSED_LOOKUPS & set(parts):
        return False
    values = value if isinstance(value, (list, tuple)) else [value]
    for text in (str(item) for item in values):
        if parts[-1] == "range" and len([piece for piece in text.split(",") if piece.strip()]) != 2:
            return False
        if DATE_TRANSFORMS & set(parts) and parts[-1] not in {"isnull", "in", "range"}:
            if not (text.isascii() and text.isdigit() and len(text) <= 4):
                return False
            if YEAR_TRANSFORMS & set(parts) and not 1 <= int(text) <= 9998:
                return False
    return True


def models_crossed(model, lookup: str) -> list:
    """The models a list filter's lookup reaches through its relations (``tandems_as_mentee__status``: Tandem)."""
    crossed = []
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break  # a lookup or transform (exact, isnull, year) ends the path
        if not field.is_relation or field.related_model is None:
            break
        model = field.related_model
        crossed.append(model)
    return crossed


def _may_see(user, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}")


def _declared(model_admin: admin.ModelAdmin, lookup: str) -> bool:
    """A filter the admin offers itself (its list_filter or date navigation): its author chose it for this list."""
    paths = [entry[0] if isinstance(entry, tuple) else entry for entry in model_admin.list_filter
             if isinstance(entry, (str, tuple))]
    if model_admin.date_hierarchy:
        paths.append(model_admin.date_hierarchy)
    return any(lookup == path or lookup.startswith(path + LOOKUP_SEP) for path in paths)



def plausible_year(value) -> None:
    if value is not None and value.year not in PLAUSIBLE_YEARS:
        raise ValidationError(YEAR_IMPLAUSIBLE, code="implausible_year")



class UniqueRowsFormSet(BaseInlineFormSet):
    """An inline's rows checked against the model's unique constraints on its parent, stored rows included.

    Django leaves out of a row's checks every constraint naming the parent's key, which the row form does not
    show: a topic added twice to a profile (the page sent again, a colleague adding the same one) reached the
    database and answered 500. Each such constraint is asked here, and a row that repeats one stored or above it
    says so next to its first field of the constraint.
    """

    def clean(self):
        super().clean()
        parent_key = self.fk.name
        for constraint in self.model._meta.constraints:
            fields = list(getattr(constraint, "fields", ()))
            if (not isinstance(constraint, UniqueConstraint) or constraint.condition is not None
                    or parent_key not in fields or len(fields) < 2):
                continue
            self._refuse_repeats([name for name in fields if name != parent_key])

    def _refuse_repeats(self, fields: list[str]) -> None:
        taken = set()
        if self.instance.pk is not None:  # a parent being added has no stored rows (and cannot be filtered by)
            shown = {form.instance.pk for form in self.initial_forms if form.instance.pk}
            stored = self.model._default_manager.filter(**{self.fk.name: self.instance}).exclude(pk__in=shown)
            taken = set(stored.values_list(*fields))
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or (self.can_delete and self._should_delete_form(form)):
                continue
            values = tuple(_row_value(form, data, name) for name in fields)
            if None in values:
                continue
            if values in taken:
                value = data.get(fields[0])
                form.add_error(fields[0], _("„%(value)s“ ist hier schon eingetragen.") % {"value": value})
            elif form in self.initial_forms and values != self._stored(form, fields) and any(
                    other is not form and self._stored(other, fields) == values
                    and not self._deleted_before(other, form) for other in self.initial_forms):
                # Two stored rows swapping their values: saved row by row, the first would meet the second's
                # stored value in the database. A row deleted above it is gone first (Django deletes and saves
                # the stored rows in their order), so its value is free again.
                value = data.get(fields[0])
                form.add_error(fields[0], _("„%(value)s“ steht noch in einer anderen Zeile. Bitte tauschen Sie in "
                                            "zwei Schritten: erst die andere Zeile ändern und sichern.")
                               % {"value": value})
            taken.add(values)

    def _deleted_before(self, other, form) -> bool:
        return (self.can_delete and self._should_delete_form(other)
                and self.initial_forms.index(other) < self.initial_forms.index(form))

    def get_unique_error_message(self, unique_check):
        """Django names the fields of a repeated row by their code names ("topic"): here by their labels."""
        labels = [str(self.model._meta.get_field(name).verbose_name) for name in unique_check]
        return super().get_unique_error_message(labels)

    @staticmethod
    def _stored(form, fields: list[str]) -> tuple:
        return tuple(getattr(form.initial.get(name), "pk", form.initial.get(name)) for name in fields)


def _row_value(form, data: dict, name: str):
    """A row's value of ``name`` as typed, else as stored (a related row by its key, read without a query)."""
    if name in data:
        return getattr(data[name], "pk", data[name])
    return getattr(form.instance, form.instance._meta.get_field(name).attname, None)


# The longest text a staff member types into one field (an event's description, a letter, notes): far above any
# real one, and a 200,000-character paste no longer reaches the database and every page that shows it.
ADMIN_TEXT_LIMIT = 50_000


def _checked_input(db_field, formfield):
    """A date or date-time input refuses a year outside ``PLAUSIBLE_YEARS`` next to the field; a long text without
    a limit of its own gets ``ADMIN_TEXT_LIMIT``."""
    if isinstance(formfield, (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)):
        formfield.validators.append(plausible_year)
    elif (isinstance(db_field, models.TextField) and isinstance(formfield, forms.CharField)
          and formfield.max_length is None):
        formfield.max_length = ADMIN_TEXT_LIMIT
        formfield.validators.append(validators.MaxLengthValidator(ADMIN_TEXT_LIMIT))
        formfield.widget.attrs.setdefault("maxlength", str(ADMIN_TEXT_LIMIT))
    return formfield


class CheckedInput:
    """A ``ModelAdmin``'s request values checked first: its list refuses garbage and filters only through
    models the staff member may see; its form's dates and its inlines' rows are checked as below."""

    def changelist_view(self, request, extra_context=None):
        refuse_garbage(self, request)
        return super().changelist_view(request, extra_context)

    def lookup_allowed(self, lookup, value, request=None):
        """A list is filtered by a related model (``?tandems_as_mentee=13`` on the profiles) only by staff who may
        see that model: Django allows any one-relation filter in the URL, which let a group that sees no Tandems
        rebuild every pair from the profile list."""
        if not lookup_value_plausible(lookup, value):
            return False  # Django answers 400 (DisallowedModelAdminLookup)
        user = getattr(request, "user", None)
        hidden = user is not None and not user.is_superuser and not _declared(self, lookup) and not all(
            _may_see(user, model) for model in models_crossed(self.model, lookup))
        return not hidden and super().lookup_allowed(lookup, value, request)

    def to_field_allowed(self, request, to_field):
        """``_to_field`` names a column of this model, never a reverse relation (Django read ``primary_key`` of one
        and answered 500 before any permission check)."""
        try:
            field = self.opts.get_field(to_field)
        except FieldDoesNotExist:
            return False
        return getattr(field, "concrete", False) and super().to_field_allowed(request, to_field)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return _checked_input(db_field, super().formfield_for_dbfield(db_field, request, **kwargs))

    def get_inlines(self, request, obj):
        return [checked_inline(inline) for inline in super().get_inlines(request, obj)]


class CheckedInlineInput:
    """An inline's dates checked as its parent's; its rows by ``UniqueRowsFormSet`` unless it names a formset."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return _checked_input(db_field, super().formfield_for_dbfield(db_field, request, **kwargs))


@functools.cache
def checked_inline(inline_class: type) -> type:
    """``inline_class`` with ``CheckedInlineInput`` (one class for each, made once)."""
    if issubclass(inline_class, CheckedInlineInput):
        return inline_class
    attrs = {"__module__": inline_class.__module__, "__qualname__": inline_class.__qualname__,
             "__doc__": inline_class.__doc__}
    if inline_class.formset is BaseInlineFormSet:
        attrs["formset"] = UniqueRowsFormSet
    return type(inline_class.__name__, (CheckedInlineInput, inline_class), attrs)
