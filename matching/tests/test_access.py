"""Access helpers: missing and forbidden answer the same 404, members act, staff only read."""
import pytest
from django.http import Http404
from django.utils import timezone

from accounts.tests.factories import StaffFactory, participant
from matching import services
from matching.access import access_meeting, access_member_tandem, access_statement_profile, access_tandem

from .factories import TandemFactory

pytestmark = pytest.mark.django_db


def test_tandem_is_read_by_its_two_members_and_staff_only():
    tandem = TandemFactory()
    for user in (tandem.mentee.user, tandem.mentor.user, StaffFactory()):
        assert access_tandem(user, tandem.pk) == tandem
    for pk in (tandem.pk, tandem.pk + 1000):
        with pytest.raises(Http404):
            access_tandem(participant(), pk)


def test_only_members_act_on_a_tandem_and_its_meetings():
    tandem, other = TandemFactory(), TandemFactory()
    meeting = services.meeting_log(tandem=tandem, by=tandem.mentee.user, date=timezone.localdate(),
                                   duration_minutes=60, format="online")
    assert access_member_tandem(tandem.mentor.user, tandem.pk) == tandem
    assert access_meeting(tandem.mentor.user, tandem, meeting.pk) == meeting
    with pytest.raises(Http404):
        access_member_tandem(StaffFactory(), tandem.pk)
    with pytest.raises(Http404):
        access_meeting(other.mentee.user, other, meeting.pk)  # a meeting of another Tandem
    with pytest.raises(Http404):
        access_meeting(other.mentee.user, tandem, meeting.pk)  # a Tandem the user is not in


def test_statement_only_for_a_mentor_and_a_year_from_2020_to_now():
    mentor, mentee = participant(mentor=True), participant()
    this_year = timezone.localdate().year
    assert access_statement_profile(mentor, this_year) == mentor.profile
    for user, year in ((mentee, this_year), (mentor, 2019), (mentor, this_year + 1)):
        with pytest.raises(Http404):
            access_statement_profile(user, year)
