"""Putting a service's refusal on the form the person filled in."""
from django.core.exceptions import NON_FIELD_ERRORS


def add_service_error(form, error) -> None:
    """Each of the refusal's messages next to the field it names, or above the form when the form has no such
    field (a service may name a field of another form that calls it: never a 500)."""
    errors = getattr(error, "errors", None) or {getattr(error, "field", None): str(error)}
    # ``field_aliases``: names a form places itself (a choice across several fields, say).
    known = {*form.fields, *getattr(form, "field_aliases", ())}
    for field, message in errors.items():
        field = field if field in known else None
        # The form's own check may have said the same already (a refusal shown on the form again, say).
        if str(message) not in form.errors.get(field or NON_FIELD_ERRORS, ()):
            form.add_error(field, str(message))
