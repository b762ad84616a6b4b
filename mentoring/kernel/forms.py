"""Putting a service's refusal on the form the person filled in."""


def add_service_error(form, error) -> None:
    """Each of the refusal's messages next to the field it names, or above the form when the form has no such
    field (a service may name a field of another form that calls it: never a 500)."""
    errors = getattr(error, "errors", None) or {getattr(error, "field", None): str(error)}
    # ``field_aliases``: names a form places itself (a choice across several fields, say).
    known = {*form.fields, *getattr(form, "field_aliases", ())}
    for field, message in errors.items():
        form.add_error(field if field in known else None, str(message))
