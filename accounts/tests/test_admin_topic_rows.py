"""A profile's needs and competences in admin: a topic twice is a message next to the row, never a 500."""
import pytest
from django.urls import reverse

from accounts.models import Competence, Need
from accounts.tests.factories import participant, topic

pytestmark = pytest.mark.django_db


def page_data(client, url) -> dict:
    """The change form as the page posts it, its inline rows included."""
    context = client.get(url).context
    form = context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["languages"] = list(form.initial.get("languages") or ["de"])
    data["organisation"] = form.initial["organisation"]
    for formset in context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.formset.prefix}-{name}"] = management.initial.get(name, 0)
        for form in formset.formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is not None:
                    data[form.add_prefix(name)] = getattr(value, "pk", value)
    return data


@pytest.mark.parametrize("prefix, model, value", [("needs", Need, "priority"), ("competences", Competence, "level")])
def test_a_topic_added_twice_is_refused_next_to_the_row(admin_client, prefix, model, value):
    person = participant(needs=["haushalt"], competences=["haushalt"])
    url = reverse("admin:accounts_profile_change", args=[person.profile.pk])
    data = page_data(admin_client, url)
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
    data = page_data(admin_client, url)
    first, second = data["needs-0-topic"], data["needs-1-topic"]
    data["needs-0-topic"], data["needs-1-topic"] = second, first
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = [error for formset in response.context["inline_admin_formsets"] for error in formset.formset.errors]
    assert any("steht noch in einer anderen Zeile" in " ".join(error.get("topic", [])) for error in errors)
    assert sorted(Need.objects.filter(profile=person.profile).values_list("topic_id", flat=True)) == sorted(
        [first, second])
