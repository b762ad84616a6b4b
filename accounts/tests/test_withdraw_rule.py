"""Who may withdraw a registration: one rule for the page, the withdrawal and the erasure."""
import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Consent, Registration
from accounts.services import registration_may_withdraw
from accounts.tests.factories import participant

S = Registration.Status
WITHDRAW_URL = "/profil/zurueckziehen/"


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(S))
def test_page_link_and_withdraw_page_follow_one_rule(client, status):
    person = participant(status=status)
    client.force_login(person)
    html = client.get("/profil/").content.decode()
    may = registration_may_withdraw(person.registration)
    assert may == (status not in (S.WITHDRAWN, S.REJECTED))
    assert (f'href="{WITHDRAW_URL}"' in html) is may
    assert client.get(WITHDRAW_URL).status_code == (200 if may else 404)


@pytest.mark.django_db
def test_rejected_person_withdraws_programme_consent_without_a_dead_link(client):
    person = participant(status=S.REJECTED)
    client.force_login(person)
    html = client.get("/profil/").content.decode()
    assert WITHDRAW_URL not in html
    assert 'name="action" value="withdraw"' in html
    response = client.post(f"/profil/einwilligungen/{Consent.Purpose.PROGRAMME}/", {"action": "withdraw"},
                           follow=True)
    assert "Ihre Einwilligung ist widerrufen." in response.content.decode()
    assert not person.consents.filter(purpose=Consent.Purpose.PROGRAMME, withdrawn_at__isnull=True).exists()
    person.registration.refresh_from_db()
    assert person.registration.status == S.REJECTED


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Registration.Status.WITHDRAWN, Registration.Status.REJECTED])
def test_a_closed_registration_is_not_promised_the_area_after_an_introductory_call(client, status):
    """The closed areas told a withdrawn or rejected person that they open after the Kennenlerngespräch."""
    client.force_login(participant(status=status))
    for path in (reverse("forum:index"), reverse("matching:tandem_list"), reverse("events:mine")):
        response = client.get(path)
        page = " ".join(response.content.decode().split())
        assert response.status_code == 403 and "nach dem Kennenlerngespräch" not in page, path
        assert "Ihre Anmeldung ist nicht (mehr) aktiv" in page and settings.PROGRAMME_CONTACT_EMAIL in page


@pytest.mark.django_db
def test_a_registration_on_its_way_is_told_the_area_opens_after_the_introductory_call(client):
    client.force_login(participant(status=Registration.Status.INTRO_SCHEDULED))
    page = client.get(reverse("forum:index")).content.decode()
    assert "Dieser Bereich öffnet sich nach dem Kennenlerngespräch" in page
