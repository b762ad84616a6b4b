"""Barrier reports as cases: status, assignee, notes, replies to the given address; anonymous reports too."""
import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.services import user_delete, user_export
from mentoring.models import BarrierReport, BarrierReportNote, BarrierReportReply, OutboxMessage
from mentoring.pages.services import BarrierReportError, barrier_report_handle

pytestmark = pytest.mark.django_db
REPLY = "Danke! Der Filter ist jetzt mit der Tastatur bedienbar."
NOTE = "Ticket 4711 beim Dienstleister."
MARCH = datetime.datetime(2027, 3, 3, 9, 0, tzinfo=datetime.UTC)


def change(client, stored, **data):
    return client.post(reverse("admin:mentoring_barrierreport_change", args=[stored.pk]),
                       {"status": "new", "assignee": "", "note": "", "reply": "", **data})


def test_staff_reply_is_mailed_to_the_reporter_with_the_state(client, staff_user, send_barrier_report):
    send_barrier_report()
    stored = BarrierReport.objects.get()
    client.force_login(staff_user)
    response = change(client, stored, status="done", assignee=staff_user.pk, note=NOTE, reply=REPLY)
    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.status, stored.assignee, stored.handled_by) == ("done", staff_user, staff_user)
    assert stored.handled_at is not None and stored.notes.get().text == NOTE
    reply = stored.replies.get()
    mail = OutboxMessage.objects.get(key=f"barrier-report:{stored.pk}:reply:{reply.pk}")
    assert mail.to == "bea@example.org" and mail.subject == "Antwort auf Ihre Meldung zur Barrierefreiheit"
    assert REPLY in mail.body_text and "„erledigt“" in mail.body_text and NOTE not in mail.body_text
    page = client.get(reverse("admin:mentoring_barrierreport_change", args=[stored.pk])).content.decode()
    assert REPLY in page and NOTE in page


def test_the_reply_goes_in_the_language_the_report_was_written_in(client, staff_user, send_barrier_report):
    with time_machine.travel(MARCH, tick=False):
        client.post("/i18n/setlang/", {"language": "en", "next": "/barrierefreiheit/"})
        send_barrier_report()
    stored = BarrierReport.objects.get()
    assert stored.language == "en"
    barrier_report_handle(report=stored, by=staff_user, status="in_progress", reply=REPLY)
    mail = OutboxMessage.objects.get(key__startswith=f"barrier-report:{stored.pk}:reply:")
    assert "March" in mail.body_text, "dates in the reporter's language"


def test_a_report_without_an_address_is_kept_and_answered_nowhere(client, staff_user, send_barrier_report):
    response = send_barrier_report(email="", name="")
    assert "keine E-Mail-Adresse angegeben" in response.content.decode()
    stored = BarrierReport.objects.get()
    assert stored.email == "" and stored.status == "new"
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["koordination@example.org"]
    client.force_login(staff_user)
    page = client.get(reverse("admin:mentoring_barrierreport_change", args=[stored.pk])).content.decode()
    assert "keine E-Mail-Adresse angegeben" in page and 'name="reply"' not in page
    assert change(client, stored, status="done", note=NOTE, reply=REPLY).status_code == 302
    stored.refresh_from_db()
    assert stored.status == "done" and not stored.replies.exists() and stored.notes.get().text == NOTE
    assert OutboxMessage.objects.count() == 1, "nobody to mail"
    barrier_report_handle(report=stored, by=staff_user, status="in_progress")
    assert OutboxMessage.objects.count() == 1
    with pytest.raises(BarrierReportError):
        barrier_report_handle(report=stored, by=staff_user, status="in_progress", reply="ins Leere")
    assert not stored.replies.exists()


def test_bad_input_is_a_message_not_a_500(client, staff_user, send_barrier_report):
    send_barrier_report()
    stored = BarrierReport.objects.get()
    client.force_login(staff_user)
    for data, field in (({"status": "offen"}, "status"), ({"assignee": "999999"}, "assignee"),
                        ({"note": "x" * 5001}, "note")):
        response = change(client, stored, **data)
        assert response.status_code == 200 and field in response.context["adminform"].form.errors, data
    assert not OutboxMessage.objects.filter(key__contains=":status:").exists()


def test_export_holds_notes_and_replies_and_erasure_removes_reports_and_their_mails(client, mentee, staff_user,
                                                                                    send_barrier_report):
    client.force_login(mentee)
    send_barrier_report(email=mentee.email)
    stored = BarrierReport.objects.get()
    barrier_report_handle(report=stored, by=staff_user, status="in_progress", assignee=staff_user, note=NOTE,
                          reply=REPLY)
    [exported] = user_export(user=mentee)["barrierefreiheit"]["meldungen"]
    assert exported["status"] == "in Bearbeitung"
    assert [r["text"] for r in exported["antworten"]] == [REPLY]
    assert [n["text"] for n in exported["interne_notizen_der_koordination"]] == [NOTE]
    user_delete(user=mentee)
    assert not BarrierReport.objects.exists()
    assert not BarrierReportNote.objects.exists() and not BarrierReportReply.objects.exists()
    assert not OutboxMessage.objects.filter(key__startswith=f"barrier-report:{stored.pk}:").exists()
