"""Keys a form or admin widget receives for a choice of rows: one the key column cannot hold is an invalid
choice, said next to the field, never a crash.

Django asks the database for the chosen rows (``ModelMultipleChoiceField`` with ``pk__in``, the admin's
autocomplete widget when it shows the chosen options again). A number beyond the column's range made
SQLite raise ``OverflowError`` and a text for a number column raised ``ValueError``: the person lost the
form for a generic error page. ``MentoringConfig.ready()`` installs both guards, for the site's forms
and the admin's alike.
"""
from django import forms
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError
from django.db import connection


def key_holds(target, value) -> bool:
    """Whether the model field ``target`` can hold ``value`` as the database stores it."""
    try:
        number = target.to_python(value)
    except ValidationError:
        return False
    if not isinstance(number, int):
        return True
    low, high = connection.ops.integer_field_range(target.get_internal_type())
    return (low is None or number >= low) and (high is None or number <= high)


def _key_field(field: forms.ModelMultipleChoiceField):
    opts = field.queryset.model._meta
    return opts.pk if not field.to_field_name else opts.get_field(field.to_field_name)


def refuse_keys_no_row_can_have() -> None:
    """Several choices by key: a key no row can have is ``invalid_pk_value`` before any query."""
    original = forms.ModelMultipleChoiceField._check_values
    if getattr(original, "guards_keys", False):  # installed already (a second ``ready()`` in one process)
        return

    def _check_values(self, value):
        target = _key_field(self)
        for key in value:
            if not key_holds(target, key):
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": key})
        return original(self, value)

    _check_values.guards_keys = True
    forms.ModelMultipleChoiceField._check_values = _check_values


def autocomplete_ignores_keys_no_row_can_have() -> None:
    """Admin's autocomplete widget re-renders a posted key by querying it: such a key is left out, and the
    form's own field says it is no valid choice."""
    original = AutocompleteMixin.optgroups
    if getattr(original, "guards_keys", False):
        return

    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        return original(self, name, [v for v in value if key_holds(target, v)], attr)

    optgroups.guards_keys = True
    AutocompleteMixin.optgroups = optgroups
