"""A profile's needs and competences in admin: a topic twice is a message next to the row, never a 500."""
import pytest
from django.urls import reverse

from accounts.models import Competence, Need
from accounts.tests.factories import participant, topic
from mentoring.tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix, model, value", [("needs", Need, "priority"), ("competences", Competence, "level")])
def test_a_topic_added_twice_is_refused_next_to_the_row(admin_client, prefix, model, value):
    person = participant(needs=["haushalt"], competences=["haushalt"])
    url = reverse("admin:accounts_profile_change", args=[person.profile.pk])
    data = admin_form_data(admin_client, url)
    count = int(data[f"{prefix}-TOTAL_FORMS"])
    new = topic("hitzeaktionsplan")
    data.update({f"{prefix}-TOTAL_FORMS": count + 1, f"{prefix}-{count}-topic": new.pk,
                 f"{prefix}-{count}-{value}": 1, f"{prefix}-{count}-profile": person.profile.pk})
    assert admin_client.post(url, data).status_code == 302
    # The same page sent again (Back and save, or a colleague adding the same topic): a 500 before.
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = [error for formset in response.context["inline_admin_formsets"] for error in formset.formset.errors]
    assert {"topic": [f"„{new}“ ist hier schon eingetragen."]} in errors
    assert model.objects.filter(profile=person.profile, topic=new).count() == 1
    # The page's count of stored rows lowered by hand: the stored rows are still counted.
    data[f"{prefix}-INITIAL_FORMS"] = 0
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = [error for formset in response.context["inline_admin_formsets"] for error in formset.formset.errors]
    assert {"topic": [f"„{new}“ ist hier schon eingetragen."]} in errors
    assert model.objects.filter(profile=person.profile, topic=new).count() == 1


def test_two_stored_rows_swapping_their_topics_are_asked_to_do_it_in_two_steps(admin_client):
    """Saved row by row, the first met the second's stored topic in the database: a 500."""
    person = participant(needs=["haushalt", "hitzeaktionsplan"])
    url = reverse("admin:accounts_profile_change", args=[person.profile.pk])
    data = admin_form_data(admin_client, url)
    first, second = data["needs-0-topic"], data["needs-1-topic"]
    data["needs-0-topic"], data["needs-1-topic"] = second, first
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = [error for formset in response.context["inline_admin_formsets"] for error in formset.formset.errors]
    assert any("steht noch in einer anderen Zeile" in " ".join(error.get("topic", [])) for error in errors)
    assert sorted(Need.objects.filter(profile=person.profile).values_list("topic_id", flat=True)) == sorted(
        [first, second])


def test_a_row_deleted_above_frees_its_topic_for_the_row_below(admin_client):
    """Deleted first (Django deletes and saves the stored rows in their order): the move was refused all the same."""
    person = participant(needs=["haushalt", "hitzeaktionsplan"])
    url = reverse("admin:accounts_profile_change", args=[person.profile.pk])
    data = admin_form_data(admin_client, url)
    freed = data["needs-0-topic"]
    data.update({"needs-0-DELETE": "on", "needs-1-topic": freed})
    assert admin_client.post(url, data).status_code == 302
    assert list(Need.objects.filter(profile=person.profile).values_list("topic_id", flat=True)) == [freed]


def test_two_new_rows_of_one_topic_are_named_by_the_label_of_the_field(admin_client):
    person = participant()
    url = reverse("admin:accounts_profile_change", args=[person.profile.pk])
    data = admin_form_data(admin_client, url)
    count = int(data["needs-TOTAL_FORMS"])
    twice = topic("hitzeaktionsplan")
    data["needs-TOTAL_FORMS"] = count + 2
    for row in (count, count + 1):
        data.update({f"needs-{row}-topic": twice.pk, f"needs-{row}-priority": 1,
                     f"needs-{row}-profile": person.profile.pk})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bitte die doppelten Daten für Thema korrigieren." in page and "für topic" not in page
