"""/profil/ says truthfully whether the person is in the matching pool (accounts.rules), and why not."""
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from accounts import rules, views
from accounts.models import Registration
from accounts.rules import PoolObstacle
from accounts.tests.factories import ProfileFactory, RegistrationFactory, StaffFactory, UserFactory, participant

IN = "Sie sind im Matching: Die Koordination kann Sie für ein Tandem vorschlagen."
OUT = "Sie sind derzeit nicht im Matching:"
NOBODY = "Sie sind im Matching, zurzeit schlagen wir Ihnen aber niemanden vor:"


def matching_section(html: str) -> str:
    match = re.search(r'<section[^>]*aria-labelledby="matching-titel".*?</section>', html, re.DOTALL)
    return match.group(0) if match else ""


def status_of(client, user) -> str:
    client.force_login(user)
    response = client.get("/profil/")
    assert response.status_code == 200
    return matching_section(response.content.decode())


def obstacles_shown(section: str) -> list[str]:
    return re.findall(r'data-obstacle="(\w+)"', section)


@pytest.mark.django_db
def test_approved_participant_with_consents_is_in(client, mentee):
    section = status_of(client, mentee)
    assert IN in section and 'data-in-pool="true"' in section
    assert obstacles_shown(section) == []


@pytest.mark.django_db
def test_withdrawn_partner_sharing_takes_the_person_out_with_a_way_back(client, mentee):
    client.force_login(mentee)
    client.post("/profil/einwilligungen/partner_sharing/", {"action": "withdraw", "confirmed": "yes"})
    html = client.get("/profil/").content.decode()
    section = matching_section(html)
    assert IN not in section and OUT in section and 'data-in-pool="false"' in section
    assert obstacles_shown(section) == ["no_partner_sharing"]
    assert "Ohne diese Einwilligung können wir Ihnen kein Tandem vermitteln." in section
    assert 'href="#einwilligung-partner_sharing"' in section
    assert 'id="einwilligung-partner_sharing"' in html  # the row with the wording and the button
    assert "Sie sind freigegeben" in html  # approval itself is untouched

    client.post("/profil/einwilligungen/partner_sharing/", {"action": "give"})
    assert IN in status_of(client, mentee)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "sentence"), [
    (Registration.Status.SUBMITTED, "Ihre Anmeldung ist noch nicht freigegeben. Das geschieht nach dem "
                                    "Kennenlerngespräch."),
    (Registration.Status.INTRO_SCHEDULED, "Ihre Anmeldung ist noch nicht freigegeben."),
    (Registration.Status.INTRO_DONE, "Ihre Anmeldung ist noch nicht freigegeben."),
    (Registration.Status.REJECTED, "Ihre Anmeldung wurde nicht angenommen."),
    (Registration.Status.WITHDRAWN, "Sie haben Ihre Anmeldung zurückgezogen."),
])
def test_not_approved_says_why(client, status, sentence):
    person = participant(status=status, needs=["haushalt"])
    section = status_of(client, person)
    assert OUT in section and obstacles_shown(section) == ["not_approved"]
    assert sentence in section


@pytest.mark.django_db
def test_withdrawing_the_registration_on_the_page_takes_the_person_out(client, mentee):
    client.force_login(mentee)
    client.post("/profil/zurueckziehen/", {"confirm": "on"})
    section = status_of(client, mentee)
    assert obstacles_shown(section) == ["not_approved"] and "zurückgezogen" in section


@pytest.mark.django_db
def test_every_reason_is_listed_at_once(client):
    person = participant(status=Registration.Status.SUBMITTED, needs=["haushalt"])
    person.consents.filter(purpose="partner_sharing").delete()
    section = status_of(client, person)
    assert obstacles_shown(section) == ["not_approved", "no_partner_sharing"]


@pytest.mark.django_db
def test_registration_without_profile(client):
    user = UserFactory()
    RegistrationFactory(user=user)
    section = status_of(client, user)
    assert obstacles_shown(section) == ["no_profile", "no_partner_sharing"]
    assert "kein Profil" in section


@pytest.mark.django_db
def test_staff_without_registration_or_profile_see_no_matching_status(client):
    client.force_login(StaffFactory())
    html = client.get("/profil/").content.decode()
    assert "Mein Profil" in html and matching_section(html) == ""


@pytest.mark.django_db
def test_staff_with_a_profile_are_not_in_by_their_role(client):
    staff = StaffFactory()
    ProfileFactory(user=staff)
    section = status_of(client, staff)
    assert "not_approved" in obstacles_shown(section)
    assert "nicht über das Anmeldeformular" in section


@pytest.mark.django_db
def test_inactive_account_says_so():
    """An inactive account cannot log in; the page still states the rule's reason if it is shown."""
    person = participant(needs=["haushalt"])
    person.is_active = False
    person.save()
    assert rules.matching_pool_obstacles(person) == [PoolObstacle.ACCOUNT_INACTIVE]
    request = RequestFactory().get("/profil/")
    request.user = person
    section = matching_section(views.profile(request).content.decode())
    assert obstacles_shown(section) == ["account_inactive"] and "Ihr Konto ist deaktiviert." in section


@pytest.mark.django_db
def test_mentor_marked_unavailable_is_in_the_pool_but_hears_it_gets_no_mentees(client, mentor):
    assert "nicht verfügbar eingetragen" not in status_of(client, mentor)
    mentor.profile.mentor_available = False
    mentor.profile.save()
    section = status_of(client, mentor)
    # In the pool, but nobody is looked for: the page does not promise proposals it will not make.
    assert 'data-in-pool="true"' in section and IN not in section and NOBODY in section
    assert "Solange das so ist, schlagen wir Ihnen keine Mentees vor." in section
    assert 'href="/profil/bearbeiten/#mentor"' in section


@pytest.mark.django_db
def test_obstacles_are_the_rule():
    """``in_matching_pool`` is exactly "no obstacle"; an anonymous visitor has no active account."""
    assert rules.matching_pool_obstacles(AnonymousUser()) == [PoolObstacle.ACCOUNT_INACTIVE]
    assert not rules.in_matching_pool(AnonymousUser())
    inside = participant(needs=["haushalt"])
    assert rules.matching_pool_obstacles(inside) == [] and rules.in_matching_pool(inside)
    inside.consents.filter(purpose="partner_sharing").update(withdrawn_at="2026-11-01T00:00:00Z")
    assert rules.matching_pool_obstacles(inside) == [PoolObstacle.NO_PARTNER_SHARING]
    assert not rules.in_matching_pool(inside)


@pytest.mark.django_db
def test_an_unconfirmed_address_keeps_a_person_out_of_the_pool_and_the_profile_says_how_to_get_in(client):
    """The match mail carries the partner's name and contact details: it only goes to an address its owner
    confirmed. Predicate, filter and the profile page agree."""
    from allauth.account.models import EmailAddress

    from accounts.models import Profile, User

    person = participant(needs=["haushalt"])
    assert rules.in_matching_pool(person)
    EmailAddress.objects.filter(user=person).update(verified=False)
    assert rules.matching_pool_obstacles(person) == [PoolObstacle.UNCONFIRMED_ADDRESS]
    assert not User.objects.filter(rules.in_matching_pool_q(), pk=person.pk).exists()
    assert not Profile.objects.filter(rules.profile_in_matching_pool_q(), user=person).exists()
    client.force_login(person)
    section = matching_section(client.get("/profil/").content.decode())
    assert OUT in section and 'data-obstacle="unconfirmed_address"' in section and "/konto/email/" in section
