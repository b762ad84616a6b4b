"""The profile's fields are listed once (Profile.PERSON_FIELDS): forms, admin and export show every one."""
import json

import pytest

from accounts.forms import ProfileForm, RegistrationForm
from accounts.models import Profile, Registration
from accounts.tests.factories import participant


@pytest.mark.django_db
def test_both_forms_ask_every_person_field(mentee):
    assert set(Profile.PERSON_FIELDS) <= set(RegistrationForm().fields)
    assert set(Profile.PERSON_FIELDS) <= set(ProfileForm(profile=mentee.profile).fields)


@pytest.mark.django_db
def test_export_holds_every_person_field_including_preferences(client, mentee):
    Profile.objects.filter(user=mentee).update(prefers_same_state=True, prefers_similar_organisation=False)
    client.force_login(mentee)
    profile = json.loads(client.get("/profil/export/").content)["profil"]
    assert profile["gleiches_bundesland_bevorzugt"] is True
    assert profile["aehnliche_organisation_bevorzugt"] is False
    assert profile["rolle"] == "Mentee (neu in der Rolle)" and profile["in_der_rolle_seit"] == "2026-03-01"
    assert profile["foerderende"] == "2028-02-29" and profile["sprachen"] == ["Deutsch"]
    assert profile["organisation"] == mentee.profile.organisation.name


@pytest.mark.django_db
def test_admin_summary_shows_every_person_field(client, staff_user):
    person = participant(status=Registration.Status.SUBMITTED, needs=[("haushalt", 3)])
    Profile.objects.filter(user=person).update(prefers_same_state=True, phone="0561 42")
    client.force_login(staff_user)
    html = client.get(f"/admin/accounts/registration/{person.registration.pk}/change/").content.decode()
    for name in Profile.PERSON_FIELDS:
        assert f"<strong>{Profile._meta.get_field(name).verbose_name}:</strong>" in html, name
    assert "<strong>gleiches Bundesland bevorzugt:</strong> ja" in html
    assert "<strong>Telefon:</strong> 0561 42" in html
    assert "<strong>in der Rolle seit:</strong> 01.03.2026" in html
