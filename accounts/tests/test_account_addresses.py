"""allauth's own forms take an address as the Anmeldeformular does: one line, read as typed, at most 254
characters; anything else is a German message next to the field, and nothing is stored or queued."""
import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from mentoring.kernel.models import OutboxMessage

pytestmark = pytest.mark.django_db
BAD = ["nobody@exa\u202emple.org", "teilnehmer@example.org\u202e", "x" * 250 + "@example.org"]


def field_errors(response) -> str:
    return " ".join(response.context["form"].errors.get("email", []))


@pytest.mark.parametrize("address", BAD)
def test_a_password_reset_for_such_an_address_is_refused_next_to_the_field(client, address):
    response = client.post(reverse("account_reset_password"), {"email": address})
    assert response.status_code == 200 and field_errors(response)
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("address", BAD)
def test_such_an_address_is_not_added_to_an_account(client, mentee, address):
    client.force_login(mentee)
    before = EmailAddress.objects.count()
    response = client.post(reverse("account_email"), {"action_add": "", "email": address})
    assert response.status_code == 200 and field_errors(response)
    assert EmailAddress.objects.count() == before


def test_a_plain_address_still_resets(client, mentee):
    response = client.post(reverse("account_reset_password"), {"email": mentee.email})
    assert response.status_code == 302
