"""Staff workflow in /admin/: start a run, read proposals, confirm, reject, choose by hand, end a Tandem."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent
from accounts.tests.factories import participant, staff_member
from matching import services
from matching.admin import TandemAdmin
from matching.models import MatchingSettings, MatchRun, PairRule, ProblemReport, Proposal, Tandem

from .factories import MatchRunFactory, ProposalFactory, TandemFactory

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "unapproved_user", "mentee", "mentor", "staff_user"]


@pytest.fixture
def run(staff_user, mentee, mentor):
    return services.match_run_start(by=staff_user)


def admin_urls(run, tandem, mentee):
    return [
        reverse("admin:matching_matchrun_changelist"),
        reverse("admin:matching_matchrun_start"),
        reverse("admin:matching_matchrun_proposals", args=[run.pk]),
        reverse("admin:matching_matchrun_options", args=[run.pk, mentee.profile.pk]),
        reverse("admin:matching_proposal_changelist"),
        reverse("admin:matching_tandem_changelist"),
        reverse("admin:matching_tandem_change", args=[tandem.pk]),
        reverse("admin:matching_tandem_end", args=[tandem.pk]),
        reverse("admin:matching_problemreport_changelist"),
        reverse("admin:matching_pairrule_changelist"),
        reverse("admin:matching_pairrule_add"),
        reverse("admin:matching_matchingsettings_change", args=[MatchingSettings.load().pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_admin_permission_matrix(client, request, run, mentee, role):
    tandem = TandemFactory()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for url in admin_urls(run, tandem, mentee):
        response = client.get(url)
        if role == "staff_user":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_settings_list_leads_to_the_one_object(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("admin:matching_matchingsettings_changelist"))
    assert response.status_code == 302 and response["Location"].endswith("/1/change/")


def test_start_run_in_admin_and_see_proposals_with_reasons(client, staff_user, mentee, mentor):
    client.force_login(staff_user)
    response = client.post(reverse("admin:matching_matchrun_start"), follow=True)
    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.DONE and run.created_by == staff_user
    page = response.content.decode()
    assert "1 von 1 Mentees haben einen Vorschlag" in page
    assert "deckt 2 von 2 Bedarfen ab: Haushaltsplanung, Steuerungskreis" in page
    assert str(mentee) in page and str(mentor) in page
    # Starting again would replace the open proposal: the start page says so before anyone clicks.
    Proposal.objects.filter(run=run).update(manual=True)
    start = client.get(reverse("admin:matching_matchrun_start")).content.decode()
    assert "Der neue Lauf ersetzt 1 offenen Vorschlag des letzten Laufs – darunter 1 von Hand gewählten." in start


def test_confirm_selected_with_message(client, staff_user, run, mentee, mentor, django_capture_on_commit_callbacks,
                                       mailoutbox):
    client.force_login(staff_user)
    proposal = run.proposals.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:matching_matchrun_proposals", args=[run.pk]),
                               {"proposal": [proposal.pk], "message": "Viel Freude!", "confirm": "1"}, follow=True)
    assert "1 Tandem bestätigt; beide Seiten erhalten eine E-Mail." in response.content.decode()
    tandem = Tandem.objects.get()
    assert tandem.message == "Viel Freude!" and tandem.confirmed_by == staff_user
    assert sorted(m.to[0] for m in mailoutbox) == sorted([mentee.email, mentor.email])


def test_reject_selected(client, staff_user, run):
    client.force_login(staff_user)
    proposal = run.proposals.get()
    client.post(reverse("admin:matching_matchrun_proposals", args=[run.pk]),
                {"proposal": [proposal.pk], "note": "passt nicht", "reject": "1"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED and proposal.decision_note == "passt nicht"
    assert proposal.decided_by == staff_user


def test_nothing_selected_warns(client, staff_user, run):
    client.force_login(staff_user)
    response = client.post(reverse("admin:matching_matchrun_proposals", args=[run.pk]), {"confirm": "1"})
    assert "mindestens einen offenen Vorschlag" in response.content.decode()
    assert not Tandem.objects.exists()


def test_a_tab_left_open_on_an_older_run_says_that_a_newer_run_replaced_it(client, staff_user, run):
    """The proposal was superseded by a newer run; the page asked to pick an open proposal."""
    client.force_login(staff_user)
    proposal = run.proposals.get()
    services.match_run_start(by=staff_user)
    response = client.post(reverse("admin:matching_matchrun_proposals", args=[run.pk]),
                           {"proposal": [proposal.pk], "confirm": "1"})
    assert "Dieser Lauf ist durch einen neueren ersetzt" in response.content.decode()
    assert not Tandem.objects.exists()


def test_choose_mentor_by_hand(client, staff_user, run, mentee):
    other = participant(mentor=True, competences=["steuerungskreis"])
    client.force_login(staff_user)
    url = reverse("admin:matching_matchrun_options", args=[run.pk, mentee.profile.pk])
    page = client.get(url).content.decode()
    assert str(other) in page and "Steuerungskreis" in page
    client.post(url, {"mentor": other.profile.pk})
    chosen = run.proposals.get(status=Proposal.Status.OPEN)
    assert chosen.mentor == other.profile and chosen.manual
    colleague = participant(mentor=True, organisation=mentee.profile.organisation)
    response = client.post(url, {"mentor": colleague.profile.pk}, follow=True)
    assert "dieselbe Organisation" in response.content.decode()


def test_a_mentor_chosen_by_hand_beyond_free_places_is_said_on_the_page_and_after_the_choice(client, staff_user,
                                                                                             run, mentee, mentor):
    """One free place, already proposed for another mentee of the run: the page showed "1" free place and the
    choice said only that it was made."""
    from django.contrib.messages import get_messages

    mentor.profile.mentor_capacity = 1
    mentor.profile.save(update_fields=["mentor_capacity"])
    second = participant(needs=["haushalt"])
    Proposal.objects.create(run=run, mentee=second.profile, mentor=mentor.profile, score=1)
    client.force_login(staff_user)
    other = participant(needs=["haushalt"])
    url = reverse("admin:matching_matchrun_options", args=[run.pk, other.profile.pk])
    page = " ".join(client.get(url).content.decode().split())
    assert "in diesem Lauf schon für 2 andere Personen vorgeschlagen" in page
    response = client.post(url, {"mentor": mentor.profile.pk})
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        f"{mentor} ist in diesem Lauf noch für 2 andere Personen vorgeschlagen (freie Plätze: 1): Bestätigt werden "
        "können nur so viele, wie Plätze frei sind.")


def test_after_a_decision_the_options_page_offers_no_choice_and_says_why(client, staff_user, run, mentee):
    """A rejected proposal cannot be replaced by hand: the page says so instead of offering buttons the service
    refuses ("keine freie Kapazität" was the wrong reason)."""
    other = participant(mentor=True, competences=["steuerungskreis"])
    run.proposals.filter(mentee=mentee.profile).update(status=Proposal.Status.REJECTED)
    client.force_login(staff_user)
    url = reverse("admin:matching_matchrun_options", args=[run.pk, mentee.profile.pk])
    page = client.get(url).content.decode()
    assert "Über den Vorschlag für diese Person wurde schon entschieden." in page
    assert f'name="mentor" value="{other.profile.pk}"' not in page and "keine freie Kapazität" not in page


def test_end_tandem_in_admin(client, staff_user):
    tandem = TandemFactory()
    client.force_login(staff_user)
    url = reverse("admin:matching_tandem_end", args=[tandem.pk])
    assert "Dieses Feld ist zwingend erforderlich." in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "Mentee hat die Stelle gewechselt"})
    tandem.refresh_from_db()
    assert tandem.status == Tandem.Status.ENDED and tandem.ended_by == staff_user


def test_a_colleague_ending_the_same_tandem_meanwhile_is_told_and_the_first_reason_stands(client, staff_user,
                                                                                          monkeypatch):
    from django.contrib.messages import get_messages

    tandem = TandemFactory()
    colleague = staff_member(email="kollegin@example.org")
    real = services.tandem_end

    def ended_meanwhile(**kwargs):
        real(tandem=kwargs["tandem"], by=colleague, reason="Grund A")
        return real(**kwargs)

    monkeypatch.setattr(services, "tandem_end", ended_meanwhile)
    client.force_login(staff_user)
    response = client.post(reverse("admin:matching_tandem_end", args=[tandem.pk]), {"reason": "Grund B"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Dieses Tandem ist bereits beendet."]
    tandem.refresh_from_db()
    assert (tandem.end_reason, tandem.ended_by) == ("Grund A", colleague)


def test_a_withdrawal_after_the_end_leaves_the_tandem_as_it_ended():
    tandem = TandemFactory()
    services.tandem_end(tandem=tandem, by=None, cause=Tandem.EndCause.PLANNED_END)
    services.tandem_end(tandem=tandem, by=None, cause=Tandem.EndCause.WITHDRAWN)
    tandem.refresh_from_db()
    assert tandem.end_cause == Tandem.EndCause.PLANNED_END


def test_quiet_tandems_are_flagged(client, staff_user):
    quiet = TandemFactory()
    Tandem.objects.filter(pk=quiet.pk).update(last_activity_at=timezone.now() - datetime.timedelta(weeks=9))
    lively = TandemFactory()
    client.force_login(staff_user)
    response = client.get(reverse("admin:matching_tandem_changelist"), {"ruhig": "8"})
    assert list(response.context["cl"].result_list) == [Tandem.objects.get(pk=quiet.pk)]
    assert lively not in response.context["cl"].result_list


def test_reports_can_be_resolved(client, staff_user):
    tandem = TandemFactory()
    report = services.problem_report(tandem=tandem, by=tandem.mentee.user, kind="problem", text="keine Antwort")
    client.force_login(staff_user)
    client.post(reverse("admin:matching_problemreport_changelist"),
                {"action": "resolve", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.resolved_by == staff_user and ProblemReport.objects.filter(resolved_at__isnull=True).count() == 0


def test_pair_rule_added_in_admin_records_author(client, staff_user, mentee, mentor):
    client.force_login(staff_user)
    client.post(reverse("admin:matching_pairrule_add"), {"mentee": mentee.profile.pk, "mentor": mentor.profile.pk,
                                                         "kind": "exclude", "note": "Konflikt"})
    assert PairRule.objects.get().created_by == staff_user


def query_count(client, url) -> int:
    """How many queries one visit of ``url`` makes."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_proposal_list_query_count_is_flat(client, staff_user):
    run = MatchRunFactory(summary={"unmatched": [], "scores": {"count": 0}})
    ProposalFactory(run=run)
    client.force_login(staff_user)
    url = reverse("admin:matching_matchrun_proposals", args=[run.pk])

    few = query_count(client, url)
    for _ in range(15):
        ProposalFactory(run=run)
    assert query_count(client, url) == few


def test_run_page_shows_progress_while_running(client, staff_user):
    run = MatchRunFactory(status=MatchRun.Status.RUNNING, progress=40)
    client.force_login(staff_user)
    page = client.get(reverse("admin:matching_matchrun_proposals", args=[run.pk])).content.decode()
    assert "40 % berechnet" in page and 'http-equiv="refresh"' in page


def test_pair_rule_with_oneself_gives_german_error(client, staff_user, mentor):
    client.force_login(staff_user)
    response = client.post(reverse("admin:matching_pairrule_add"), {
        "mentee": mentor.profile.pk, "mentor": mentor.profile.pk, "kind": "pin"})
    assert response.content.decode().count("Eine Person kann nicht mit sich selbst ein Tandem bilden.") == 1
    assert not PairRule.objects.exists()


def test_proposal_list_is_paginated(client, staff_user, monkeypatch):
    from matching import admin as matching_admin

    monkeypatch.setattr(matching_admin, "PROPOSALS_PER_PAGE", 2)
    run = MatchRunFactory(summary={"unmatched": [], "scores": {"count": 3}})
    proposals = [ProposalFactory(run=run, score=score) for score in (9, 8, 7)]
    client.force_login(staff_user)
    url = reverse("admin:matching_matchrun_proposals", args=[run.pk])
    first = client.get(url).content.decode()
    assert "Seite 1 von 2" in first and f'value="{proposals[2].pk}"' not in first
    assert f'value="{proposals[2].pk}"' in client.get(url, {"seite": 2}).content.decode()


def test_quiet_flag_is_text_not_colour(client, staff_user):
    quiet = TandemFactory()
    Tandem.objects.filter(pk=quiet.pk).update(last_activity_at=timezone.now() - datetime.timedelta(weeks=9))
    client.force_login(staff_user)
    assert "seit 9 Wochen nichts eingetragen" in client.get(
        reverse("admin:matching_tandem_changelist")).content.decode()


def test_quiet_column_flags_exactly_the_tandems_the_quiet_filter_lists(client, staff_user):
    quiet, ended, busy = TandemFactory(), TandemFactory(), TandemFactory()
    long_ago = timezone.now() - datetime.timedelta(weeks=9)
    Tandem.objects.filter(pk__in=[quiet.pk, ended.pk]).update(last_activity_at=long_ago)
    Tandem.objects.filter(pk=ended.pk).update(status=Tandem.Status.ENDED, ended_at=timezone.now())
    client.force_login(staff_user)
    rows = client.get(reverse("admin:matching_tandem_changelist")).context["cl"].result_list
    flagged = {t.pk for t in rows if "⚠" in str(TandemAdmin.quiet(None, t))}
    listed = client.get(reverse("admin:matching_tandem_changelist"), {"ruhig": "8"}).context["cl"].result_list
    assert flagged == {t.pk for t in listed} == {quiet.pk}
    assert busy.pk not in flagged


def test_garbage_input_never_gives_500(client, staff_user, run, mentee):
    client.force_login(staff_user)
    response = client.post(reverse("admin:matching_matchrun_proposals", args=[run.pk]),
                           {"proposal": ["abc", "-1"], "confirm": "1"})
    assert response.status_code == 200 and "mindestens einen offenen Vorschlag" in response.content.decode()
    response = client.post(reverse("admin:matching_matchrun_options", args=[run.pk, mentee.profile.pk]),
                           {"mentor": "abc"})
    assert response.status_code == 404


def test_options_for_a_mentee_who_left_the_pool_since_the_run(client, staff_user, run, mentee):
    Consent.objects.filter(user=mentee, purpose=Consent.Purpose.PARTNER_SHARING).update(withdrawn_at=timezone.now())
    client.force_login(staff_user)
    response = client.get(reverse("admin:matching_matchrun_options", args=[run.pk, mentee.profile.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "im Matching-Pool sein" in page and "Wahl" not in page


def test_tandem_page_query_count_is_flat(client, staff_user):
    tandem = TandemFactory(days_ago=120)
    client.force_login(staff_user)
    url = reverse("admin:matching_tandem_change", args=[tandem.pk])

    days = iter(range(100))

    def log_and_report():
        for user in (tandem.mentee.user, tandem.mentor.user):
            day = timezone.localdate() - datetime.timedelta(days=next(days))
            services.meeting_log(tandem=tandem, by=user, date=day, duration_minutes=60, format="online")
            ProblemReport.objects.create(tandem=tandem, reported_by=user, kind="problem", text="Hilfe")

    log_and_report()
    query_count(client, url)  # the first visit fills caches (content types), so it is not the measure
    few = query_count(client, url)
    for _ in range(5):
        log_and_report()
    assert query_count(client, url) == few


def test_proposal_and_tandem_pages_list_the_reasons_under_a_german_label(client, staff_user):
    proposal = ProposalFactory()
    tandem = TandemFactory(proposal=proposal)
    client.force_login(staff_user)
    for url in (reverse("admin:matching_proposal_change", args=[proposal.pk]),
                reverse("admin:matching_tandem_change", args=[tandem.pk])):
        page = client.get(url).content.decode()
        assert "Gründe" in page and "deckt 1 von 1 Bedarfen ab: Haushaltsplanung" in page, url


GARBAGE = ["abc", "%00", "a%00b", "%C2%B2", "%D9%A1", "1%C2%B2", "99999999999999999999999", "-1", "1.5"]


@pytest.mark.parametrize("value", GARBAGE)
def test_every_matching_admin_url_with_a_pk_answers_garbage_without_a_server_error(client, staff_user, value):
    client.force_login(staff_user)
    models = ["matchrun", "proposal", "pairrule", "tandem", "problemreport", "matchingsettings"]
    paths = [f"/admin/matching/{model}/{value}/{suffix}" for model in models
             for suffix in ("", "change/", "delete/", "history/")]
    paths += [f"/admin/matching/matchrun/{value}/vorschlaege/", f"/admin/matching/matchrun/1/mentee/{value}/",
              f"/admin/matching/matchrun/{value}/mentee/1/", f"/admin/matching/tandem/{value}/beenden/"]
    for path in paths:
        # 403: no delete of the settings; 400: a NUL byte, refused by the middleware before any view
        assert client.get(path).status_code in (302, 400, 403, 404), path


@pytest.mark.parametrize("value", ["²", "١", "\x00", "abc", "99999999999999999999999"])
def test_pks_in_admin_forms_answer_garbage_without_a_server_error(client, staff_user, run, mentee, value):
    client.force_login(staff_user)
    nul = "\x00" in value  # the middleware answers 400 before any view sees a NUL byte
    proposals = reverse("admin:matching_matchrun_proposals", args=[run.pk])
    assert client.post(proposals, {"proposal": [value], "confirm": "1"}).status_code == (400 if nul else 200)
    assert client.get(proposals, {"seite": value}).status_code == (400 if nul else 200)
    options = reverse("admin:matching_matchrun_options", args=[run.pk, mentee.profile.pk])
    assert client.post(options, {"mentor": value}).status_code == (400 if nul else 404)
    response = client.post(reverse("admin:matching_pairrule_add"), {"mentee": value, "mentor": value, "kind": "pin"})
    assert response.status_code == (400 if nul else 200) and not PairRule.objects.exists()


def test_run_page_reads_one_page_with_the_same_queries_for_a_small_and_a_larger_run(
        client, staff_user, django_assert_max_num_queries):
    """A page lists its proposals' reasons as German sentences with German figures, decisions with
    who and when, and costs no more queries for 30 proposals than for 3."""
    client.force_login(staff_user)
    mentor = participant(mentor=True, competences=["haushalt"]).profile
    runs = []
    for size in (3, 30):
        run = MatchRunFactory(summary={"unmatched": [], "scores": {"count": size}})
        for n in range(size):
            ProposalFactory(run=run, mentor=mentor, score=12.25 + n, manual=n == 1,
                            status=Proposal.Status.REJECTED if n == 2 else Proposal.Status.OPEN,
                            decided_by=staff_user if n == 2 else None,
                            decided_at=timezone.now() if n == 2 else None,
                            reasons=[*ProposalFactory.reasons.function(),
                                     {"criterion": "meeting_format", "kind": "same", "points": 1.25,
                                      "params": {"format": "online"}}])
        runs.append(run)
    urls = [reverse("admin:matching_matchrun_proposals", args=[run.pk]) for run in runs]
    client.get(urls[0])  # the first visit fills caches (content types, session)
    with CaptureQueriesContext(connection) as small:
        page = client.get(urls[0]).content.decode()
    assert "deckt 1 von 1 Bedarfen ab: Haushaltsplanung (+10,0)" in page
    assert "gleiches Format: online (+1,3)" in page
    assert "12,3" in page and "von Hand" in page and f"{staff_user}, " in page
    first = runs[0].proposals.get(status=Proposal.Status.OPEN, manual=False)
    assert f'href="{reverse("admin:matching_matchrun_options", args=[runs[0].pk, first.mentee_id])}"' in page
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(urls[1]).content.decode()
    assert page.count('name="proposal"') == 29  # the rejected one has no checkbox


def test_the_options_page_is_only_for_a_mentee(client, staff_user, run, mentor):
    client.force_login(staff_user)
    response = client.get(reverse("admin:matching_matchrun_options", args=[run.pk, mentor.profile.pk]))
    assert response.status_code == 404


def test_matching_settings_refuse_all_weights_zero(client, staff_user):
    """With every weight 0 every pair scored 0: a run proposed pairs without a reason and, its slot penalty below
    0, left most mentees out as "capacity exhausted" beside free Mentor*innen."""
    from mentoring.tests.admin_forms import admin_form_data

    settings_row = MatchingSettings.load()
    client.force_login(staff_user)
    url = reverse("admin:matching_matchingsettings_change", args=[settings_row.pk])
    data = admin_form_data(client, url)
    for name in ("topics", "organisation", "size", "region", "meeting_format", "language", "funding"):
        data[name] = "0"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Mindestens ein Gewicht muss größer als 0 sein" in response.content.decode()
    settings_row.refresh_from_db()
    assert settings_row.topics > 0
    data["topics"] = "1"
    assert client.post(url, data).status_code == 302
    settings_row.refresh_from_db()
    assert settings_row.topics == 1 and settings_row.funding == 0


def test_the_pair_rule_person_picker_tells_namesakes_apart_in_few_queries(client, staff_user):
    """Two "Clara Lange" were listed alike, a rejected applicant among them: now with e-mail, organisation and a
    registration that is not approved; the queries do not grow with the choices."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Registration
    from accounts.tests.factories import participant

    clara = participant(user__first_name="Clara", user__last_name="Lange", user__email="clara.lange@stadt.example")
    namesake = participant(user__first_name="Clara", user__last_name="Lange", user__email="c.lange@kreis.example",
                           status=Registration.Status.REJECTED)
    client.force_login(staff_user)
    url = reverse("admin:autocomplete")
    params = {"app_label": "matching", "model_name": "pairrule", "field_name": "mentee", "term": "Lange"}
    with CaptureQueriesContext(connection) as two:
        results = client.get(url, params).json()["results"]
    texts = {int(result["id"]): result["text"] for result in results}
    assert texts[clara.profile.pk] == f"Clara Lange · clara.lange@stadt.example · {clara.profile.organisation.name}"
    assert texts[namesake.profile.pk].startswith("Clara Lange · c.lange@kreis.example")
    assert texts[namesake.profile.pk].endswith("Anmeldung: abgelehnt")
    for i in range(8):
        participant(user__first_name="Clara", user__last_name="Lange", user__email=f"lange{i}@example.org")
    with CaptureQueriesContext(connection) as ten:
        assert len(client.get(url, params).json()["results"]) == 10
    assert len(ten) == len(two)
