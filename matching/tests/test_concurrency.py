"""Two staff confirming at once on PostgreSQL: capacity and one mentor per mentee always hold."""
import threading

import pytest
from django.db import connection

from accounts.tests.factories import StaffFactory, participant
from matching import services
from matching.models import MatchRun, Proposal, Tandem

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def confirm_at_once(proposals, staff):
    barrier = threading.Barrier(len(proposals))
    outcomes = []

    def confirm(proposal):
        try:
            barrier.wait()
            services.proposal_confirm(proposal=proposal, by=staff)
            outcomes.append("ok")
        except services.MatchingError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(p,)) for p in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_confirmations_never_exceed_capacity(require_postgres, attempt):
    staff = StaffFactory()
    mentor = participant(mentor=True, mentor_capacity=2, competences=["haushalt"])
    run = MatchRun.objects.create(status=MatchRun.Status.DONE)
    proposals = [Proposal.objects.create(run=run, mentee=participant(needs=["haushalt"]).profile,
                                         mentor=mentor.profile, score=5) for _ in range(5)]
    outcomes = confirm_at_once(proposals, staff)
    assert sorted(outcomes) == ["ok", "ok", "refused", "refused", "refused"]
    assert Tandem.objects.filter(mentor=mentor.profile, status=Tandem.Status.ACTIVE).count() == 2


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_confirmations_never_give_a_mentee_two_mentors(require_postgres, attempt):
    staff = StaffFactory()
    mentee = participant(needs=["haushalt"])
    proposals = []
    for _ in range(4):
        run = MatchRun.objects.create(status=MatchRun.Status.DONE)
        mentor = participant(mentor=True, competences=["haushalt"])
        proposals.append(Proposal.objects.create(run=run, mentee=mentee.profile, mentor=mentor.profile, score=5))
    outcomes = confirm_at_once(proposals, staff)
    assert outcomes.count("ok") == 1
    assert Tandem.objects.filter(mentee=mentee.profile, status=Tandem.Status.ACTIVE).count() == 1
