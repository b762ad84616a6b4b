"""model_update writes only the listed fields, validates them and says whether anything changed."""
import pytest
from django.core.exceptions import ValidationError

from accounts.models import Profile
from accounts.tests.factories import OrganisationFactory, ProfileFactory
from mentoring.kernel.updates import model_update


@pytest.mark.django_db
def test_changes_listed_fields_only_and_reports_it():
    profile = ProfileFactory(position="Alt", department="Umweltamt")
    before = profile.updated_at
    profile, changed = model_update(instance=profile, fields=["position", "phone"],
                                    data={"position": "Neu", "department": "nicht gelistet"})
    assert changed
    stored = Profile.objects.get(pk=profile.pk)
    assert stored.position == "Neu" and stored.department == "Umweltamt" and stored.updated_at > before


@pytest.mark.django_db
def test_same_values_save_nothing(django_assert_num_queries):
    profile = ProfileFactory()
    with django_assert_num_queries(0):
        _profile, changed = model_update(instance=profile, fields=["position", "organisation"],
                                         data={"position": profile.position, "organisation": profile.organisation})
    assert not changed


@pytest.mark.django_db
def test_foreign_key_by_instance():
    profile = ProfileFactory()
    other = OrganisationFactory()
    _profile, changed = model_update(instance=profile, fields=["organisation"], data={"organisation": other})
    assert changed and Profile.objects.get(pk=profile.pk).organisation == other


@pytest.mark.django_db
def test_invalid_value_is_refused_and_not_saved():
    profile = ProfileFactory(mentor_capacity=2)
    with pytest.raises(ValidationError) as error:
        model_update(instance=profile, fields=["mentor_capacity"], data={"mentor_capacity": 9})
    assert "mentor_capacity" in error.value.message_dict
    assert Profile.objects.get(pk=profile.pk).mentor_capacity == 2
