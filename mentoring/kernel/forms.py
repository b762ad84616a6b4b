"""Putting a service's refusal on the form the person filled in."""


def add_service_error(form, error) -> None:
    """The service error's German message next to the field it names, or above the form when the form
    has no such field (a service may name a field of another form that calls it: never a 500)."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))
