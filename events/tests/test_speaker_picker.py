"""The event speaker picker in admin searches like "Expert*innen finden": a topic finds who knows it."""
import pytest
from django.urls import reverse

from accounts.models import Registration
from accounts.tests.factories import participant, staff_only_page
from events.models import EventSpeaker

from .factories import EventFactory
from .test_admin import admin_form_data

pytestmark = pytest.mark.django_db
URL = "/admin/events/event/referentinnen-suche/"


@pytest.fixture
def experts(db):
    return {
        "anna": participant(mentor=True, competences=[("starkregen", 3)], user__first_name="Anna",
                            user__last_name="Adler", organisation__name="Stadt Kassel"),
        "ben": participant(competences=[("starkregen", 1), ("hitzeaktionsplan", 3)], user__first_name="Ben",
                           user__last_name="Berg"),
        "cem": participant(mentor=True, competences=[("starkregen", 2)], user__first_name="Cem",
                           user__last_name="Celik"),
        "pending": participant(competences=[("starkregen", 3)], status=Registration.Status.SUBMITTED),
    }


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def search(client, term, **extra):
    response = client.get(URL, {"term": term, "app_label": "events", "model_name": "eventspeaker",
                                "field_name": "participant", **extra})
    assert response.status_code == 200
    return response.json()


def test_typing_a_topic_finds_who_knows_it_best_first(staff_client, experts):
    answer = search(staff_client, "Starkregen")
    assert [row["id"] for row in answer["results"]] == [str(experts[k].pk) for k in ("anna", "cem", "ben")]
    assert answer["results"][0]["text"] == "Anna Adler – Stadt Kassel (Hessen) · Starkregen: sehr erfahren"
    assert answer["pagination"] == {"more": False}
    assert [row["id"] for row in search(staff_client, "Hitze")["results"]] == [str(experts["ben"].pk)]
    # A name finds the person too.
    assert [row["text"] for row in search(staff_client, "celik")["results"]] == ["Cem Celik – " + str(
        experts["cem"].profile.organisation.name) + " (Hessen)"]


def test_the_picker_pages_like_djangos_autocomplete(staff_client, experts):
    for index in range(21):
        participant(competences=[("schwammstadt", 2)], user__last_name=f"Schwamm{index:02d}")
    first = search(staff_client, "Schwammstadt")
    assert len(first["results"]) == 20 and first["pagination"] == {"more": True}
    second = search(staff_client, "Schwammstadt", page="2")
    assert len(second["results"]) == 1 and second["pagination"] == {"more": False}
    assert search(staff_client, "Schwammstadt", page="x")["results"] == first["results"]


def test_the_event_form_offers_the_picker_and_saves_the_choice(staff_client, experts):
    event = EventFactory()
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert f'data-ajax--url="{URL}"' in page
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), admin_form_data(
        event, **{"speakers-TOTAL_FORMS": "1", "speakers-0-name": "Anna Adler", "speakers-0-affiliation": "Kassel",
                  "speakers-0-participant": str(experts["anna"].pk), "speakers-0-position": "0"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert EventSpeaker.objects.get(event=event).participant == experts["anna"]


def test_a_forged_id_links_only_whom_the_picker_offers(staff_client, experts, client):
    """An applicant not yet admitted is not offered by the picker; a forged id is refused next to the field, and
    no event page shows their competences."""
    event = EventFactory(topics=[])
    data = admin_form_data(event, **{"speakers-TOTAL_FORMS": "1", "speakers-0-name": "Jemand",
                                     "speakers-0-participant": str(experts["pending"].pk),
                                     "speakers-0-position": "0"})
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 200 and "gültige Auswahl" in response.content.decode()
    assert not EventSpeaker.objects.filter(event=event).exists()

def test_participants_and_staff_without_permission_cannot_reach_it(client, experts):
    # Event staff who may see profiles (as "Expert*innen finden" asks), not the accounts themselves.
    staff_only_page(client, URL, participant=experts["anna"], permissions=["change_event", "view_profile"],
                    params={"term": "Starkregen"})
    assert len(search(client, "Starkregen")["results"]) == 3


@pytest.mark.parametrize("params", [{"term": "x" * 5000}, {"term": "%_'\""}, {"page": "-1"}, {"page": "999"}, {}])
def test_hostile_input_never_fails(staff_client, experts, params):
    response = staff_client.get(URL, params)
    assert response.status_code == 200 and "results" in response.json()
