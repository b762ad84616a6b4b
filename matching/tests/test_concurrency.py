"""Two staff confirming at once on PostgreSQL: capacity and one mentor per mentee always hold."""
import pytest

from accounts.tests.factories import StaffFactory, participant
from matching import services
from matching.models import MatchRun, Proposal, Tandem

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def confirm_at_once(at_once, proposals, staff) -> list[str]:
    """Each proposal confirmed in its own connection at the same moment: "ok" or "refused"; anything else (a
    thread that crashed) fails the test."""
    results = at_once([lambda proposal=proposal: services.proposal_confirm(proposal=proposal, by=staff)
                       for proposal in proposals])
    assert all(isinstance(result, (Tandem, services.MatchingError)) for result in results), results
    return ["ok" if isinstance(result, Tandem) else "refused" for result in results]


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_confirmations_never_exceed_capacity(at_once, attempt):
    staff = StaffFactory()
    mentor = participant(mentor=True, mentor_capacity=2, competences=["haushalt"])
    run = MatchRun.objects.create(status=MatchRun.Status.DONE)
    proposals = [Proposal.objects.create(run=run, mentee=participant(needs=["haushalt"]).profile,
                                         mentor=mentor.profile, score=5) for _ in range(5)]
    outcomes = confirm_at_once(at_once, proposals, staff)
    assert sorted(outcomes) == ["ok", "ok", "refused", "refused", "refused"]
    assert Tandem.objects.filter(mentor=mentor.profile, status=Tandem.Status.ACTIVE).count() == 2


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_confirmations_never_give_a_mentee_two_mentors(at_once, attempt):
    staff = StaffFactory()
    mentee = participant(needs=["haushalt"])
    proposals = []
    for _ in range(4):
        run = MatchRun.objects.create(status=MatchRun.Status.DONE)
        mentor = participant(mentor=True, competences=["haushalt"])
        proposals.append(Proposal.objects.create(run=run, mentee=mentee.profile, mentor=mentor.profile, score=5))
    outcomes = confirm_at_once(at_once, proposals, staff)
    assert outcomes.count("ok") == 1
    assert Tandem.objects.filter(mentee=mentee.profile, status=Tandem.Status.ACTIVE).count() == 1


def test_entries_moved_to_one_day_at_once_leave_one_entry_on_it(at_once):
    """Editing locked only the entry: four entries moved to one day at once, and a new one logged for it, all
    passed the "one entry per day" check. Every change now takes the Tandem's lock first."""
    import datetime

    from django.utils import timezone

    from .factories import TandemFactory

    tandem = TandemFactory(days_ago=60)
    author = tandem.mentee.user
    today = timezone.localdate()
    entries = [services.meeting_log(tandem=tandem, by=author, date=today - datetime.timedelta(days=20 + n),
                                    duration_minutes=60, format="online") for n in range(4)]
    day = today - datetime.timedelta(days=5)
    calls = [lambda entry=entry: services.meeting_edit(meeting=entry, by=author, date=day, duration_minutes=45,
                                                       format="online") for entry in entries]
    calls.append(lambda: services.meeting_log(tandem=tandem, by=tandem.mentor.user, date=day, duration_minutes=30,
                                              format="onsite"))
    results = at_once(calls)
    assert tandem.meetings.filter(date=day).count() == 1
    refused = [result for result in results if isinstance(result, Exception)]
    assert len(refused) == 4 and all(isinstance(result, services.MatchingError) for result in refused), results


def test_staff_reissuing_a_certificate_at_once_count_every_issue(at_once):
    from .factories import TandemFactory

    tandem = TandemFactory()
    services.tandem_end(tandem=tandem, by=None, cause=Tandem.EndCause.PLANNED_END, notify=False)
    tandem.refresh_from_db()
    first = tandem.certificate_issue
    staff = StaffFactory()
    results = at_once([lambda: services.certificate_reissue(tandem=tandem, by=staff) for _ in range(4)])
    assert not [result for result in results if isinstance(result, Exception)], results
    tandem.refresh_from_db()
    assert tandem.certificate_issue == first + 4


@pytest.mark.parametrize("attempt", range(3))
def test_a_draft_written_while_staff_end_the_tandem_never_follows_the_end(at_once, attempt):
    """The draft asked "active?" before its lock: a draft (and a mail to the partner) could follow the end."""
    import datetime

    from django.utils import timezone

    from accounts.tests.factories import topic
    from matching.models import Agreement

    from .factories import TandemFactory

    tandem = TandemFactory(mentee=participant(needs=["haushalt", "beteiligung"]).profile)
    goals = [(topic("haushalt").pk, "Haushalt verstehen"), (topic("beteiligung").pk, "Beteiligung planen")]
    end = timezone.localdate() + datetime.timedelta(days=200)
    staff = StaffFactory()
    ended, drafted = at_once([
        lambda: services.tandem_end(tandem=tandem, by=staff, reason="Test"),
        lambda: services.agreement_draft(tandem=tandem, by=tandem.mentee.user, goals=goals, frequency="monthly",
                                         meeting_form="online", planned_end=end, confidential=True)])
    assert isinstance(ended, Tandem), ended
    assert isinstance(drafted, (Agreement, services.MatchingError)), drafted  # never a database error
    tandem.refresh_from_db()
    assert tandem.status == Tandem.Status.ENDED
    assert not Agreement.objects.filter(tandem=tandem, drafted_at__gt=tandem.ended_at).exists()


def test_the_same_vereinbarung_sent_twice_at_once_is_one_version(at_once):
    """The "unchanged" check ran before the lock: a double click made versions 1 and 2 and mailed twice."""
    import datetime

    from django.utils import timezone

    from accounts.tests.factories import topic
    from matching.models import Agreement

    from .factories import TandemFactory

    tandem = TandemFactory(mentee=participant(needs=["haushalt", "beteiligung"]).profile)
    goals = [(topic("haushalt").pk, "Haushalt verstehen"), (topic("beteiligung").pk, "Beteiligung planen")]
    end = timezone.localdate() + datetime.timedelta(days=200)
    results = at_once([lambda: services.agreement_draft(
        tandem=tandem, by=tandem.mentee.user, goals=goals, frequency="monthly", meeting_form="online",
        planned_end=end, confidential=True) for _ in range(3)])
    assert sum(isinstance(result, Agreement) for result in results) == 1, results
    assert all(isinstance(result, (Agreement, services.MatchingError)) for result in results), results
    assert Agreement.objects.filter(tandem=tandem).count() == 1
