"""A barrier report is a record staff handle in admin before it is mailed; it has a retention period."""
import datetime

import pytest
import time_machine
from django.conf import settings

from accounts.services import user_delete, user_export
from mentoring.models import BarrierReport, OutboxMessage
from mentoring.tasks import purge_expired_barrier_reports

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_report_is_stored_before_it_is_mailed(send_barrier_report):
    response = send_barrier_report()
    assert "Ihre Meldung ist bei uns eingegangen" in response.content.decode()
    stored = BarrierReport.objects.get()
    assert (stored.name, stored.email, stored.page, stored.status, stored.user) == (
        "Bea Bauer", "bea@example.org", "/veranstaltungen/", BarrierReport.Status.NEW, None)
    assert "Screenreader" in stored.description
    staff_mail = OutboxMessage.objects.get(to="koordination@example.org")
    assert f"/admin/mentoring/barrierreport/{stored.pk}/change/" in staff_mail.body_text
    assert OutboxMessage.objects.filter(to="bea@example.org").exists()


@pytest.mark.django_db
def test_the_receipt_to_a_typed_address_repeats_nothing_that_was_typed(send_barrier_report):
    """Anyone could send any text under the programme's sender to any address: the receipt quoted name and text."""
    send_barrier_report(name="Kundin", email="opfer@example.net",
                        description="Ihr Zugang wird morgen gesperrt: https://boese.example/login")
    report = BarrierReport.objects.get()
    [receipt] = OutboxMessage.objects.filter(to="opfer@example.net")
    for text in (receipt.subject, receipt.body_text, receipt.body_html):
        assert "boese.example" not in text and "Kundin" not in text and "gesperrt" not in text
    assert f"Nummer {report.pk}" in receipt.body_text and "diese E-Mail ignorieren" in receipt.body_text
    # Staff read all of it.
    assert "boese.example" in OutboxMessage.objects.get(to="koordination@example.org").body_text


@pytest.mark.django_db
def test_report_is_not_stored_when_the_mail_cannot_be_queued(monkeypatch, send_barrier_report):
    def broken(**kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr("mentoring.pages.services.mail_queue", broken)
    with pytest.raises(RuntimeError):
        send_barrier_report()
    assert not BarrierReport.objects.exists(), "record and mails are one transaction"


@pytest.mark.django_db
def test_bad_input_and_bots_store_nothing(client):
    client.post("/barrierefreiheit/", {"email": "kaputt", "description": ""})
    client.post("/barrierefreiheit/", {"email": "bot@example.org", "description": "Spam", "website": "x"})
    assert not BarrierReport.objects.exists()


@pytest.mark.django_db
def test_staff_filter_and_mark_handled_in_admin(client, staff_user, send_barrier_report):
    send_barrier_report()
    send_barrier_report(email="carl@example.org", description="Kontrast zu gering.")
    first = BarrierReport.objects.get(email="bea@example.org")
    client.force_login(staff_user)
    changelist = "/admin/mentoring/barrierreport/"
    listing = client.get(changelist).content.decode()
    assert "bea@example.org" in listing and "carl@example.org" in listing
    assert "carl@example.org" in client.get(changelist + "?status__exact=new").content.decode()
    response = client.post(changelist, {"action": "mark_handled", "_selected_action": [first.pk]}, follow=True)
    assert "1 Meldung als erledigt markiert." in response.content.decode()
    first.refresh_from_db()
    assert first.status == "done" and first.handled_by == staff_user and first.handled_at
    assert "carl@example.org" not in client.get(changelist + "?status__exact=done").content.decode()
    response = client.post(f"{changelist}{first.pk}/change/", {"status": "done", "assignee": staff_user.pk,
                                                               "note": "Filter repariert, geantwortet."})
    assert response.status_code == 302
    first.refresh_from_db()
    assert [n.text for n in first.notes.all()] == ["Filter repariert, geantwortet."]
    assert first.assignee == staff_user and first.description.startswith("Der Filter")


@pytest.mark.django_db
def test_handled_reports_are_deleted_after_the_retention_period(staff_user, send_barrier_report):
    with time_machine.travel(START, tick=False):
        send_barrier_report()
        send_barrier_report(email="offen@example.org")
        BarrierReport.objects.filter(email="bea@example.org").update(
            status=BarrierReport.Status.DONE, handled_at=START, handled_by=staff_user)
    days = settings.BARRIER_REPORT_RETENTION_DAYS
    with time_machine.travel(START + datetime.timedelta(days=days - 1), tick=False):
        assert purge_expired_barrier_reports() == 0
    with time_machine.travel(START + datetime.timedelta(days=days, minutes=1), tick=False):
        assert purge_expired_barrier_reports() == 1
    assert list(BarrierReport.objects.values_list("email", flat=True)) == ["offen@example.org"], "open ones stay"


@pytest.mark.django_db
def test_export_and_erasure_cover_reports_by_account_or_address(client, mentee, send_barrier_report):
    client.force_login(mentee)
    send_barrier_report(email="privat@example.org", description="Als angemeldete Person gemeldet.")
    client.logout()
    send_barrier_report(email=mentee.email.upper(), description="Ohne Anmeldung mit derselben Adresse.")
    send_barrier_report(email="fremd@example.org", description="Von jemand anderem.")
    exported = {r["beschreibung"] for r in user_export(user=mentee)["barrierefreiheit"]["meldungen"]}
    assert exported == {"Als angemeldete Person gemeldet.", "Ohne Anmeldung mit derselben Adresse."}
    user_delete(user=mentee)
    assert list(BarrierReport.objects.values_list("email", flat=True)) == ["fremd@example.org"]


@pytest.mark.django_db
def test_the_form_names_the_purpose_of_name_and_address(client):
    """WCAG 1.3.5: the inputs about the person say what they are, so browsers and assistive tools fill them."""
    page = client.get("/barrierefreiheit/").content.decode()
    assert 'autocomplete="name"' in page and 'autocomplete="email"' in page


@pytest.mark.django_db
def test_export_and_title_give_the_report_s_times_on_the_programme_s_clock(client, mentee, send_barrier_report):
    """Late on 1 March in Berlin is 2 March there, and the export says 23:30+01:00, not 22:30+00:00."""
    client.force_login(mentee)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 22, 30, tzinfo=datetime.UTC), tick=False):
        send_barrier_report(description="Spät am Abend gemeldet.")
        report = BarrierReport.objects.get()
        report.replies.create(text="Danke, wir kümmern uns.")
    [row] = user_export(user=mentee)["barrierefreiheit"]["meldungen"]
    assert row["eingegangen_am"] == "2026-03-01T23:30:00+01:00"
    assert [reply["am"] for reply in row["antworten"]] == ["2026-03-01T23:30:00+01:00"]
    assert str(report) == "Barriere-Meldung vom 01.03.2026"
