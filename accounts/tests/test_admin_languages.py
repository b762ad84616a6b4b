"""A profile's languages in admin are the profile form's checkboxes: nothing else can be stored, so the profile
page, the review page and every match run keep reading a list of known codes."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Profile
from mentoring.tests.admin_forms import admin_form_data

from .factories import participant

pytestmark = pytest.mark.django_db


def test_admin_offers_the_languages_as_choices_and_keeps_what_is_ticked(admin_client):
    person = participant()
    url = reverse("admin:accounts_profile_change", args=[person.profile.pk])
    page = admin_client.get(url).content.decode()
    assert 'type="checkbox" name="languages" value="uk"' in page
    # The rest of the profile stays on the page.
    assert 'name="role"' in page and 'name="organisation"' in page and 'name="mentor_capacity"' in page
    data = {**admin_form_data(admin_client, url), "languages": ["de", "uk"]}
    admin_client.post(url, data)
    person.profile.refresh_from_db()
    assert person.profile.languages == ["de", "uk"]


@pytest.mark.parametrize("value", [5, ["klingonisch"], ["de", 5], "de", {"de": True}])
def test_a_list_of_anything_but_known_language_codes_is_refused(value):
    profile = participant().profile
    profile.languages = value
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert "languages" in refused.value.message_dict


def test_known_codes_pass():
    profile = participant().profile
    profile.languages = ["de", "en", "ar"]
    profile.full_clean()
    assert Profile.objects.filter(pk=profile.pk).exists()
