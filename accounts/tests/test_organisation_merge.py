"""Staff find possible duplicate organisations and merge them from admin: every reference moves, atomically."""
from unittest import mock

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.models import FederalState, Organisation, Profile
from accounts.organisations import similarity_key
from accounts.tests.factories import OrganisationFactory, participant, staff_only_page

CHANGELIST = "/admin/accounts/organisation/"
DUPLICATES = "/admin/accounts/organisation/dubletten/"


def state(code):
    return FederalState.objects.get(code=code)


@pytest.fixture
def giessen(db):
    return {
        "uni": OrganisationFactory(name="Universitätsstadt Gießen"),
        "stadt": OrganisationFactory(name="Stadt Giessen"),
        "bayern": OrganisationFactory(name="Gießen", federal_state=state("09")),  # the wrong Bundesland chosen
        "wetzlar": OrganisationFactory(name="Stadt Wetzlar"),
    }


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def references_to(pks) -> dict[str, int]:
    """Rows of every model that point at these organisations, found the way the merge finds them."""
    return {relation.related_model._meta.label: relation.related_model._base_manager.filter(
        **{f"{relation.field.name}__in": pks}).count() for relation in Organisation._meta.related_objects}


@pytest.mark.parametrize(("first", "second"), [
    ("Universitätsstadt Gießen", "Stadt Giessen"),
    ("Gemeinde Lahntal", "Lahntal"),
    ("Landkreis Marburg-Biedenkopf", "Kreis Marburg Biedenkopf"),
    ("Halle (Saale)", "Stadt Halle/Saale"),
    ("Münster", "Stadt Muenster"),
])
def test_names_that_may_mean_one_organisation_share_a_similarity_key(first, second):
    assert similarity_key(first) == similarity_key(second)


def test_different_places_keep_different_keys():
    assert similarity_key("Stadt Gießen") != similarity_key("Stadt Wetzlar")
    assert similarity_key("Stadt") == ""  # nothing but a generic word: never grouped


@pytest.mark.django_db
def test_merge_moves_every_reference_found_through_meta_and_deletes_the_duplicates(giessen, staff_user):
    keep, duplicates = giessen["uni"], [giessen["stadt"], giessen["bayern"]]
    people = [participant(organisation=o) for o in (keep, *duplicates, *duplicates)]
    before = references_to([o.pk for o in duplicates])
    assert sum(before.values()) == 4

    moved = services.organisation_merge(keep=keep, duplicates=duplicates, by=staff_user)

    assert moved == before  # one entry per kind of reference, each with every row that pointed at a duplicate
    assert references_to([o.pk for o in duplicates]) == dict.fromkeys(before, 0)
    assert not Organisation.objects.filter(pk__in=[o.pk for o in duplicates]).exists()
    assert {Profile.objects.get(user=p).organisation_id for p in people} == {keep.pk}
    assert Organisation.objects.get(pk=keep.pk).name == "Universitätsstadt Gießen"


@pytest.mark.django_db
def test_merge_is_all_or_nothing(giessen, staff_user):
    person = participant(organisation=giessen["stadt"])
    failing_log = mock.patch("accounts.services.LogEntry.objects.log_actions", side_effect=RuntimeError("Platte voll"))
    with failing_log, pytest.raises(RuntimeError):
        services.organisation_merge(keep=giessen["uni"], duplicates=[giessen["stadt"]], by=staff_user)
    assert Organisation.objects.filter(pk=giessen["stadt"].pk).exists()
    assert Profile.objects.get(user=person).organisation == giessen["stadt"]


@pytest.mark.django_db
def test_merge_refuses_an_organisation_into_itself_and_vanished_ones(giessen, staff_user):
    uni, stadt = giessen["uni"], giessen["stadt"]
    with pytest.raises(services.OrganisationMergeError, match="nicht mit sich selbst"):
        services.organisation_merge(keep=uni, duplicates=[uni], by=staff_user)
    with pytest.raises(services.OrganisationMergeError, match="nicht mit sich selbst"):
        services.organisation_merge(keep=uni, duplicates=[], by=staff_user)
    gone = OrganisationFactory(name="Gibt es gleich nicht mehr")
    Organisation.objects.filter(pk=gone.pk).delete()
    with pytest.raises(services.OrganisationMergeError, match="gibt es nicht mehr"):
        services.organisation_merge(keep=gone, duplicates=[stadt], by=staff_user)
    with pytest.raises(services.OrganisationMergeError, match="gerade zusammengeführt"):
        services.organisation_merge(keep=uni, duplicates=[gone], by=staff_user)
    assert Organisation.objects.count() == 4


@pytest.mark.django_db
def test_the_confirm_page_shows_what_moves_and_the_merge_says_what_it_did(staff_client, giessen):
    for _ in range(2):
        participant(organisation=giessen["stadt"])
    participant(organisation=giessen["uni"])
    selected = {"action": "merge_organisations", ACTION_CHECKBOX_NAME: [giessen["uni"].pk, giessen["stadt"].pk]}
    html = staff_client.post(CHANGELIST, selected).content.decode()
    assert "Welche Organisation bleibt?" in html and "Verweise, die übergehen" in html
    assert ("Stadt Giessen (kreisangehörige Stadt, Hessen, kleinere Mittelstadt (20 000–50 000 Einw.); "
            "Profile: 2)") in html
    assert "Profile: 1" in html
    response = staff_client.post(CHANGELIST, {**selected, "apply": "1", "keep": giessen["stadt"].pk}, follow=True)
    assert "1 Organisation mit „Stadt Giessen“ zusammengeführt." in response.content.decode()
    assert Profile.objects.filter(organisation=giessen["stadt"]).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("keep", ["", "abc", "-1", "987654"])
def test_a_bad_choice_is_a_german_message_next_to_the_field(staff_client, giessen, keep):
    selected = {"action": "merge_organisations", "apply": "1", "keep": keep,
                ACTION_CHECKBOX_NAME: [giessen["uni"].pk, giessen["stadt"].pk]}
    response = staff_client.post(CHANGELIST, selected)
    html = response.content.decode()
    assert response.status_code == 200 and "errorlist" in html
    assert "gültige Auswahl" in html or "Dieses Feld ist zwingend erforderlich" in html
    assert Organisation.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("selection", [["abc", "1"], ["-1"], ["1e3"]])
def test_a_forged_selection_answers_400(staff_client, giessen, selection):
    response = staff_client.post(CHANGELIST, {"action": "merge_organisations", "apply": "1",
                                              "keep": giessen["uni"].pk, ACTION_CHECKBOX_NAME: selection})
    assert response.status_code == 400
    assert Organisation.objects.count() == 4


@pytest.mark.django_db
def test_the_same_organisation_twice_is_not_a_merge(staff_client, giessen):
    uni = giessen["uni"]
    response = staff_client.post(CHANGELIST, {"action": "merge_organisations", "apply": "1", "keep": uni.pk,
                                              ACTION_CHECKBOX_NAME: [uni.pk, uni.pk]}, follow=True)
    assert "mindestens zwei Organisationen" in response.content.decode()
    assert Organisation.objects.count() == 4


@pytest.mark.django_db
def test_possible_duplicates_are_listed_in_groups_and_lead_to_the_merge(staff_client, giessen):
    participant(organisation=giessen["stadt"])
    response = staff_client.get(DUPLICATES)
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 Organisationen wie „Gießen“" in html
    assert "Stadt Wetzlar" not in html
    assert html.count(f'name="{ACTION_CHECKBOX_NAME}"') == 3 and "Profile: 1" in html
    assert DUPLICATES in staff_client.get(CHANGELIST).content.decode()
    # The group's button posts the selection to the merge action's confirm page.
    confirm = staff_client.post(CHANGELIST, {"action": "merge_organisations", ACTION_CHECKBOX_NAME: [
        giessen["uni"].pk, giessen["stadt"].pk, giessen["bayern"].pk]})
    assert "Welche Organisation bleibt?" in confirm.content.decode()


@pytest.mark.django_db
def test_the_duplicates_page_keeps_its_query_count(staff_client, giessen):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(DUPLICATES).status_code == 200
        return len(captured)

    few = queries()
    for index in range(10):
        first = OrganisationFactory(name=f"Gemeinde Ort{index}")
        participant(organisation=OrganisationFactory(name=f"Ort{index}", federal_state=state("05")))
        participant(organisation=first)
    assert queries() == few


@pytest.mark.django_db
def test_participants_cannot_reach_it_and_viewers_cannot_merge(client, giessen):
    person = participant(organisation=giessen["uni"])
    html = staff_only_page(client, DUPLICATES, participant=person, permissions=["view_organisation"]).content.decode()
    assert "3 Organisationen wie" in html and "zusammenführen …" not in html
    client.post(CHANGELIST, {"action": "merge_organisations", "apply": "1", "keep": giessen["uni"].pk,
                             ACTION_CHECKBOX_NAME: [giessen["uni"].pk, giessen["stadt"].pk]})
    assert Organisation.objects.count() == 4
