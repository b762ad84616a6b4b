"""A service's refusal lands on the form: beside the field it names, above the form otherwise."""
from django import forms

from accounts.errors import TransitionError
from matching.services.errors import MatchingError
from mentoring.kernel.forms import add_service_error


class DateForm(forms.Form):
    date = forms.DateField(required=False)


def test_the_message_stands_beside_the_field_it_names():
    form = DateForm({"date": "2026-12-01"})
    assert form.is_valid()
    add_service_error(form, MatchingError("Das Treffen liegt in der Zukunft.", field="date"))
    assert form.errors == {"date": ["Das Treffen liegt in der Zukunft."]}


def test_a_field_this_form_does_not_have_puts_the_message_above_the_form():
    """Django's add_error raises for an unknown field: the person would have seen a server error."""
    form = DateForm({"date": "2026-12-01"})
    assert form.is_valid()
    add_service_error(form, TransitionError("Der Termin ist schon vergeben.", field="intro_call_at"))
    assert form.non_field_errors() == ["Der Termin ist schon vergeben."]
    add_service_error(form, MatchingError("Nicht mehr möglich."))
    assert form.non_field_errors() == ["Der Termin ist schon vergeben.", "Nicht mehr möglich."]
