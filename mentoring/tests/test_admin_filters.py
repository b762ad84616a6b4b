"""A list is filtered through a related model only by staff who may see that model."""
import pytest
from django.urls import reverse

from accounts.staff_groups import KOORDINATION, VERANSTALTUNGEN
from accounts.tests.factories import staff_member
from matching.tests.factories import TandemFactory
from mentoring.kernel.admin_input import models_crossed

pytestmark = pytest.mark.django_db


def test_veranstaltungen_cannot_rebuild_tandem_pairs_from_the_profile_list(client):
    tandem = TandemFactory()
    client.force_login(staff_member(VERANSTALTUNGEN))
    profiles = reverse("admin:accounts_profile_changelist")
    for query in (f"?tandems_as_mentee={tandem.pk}", f"?tandems_as_mentor={tandem.pk}",
                  "?tandems_as_mentee__isnull=False", "?tandems_as_mentee__status=active"):
        response = client.get(profiles + query)
        assert response.status_code == 400 or tandem.mentee.user.last_name not in response.content.decode(), query
    assert client.get(profiles).status_code == 200, "the list itself and its own filters stay"
    assert client.get(profiles + "?role__exact=mentee").status_code == 200


def test_koordination_who_sees_tandems_may_filter_by_them(client):
    tandem = TandemFactory()
    client.force_login(staff_member(KOORDINATION))
    response = client.get(reverse("admin:accounts_profile_changelist") + f"?tandems_as_mentee={tandem.pk}")
    assert response.status_code == 200 and tandem.mentee.user.last_name in response.content.decode()


def test_the_path_walk_names_the_models_a_filter_reaches():
    from accounts.models import Profile
    from matching.models import Tandem

    assert models_crossed(Profile, "tandems_as_mentee__status__exact") == [Tandem]
    assert models_crossed(Profile, "role__exact") == []
