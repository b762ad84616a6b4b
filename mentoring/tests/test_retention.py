"""The outbox keeps no address in its keys and no content past its retention period."""
import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from mentoring.kernel import mail
from mentoring.kernel.tasks import purge_expired_outbox_messages
from mentoring.models import OutboxMessage

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def queue(key="probe:1", to="anna.becker@kassel.de", **kwargs):
    return mail.mail_queue(key=key, to=to, template="account_deleted", context={}, language="de", **kwargs)


@pytest.mark.django_db
def test_outbox_keys_never_hold_an_address(client, django_capture_on_commit_callbacks):
    message = queue(key="registration-exists:anna.becker@kassel.de:abc")
    assert "@" not in message.key and "anna" not in message.key
    assert queue(key="registration-exists:ANNA.BECKER@kassel.de:abc").pk == message.pk, "still idempotent"
    assert queue(key="registration-exists:other@kassel.de:abc").pk != message.pk
    # Every call site: the Anmeldeformular for a known address, staff notices, allauth mails.
    from accounts.tests.test_registration import form_data

    client.post("/anmeldung/", form_data())
    client.post("/anmeldung/", form_data())
    client.post("/konto/password/reset/", {"email": "anna.becker@kassel.de"})
    keys = list(OutboxMessage.objects.values_list("key", flat=True))
    assert len(keys) >= 5 and [k for k in keys if "@" in k] == []


@pytest.mark.django_db
def test_sent_and_failed_mails_are_purged_after_the_retention_period(monkeypatch, mailoutbox):
    with time_machine.travel(START, tick=False):
        sent = queue(key="probe:sent")
        mail.outbox_deliver(message_pk=sent.pk)
        failed = queue(key="probe:failed")
        OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxMessage.Status.FAILED,
                                                          last_error="550 anna.becker@kassel.de unknown")
        waiting = queue(key="probe:waiting")
    days = settings.OUTBOX_RETENTION_DAYS
    with time_machine.travel(START + datetime.timedelta(days=days) - datetime.timedelta(minutes=1), tick=False):
        assert purge_expired_outbox_messages() == 0
    with time_machine.travel(START + datetime.timedelta(days=days, minutes=1), tick=False):
        assert purge_expired_outbox_messages() == 2
    for message in (sent, failed):
        message.refresh_from_db()
        assert (message.to, message.subject, message.body_text, message.body_html, message.last_error,
                message.attachments, message.headers) == ("", "", "", "", "", [], {})
        assert message.purged_at and message.key.startswith("probe:")
    assert sent.status == "sent" and sent.sent_at and failed.status == "failed"
    waiting.refresh_from_db()
    assert waiting.to == "anna.becker@kassel.de" and waiting.purged_at is None, "waiting mails are kept"
    assert queue(key="probe:sent").pk == sent.pk and len(mailoutbox) == 1, "a purged key still never mails twice"


@pytest.mark.django_db
def test_purge_after_send_leaves_nothing_once_delivered(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(key="probe:gone", purge_after_send=True)
    assert mailoutbox[0].to == ["anna.becker@kassel.de"] and "gelöscht" in mailoutbox[0].body
    message.refresh_from_db()
    assert message.status == "sent" and message.purged_at is not None
    assert message.to == "" and message.body_text == "" and message.subject == ""


@pytest.mark.django_db
def test_erasing_a_person_deletes_waiting_and_purges_sent_mails(mailoutbox):
    to_person = queue(key="a", to="anna.becker@kassel.de")
    naming_person = mail.mail_queue_rendered(key="b", to="staff@example.org", subject="Neue Anmeldung",
                                             body_text="", body_html="<p>Anna Becker aus Kassel</p>")
    in_attachment = mail.mail_queue(key="c", to="staff@example.org", template="account_deleted",
                                    attachments=[{"filename": "liste.csv", "content": b"Becker, Anna;+49 561 123456",
                                                  "mimetype": "text/csv"}], language="de")
    in_header = mail.mail_queue(key="d", to="staff@example.org", template="account_deleted",
                                headers={"Reply-To": "ANNA.BECKER@kassel.de"}, language="de")
    unrelated = mail.mail_queue_rendered(key="e", to="staff@example.org", subject="Anna", body_text="Becker")
    mail.outbox_deliver(message_pk=naming_person.pk)
    mail.outbox_deliver(message_pk=in_attachment.pk)
    deleted, purged = mail.outbox_erase_person(identifiers=["anna.becker@kassel.de", "Anna Becker", "Becker, Anna"])
    assert (deleted, purged) == (2, 2)
    assert not OutboxMessage.objects.filter(pk__in=[to_person.pk, in_header.pk]).exists()
    assert set(OutboxMessage.objects.filter(purged_at__isnull=False).values_list("key", flat=True)) == {"b", "c"}
    assert OutboxMessage.objects.get(pk=unrelated.pk).purged_at is None
    assert OutboxMessage.objects.get(key="c").attachments == []


@pytest.mark.django_db
def test_retention_beat_tasks_are_scheduled_daily():
    tasks = {row.task: row.schedule for row in PeriodicTask.objects.filter(enabled=True)}
    for task in ("mentoring.kernel.tasks.purge_expired_outbox_messages",
                 "mentoring.tasks.purge_expired_barrier_reports", "accounts.tasks.expire_retained_accounts"):
        schedule = tasks[task]
        assert schedule.remaining_estimate(timezone.now()) <= datetime.timedelta(days=1), task
        assert len(schedule.hour) == 1 and len(schedule.minute) == 1, f"{task} runs once a day"


@pytest.mark.django_db
def test_datenschutz_states_every_period_from_the_settings(client, settings):
    settings.OUTBOX_RETENTION_DAYS = 41
    settings.CLOSED_REGISTRATION_RETENTION_DAYS = 173
    settings.UNCONFIRMED_ACCOUNT_RETENTION_DAYS = 29
    settings.RETENTION_NOTICE_DAYS = 13
    settings.BARRIER_REPORT_RETENTION_DAYS = 366
    text = " ".join(client.get("/datenschutz/").content.decode().split())
    assert "löschen wir 41 Tage nach dem Versand" in text
    assert "mit dem Konto 173 Tage nach der Ablehnung oder dem Rückzug" in text
    assert "nie bestätigt wurde, löschen wir 29 Tage nach der Anmeldung" in text
    assert "13 Tage vorher" in text and "löschen sie 366 Tage danach" in text
    assert "gleich nach dem Versand gelöscht" in text, "the deletion mail holds nothing after sending"


@pytest.mark.django_db
def test_admin_does_not_send_a_purged_mail_again(client, staff_user, mailoutbox):
    failed = queue(key="probe:failed")
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxMessage.Status.FAILED)
    mail.outbox_purge(messages=OutboxMessage.objects.filter(pk=failed.pk))
    client.force_login(staff_user)
    response = client.post("/admin/mentoring/outboxmessage/", {"action": "send_again",
                                                               "_selected_action": [failed.pk]}, follow=True)
    assert "0 E-Mail(s) versendet." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == "failed" and failed.attempts == 0 and mailoutbox == []


@pytest.mark.django_db
def test_admin_sends_a_failed_mail_again_but_never_a_sent_or_withdrawn_one(client, staff_user, mailoutbox):
    failed, sent, withdrawn = (queue(key=f"probe:{name}") for name in ("failed", "sent", "withdrawn"))
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxMessage.Status.FAILED, attempts=5)
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxMessage.Status.SENT)
    mail.outbox_withdraw(keys=["probe:withdrawn"])
    client.force_login(staff_user)
    response = client.post("/admin/mentoring/outboxmessage/", {
        "action": "send_again", "_selected_action": [failed.pk, sent.pk, withdrawn.pk]}, follow=True)
    assert "1 E-Mail(s) versendet." in response.content.decode()
    assert len(mailoutbox) == 1
    statuses = dict(OutboxMessage.objects.values_list("key", "status"))
    assert statuses == {"probe:failed": "sent", "probe:sent": "sent", "probe:withdrawn": "withdrawn"}
