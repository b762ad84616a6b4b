"""The outbox: each message delivered once, retried with backoff, never lost when the broker is down."""
import re
import smtplib
import time
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
import time_machine
from django.core import mail as django_mail
from django.db import transaction
from django.utils import timezone

from mentoring.celery import app as celery_app
from mentoring.kernel import mail
from mentoring.kernel.tasks import flush_outbox
from mentoring.models import OutboxMessage


def queue(key="test:1", to="a@example.org"):
    return mail.mail_queue(key=key, to=to, template="account_deleted", context={}, language="de")


@contextmanager
def broker(url):
    """Talk to a real broker (not eager) for the duration of the block."""
    old = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    celery_app._after_fork()  # drop cached connection pools bound to the old URL
    try:
        yield
    finally:
        celery_app.conf.update(**old)
        celery_app._after_fork()


@pytest.mark.django_db
def test_same_key_is_queued_and_sent_once(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue()
        second = queue()
    assert first.pk == second.pk and OutboxMessage.objects.count() == 1
    assert len(mailoutbox) == 1
    assert mail.outbox_deliver(message_pk=first.pk) is None, "a sent message is never sent again"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Ihr Konto ist gelöscht" and message.alternatives[0][1] == "text/html"



@pytest.mark.django_db
def test_a_reply_reaches_the_koordinationsstelle_not_the_no_reply_sender(django_capture_on_commit_callbacks,
                                                                         mailoutbox, settings):
    """Many mails say "reply to this e-mail"; the From address is noreply@, so every mail names where
    replies go, unless the message brings its own Reply-To."""
    settings.PROGRAMME_CONTACT_EMAIL = "koordination@kommune.example"
    with django_capture_on_commit_callbacks(execute=True):
        queue()
        mail.mail_queue(key="test:2", to="b@example.org", template="account_deleted", context={}, language="de",
                        headers={"Reply-To": "mentorin@kassel.example"})
    first, second = mailoutbox
    assert first.from_email.endswith("<noreply@example.org>")
    assert first.message()["Reply-To"] == "koordination@kommune.example"
    assert second.message()["Reply-To"] == "mentorin@kassel.example"

@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError
    assert not OutboxMessage.objects.exists() and mailoutbox == []


@pytest.mark.django_db
def test_smtp_error_is_retried_with_backoff_until_sent(monkeypatch, mailoutbox):
    message = queue()
    real_send = django_mail.EmailMultiAlternatives.send

    def failing_send(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Verbindung verloren")

    monkeypatch.setattr(django_mail.EmailMultiAlternatives, "send", failing_send)
    mail.outbox_deliver(message_pk=message.pk)
    message.refresh_from_db()
    assert message.status == "pending" and message.attempts == 1
    assert "SMTPServerDisconnected" in message.last_error
    first_wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=90) < first_wait <= timedelta(seconds=120)
    assert flush_outbox() == 0, "not due yet"
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        mail.outbox_deliver(message_pk=message.pk)
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at - message.created_at > first_wait, "backoff grows"

    monkeypatch.setattr(django_mail.EmailMultiAlternatives, "send", real_send)
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        assert flush_outbox() == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 3 and len(mailoutbox) == 1


@pytest.mark.django_db
def test_gives_up_after_max_attempts(monkeypatch, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    def refused(self, *args, **kwargs):
        raise smtplib.SMTPException("kaputt")

    monkeypatch.setattr(django_mail.EmailMultiAlternatives, "send", refused)
    message = queue()
    mail.outbox_deliver(message_pk=message.pk)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        mail.outbox_deliver(message_pk=message.pk)
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_broker_down_request_still_fast_and_flush_delivers_later(client, mailoutbox):
    """A real kombu connection to a port where nothing listens, as when Redis is down."""
    from accounts.tests.test_registration import form_data

    with broker("redis://127.0.0.1:1/0"):
        started = time.monotonic()
        response = client.post("/anmeldung/", form_data())
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 8, f"the request waited {elapsed:.1f}s for the broker"
    assert OutboxMessage.objects.filter(status="pending").count() == 2  # receipt with link, staff notice
    assert mailoutbox == []
    assert flush_outbox() == 2
    assert len(mailoutbox) == 2 and not OutboxMessage.objects.filter(status="pending").exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_delivery_through_real_redis_and_worker(redis_url, require_postgres, mailoutbox):
    """Published to the real broker, consumed by a real Celery worker, sent once."""
    from celery.contrib.testing.worker import start_worker

    with broker(redis_url), start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=5):
        with transaction.atomic():
            message = queue(key="redis:1")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.status == "sent":
                break
            time.sleep(0.2)
    assert message.status == "sent" and message.attempts == 1
    assert [m.to for m in mailoutbox] == [["a@example.org"]]


MSG_ID = re.compile(r"<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
                    r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*>")


def message_id(sent) -> str:
    """The Message-ID as a mail reader parses it from the bytes that went out."""
    parsed = message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    assert not parsed["Message-ID"].defects
    return str(parsed["Message-ID"]).strip()


@pytest.mark.django_db
def test_worker_dying_after_send_delivers_again_with_the_same_message_id(monkeypatch, mailoutbox, settings):
    in_flight = queue(key="crash:in-flight", to="a@example.org")
    queue(key="crash:other", to="b@example.org")
    real_record = mail._record_sent

    def crash_after_send(message, now):
        if message.pk == in_flight.pk:
            raise SystemExit("worker killed after the SMTP server accepted the message")
        return real_record(message, now)

    monkeypatch.setattr(mail, "_record_sent", crash_after_send)
    with pytest.raises(SystemExit):
        mail.outbox_deliver(message_pk=in_flight.pk)
    monkeypatch.setattr(mail, "_record_sent", real_record)
    in_flight.refresh_from_db()
    assert in_flight.status == "pending" and len(mailoutbox) == 1, "sent, but not recorded"
    assert in_flight.claimed_by, "still claimed by the dead worker"

    assert flush_outbox() == 1, "the other message; the one in flight waits for the lease"
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS + 1)):
        assert flush_outbox() == 1
    assert [m.to for m in mailoutbox] == [["a@example.org"], ["b@example.org"], ["a@example.org"]]
    first, other_mail, again = (message_id(m) for m in mailoutbox)
    assert first == again, "both copies of the message in flight carry one Message-ID"
    assert other_mail != first and MSG_ID.fullmatch(first) and MSG_ID.fullmatch(other_mail)
    assert first.endswith("@example.org>"), "the domain of DEFAULT_FROM_EMAIL"
    assert flush_outbox() == 0 and len(mailoutbox) == 3, "nothing else is sent twice"


@pytest.mark.django_db
def test_message_id_is_valid_for_any_key(mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "Mentoring <noreply@mentoring-klimaanpassung.de>"
    keys = ['forum:reply:7:"x y"@<böse>', "a" * 200, "a" * 199 + "b", "allauth:confirm:€ \x7f"]
    for key in keys:
        queue(key=key)
    flush_outbox()
    ids = [message_id(m) for m in mailoutbox]
    assert len(set(ids)) == len(keys)
    assert all(MSG_ID.fullmatch(i) and i.endswith("@mentoring-klimaanpassung.de>") for i in ids), ids
    stored_keys = OutboxMessage.objects.order_by("created_at", "pk").values_list("key", flat=True)
    assert sorted(mail.outbox_message_id(k) for k in stored_keys) == sorted(ids), \
        "stable: each stored key gives its message's Message-ID"


@pytest.mark.django_db
def test_the_mails_of_erased_records_go_waiting_and_stay_empty_once_sent():
    """Erasing a report erases its notices: one still waiting is not sent at all, one already sent keeps
    only its row (no address, no text); other records' mails are untouched, however many records go."""
    from mentoring.kernel.mail import mail_queue_rendered, outbox_erase_keys
    from mentoring.models import OutboxMessage

    waiting = mail_queue_rendered(key="demo-report:7:a@example.org", to="a@example.org", subject="Meldung",
                                  body_text="Text der Meldung")
    sent = mail_queue_rendered(key="demo-report:7:b@example.org", to="b@example.org", subject="Meldung",
                               body_text="Text der Meldung")
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxMessage.Status.SENT)
    other = mail_queue_rendered(key="demo-report:70:a@example.org", to="a@example.org", subject="Andere",
                                body_text="Bleibt")
    prefixes = ["demo-report:7:", *(f"demo-report:{n}:" for n in range(1000, 1600))]  # many records at once
    assert outbox_erase_keys(key_prefixes=prefixes) == (1, 1)
    assert not OutboxMessage.objects.filter(pk=waiting.pk).exists()
    sent.refresh_from_db()
    assert (sent.to, sent.body_text) == ("", "") and sent.purged_at is not None
    other.refresh_from_db()
    assert other.body_text == "Bleibt"
