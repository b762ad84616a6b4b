"""Services: runs, decisions, Tandem life, reminders, signal, time statement, DSGVO export."""
import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.choices import Role
from accounts.models import Consent, Profile, Registration
from accounts.services import consent_withdraw, registration_transition
from accounts.tests.factories import StaffFactory, participant
from matching import engine, services
from matching.models import ClosingReview, MatchingSettings, MatchRun, Meeting, PairRule, Proposal, Tandem
from matching.reasons import readable
from mentoring.celery import app as celery_app
from mentoring.kernel.models import OutboxMessage

from .factories import TandemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return StaffFactory()


def run_now(staff):
    return services.match_run_start(by=staff)


def pairs(run):
    return {(p.mentee.user, p.mentor.user) for p in run.proposals.exclude(status=Proposal.Status.SUPERSEDED)}


def test_run_proposes_pair_with_reasons_and_records_weights(mentee, mentor, staff):
    MatchingSettings.objects.update_or_create(pk=1, defaults={"topics": 12.0})
    run = run_now(staff)
    assert run.status == MatchRun.Status.DONE
    assert pairs(run) == {(mentee, mentor)}
    proposal = run.proposals.get()
    assert proposal.score > 0
    assert readable(proposal.reasons)[0]["text"].startswith(
        "deckt 2 von 2 Bedarfen ab: Haushaltsplanung, Steuerungskreis")
    assert run.weights["topics"] == 12.0
    assert run.summary["scores"]["count"] == 1 and run.summary["unmatched"] == []
    assert run.created_by == staff and run.duration_ms >= 0


def test_run_skips_unapproved_withdrawn_consent_and_matched(mentee, mentor, unapproved_user, staff):
    other = participant(needs=["haushalt"])
    consent_withdraw(user=other, purpose=Consent.Purpose.PARTNER_SHARING)
    matched = participant(needs=["haushalt"])
    TandemFactory(mentee=matched.profile)
    run = run_now(staff)
    assert {m for m, _ in pairs(run)} == {mentee}
    assert run.mentee_count == 1


def test_summary_explains_unmatched(staff, mentor):
    lonely = participant(languages=["pl"], needs=["haushalt"])
    crowd = [participant(needs=["haushalt"]) for _ in range(3)]
    run = run_now(staff)
    unmatched = {u["mentee"]: u["reason"] for u in run.summary["unmatched"]}
    assert unmatched[lonely.profile.pk] == "keine passende Mentor*in"
    assert sum(1 for u in crowd if u.profile.pk in unmatched) == 1  # capacity 2 for three mentees
    assert "Kapazität erschöpft" in unmatched[next(u.profile.pk for u in crowd if u.profile.pk in unmatched)]
    assert dict(run.summary["unmatched_by_state"]) == {"Hessen": 2}


def test_person_with_both_roles_is_never_paired_with_themselves(staff):
    participant(mentor=True, role=Role.BOTH, needs=["haushalt"], competences=["haushalt"])
    run = run_now(staff)
    assert run.matched_count == 0


def test_both_roles_can_be_mentee_and_mentor_in_different_tandems(staff):
    both = participant(mentor=True, role=Role.BOTH, needs=["haushalt"], competences=["monitoring"])
    mentor = participant(mentor=True, competences=["haushalt"])
    newcomer = participant(needs=["monitoring"])
    run = run_now(staff)
    assert pairs(run) == {(both, mentor), (newcomer, both)}


def test_mentor_without_capacity_left_is_not_proposed(staff, mentee, mentor):
    TandemFactory(mentor=mentor.profile)
    TandemFactory(mentor=mentor.profile)
    run = run_now(staff)
    assert run.matched_count == 0 and run.mentor_count == 0


def test_confirm_creates_tandem_and_mails_both_with_contacts(staff, mentee, mentor):
    mentor.profile.phone = "0561 123456"
    mentor.profile.save()
    proposal = run_now(staff).proposals.get()
    tandem = services.proposal_confirm(proposal=proposal, by=staff, message="Viel Erfolg!")
    proposal.refresh_from_db()
    assert tandem.is_active and tandem.proposal == proposal and tandem.confirmed_by == staff
    assert proposal.status == Proposal.Status.CONFIRMED and proposal.decided_by == staff and proposal.decided_at
    to_mentee = OutboxMessage.objects.get(key=f"tandem-confirmed:{tandem.pk}:mentee")
    to_mentor = OutboxMessage.objects.get(key=f"tandem-confirmed:{tandem.pk}:mentor")
    assert to_mentee.to == mentee.email and to_mentor.to == mentor.email
    assert mentor.email in to_mentee.body_text and "0561 123456" in to_mentee.body_text
    assert mentor.profile.organisation.name in to_mentee.body_text
    assert mentee.email in to_mentor.body_text
    assert "Haushaltsplanung" in to_mentee.body_text and "Viel Erfolg!" in to_mentee.body_html
    assert "erstes Treffen" in to_mentor.body_text


def test_confirm_refuses_second_mentor_and_full_mentor(staff, mentee, mentor):
    proposal = run_now(staff).proposals.get()
    services.proposal_confirm(proposal=proposal, by=staff)
    with pytest.raises(services.MatchingError, match="nicht mehr offen"):
        services.proposal_confirm(proposal=proposal, by=staff)
    other_mentor = participant(mentor=True, competences=["haushalt"])
    second = Proposal.objects.create(run=MatchRun.objects.create(), mentee=mentee.profile, mentor=other_mentor.profile,
                                     score=1, status=Proposal.Status.OPEN, manual=True)
    with pytest.raises(services.MatchingError, match="bereits ein aktives Tandem"):
        services.proposal_confirm(proposal=second, by=staff)
    mentor.profile.mentor_capacity = 1
    mentor.profile.save()
    newcomer = participant(needs=["haushalt"])
    third = Proposal.objects.create(run=MatchRun.objects.create(), mentee=newcomer.profile, mentor=mentor.profile,
                                    score=1, manual=True)
    with pytest.raises(services.MatchingError, match="keine freie Kapazität"):
        services.proposal_confirm(proposal=third, by=staff)
    assert Tandem.objects.count() == 1


def test_confirm_many_reports_each_refusal(staff, mentor):
    mentees = [participant(needs=["haushalt"]) for _ in range(3)]
    run = MatchRun.objects.create(status=MatchRun.Status.DONE)
    proposals = [Proposal.objects.create(run=run, mentee=m.profile, mentor=mentor.profile, score=1) for m in mentees]
    tandems, errors = services.proposals_confirm(proposals=proposals, by=staff)
    assert len(tandems) == 2 and len(errors) == 1
    # Namesakes are told apart by their addresses.
    refused = next(p for p in proposals if not Tandem.objects.filter(mentee=p.mentee).exists())
    assert errors[0].startswith(f"{refused.mentee.user} ({refused.mentee.user.email}) → ")


def test_rejected_pair_is_never_proposed_again(staff, mentee, mentor):
    proposal = run_now(staff).proposals.get()
    services.proposal_reject(proposal=proposal, by=staff, note="passt fachlich nicht")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED and proposal.decided_by == staff
    assert run_now(staff).matched_count == 0


def test_reject_many_reports_a_proposal_decided_meanwhile(staff, mentor):
    run = MatchRun.objects.create(status=MatchRun.Status.DONE)
    first, second = (Proposal.objects.create(run=run, mentee=participant(needs=["haushalt"]).profile,
                                             mentor=mentor.profile, score=1) for _ in range(2))
    services.proposal_confirm(proposal=second, by=staff)
    rejected, errors = services.proposals_reject(proposals=[first, second], by=staff, note="passt nicht")
    assert [p.pk for p in rejected] == [first.pk] and "nicht mehr offen" in errors[0]
    assert Proposal.objects.get(pk=first.pk).decision_note == "passt nicht"
    assert Proposal.objects.get(pk=second.pk).status == Proposal.Status.CONFIRMED


def test_ended_tandem_returns_mentee_to_pool_but_not_to_that_mentor(staff, mentee, mentor):
    other = participant(mentor=True, competences=["haushalt"])
    tandem = services.proposal_confirm(proposal=run_now(staff).proposals.get(mentee=mentee.profile), by=staff)
    services.tandem_end(tandem=tandem, by=staff, reason="Chemie stimmt nicht")
    tandem.refresh_from_db()
    assert tandem.status == Tandem.Status.ENDED and tandem.ended_by == staff
    assert OutboxMessage.objects.filter(key__startswith=f"tandem-ended:{tandem.pk}:").count() == 2
    assert pairs(run_now(staff)) == {(mentee, other if tandem.mentor.user == mentor else mentor)}


def test_tandem_end_needs_reason(staff):
    with pytest.raises(services.MatchingError):
        services.tandem_end(tandem=TandemFactory(), by=staff, reason=" ")


def test_pins_and_exclusions_are_honoured(staff, mentee, mentor):
    second = participant(mentor=True, competences=["monitoring"], organisation=mentor.profile.organisation)
    services.pair_rule_set(mentee=mentee.profile, mentor=second.profile, kind=PairRule.Kind.PIN, by=staff)
    run = run_now(staff)
    assert pairs(run) == {(mentee, second)}
    assert run.proposals.get().manual
    services.pair_rule_set(mentee=mentee.profile, mentor=second.profile, kind=PairRule.Kind.EXCLUDE, by=staff)
    services.pair_rule_set(mentee=mentee.profile, mentor=mentor.profile, kind=PairRule.Kind.EXCLUDE, by=staff)
    assert run_now(staff).matched_count == 0


def test_impossible_pin_is_refused_and_one_that_became_impossible_is_skipped(staff, mentee, mentor):
    colleague = participant(mentor=True, organisation=mentee.profile.organisation)
    with pytest.raises(services.MatchingError, match="dieselbe Organisation"):
        services.pair_rule_set(mentee=mentee.profile, mentor=colleague.profile, kind=PairRule.Kind.PIN, by=staff)
    assert not PairRule.objects.exists()
    services.pair_rule_set(mentee=mentee.profile, mentor=mentor.profile, kind=PairRule.Kind.PIN, by=staff)
    Profile.objects.filter(pk=mentor.profile.pk).update(organisation=mentee.profile.organisation)
    run = run_now(staff)
    assert run.summary["skipped_pins"] == [{"mentee": mentee.profile.pk, "mentor": mentor.profile.pk,
                                            "why": "rule"}]


def test_manual_choice_supersedes_and_checks_rules(staff, mentee, mentor):
    run = run_now(staff)
    other = participant(mentor=True, competences=["steuerungskreis"])
    options = services.mentor_options(mentee=mentee.profile)
    assert [o["mentor"] for o in options] == [mentor.profile, other.profile]
    assert options[0]["score"] > options[1]["score"] and options[0]["reasons"]
    chosen = services.proposal_choose(run=run, mentee=mentee.profile, mentor=other.profile, by=staff)
    assert chosen.manual and chosen.status == Proposal.Status.OPEN
    assert run.proposals.get(mentor=mentor.profile).status == Proposal.Status.SUPERSEDED
    colleague = participant(mentor=True, organisation=mentee.profile.organisation)
    with pytest.raises(services.MatchingError, match="dieselbe Organisation"):
        services.proposal_choose(run=run, mentee=mentee.profile, mentor=colleague.profile, by=staff)
    services.proposal_confirm(proposal=chosen, by=staff)
    with pytest.raises(services.MatchingError, match="bereits ein aktives Tandem"):
        services.proposal_choose(run=run, mentee=mentee.profile, mentor=mentor.profile, by=staff)


def test_large_run_goes_to_celery(staff, mentee, mentor, django_capture_on_commit_callbacks):
    MatchingSettings.objects.update_or_create(pk=1, defaults={"sync_limit": 0})
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_start(by=staff)
        assert run.status == MatchRun.Status.PENDING
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE and run.progress == 100 and run.matched_count == 1


def test_a_run_the_broker_never_got_is_computed_by_the_recovery_and_stale_runs_are_marked_failed(staff, mentee,
                                                                                                 mentor):
    """Started while the broker was down: nothing picked the run up. The beat task computes the
    newest waiting run, fails older waiting ones it replaced and runs whose worker died."""
    MatchingSettings.objects.update_or_create(pk=1, defaults={"sync_limit": 0})
    started = timezone.now()
    with time_machine.travel(started - datetime.timedelta(hours=3), tick=False):
        dead = services.match_run_create(by=staff)
        MatchRun.objects.filter(pk=dead.pk).update(status=MatchRun.Status.RUNNING)
    with time_machine.travel(started - datetime.timedelta(minutes=20), tick=False):
        older = services.match_run_start(by=staff)  # no on-commit callback runs: the broker never saw it
    with time_machine.travel(started - datetime.timedelta(minutes=10), tick=False):
        newest = services.match_run_start(by=staff)
    assert services.match_runs_recover(now=started - datetime.timedelta(minutes=8)) == {"computed": 0, "failed": 2}
    assert services.match_runs_recover(now=started) == {"computed": 1, "failed": 0}
    states = dict(MatchRun.objects.values_list("pk", "status"))
    assert states == {dead.pk: MatchRun.Status.FAILED, older.pk: MatchRun.Status.FAILED,
                      newest.pk: MatchRun.Status.DONE}
    assert "neuerer Matching-Lauf" in MatchRun.objects.get(pk=older.pk).error
    assert "neuen Lauf starten" in MatchRun.objects.get(pk=dead.pk).error
    assert pairs(MatchRun.objects.get(pk=newest.pk)) == {(mentee, mentor)}
    assert services.match_runs_recover() == {"computed": 0, "failed": 0}, "nothing is computed twice"


def test_a_run_is_computed_once_when_two_workers_get_it(staff, mentee, mentor):
    MatchingSettings.objects.update_or_create(pk=1, defaults={"sync_limit": 0})
    run = services.match_run_start(by=staff)
    assert services.match_run_claim(run_pk=run.pk) is not None
    assert services.match_run_claim(run_pk=run.pk) is None


def test_management_command_shows_progress(mentee, mentor):
    out = StringIO()
    call_command("match_run", stdout=out)
    assert "100 %" in out.getvalue() and "1 von 1 Mentees" in out.getvalue()
    assert MatchRun.objects.get().status == MatchRun.Status.DONE


def test_withdrawn_registration_ends_active_tandems(staff):
    tandem = TandemFactory()
    registration = Registration.objects.get(user=tandem.mentor.user)
    registration_transition(registration=registration, to_status=Registration.Status.WITHDRAWN, by=staff)
    tandem.refresh_from_db()
    assert tandem.status == Tandem.Status.ENDED and tandem.end_cause == Tandem.EndCause.WITHDRAWN
    # The withdrawn person can no longer open the Tandem: only the partner is asked to look back.
    assert list(ClosingReview.objects.values_list("user", flat=True)) == [tandem.mentee.user_id]
    assert not OutboxMessage.objects.filter(key=f"tandem-ended:{tandem.pk}:{tandem.mentor.pk}").exists()


def test_withdrawn_partner_sharing_consent_ends_active_tandems():
    tandem = TandemFactory()
    consent_withdraw(user=tandem.mentee.user, purpose=Consent.Purpose.PARTNER_SHARING)
    tandem.refresh_from_db()
    assert tandem.status == Tandem.Status.ENDED
    assert tandem.end_cause == Tandem.EndCause.PARTNER_SHARING


@pytest.mark.parametrize("partner_language, expected", [
    ("de", "Grund: Einwilligung zur Weitergabe des Profils widerrufen"),
    ("en", "Reason: Consent to sharing the profile withdrawn"),
])
def test_end_cause_reaches_the_partner_in_the_partners_language(partner_language, expected):
    """The mentee withdraws the consent on an English page; the partner reads why in their own language."""
    tandem = TandemFactory()
    type(tandem.mentor.user).objects.filter(pk=tandem.mentor.user_id).update(language=partner_language)
    with translation.override("en"):
        consent_withdraw(user=tandem.mentee.user, purpose=Consent.Purpose.PARTNER_SHARING)
    mail = OutboxMessage.objects.get(key=f"tandem-ended:{tandem.pk}:{tandem.mentor.pk}")
    assert expected in mail.body_text
    tandem.refresh_from_db()
    assert tandem.end_reason == ""  # the cause is a code; no sentence in whichever language the page had


def test_staff_reason_is_mailed_as_written(staff):
    tandem = TandemFactory()
    services.tandem_end(tandem=tandem, by=staff, reason="Stellenwechsel der Mentee")
    tandem.refresh_from_db()
    assert (tandem.end_cause, tandem.end_reason) == (Tandem.EndCause.STAFF, "Stellenwechsel der Mentee")
    assert "Grund: Stellenwechsel der Mentee" in OutboxMessage.objects.get(
        key=f"tandem-ended:{tandem.pk}:{tandem.mentee.pk}").body_text


def test_meeting_log_rules_and_activity():
    tandem = TandemFactory()
    user = tandem.mentee.user
    meeting = services.meeting_log(tandem=tandem, by=user, date=timezone.localdate(), duration_minutes=90,
                                   format=Meeting.Format.ONLINE, note="gut")
    assert meeting.pk and Tandem.objects.get(pk=tandem.pk).last_activity_at >= meeting.created_at
    with pytest.raises(services.MatchingError, match="Zukunft"):
        services.meeting_log(tandem=tandem, by=user, date=timezone.localdate() + datetime.timedelta(days=1),
                             duration_minutes=60, format="online")
    with pytest.raises(services.MatchingError, match="Dauer"):
        services.meeting_log(tandem=tandem, by=user, date=timezone.localdate(), duration_minutes=601, format="online")
    with pytest.raises(services.MatchingError, match="Nur die beiden"):
        services.meeting_log(tandem=tandem, by=participant(), date=timezone.localdate(), duration_minutes=60,
                             format="online")


def test_problem_report_notifies_staff(settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["koordination@example.org"]
    tandem = TandemFactory()
    report = services.problem_report(tandem=tandem, by=tandem.mentee.user, kind="problem", text="Keine Antwort")
    message = OutboxMessage.objects.get(key__startswith=f"tandem-report:{report.pk}:", to="koordination@example.org")
    assert "Keine Antwort" in message.body_text and f"/admin/matching/problemreport/{report.pk}/" in message.body_text


def test_reminders_check_in_after_four_weeks_once_and_funding_notice():
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)):
        tandem = TandemFactory()
        Tandem.objects.filter(pk=tandem.pk).update(last_activity_at=timezone.now())
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, tzinfo=datetime.UTC)):
        assert services.tandem_reminders()["quiet"] == 0
    with time_machine.travel(datetime.datetime(2026, 3, 30, 9, tzinfo=datetime.UTC)):
        assert services.tandem_reminders()["quiet"] == 2
        assert services.tandem_reminders()["quiet"] == 0
    profile = tandem.mentee
    profile.funding_ends_on = datetime.date(2026, 5, 1)
    profile.save()
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC)):
        assert services.tandem_reminders()["funding"] == 2
        assert services.tandem_reminders()["funding"] == 0
    notice = OutboxMessage.objects.get(key__startswith=f"tandem-funding-end:{tandem.pk}", to=profile.user.email)
    assert "01.05.2026" in notice.subject


def test_beat_task_exists_with_the_scheduled_name():
    assert "matching.tasks.send_tandem_reminders" in celery_app.tasks
    result = celery_app.tasks["matching.tasks.send_tandem_reminders"].apply().get()
    assert result == {"quiet": 0, "funding": 0}


def test_mentoring_time_and_statement_pdf():
    tandem = TandemFactory()
    year = timezone.localdate().year
    for minutes in (240, 240, 120):
        Meeting.objects.create(tandem=tandem, logged_by=tandem.mentor.user, date=datetime.date(year, 1, 10),
                               duration_minutes=minutes, format="online", status=Meeting.Status.CONFIRMED)
    time = services.mentoring_time(profile=tandem.mentor, year=year)
    assert time["hours"] == 10.0 and time["days"] == 1.25 and time["percent"] == 25
    assert services.mentoring_time(profile=tandem.mentee, year=year)["minutes"] == 0
    pdf = services.mentoring_statement_pdf(profile=tandem.mentor, year=year)
    assert pdf.startswith(b"%PDF")


def test_a2_mentors_behind_their_days_agree_with_each_mentors_own_mentoring_time():
    year = 2026
    on_track, behind, idle = (TandemFactory(mentor=participant(mentor=True, funding_line="a2").profile)
                              for _ in range(3))
    other_line = TandemFactory(mentor=participant(mentor=True, funding_line="a1").profile)
    for tandem, minutes in ((on_track, [480, 480, 480]), (behind, [480, 60]), (other_line, [60])):
        for index, duration in enumerate(minutes):
            Meeting.objects.create(tandem=tandem, logged_by=tandem.mentor.user, date=datetime.date(year, 2, 1 + index),
                                   duration_minutes=duration, format="online", status=Meeting.Status.CONFIRMED)
    for day in (1, 2):  # last year's time does not count for this year
        Meeting.objects.create(tandem=behind, logged_by=behind.mentor.user, date=datetime.date(year - 1, 5, day),
                               duration_minutes=480, format="online", status=Meeting.Status.CONFIRMED)
    rows = services.a2_mentors_behind(year=year, on=datetime.date(year, 7, 1))  # half the year: 2.49 days due
    assert [row["profile"] for row in rows] == [idle.mentor, behind.mentor], "furthest behind first, A.2 only"
    for row in rows:
        assert row["days"] == float(services.mentoring_time(profile=row["profile"], year=year)["days"])
    assert rows[1]["days"] == 1.13 and rows[0]["missing_days"] == rows[0]["expected_days"] == 2.49
    assert len(services.a2_mentors_behind(year=year - 1, on=datetime.date(year, 7, 1))) == 3, "a past year asks 5"


def test_personal_data_export(staff):
    tandem = TandemFactory(days_ago=400)
    services.meeting_log(tandem=tandem, by=tandem.mentee.user, date=datetime.date(2026, 1, 5),
                         duration_minutes=60, format="online", note="meine Notiz")
    services.problem_report(tandem=tandem, by=tandem.mentee.user, kind="problem", text="Hilfe")
    data = services.personal_data(user=tandem.mentee.user)
    assert data["tandems"][0]["rolle"] == "Mentee"
    assert data["tandems"][0]["treffen"][0]["ihre_private_notiz"] == "meine Notiz"
    assert data["meldungen"][0]["text"] == "Hilfe"
    partner_view = services.personal_data(user=tandem.mentor.user)
    assert partner_view["tandems"][0]["treffen"][0]["ihre_private_notiz"] == ""  # someone else's private note
    assert services.personal_data(user=staff) == {}


def test_personal_data_export_query_count_is_flat():
    mentor = participant(mentor=True, mentor_capacity=5)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            services.personal_data(user=mentor)
        return len(ctx.captured_queries)

    def tandem_with_meetings():
        tandem = TandemFactory(mentor=mentor.profile, status=Tandem.Status.ENDED)
        for day in range(3):
            Meeting.objects.create(tandem=tandem, logged_by=mentor, date=datetime.date(2026, 1, 5 + day),
                                   duration_minutes=60, format="online")

    tandem_with_meetings()
    few = queries()
    for _ in range(4):
        tandem_with_meetings()
    assert queries() == few


def test_demo_seed_is_idempotent(staff):
    from matching import demo

    for _ in range(5):
        participant(needs=["haushalt"])
    participant(mentor=True, competences=["haushalt"])
    participant(mentor=True, competences=["haushalt"])
    demo.seed(staff=staff, stdout=StringIO())
    counts = (MatchRun.objects.count(), Tandem.objects.count(), Meeting.objects.count())
    demo.seed(staff=staff, stdout=StringIO())
    assert counts == (MatchRun.objects.count(), Tandem.objects.count(), Meeting.objects.count())
    assert counts[1] == 4


def test_only_the_newest_runs_proposals_can_be_decided_when_runs_overlap(staff, mentee, mentor):
    """Two coordinators start runs at the same moment, or one starts while a worker still computes: the older run,
    finished later, stores its proposals as replaced, and an older run's proposal is never confirmed."""
    older = services.match_run_create(by=staff)
    newer = services.match_run_create(by=staff)
    services.match_run_execute(run=newer)
    services.match_run_execute(run=older)
    assert set(older.proposals.values_list("status", flat=True)) == {Proposal.Status.SUPERSEDED}
    assert set(newer.proposals.values_list("status", flat=True)) == {Proposal.Status.OPEN}
    stale = Proposal.objects.create(run=older, mentee=mentee.profile, mentor=mentor.profile, score=1.0)
    with pytest.raises(services.MatchingError, match="neueren"):
        services.proposal_confirm(proposal=stale, by=staff)
    assert not Tandem.objects.exists()
    services.proposal_confirm(proposal=newer.proposals.get(), by=staff)
    assert Tandem.objects.count() == 1

def test_failed_run_is_recorded_and_writes_no_proposals(staff, mentee, mentor, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("Solver kaputt")

    monkeypatch.setattr(engine, "assign", broken)
    run = run_now(staff)
    assert run.status == MatchRun.Status.FAILED and "Solver kaputt" in run.error
    assert not run.proposals.exists()


def test_the_pool_has_one_definition_for_the_run_its_size_check_and_the_rule(staff):
    """The run, its sync-or-background decision and ``accounts.rules.in_matching_pool`` agree on who is in."""
    from accounts import rules
    from matching import selectors

    people = [participant(needs=["haushalt"]), participant(status=Registration.Status.INTRO_DONE),
              participant(mentor=True, competences=["haushalt"]), participant(mentor=True, mentor_available=False),
              participant(mentor=True, mentor_capacity=1), participant(role=Role.BOTH, mentor=True)]
    withdrawn = participant(needs=["haushalt"])
    consent_withdraw(user=withdrawn, purpose=Consent.Purpose.PARTNER_SHARING)
    inactive = participant(needs=["haushalt"])
    type(inactive).objects.filter(pk=inactive.pk).update(is_active=False)
    paired = participant(needs=["haushalt"])
    TandemFactory(mentee=paired.profile, mentor=people[4].profile)
    everyone = [*people, withdrawn, inactive, paired]
    for user in everyone:
        user.refresh_from_db()
    in_pool = {u.profile.pk for u in everyone if rules.in_matching_pool(u)}
    assert set(selectors.pool_profiles().values_list("pk", flat=True)) == in_pool
    mentees = set(selectors.pool_mentees().values_list("pk", flat=True))
    assert mentees == {people[0].profile.pk, people[5].profile.pk}
    mentors = set(selectors.pool_mentors_with_capacity().values_list("pk", flat=True))
    assert mentors == {people[2].profile.pk, people[5].profile.pk}
    MatchingSettings.objects.update_or_create(pk=1, defaults={"sync_limit": len(mentees)})
    run = run_now(staff)
    assert run.status == MatchRun.Status.DONE  # counted as small enough: the same mentees as the run
    assert (run.mentee_count, run.mentor_count) == (len(mentees), len(mentors))


def test_a_mentee_whom_only_a_fully_booked_mentor_fits_is_told_apart_from_one_nobody_fits(staff):
    """The run's list of mentees without a proposal says why: places taken (someone fits, but is booked out) is not
    "keine passende Mentor*in", or coordinators would recruit for a profile the programme already has."""
    french = participant(needs=["haushalt"], languages=["fr"], meeting_format="online")
    italian = participant(needs=["haushalt"], languages=["it"], meeting_format="online")
    busy = participant(mentor=True, competences=["haushalt"], languages=["de", "fr"], mentor_capacity=1,
                       meeting_format="both")
    TandemFactory(mentor=busy.profile)
    run = services.match_run_start(by=staff)
    reasons = {row["mentee"]: row["reason"] for row in run.summary["unmatched"]}
    assert reasons[french.profile.pk].startswith("Kapazität erschöpft")
    assert reasons[italian.profile.pk] == "keine passende Mentor*in"



def test_the_run_page_names_each_festlegung_it_could_not_follow_and_why(client, staff, mentee, mentor):
    rule = services.pair_rule_set(mentee=mentee.profile, mentor=mentor.profile, kind=PairRule.Kind.PIN, by=staff)
    assert rule.pk
    type(mentor.profile).objects.filter(pk=mentor.profile.pk).update(mentor_available=False)
    run = services.match_run_start(by=staff)
    assert run.summary["skipped_pins"] == [{"mentee": mentee.profile.pk, "mentor": mentor.profile.pk,
                                            "why": "mentor_out"}]
    client.force_login(staff)
    page = client.get(reverse("admin:matching_matchrun_proposals", args=[run.pk])).content.decode()
    assert "1 Festlegung war in diesem Lauf nicht möglich:" in page
    assert f"{mentee} – {mentor}: der*die Mentor*in hat keinen freien Platz oder ist nicht verfügbar" in page
