"""Accessible names Django's admin does not give: the inputs of an editable changelist (list_editable)."""


class LabelledListEditableMixin:
    """Each editable cell of the changelist gets a name, "Reihenfolge: Starkregenrisikomanagement".

    Django puts the inputs into table cells under a column heading, which names no input (WCAG 4.1.2).
    """

    def get_changelist_form(self, request, **kwargs):
        form_class = super().get_changelist_form(request, **kwargs)

        class LabelledForm(form_class):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                for field in self.fields.values():
                    field.widget.attrs.setdefault("aria-label", f"{field.label}: {self.instance}")

        return LabelledForm
