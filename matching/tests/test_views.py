"""Participants' pages: permission matrix, 404 for strangers, meeting log, reports, PDF, query counts."""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import participant
from matching import services
from matching import urls as matching_urls
from matching.models import Agreement, CheckIn, ClosingReview, Meeting, ProblemReport, Tandem
from mentoring.kernel.models import OutboxMessage
from mentoring.tests.routes import url_names

from .factories import TandemFactory

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "unapproved_user", "mentee", "mentor", "staff_user"]


@pytest.fixture
def tandem(mentee, mentor):
    return TandemFactory(mentee=mentee.profile, mentor=mentor.profile)


def client_for(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


YEAR = timezone.localdate().year
MATRIX = {
    # url name, args (tandem → its pk), expected per role
    "tandem_list": ([], [302, 403, 200, 200, 200]),
    "tandem_detail": (["tandem"], [302, 403, 200, 200, 200]),
    "meeting_create": (["tandem"], [302, 403, 302, 302, 404]),
    "meeting_detail": (["tandem", "meeting"], [302, 403, 200, 200, 404]),
    "meeting_change": (["tandem", "meeting"], [302, 403, 302, 302, 404]),
    "meeting_confirm": (["tandem", "meeting"], [302, 403, 302, 302, 404]),
    "meeting_object": (["tandem", "meeting"], [302, 403, 302, 302, 404]),
    "meeting_delete": (["tandem", "meeting"], [302, 403, 302, 302, 404]),
    "meeting_note": (["tandem", "meeting"], [302, 403, 302, 302, 404]),
    "report_create": (["tandem"], [302, 403, 302, 302, 404]),
    # The mentee's report: the mentor (the partner) and staff outside admin get the same 404 as a stranger.
    "report_detail": (["tandem", "report"], [302, 403, 200, 404, 404]),
    "statement_pdf": ([YEAR], [302, 403, 404, 200, 404]),
    "agreement": (["tandem"], [302, 403, 200, 200, 404]),
    "agreement_confirm": (["tandem", "agreement"], [302, 403, 302, 302, 404]),
    # The mentee's Kurzbefragung: the partner and staff get 404, the anonymous visitor goes to the login.
    "checkin": (["tandem", "checkin"], [302, 404, 200, 404, 404]),
    # The closing review is the mentee's own; the certificate exists once the Tandem has ended.
    "review": (["tandem", "review"], [302, 403, 200, 404, 404]),
    "certificate": (["tandem"], [302, 403, 404, 404, 404]),
}


def test_matrix_covers_every_url():
    assert url_names(matching_urls) == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role_index", range(len(ROLES)))
def test_permission_matrix(client, request, tandem, name, role_index):
    args, expected = MATRIX[name]
    meeting = Meeting.objects.create(tandem=tandem, logged_by=tandem.mentor.user, date=timezone.localdate(),
                                     duration_minutes=60, format="online")
    report = ProblemReport.objects.create(tandem=tandem, reported_by=tandem.mentee.user, kind="problem",
                                          text="Wir finden keinen Termin.")
    agreement = Agreement.objects.create(tandem=tandem, version=1, frequency="monthly", meeting_form="online",
                                         planned_end=timezone.localdate(), confidential=True)
    checkin = CheckIn.objects.create(tandem=tandem, user=tandem.mentee.user, number=1, due_on=timezone.localdate())
    review = ClosingReview.objects.create(tandem=tandem, user=tandem.mentee.user)
    objects = {"tandem": tandem.pk, "meeting": meeting.pk, "report": report.pk, "agreement": agreement.pk,
               "checkin": checkin.pk, "review": review.pk}
    url = reverse(f"matching:{name}", args=[objects.get(a, a) for a in args])
    response = client_for(client, request, ROLES[role_index]).get(url)
    assert response.status_code == expected[role_index], (name, ROLES[role_index])


@pytest.mark.parametrize("name", ["tandem_detail", "meeting_create", "report_create"])
def test_stranger_gets_404(client, tandem, name):
    client.force_login(participant(needs=["haushalt"]))
    assert client.get(reverse(f"matching:{name}", args=[tandem.pk])).status_code == 404
    assert client.post(reverse(f"matching:{name}", args=[tandem.pk]), {}).status_code == 404
    assert client.get(reverse(f"matching:{name}", args=[99999])).status_code == 404


def test_tandem_list_shows_partner_and_mentoring_time(client, tandem, mentor):
    Meeting.objects.create(tandem=tandem, logged_by=mentor, date=timezone.localdate(), duration_minutes=480,
                           format="online", status=Meeting.Status.CONFIRMED)
    client.force_login(mentor)
    page = client.get(reverse("matching:tandem_list")).content.decode()
    assert str(tandem.mentee.user) in page
    assert "8,00 Stunden = 1,00 Tage" in page
    assert reverse("matching:statement_pdf", args=[YEAR]) in page


def test_detail_shows_contact_reasons_and_only_own_note(client, tandem, mentee, mentor):
    mentor.profile.phone = "0561 99"
    mentor.profile.save()
    services.meeting_log(tandem=tandem, by=mentor, date=timezone.localdate(), duration_minutes=60,
                         format="online", note="Notiz der Mentorin")
    client.force_login(mentee)
    page = client.get(reverse("matching:tandem_detail", args=[tandem.pk])).content.decode()
    assert mentor.email in page and "0561 99" in page and "Haushaltsplanung" in page
    assert "Notiz der Mentorin" not in page
    client.force_login(mentor)
    assert "Notiz der Mentorin" in client.get(reverse("matching:tandem_detail", args=[tandem.pk])).content.decode()


def test_log_meeting(client, tandem, mentee):
    client.force_login(mentee)
    response = client.post(reverse("matching:meeting_create", args=[tandem.pk]), {
        "date": timezone.localdate().isoformat(), "duration_minutes": "75", "format": "onsite",
        "topics": [tandem.mentee.needs.first().topic_id], "note": "Erstes Treffen"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.duration_minutes == 75 and meeting.logged_by == mentee and meeting.topics.count() == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(), "duration_minutes": "60"},
     "Das Datum darf nicht in der Zukunft liegen."),
    ({"date": timezone.localdate().isoformat(), "duration_minutes": "700"},
     "Ein Treffen dauert höchstens 10 Stunden (600 Minuten)."),
    ({"date": timezone.localdate().isoformat(), "duration_minutes": "2"}, "Ein Treffen dauert mindestens 5 Minuten."),
    ({"date": "31.02.2026", "duration_minutes": "60"}, "gültiges Datum"),
    ({"date": timezone.localdate().isoformat(), "duration_minutes": "eine Stunde"}, "ganze Zahl"),
])
def test_meeting_validation_shows_german_error_and_saves_nothing(client, tandem, mentee, data, message):
    client.force_login(mentee)
    response = client.post(reverse("matching:meeting_create", args=[tandem.pk]), {"format": "online", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_ended_tandem_takes_no_meetings(client, tandem, mentee):
    Tandem.objects.filter(pk=tandem.pk).update(status=Tandem.Status.ENDED)
    client.force_login(mentee)
    response = client.post(reverse("matching:meeting_create", args=[tandem.pk]), {
        "date": timezone.localdate().isoformat(), "duration_minutes": "60", "format": "online"})
    assert response.status_code == 400 and not Meeting.objects.exists()


def test_report_problem_and_ask_to_end(client, tandem, mentor):
    client.force_login(mentor)
    response = client.post(reverse("matching:report_create", args=[tandem.pk]),
                           {"kind": "end", "text": "Wir haben andere Schwerpunkte."})
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert report.kind == "end" and report.reported_by == mentor
    assert OutboxMessage.objects.filter(key__startswith=f"tandem-report:{report.pk}").exists()
    empty = client.post(reverse("matching:report_create", args=[tandem.pk]), {"kind": "problem", "text": ""})
    assert empty.status_code == 400
    assert "Bitte beschreiben Sie Ihr Anliegen in ein paar Sätzen." in empty.content.decode()


def test_statement_pdf_download(client, tandem, mentor):
    Meeting.objects.create(tandem=tandem, logged_by=mentor, date=timezone.localdate(), duration_minutes=90,
                           format="onsite")
    client.force_login(mentor)
    response = client.get(reverse("matching:statement_pdf", args=[YEAR]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="mentoringzeit-{YEAR}.pdf"'
    assert client.get(reverse("matching:statement_pdf", args=[YEAR + 1])).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_tandem_list_query_count_is_flat(client):
    mentor = participant(mentor=True, mentor_capacity=5)
    mentee = participant(needs=["haushalt"])
    TandemFactory(mentor=mentor.profile, mentee=mentee.profile)
    client.force_login(mentor)
    url = reverse("matching:tandem_list")
    few = _queries(client, url)
    for _ in range(10):
        TandemFactory(mentor=mentor.profile, status=Tandem.Status.ENDED)
    for _ in range(3):
        TandemFactory(mentor=mentor.profile)
    assert _queries(client, url) == few


def test_tandem_detail_query_count_is_flat(client, tandem, mentee):
    client.force_login(mentee)
    url = reverse("matching:tandem_detail", args=[tandem.pk])
    Meeting.objects.create(tandem=tandem, logged_by=mentee, date=timezone.localdate(), duration_minutes=60,
                           format="online")
    few = _queries(client, url)
    topic_ids = list(tandem.mentee.needs.values_list("topic_id", flat=True))
    for day in range(30):
        meeting = Meeting.objects.create(tandem=tandem, logged_by=mentee,
                                         date=timezone.localdate() - datetime.timedelta(days=day),
                                         duration_minutes=60, format="online")
        meeting.topics.set(topic_ids)
    assert _queries(client, url) == few


def test_own_tandems_are_found_on_the_two_indexed_columns_without_joining_profiles():
    from accounts.tests.factories import UserFactory
    from matching import selectors

    user = UserFactory()
    sql = str(selectors.tandems_for_user(user=user).query)
    assert '"matching_tandem"."mentee_id" = (SELECT' in sql and '"matching_tandem"."mentor_id" = (SELECT' in sql
    # not the former join condition on a joined profile's user
    assert not re.search(rf'("accounts_profile"|T\d+)\."user_id" = {user.pk}\b', sql)


@pytest.mark.django_db
@pytest.mark.parametrize("funding, shows_target", [("a2", True), ("a1", False)])
def test_the_five_days_are_shown_only_to_a2_mentors(client, funding, shows_target):
    from accounts.models import Profile
    mentor = participant(mentor=True)
    Profile.objects.filter(user=mentor).update(funding_line=funding)
    client.force_login(mentor)
    page = client.get(reverse("matching:tandem_list")).content.decode()
    assert "Ihre Mentoringzeit" in page
    assert ("die ein A.2-Vorhaben im Jahr vorsieht" in page) is shows_target


@pytest.mark.django_db
def test_a_person_whose_tandem_ended_is_told_what_comes_next(client, mentee):
    tandem = TandemFactory(mentee=mentee.profile)
    services.tandem_end(tandem=tandem, by=None, cause=Tandem.EndCause.PLANNED_END)
    client.force_login(mentee)
    page = client.get(reverse("matching:tandem_list")).content.decode()
    assert "Sie haben zurzeit kein aktives Tandem." in page and "Beendete Tandems" in page
    assert "Suchen Sie weiter Unterstützung" in page


@pytest.mark.django_db
def test_a_mentor_whose_tandem_ended_is_not_asked_whether_they_still_seek_support(client, mentor):
    tandem = TandemFactory(mentor=mentor.profile)
    services.tandem_end(tandem=tandem, by=None, cause=Tandem.EndCause.PLANNED_END)
    client.force_login(mentor)
    page = " ".join(client.get(reverse("matching:tandem_list")).content.decode().split())
    assert "Sie haben zurzeit kein aktives Tandem." in page and "Suchen Sie weiter Unterstützung" not in page
    assert "Haben Sie Zeit für eine*n weitere*n Mentee" in page


def test_an_ended_tandems_page_says_why_details_are_hidden_and_drops_the_welcome(client, tandem, mentee):
    """It still said "wir freuen uns auf Ihren Austausch!" and gave an either/or reason for the hidden details."""
    Tandem.objects.filter(pk=tandem.pk).update(message="Willkommen, wir freuen uns auf Ihren Austausch!")
    client.force_login(mentee)
    url = reverse("matching:tandem_detail", args=[tandem.pk])
    assert "wir freuen uns auf Ihren Austausch" in client.get(url).content.decode()
    services.tandem_end(tandem=tandem, by=None, cause=Tandem.EndCause.PLANNED_END, notify=False)
    page = " ".join(client.get(url).content.decode().split())
    assert "werden nicht mehr geteilt: Das Tandem ist beendet." in page
    assert "oder eine Seite" not in page and "wir freuen uns auf Ihren Austausch" not in page


def test_an_end_request_on_an_ended_tandem_is_refused_next_to_the_choice(client, tandem, mentee):
    """It was accepted and mailed staff, and stayed open although the end had just closed every report."""
    services.tandem_end(tandem=tandem, by=None, cause=Tandem.EndCause.PLANNED_END, notify=False)
    client.force_login(mentee)
    response = client.post(reverse("matching:report_create", args=[tandem.pk]),
                           {"kind": "end", "text": "Bitte beenden"})
    assert response.status_code == 400
    assert "Das Tandem ist schon beendet." in response.context["report_form"].errors["kind"][0]
    # The error summary's link leads to the choice, shown with what was typed (the ended page had no form).
    page = response.content.decode()
    assert 'href="#id_kind_0"' in page and 'id="id_kind_0"' in page and "Bitte beenden" in page
    assert 'value="end"' not in page  # an ended Tandem offers no end request
    assert not ProblemReport.objects.filter(tandem=tandem, kind="end").exists()
    # Another concern is still heard.
    client.post(reverse("matching:report_create", args=[tandem.pk]), {"kind": "problem", "text": "Nachfrage"})
    assert ProblemReport.objects.filter(tandem=tandem, kind="problem").exists()


def test_an_end_request_read_as_active_is_refused_once_the_end_came_first(tandem, mentee):
    """The page read the Tandem as active; staff ended it before the request was saved. The check ran on the
    page's copy, so the request stayed open on an ended Tandem and mailed staff."""
    from mentoring.kernel.models import OutboxMessage

    page_copy = Tandem.objects.get(pk=tandem.pk)
    services.tandem_end(tandem=tandem, by=None, cause=Tandem.EndCause.PLANNED_END, notify=False)
    assert page_copy.is_active
    with pytest.raises(services.MatchingError):
        services.problem_report(tandem=page_copy, by=mentee, kind="end", text="Bitte beenden")
    assert not ProblemReport.objects.filter(tandem=tandem, kind="end").exists()
    assert not OutboxMessage.objects.filter(key__startswith="tandem-report:").exists()


def test_the_same_message_sent_twice_is_one_report_and_one_mail(client, tandem, mentee):
    from mentoring.kernel.models import OutboxMessage

    client.force_login(mentee)
    for _ in range(2):
        response = client.post(reverse("matching:report_create", args=[tandem.pk]),
                               {"kind": "end", "text": "Wir wollen beenden"})
        assert response.status_code == 302
    assert ProblemReport.objects.filter(tandem=tandem).count() == 1
    assert OutboxMessage.objects.filter(key__startswith="tandem-report:").count() == 1
    # Another message is another report.
    client.post(reverse("matching:report_create", args=[tandem.pk]), {"kind": "problem", "text": "Noch etwas"})
    assert ProblemReport.objects.filter(tandem=tandem).count() == 2


def test_a_mentor_with_two_tandems_tells_their_pages_apart_by_title_and_trail(client, mentor):
    """Every Vereinbarung page was titled „Mentoring-Vereinbarung“ and its trail said only „Tandem“."""
    first, second = (TandemFactory(mentor=mentor.profile, mentee=participant(user__first_name=name,
                                                                             needs=["haushalt"]).profile)
                     for name in ("Ada", "Bea"))
    client.force_login(mentor)
    titles = []
    for tandem in (first, second):
        page = client.get(reverse("matching:agreement", args=[tandem.pk])).content.decode()
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert tandem.mentee_name in title and tandem.mentee_name in page.split('class="breadcrumb"')[1][:600]
        titles.append(title)
    assert titles[0] != titles[1]
