"""How the error summary names a field (``includes/error_summary.html``)."""
from django import template

register = template.Library()


@register.filter
def summary_label(field) -> str:
    """The field's label, or the name its form gives it in the summary (``summary_labels``): a choice across a list
    of fields is said at its first field, but it is about the whole list ("Unterstützungsbedarfe", not the first
    topic's name)."""
    return getattr(field.form, "summary_labels", {}).get(field.name, field.label)
