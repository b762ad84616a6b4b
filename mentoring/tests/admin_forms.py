"""An admin change form as its page posts it: what a staff member sends who changes nothing."""
from django.db.models import Model, QuerySet


def _posted(value):
    if isinstance(value, (list, tuple, set, QuerySet)):
        return [_posted(item) for item in value]
    return value.pk if isinstance(value, Model) else value


def _form_values(form) -> dict:
    values = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        if value is not None:
            values[form.add_prefix(name)] = _posted(value)
    return values


def admin_form_data(client, url) -> dict:
    """The change form at ``url`` as the page posts it unchanged, its inline rows and their counts included."""
    context = client.get(url).context
    data = _form_values(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = formset.management_form.initial.get(name, 0)
        for form in formset.forms:
            data.update(_form_values(form))
    return data
