"""Staff cannot give a profile a role that drops a side the person holds in a running Tandem: a Mentor*in made
Mentee in admin stayed Mentor*in in her Tandems and was proposed, and confirmed, as a mentee."""
import pytest
from django.urls import reverse

from accounts.models import Profile
from accounts.tests.factories import StaffFactory
from matching.services import tandem_end
from matching.tests.factories import TandemFactory

pytestmark = pytest.mark.django_db


def _change(client, profile, **changes):
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:accounts_profile_change", args=[profile.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "languages"}
    data.update({"languages": form.initial.get("languages") or [], **changes})
    for prefix in ("needs", "competences"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return client.post(url, data)


def test_a_mentor_in_a_running_tandem_cannot_be_made_mentee(client):
    tandem = TandemFactory()
    response = _change(client, tandem.mentor, role="mentee")
    assert response.status_code == 200
    assert "Diese Person ist Mentor*in in 1 laufenden Tandem" in response.content.decode()
    assert Profile.objects.get(pk=tandem.mentor.pk).role == "mentor"


def test_a_mentee_in_a_running_tandem_cannot_be_made_mentor_but_both_is_fine(client):
    tandem = TandemFactory()
    assert "Mentee in 1 laufenden Tandem" in _change(client, tandem.mentee, role="mentor").content.decode()
    assert _change(client, tandem.mentee, role="both").status_code == 302
    assert Profile.objects.get(pk=tandem.mentee.pk).role == "both"


def test_after_the_tandem_ended_the_role_may_change(client):
    tandem = TandemFactory()
    tandem_end(tandem=tandem, by=StaffFactory(), reason="Stelle gewechselt")
    assert _change(client, tandem.mentor, role="mentee").status_code == 302
    assert Profile.objects.get(pk=tandem.mentor.pk).role == "mentee"
