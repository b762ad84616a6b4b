"""Organisations are shared: participants never change them, names match normalised, staff merge duplicates."""
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry

from accounts import services
from accounts.models import FederalState, Organisation, OrganisationType, Profile
from accounts.organisations import normalise_organisation_name
from accounts.tests.factories import OrganisationFactory, participant
from accounts.tests.test_profile import edit_data
from accounts.tests.test_registration import URL as REGISTRATION_URL
from accounts.tests.test_registration import form_data

EDIT_URL = "/profil/bearbeiten/"
CHANGELIST = "/admin/accounts/organisation/"


def org_type(slug):
    return OrganisationType.objects.get(slug=slug)


def hessen():
    return FederalState.objects.get(code="06")


@pytest.fixture
def giessen(db):
    return OrganisationFactory(name="Universitätsstadt Gießen", org_type=org_type("kreisangehoerige-stadt"),
                               size_class="medium_town")


def unchanged(organisation) -> bool:
    stored = Organisation.objects.get(pk=organisation.pk)
    return (stored.name, stored.org_type_id, stored.size_class) == (
        organisation.name, organisation.org_type_id, organisation.size_class)


@pytest.mark.parametrize(("first", "second"), [
    ("Universitätsstadt Gießen", "universitätsstadt GIESSEN"),
    ("Stadt  Bad Homburg ", "stadt bad-homburg"),
    ("Landkreis Marburg-Biedenkopf", "Landkreis Marburg – Biedenkopf"),
    ("Caritasverband Fulda", "ＣＡＲＩＴＡＳＶＥＲＢＡＮＤ\tfulda"),
])
def test_spellings_of_one_name_normalise_alike(first, second):
    assert normalise_organisation_name(first) == normalise_organisation_name(second)


def test_different_names_stay_different():
    assert normalise_organisation_name("Stadt Gießen") != normalise_organisation_name("Stadt Giesen")


@pytest.mark.django_db
def test_anonymous_registration_cannot_change_an_existing_organisation(client, giessen, mailoutbox,
                                                                       django_capture_on_commit_callbacks):
    colleague = participant(organisation=giessen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTRATION_URL, form_data(
            organisation_name="universitätsstadt GIESSEN", org_type=org_type("soziale-einrichtung").pk,
            size_class="large_city"))
    assert response.status_code == 302
    assert unchanged(giessen) and Organisation.objects.count() == 1
    newcomer = Profile.objects.get(user__email="anna.becker@kassel.de")
    assert newcomer.organisation == giessen == Profile.objects.get(user=colleague).organisation
    receipt = next(m for m in mailoutbox if m.subject == "Ihre Anmeldung ist eingegangen")
    assert "Universitätsstadt Gießen – kreisangehörige Stadt, Hessen, kleinere Mittelstadt" in receipt.body
    assert "gespeicherten Angaben behalten" in receipt.body and "koordination@example.org" in receipt.body


@pytest.mark.django_db
def test_registration_form_says_existing_organisations_keep_their_data(client):
    html = client.get(REGISTRATION_URL).content.decode()
    assert "gelten deren gespeicherter Organisationstyp" in html


@pytest.mark.django_db
def test_new_organisation_takes_what_the_person_entered(client):
    client.post(REGISTRATION_URL, form_data(organisation_name="  Gemeinde   Wettenberg "))
    organisation = Organisation.objects.get()
    assert organisation.name == "Gemeinde Wettenberg" and organisation.size_class == "city"
    assert organisation.name_normalised == "gemeinde wettenberg"


@pytest.mark.django_db
def test_profile_edit_shows_type_and_size_read_only_with_contact(client, giessen):
    person = participant(organisation=giessen)
    client.force_login(person)
    html = client.get(EDIT_URL).content.decode()
    assert 'id="organisation-gespeichert"' in html
    assert "kreisangehörige Stadt, kleinere Mittelstadt" in html
    assert "pflegt sie die Koordination" in html and "koordination@example.org" in html
    # The choices start empty: they only apply to a new organisation.
    form = client.get(EDIT_URL).context["form"]
    assert not form["org_type"].value() and not form["size_class"].value()


@pytest.mark.django_db
def test_profile_edit_cannot_change_the_organisation_for_everyone(client, giessen):
    person, colleague = participant(organisation=giessen), participant(organisation=giessen)
    client.force_login(person)
    response = client.post(EDIT_URL, edit_data(person, organisation_name="UNIVERSITÄTSSTADT GIESSEN",
                                               org_type=org_type("traeger").pk, size_class="rural"))
    assert response.status_code == 302
    assert unchanged(giessen)
    assert Profile.objects.get(user=colleague).organisation == giessen == Profile.objects.get(user=person).organisation


@pytest.mark.django_db
def test_profile_edit_switches_to_another_existing_organisation_without_changing_it(client, giessen):
    kassel = OrganisationFactory(name="Stadt Kassel", org_type=org_type("kreisfreie-stadt"), size_class="city")
    person = participant(organisation=giessen)
    client.force_login(person)
    response = client.post(EDIT_URL, edit_data(person, organisation_name="stadt kassel",
                                               org_type=org_type("traeger").pk, size_class="rural"))
    assert response.status_code == 302
    assert Profile.objects.get(user=person).organisation == kassel
    assert unchanged(kassel) and unchanged(giessen)


@pytest.mark.django_db
def test_profile_edit_to_a_new_organisation_asks_for_type_and_size(client, giessen):
    person = participant(organisation=giessen)
    client.force_login(person)
    response = client.post(EDIT_URL, edit_data(person, organisation_name="Gemeinde Lahnau", org_type="",
                                               size_class=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Organisationstyp" in errors["org_type"][0] and "Größenklasse" in errors["size_class"][0]
    assert not Organisation.objects.filter(name="Gemeinde Lahnau").exists()
    assert Profile.objects.get(user=person).organisation == giessen
    response = client.post(EDIT_URL, edit_data(person, organisation_name="Gemeinde Lahnau",
                                               org_type=org_type("kreisangehoerige-gemeinde").pk,
                                               size_class="small_town"))
    assert response.status_code == 302
    lahnau = Profile.objects.get(user=person).organisation
    assert (lahnau.name, lahnau.org_type.slug, lahnau.size_class) == (
        "Gemeinde Lahnau", "kreisangehoerige-gemeinde", "small_town")
    assert unchanged(giessen)


@pytest.mark.django_db
def test_profile_page_shows_what_is_stored(client, giessen):
    person = participant(organisation=giessen)
    client.force_login(person)
    html = client.get("/profil/").content.decode()
    assert "Universitätsstadt Gießen – kreisangehörige Stadt, Hessen, kleinere Mittelstadt" in html


@pytest.mark.django_db
def test_organisation_for_never_writes_an_existing_row(giessen):
    found = services.organisation_for(name="universitätsstadt giessen", org_type=org_type("traeger"),
                                      federal_state=hessen(), size_class="rural")
    assert found == giessen and unchanged(giessen)
    other_state = services.organisation_for(name="Universitätsstadt Gießen", org_type=org_type("traeger"),
                                            federal_state=FederalState.objects.get(code="09"), size_class="rural")
    assert other_state != giessen


def test_every_reference_to_an_organisation_is_one_the_merge_moves():
    # A many-to-many link added later needs its own merge rule: this test names it.
    kinds = {(r.related_model._meta.label, r.many_to_many) for r in Organisation._meta.related_objects}
    assert kinds and not [label for label, m2m in kinds if m2m]


@pytest.mark.django_db
def test_merge_moves_every_reference_and_deletes_the_duplicates(giessen, staff_user):
    duplicate = OrganisationFactory(name="Unistadt Giessen", org_type=org_type("traeger"), size_class="rural")
    third = OrganisationFactory(name="Stadt Giessen", federal_state=FederalState.objects.get(code="09"))
    a, b, c = participant(organisation=giessen), participant(organisation=duplicate), participant(organisation=third)
    moved = services.organisation_merge(keep=giessen, duplicates=[duplicate, third, giessen], by=staff_user)
    assert moved == {"accounts.Profile": 2}
    assert set(Organisation.objects.all()) == {giessen} and unchanged(giessen)
    assert {p.organisation_id for p in Profile.objects.filter(user__in=[a, b, c])} == {giessen.pk}
    entry = LogEntry.objects.get(object_id=str(giessen.pk))
    assert entry.user == staff_user and "Stadt Giessen; Unistadt Giessen" in entry.change_message


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.mark.django_db
def test_admin_merge_action_asks_which_to_keep_then_merges(staff_client, giessen):
    duplicate = OrganisationFactory(name="Unistadt Giessen")
    person = participant(organisation=duplicate)
    selected = {"action": "merge_organisations", ACTION_CHECKBOX_NAME: [giessen.pk, duplicate.pk]}
    page = staff_client.post(CHANGELIST, selected)
    html = page.content.decode()
    assert page.status_code == 200 and "Welche Organisation bleibt?" in html
    assert "Universitätsstadt Gießen" in html and "Unistadt Giessen" in html
    response = staff_client.post(CHANGELIST, {**selected, "apply": "1", "keep": giessen.pk}, follow=True)
    assert "1 Organisation mit „Universitätsstadt Gießen“ zusammengeführt" in response.content.decode()
    assert set(Organisation.objects.all()) == {giessen}
    assert Profile.objects.get(user=person).organisation == giessen


@pytest.mark.django_db
def test_admin_merge_action_needs_two_and_a_choice_among_them(staff_client, giessen):
    other = OrganisationFactory(name="Stadt Wetzlar")
    lone = staff_client.post(CHANGELIST, {"action": "merge_organisations", ACTION_CHECKBOX_NAME: [giessen.pk]},
                             follow=True)
    assert "mindestens zwei Organisationen" in lone.content.decode()
    outsider = OrganisationFactory(name="Stadt Marburg")
    response = staff_client.post(CHANGELIST, {"action": "merge_organisations", "apply": "1", "keep": outsider.pk,
                                              ACTION_CHECKBOX_NAME: [giessen.pk, other.pk]})
    assert response.status_code == 200 and "gültige Auswahl" in response.content.decode()
    assert Organisation.objects.count() == 3


@pytest.mark.django_db
def test_admin_rename_into_an_existing_name_is_a_field_error(staff_client, giessen):
    other = OrganisationFactory(name="Stadt Wetzlar")
    response = staff_client.post(f"{CHANGELIST}{other.pk}/change/", {
        "name": "UNIVERSITÄTSSTADT GIESSEN", "org_type": other.org_type_id, "federal_state": other.federal_state_id,
        "size_class": other.size_class})
    assert response.status_code == 200
    assert "Organisationen zusammenführen" in response.content.decode()
    assert Organisation.objects.get(pk=other.pk).name == "Stadt Wetzlar"

