"""Problem reports as cases: staff set status and assignee, write notes, reply; only the reporter hears of it."""
import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.services import user_delete, user_export
from accounts.tests.factories import StaffFactory, participant
from matching import services
from matching.models import ProblemReport, ProblemReportNote, ProblemReportReply, Tandem
from mentoring.kernel.models import OutboxMessage

from .factories import TandemFactory

pytestmark = pytest.mark.django_db
REPORT = "Wir finden seit Wochen keinen gemeinsamen Termin."
NOTE = "Mentorin ist bis Ende des Monats im Urlaub; danach nachfassen."
REPLY = "Danke für Ihre Nachricht. Wir sprechen nächste Woche mit Ihrer Mentorin."


@pytest.fixture
def tandem(mentee, mentor):
    return TandemFactory(mentee=mentee.profile, mentor=mentor.profile)


@pytest.fixture
def report(tandem, mentee):
    return services.problem_report(tandem=tandem, by=mentee, kind="problem", text=REPORT)


def change_url(report) -> str:
    return reverse("admin:matching_problemreport_change", args=[report.pk])


def handle(client, report, **data):
    return client.post(change_url(report), {"status": "new", "assignee": "", "note": "", "reply": "", **data})


def test_staff_reply_reaches_the_reporter_by_mail_and_on_the_tandem_page(client, staff_user, report, mentee, tandem):
    client.force_login(staff_user)
    form = client.get(change_url(report)).content.decode()
    assert REPORT in form and "Antwort an die meldende Person" in form and "Neue interne Notiz" in form
    response = handle(client, report, status="in_progress", assignee=staff_user.pk, note=NOTE, reply=REPLY)
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.assignee, report.resolved_at) == ("in_progress", staff_user, None)
    note, reply = report.notes.get(), report.replies.get()
    assert (note.text, note.author, reply.text, reply.author) == (NOTE, staff_user, REPLY, staff_user)
    mail = OutboxMessage.objects.get(key=f"problem-report:{report.pk}:reply:{reply.pk}")
    assert mail.to == mentee.email
    assert mail.subject == "Antwort auf Ihr Anliegen zu Ihrem Tandem"
    assert REPLY in mail.body_text and "„in Bearbeitung“" in mail.body_text
    assert f"/tandem/{tandem.pk}/anliegen/{report.pk}/" in mail.body_text
    assert NOTE not in mail.body_text + mail.body_html, "internal notes stay internal"
    # The reporter reads state and reply on the Tandem page and the report's page.
    client.force_login(mentee)
    page = client.get(reverse("matching:tandem_detail", args=[tandem.pk])).content.decode()
    assert "Ihre Anliegen an die Koordination" in page and "in Bearbeitung" in page and "1 Antwort" in page
    detail = client.get(reverse("matching:report_detail", args=[tandem.pk, report.pk])).content.decode()
    assert REPORT in detail and REPLY in detail and "in Bearbeitung" in detail
    assert NOTE not in detail and NOTE not in page


def test_a_status_change_alone_tells_the_reporter_and_done_records_who_and_when(client, staff_user, report, mentee):
    client.force_login(staff_user)
    handle(client, report, status="done")
    report.refresh_from_db()
    assert report.status == "done" and report.resolved_by == staff_user and report.resolved_at is not None
    mail = OutboxMessage.objects.get(key__startswith=f"problem-report:{report.pk}:status:done:")
    assert mail.to == mentee.email and mail.subject == "Ihr Anliegen zu Ihrem Tandem: erledigt"
    assert "abgeschlossen" in mail.body_text
    handle(client, report, status="done", assignee=staff_user.pk)
    assert OutboxMessage.objects.filter(to=mentee.email).count() == 1, "only the assignee changed: no mail"
    handle(client, report, status="in_progress")
    report.refresh_from_db()
    assert (report.status, report.resolved_at, report.resolved_by) == ("in_progress", None, None), "reopened"


def test_partner_never_sees_the_report_its_reply_or_notes(client, staff_user, report, tandem, mentor):
    services.problem_report_handle(report=report, by=staff_user, status="in_progress", assignee=staff_user,
                                   note=NOTE, reply=REPLY)
    client.force_login(mentor)
    page = client.get(reverse("matching:tandem_detail", args=[tandem.pk])).content.decode()
    assert REPORT not in page and REPLY not in page and "Ihre Anliegen an die Koordination" not in page
    assert client.get(reverse("matching:report_detail", args=[tandem.pk, report.pk])).status_code == 404
    assert client.get(reverse("matching:tandem_list")).status_code == 200
    assert REPORT not in client.get(reverse("matching:tandem_list")).content.decode()
    exported = json.dumps(user_export(user=mentor), ensure_ascii=False, default=str)
    assert REPORT not in exported and REPLY not in exported and NOTE not in exported
    assert not OutboxMessage.objects.filter(to=mentor.email, key__startswith="problem-report:").exists()
    assert client.get(reverse("matching:report_detail", args=[tandem.pk, report.pk + 1000])).status_code == 404


def test_a_report_of_another_tandem_is_a_404_even_for_its_reporter(client, report, mentee, tandem):
    other = TandemFactory(mentee=participant(needs=["haushalt"]).profile)
    client.force_login(mentee)
    assert client.get(reverse("matching:report_detail", args=[tandem.pk, report.pk])).status_code == 200
    client.force_login(other.mentee.user)
    assert client.get(reverse("matching:report_detail", args=[other.pk, report.pk])).status_code == 404


def test_bad_input_in_the_case_form_is_a_message_not_a_500(client, staff_user, report, mentee):
    client.force_login(staff_user)
    for data, field in (({"status": "gibt-es-nicht"}, "status"), ({"assignee": mentee.pk}, "assignee"),
                        ({"assignee": "abc"}, "assignee"), ({"reply": "x" * 5001}, "reply")):
        response = handle(client, report, **data)
        assert response.status_code == 200, data
        assert field in response.context["adminform"].form.errors, data
    report.refresh_from_db()
    assert report.status == "new" and not report.replies.exists()
    assert not OutboxMessage.objects.filter(to=mentee.email).exists()


def test_bulk_actions_take_over_and_resolve_through_the_workflow(client, staff_user, tandem, mentee, mentor):
    first = services.problem_report(tandem=tandem, by=mentee, kind="problem", text="eins")
    second = services.problem_report(tandem=tandem, by=mentor, kind="end", text="zwei")
    client.force_login(staff_user)
    changelist = reverse("admin:matching_problemreport_changelist")
    client.post(changelist, {"action": "take_over", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert (first.status, first.assignee) == ("in_progress", staff_user)
    response = client.post(changelist, {"action": "resolve", "_selected_action": [first.pk, second.pk]}, follow=True)
    assert "2 Meldungen als erledigt markiert." in response.content.decode()
    assert set(ProblemReport.objects.values_list("status", flat=True)) == {"done"}
    assert set(OutboxMessage.objects.filter(key__contains=":status:done:").values_list("to", flat=True)) == {
        mentee.email, mentor.email}
    assert client.get(changelist + "?status__exact=done").context["cl"].result_count == 2
    assert client.get(changelist + "?status__exact=new").context["cl"].result_count == 0


def test_ending_the_tandem_closes_its_open_reports(staff_user, report, tandem):
    services.tandem_end(tandem=tandem, by=staff_user, reason="Stelle gewechselt")
    report.refresh_from_db()
    assert report.status == ProblemReport.Status.DONE and report.resolved_by == staff_user
    assert ProblemReport.objects.filter(resolved_at__isnull=True).count() == 0


def test_reporter_export_holds_notes_and_replies_and_erasure_removes_them(staff_user, report, mentee, tandem):
    services.problem_report_handle(report=report, by=staff_user, status="in_progress", assignee=staff_user,
                                   note=NOTE, reply=REPLY)
    [exported] = user_export(user=mentee)["matching"]["meldungen"]
    assert exported["status"] == "in Bearbeitung" and exported["text"] == REPORT
    assert [r["text"] for r in exported["antworten"]] == [REPLY]
    assert [n["text"] for n in exported["interne_notizen_der_koordination"]] == [NOTE]
    assert exported["antworten"][0]["von"].startswith("Koordination (")
    user_delete(user=mentee)
    assert not ProblemReport.objects.filter(pk=report.pk).exists()
    assert not ProblemReportNote.objects.exists() and not ProblemReportReply.objects.exists()
    assert not OutboxMessage.objects.filter(key__startswith=f"problem-report:{report.pk}:").exists()
    assert Tandem.objects.filter(pk=tandem.pk).exists(), "the partner keeps the Tandem"


def test_an_erased_staff_author_leaves_notes_and_replies(report):
    author = StaffFactory()
    services.problem_report_handle(report=report, by=author, status="in_progress", assignee=author, note=NOTE,
                                   reply=REPLY)
    user_delete(user=author)
    report.refresh_from_db()
    assert report.assignee is None and report.notes.get().author is None and report.replies.get().text == REPLY


def test_staff_who_may_only_view_reports_cannot_reply_or_close_them(client, report, mentee):
    viewer = StaffFactory(is_superuser=False)
    viewer.user_permissions.add(Permission.objects.get(codename="view_problemreport"))
    client.force_login(viewer)
    assert client.get(change_url(report)).status_code == 200
    assert handle(client, report, status="done", reply=REPLY).status_code == 403
    client.post(reverse("admin:matching_problemreport_changelist"),
                {"action": "resolve", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == "new" and not report.replies.exists()
    assert not OutboxMessage.objects.filter(to=mentee.email).exists()


def test_only_active_staff_who_handle_cases_can_be_given_one(client, staff_user, report):
    """Koordination (and superusers) take cases; Moderation, Veranstaltungen and a departed colleague are
    neither offered in the form nor accepted by the service."""
    from accounts.staff_groups import MODERATION, VERANSTALTUNGEN
    from accounts.tests.factories import staff_member
    colleague = staff_member(last_name="Koordiniert")
    others = [staff_member(MODERATION, last_name="Moderiert"), staff_member(VERANSTALTUNGEN, last_name="Plant"),
              staff_member(is_active=False, last_name="Ausgeschieden")]
    client.force_login(staff_user)
    form = client.get(change_url(report)).context["adminform"].form
    offered = set(form.fields["assignee"].queryset)
    assert {staff_user, colleague} <= offered and not offered & set(others)
    for other in others:
        with pytest.raises(services.MatchingError):
            services.problem_report_handle(report=report, by=staff_user, status="in_progress", assignee=other)
    services.problem_report_handle(report=report, by=staff_user, status="in_progress", assignee=colleague)
    report.refresh_from_db()
    assert report.assignee == colleague


def test_a_case_whose_assignee_has_left_can_still_be_answered_and_closed(client, staff_user, report, mentee):
    """The departed colleague stays the assignee of the cases they had: replying or closing works, no 500."""
    from accounts.tests.factories import staff_member
    colleague = staff_member(last_name="Geht")
    services.problem_report_handle(report=report, by=staff_user, status="in_progress", assignee=colleague)
    type(colleague).objects.filter(pk=colleague.pk).update(is_active=False)
    client.force_login(staff_user)
    response = handle(client, report, status="in_progress", assignee=colleague.pk, reply="Wir melden uns.")
    assert response.status_code == 302
    response = client.post(reverse("admin:matching_problemreport_changelist"),
                           {"action": "resolve", "_selected_action": [report.pk], "index": "0"}, follow=True)
    assert response.status_code == 200
    report.refresh_from_db()
    assert (report.status, report.assignee) == ("done", colleague) and report.replies.count() == 1


def test_taking_over_says_how_many_and_mails_only_for_a_change(client, staff_user, tandem, mentee):
    """A report already done, or already in progress with the same person, is not taken over again: the message
    counts what changed and nobody is mailed for nothing."""

    report = services.problem_report(tandem=tandem, by=mentee, kind="problem", text="Wir finden keinen Termin.")
    client.force_login(staff_user)
    changelist = reverse("admin:matching_problemreport_changelist")
    page = client.post(changelist, {"action": "take_over", "_selected_action": [report.pk]}, follow=True)
    assert "1 Meldung übernommen" in page.content.decode()
    mails = OutboxMessage.objects.filter(key__startswith="problem-report:").count()
    page = client.post(changelist, {"action": "take_over", "_selected_action": [report.pk]}, follow=True)
    assert "Keine Meldung übernommen" in page.content.decode()
    assert OutboxMessage.objects.filter(key__startswith="problem-report:").count() == mails


def test_an_ended_tandem_is_not_ended_again(client, staff_user, tandem):
    services.tandem_end(tandem=tandem, by=staff_user, reason="Stellenwechsel")
    client.force_login(staff_user)
    url = reverse("admin:matching_tandem_end", args=[tandem.pk])
    response = client.post(url, {"reason": "Zweiter Versuch"}, follow=True)
    assert "bereits beendet" in response.content.decode()
    tandem.refresh_from_db()
    assert tandem.end_reason == "Stellenwechsel"
