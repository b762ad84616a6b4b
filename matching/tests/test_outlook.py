"""/profil/ tells a person in the pool whether a matching run looks for a partner for them now
(matching.outlook): a mentee with an active Tandem gets no further Mentor*in, a Mentor*in whose
places are all taken gets no further mentee; the page never promises proposals a run will not make."""
import re

import pytest

from accounts.choices import Role
from accounts.tests.factories import participant
from accounts.tests.test_matching_status import IN, NOBODY, status_of
from matching import selectors
from matching.models import Tandem
from matching.tests.factories import TandemFactory

pytestmark = pytest.mark.django_db


def notes(section: str) -> list[str]:
    return re.findall(r'data-outlook="(\w+)"', section)


def test_mentee_with_an_active_tandem_hears_no_mentor_is_looked_for(client, mentee):
    tandem = TandemFactory(mentee=mentee.profile)
    section = status_of(client, mentee)
    assert NOBODY in section and IN not in section and notes(section) == ["mentee_tandem"]
    assert f"Sie haben ein Tandem mit {tandem.mentor.user.get_full_name()}." in section
    assert f'href="/tandem/{tandem.pk}/"' in section
    assert mentee.profile not in selectors.pool_mentees()  # what a run does, as the page says

    tandem.status = Tandem.Status.ENDED
    tandem.save()
    section = status_of(client, mentee)
    assert IN in section and notes(section) == []
    assert mentee.profile in selectors.pool_mentees()


def test_mentor_with_every_place_taken_hears_why_and_where_to_change_it(client, mentor):
    profile = mentor.profile
    TandemFactory(mentor=profile)
    assert profile.mentor_capacity == 2
    section = status_of(client, mentor)
    assert IN in section and notes(section) == []  # one place left
    assert profile in selectors.pool_mentors_with_capacity()

    TandemFactory(mentor=profile)
    section = status_of(client, mentor)
    assert NOBODY in section and notes(section) == ["mentor_full"]
    assert "Sie begleiten 2 Mentees und haben damit alle Plätze vergeben" in section
    assert 'href="/profil/bearbeiten/#mentor"' in section
    assert profile not in selectors.pool_mentors_with_capacity()


def test_both_roles_hear_each_side(client):
    person = participant(mentor=True, needs=["haushalt"], competences=["haushalt"], role=Role.BOTH)
    TandemFactory(mentee=person.profile)
    section = status_of(client, person)
    # Still proposed as a Mentor*in: the promise stands, with a note for the mentee side.
    assert IN in section and notes(section) == ["mentee_tandem"]

    person.profile.mentor_available = False
    person.profile.save()
    section = status_of(client, person)
    assert NOBODY in section and notes(section) == ["mentee_tandem", "mentor_unavailable"]


def test_a_tandem_whose_partner_was_erased_still_counts(client, mentee):
    TandemFactory(mentee=mentee.profile, mentor=None)
    section = status_of(client, mentee)
    assert NOBODY in section and notes(section) == ["mentee_tandem"]


def test_the_profile_page_asks_the_same_number_of_queries_however_many_tandems(client, mentor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mentor.profile.mentor_capacity = 5
    mentor.profile.save()
    client.force_login(mentor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/profil/").status_code == 200
        return len(captured)

    TandemFactory(mentor=mentor.profile)
    one = queries()
    for _ in range(3):
        TandemFactory(mentor=mentor.profile)
    assert queries() == one
