"""A value outside a field's choices is refused without being echoed: Django's message repeated it in full (a
script sent 200 000 characters, or a direction override, and got them back on the page)."""
import pytest
from django import forms
from django.utils import translation

pytestmark = pytest.mark.django_db


class Choosing(forms.Form):
    format = forms.ChoiceField(choices=[("online", "online")])
    formats = forms.MultipleChoiceField(choices=[("online", "online")])


@pytest.mark.parametrize(("language", "message"), [
    ("de", "Bitte eine gültige Auswahl treffen. Dies ist keine gültige Auswahl."),
    ("en", "Select a valid choice. That choice is not one of the available choices."),
])
def test_a_refused_choice_is_not_echoed(language, message):
    sent = "A" * 5000 + "\u202e"
    with translation.override(language):
        form = Choosing({"format": sent, "formats": [sent]})
        assert not form.is_valid()
        assert form.errors == {"format": [message], "formats": [message]}


def test_a_page_does_not_echo_a_refused_choice(client, mentee):
    from matching.tests.factories import TandemFactory

    tandem = TandemFactory(mentee=mentee.profile)
    client.force_login(mentee)
    response = client.post(f"/tandem/{tandem.pk}/treffen/", {"date": "2026-01-01", "duration_minutes": "60",
                                                             "format": "X" * 20000})
    assert response.status_code == 400 and "X" * 100 not in response.content.decode()
