"""Decisions take effect only while they still hold: confirm, choose by hand and pin re-check every rule."""
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, Profile, Registration
from accounts.tests.factories import StaffFactory, participant
from matching import services
from matching.models import MatchRun, PairRule, Proposal, Tandem
from mentoring.kernel.models import OutboxMessage

from .factories import MatchRunFactory, ProposalFactory, TandemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return StaffFactory()


def test_reported_scenario_old_open_proposal_after_exclusion_and_ended_tandem_is_refused(staff, mentee, mentor):
    old_run = services.match_run_start(by=staff)
    proposal = old_run.proposals.get(mentee=mentee.profile, mentor=mentor.profile)
    earlier = TandemFactory(mentee=mentee.profile)
    services.pair_rule_set(mentee=mentee.profile, mentor=mentor.profile, kind=PairRule.Kind.EXCLUDE, by=staff,
                           note="kennen sich privat")
    services.tandem_end(tandem=earlier, by=staff, reason="passt nicht")
    OutboxMessage.objects.all().delete()
    with pytest.raises(services.MatchingError, match="ausgeschlossen"):
        services.proposal_confirm(proposal=proposal, by=staff)
    assert not Tandem.objects.filter(mentee=mentee.profile, mentor=mentor.profile).exists()
    assert not OutboxMessage.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.OPEN


def test_reported_scenario_in_admin_shows_a_german_message_and_mails_nothing(client, staff_user, mentee, mentor):
    run = services.match_run_start(by=staff_user)
    proposal = run.proposals.get()
    PairRule.objects.create(mentee=mentee.profile, mentor=mentor.profile, kind=PairRule.Kind.EXCLUDE,
                            note="kennen sich privat")
    client.force_login(staff_user)
    url = reverse("admin:matching_matchrun_proposals", args=[run.pk])
    response = client.post(url, {"proposal": [proposal.pk], "confirm": "1", "message": ""}, follow=True)
    assert response.status_code == 200
    assert "Dieses Paar ist nicht (mehr) möglich" in response.content.decode()
    assert not Tandem.objects.exists() and not OutboxMessage.objects.filter(key__startswith="tandem-").exists()


def _withdraw(user, purpose):
    Consent.objects.filter(user=user, purpose=purpose).update(withdrawn_at=timezone.now())


BREAKAGES = {
    "pair excluded": lambda mentee, mentor: PairRule.objects.create(
        mentee=mentee.profile, mentor=mentor.profile, kind=PairRule.Kind.EXCLUDE, note="kennen sich privat"),
    "pair ended before": lambda mentee, mentor: TandemFactory(
        mentee=mentee.profile, mentor=mentor.profile, status=Tandem.Status.ENDED),
    "pair rejected before": lambda mentee, mentor: ProposalFactory(
        mentee=mentee.profile, mentor=mentor.profile, status=Proposal.Status.REJECTED),
    "mentee withdrew programme consent": lambda mentee, mentor: _withdraw(mentee, Consent.Purpose.PROGRAMME),
    "mentor withdrew partner sharing": lambda mentee, mentor: _withdraw(mentor, Consent.Purpose.PARTNER_SHARING),
    "mentee no longer approved": lambda mentee, mentor: Registration.objects.filter(user=mentee).update(
        status=Registration.Status.WITHDRAWN),
    "same organisation": lambda mentee, mentor: Profile.objects.filter(pk=mentor.profile.pk).update(
        organisation=mentee.profile.organisation),
    "mentor unavailable": lambda mentee, mentor: Profile.objects.filter(pk=mentor.profile.pk).update(
        mentor_available=False),
    "mentor at capacity": lambda mentee, mentor: (
        Profile.objects.filter(pk=mentor.profile.pk).update(mentor_capacity=1),
        TandemFactory(mentor=mentor.profile)),
    "mentee already in a Tandem": lambda mentee, mentor: TandemFactory(mentee=mentee.profile),
    "mentee side takes only the Mentor*in role": lambda mentee, mentor: Profile.objects.filter(
        pk=mentee.profile.pk).update(role="mentor", mentor_capacity=2, mentor_available=True),
    "no common language": lambda mentee, mentor: Profile.objects.filter(pk=mentor.profile.pk).update(
        languages=["en"]),
    "the pair is a Tandem the other way round": lambda mentee, mentor: (
        Profile.objects.filter(pk__in=[mentee.profile.pk, mentor.profile.pk]).update(
            role="both", mentor_capacity=2, mentor_available=True),
        TandemFactory(mentee=mentor.profile, mentor=mentee.profile)),
}


def _confirm(staff, mentee, mentor, proposal):
    return services.proposal_confirm(proposal=proposal, by=staff)


def _choose(staff, mentee, mentor, proposal):
    return services.proposal_choose(run=proposal.run, mentee=mentee.profile, mentor=mentor.profile, by=staff)


def _pin(staff, mentee, mentor, proposal):
    return services.pair_rule_set(mentee=mentee.profile, mentor=mentor.profile, kind=PairRule.Kind.PIN, by=staff)


@pytest.mark.parametrize("decide", [_confirm, _choose, _pin], ids=["confirm", "choose", "pin"])
@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_every_decision_re_checks_every_rule(staff, mentee, mentor, decide, breakage):
    proposal = ProposalFactory(mentee=mentee.profile, mentor=mentor.profile, run=MatchRunFactory())
    BREAKAGES[breakage](mentee, mentor)
    tandems, pins, proposals = Tandem.objects.count(), PairRule.objects.filter(kind="pin").count(), \
        Proposal.objects.count()
    with pytest.raises(services.MatchingError):
        decide(staff, mentee, mentor, proposal)
    assert Tandem.objects.count() == tandems
    assert PairRule.objects.filter(kind="pin").count() == pins and Proposal.objects.count() == proposals
    assert not OutboxMessage.objects.filter(key__startswith="tandem-confirmed").exists()


@pytest.mark.parametrize("decide", [_confirm, _choose, _pin], ids=["confirm", "choose", "pin"])
def test_every_decision_goes_through_while_everything_holds(staff, mentee, mentor, decide):
    proposal = ProposalFactory(mentee=mentee.profile, mentor=mentor.profile, run=MatchRunFactory())
    assert decide(staff, mentee, mentor, proposal).pk


def test_a_new_run_supersedes_older_runs_open_proposals(staff, mentee, mentor):
    old = services.match_run_start(by=staff)
    decided = ProposalFactory(run=old, status=Proposal.Status.REJECTED)
    new = services.match_run_start(by=staff)
    assert old.proposals.get(mentee=mentee.profile).status == Proposal.Status.SUPERSEDED
    assert Proposal.objects.get(pk=decided.pk).status == Proposal.Status.REJECTED
    assert new.proposals.get(mentee=mentee.profile).status == Proposal.Status.OPEN
    with pytest.raises(services.MatchingError, match="nicht mehr offen"):
        services.proposal_confirm(proposal=old.proposals.get(mentee=mentee.profile), by=staff)
    with pytest.raises(services.MatchingError, match="neueren ersetzt"):
        services.proposal_choose(run=old, mentee=mentee.profile, mentor=mentor.profile, by=staff)
    assert MatchRun.objects.count() == 2


def test_pinning_in_admin_is_checked_and_refused_with_a_german_message(client, staff_user, mentee):
    colleague = participant(mentor=True, organisation=mentee.profile.organisation)
    client.force_login(staff_user)
    response = client.post(reverse("admin:matching_pairrule_add"), {
        "mentee": mentee.profile.pk, "mentor": colleague.profile.pk, "kind": "pin", "note": ""})
    assert response.status_code == 200
    assert "Dieses Paar ist nicht (mehr) möglich: dieselbe Organisation" in response.content.decode()
    assert not PairRule.objects.exists()


def test_pinning_in_admin_goes_through_the_service(client, staff_user, mentee, mentor):
    other = participant(mentor=True, competences=["haushalt"])
    PairRule.objects.create(mentee=mentee.profile, mentor=other.profile, kind=PairRule.Kind.PIN)
    client.force_login(staff_user)
    response = client.post(reverse("admin:matching_pairrule_add"), {
        "mentee": mentee.profile.pk, "mentor": mentor.profile.pk, "kind": "exclude", "note": "kennen sich"})
    assert response.status_code == 302
    rule = PairRule.objects.get(mentor=mentor.profile)
    assert rule.created_by == staff_user and rule.note == "kennen sich"
    response = client.post(reverse("admin:matching_pairrule_change", args=[rule.pk]), {
        "mentee": mentee.profile.pk, "mentor": mentor.profile.pk, "kind": "exclude", "note": "kennen sich privat"})
    assert response.status_code == 302
    assert PairRule.objects.get(mentor=mentor.profile).note == "kennen sich privat"


def test_a_withdrawn_person_s_open_proposals_close_and_a_late_confirmation_names_the_withdrawal(staff, mentee,
                                                                                               mentor):
    """A withdrawn mentee's proposal stayed "offen" and counted on the Mentor*in's options page; confirming it
    said the mentee lacked a consent."""
    from accounts.services import registration_transition

    proposal = ProposalFactory(mentee=mentee.profile, mentor=mentor.profile, run=MatchRunFactory())
    registration_transition(registration=mentee.registration, to_status=Registration.Status.WITHDRAWN, by=mentee)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_note) == (Proposal.Status.REJECTED, "Anmeldung zurückgezogen")
    other = ProposalFactory(mentee=mentee.profile, mentor=mentor.profile, run=MatchRunFactory())
    with pytest.raises(services.MatchingError, match="ist nicht \\(mehr\\) freigegeben: zurückgezogen"):
        services.proposal_confirm(proposal=other, by=staff)
