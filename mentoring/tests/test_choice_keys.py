"""A chosen key no row can have (a number beyond the column, text for a number) is an invalid choice next to the
field, on the site's forms and in admin alike: never a crash, never the generic error page."""
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import staff_member
from matching.models import Meeting
from matching.tests.factories import TandemFactory

REFUSED = "Diese Anfrage können wir nicht bearbeiten"  # the bare 400 page

pytestmark = pytest.mark.django_db
BEYOND = "9" * 40


@pytest.mark.parametrize("key", [BEYOND, str(2**63), "-1", "abc"])
def test_a_meeting_with_a_topic_no_row_can_have_says_so_next_to_the_field(client, mentee, mentor, key):
    tandem = TandemFactory(mentee=mentee.profile, mentor=mentor.profile)
    client.force_login(mentee)
    response = client.post(reverse("matching:meeting_create", args=[tandem.pk]), {
        "date": timezone.localdate().isoformat(), "duration_minutes": "60", "format": "online", "topics": [key]})
    page = response.content.decode()
    assert response.status_code == 400 and 'id="error_1_id_topics"' in page and REFUSED not in page
    assert "gültige" in page and not Meeting.objects.exists()


def test_the_event_admin_says_it_next_to_the_field(client):
    client.force_login(staff_member("Veranstaltungen", email="v@example.org"))
    response = client.post(reverse("admin:events_event_add"), {"title": "Hitze", "topics": [BEYOND]})
    page = response.content.decode()
    assert response.status_code == 200 and REFUSED not in page and "errorlist" in page


def test_installing_the_guards_twice_wraps_django_once():
    from django import forms
    from django.contrib.admin.widgets import AutocompleteMixin

    from mentoring.kernel import choice_keys

    check, groups = forms.ModelMultipleChoiceField._check_values, AutocompleteMixin.optgroups
    choice_keys.refuse_keys_no_row_can_have()
    choice_keys.autocomplete_ignores_keys_no_row_can_have()
    assert forms.ModelMultipleChoiceField._check_values is check and AutocompleteMixin.optgroups is groups
