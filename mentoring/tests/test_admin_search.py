"""Every admin list of people, Tandems and their reports finds a person as staff type them: first and last name
together, or the organisation's name."""
import pytest
from django.urls import reverse

from accounts.models import Organisation
from events.tests.factories import EventFactory, EventRegistrationFactory
from forum.models import Report
from forum.tests.factories import PostFactory
from matching.models import PairRule, ProblemReport
from matching.tests.factories import ProposalFactory, TandemFactory

pytestmark = pytest.mark.django_db


def _named(profile, first, last, organisation):
    user = profile.user
    user.first_name, user.last_name = first, last
    user.save()
    Organisation.objects.filter(pk=profile.organisation_id).update(name=organisation)
    return user


@pytest.fixture
def julia():
    """Julia Walter (Stadt Bocholt) as mentee, in three Tandems next to another Julia and another Walter."""
    tandem, other, third = TandemFactory(), TandemFactory(), TandemFactory()
    _named(other.mentee, "Julia", "Schneider", "Gemeinde Lohne")
    _named(other.mentor, "Simon", "Krause", "Stadt Kassel")
    _named(third.mentee, "Anna", "Walter", "Stadt Erfurt")
    _named(third.mentor, "Paul", "Richter", "Kreis Höxter")
    _named(tandem.mentor, "Felix", "Lehmann", "Kreis Steinfurt")
    user = _named(tandem.mentee, "Julia", "Walter", "Stadt Bocholt")
    for pair in (tandem, other, third):
        ProposalFactory(mentee=pair.mentee, mentor=pair.mentor)
        ProblemReport.objects.create(tandem=pair, reported_by=pair.mentor.user, kind="problem", text="Bitte melden")
        PairRule.objects.create(mentee=pair.mentee, mentor=pair.mentor, kind="exclude")
        EventRegistrationFactory(event=EventFactory(), user=pair.mentee.user)
        Report.objects.create(post=PostFactory(author=pair.mentee.user), reporter=pair.mentor.user, reason="Werbung")
    return user


@pytest.mark.parametrize("changelist", [
    "accounts_registration", "accounts_profile", "matching_tandem", "matching_proposal", "matching_problemreport",
    "matching_pairrule", "events_eventregistration", "forum_report",
])
def test_staff_find_a_person_by_full_name_and_by_organisation(client, staff_user, julia, changelist):
    client.force_login(staff_user)
    url = reverse(f"admin:{changelist}_changelist")
    for words in ("Julia Walter", "Bocholt"):
        response = client.get(url, {"q": words})
        assert response.status_code == 200
        assert response.context["cl"].result_count == 1, (changelist, words)
    assert client.get(url, {"q": "Walter"}).context["cl"].result_count == 2
