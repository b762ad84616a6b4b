"""The outbox worker: batches over one SMTP connection, no row lock during the SMTP dialogue,
claims that lapse when a worker dies, and at most the message in flight sent twice."""
import os
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from mentoring.kernel import mail
from mentoring.models import OutboxMessage
from mentoring.tests.smtp_sink import Sink

ROOT = Path(__file__).resolve().parents[2]


def queue(n, *, prefix="batch", to=lambda i: f"p{i}@example.org", **kwargs):
    return [mail.mail_queue(key=f"{prefix}:{i}", to=to(i), template="account_deleted", language="de", **kwargs)
            for i in range(n)]


def stored(n, *, prefix="batch"):
    """Rows written directly: committed without the eager Celery task sending them at once."""
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(key=f"{prefix}:{i}", to=f"p{i}@example.org", subject=f"Nachricht {i}", body_text="Hallo")
        for i in range(n))


def smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port


def after_lease(settings):
    return time_machine.travel(timezone.now() + timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS + 1))


def key_of_id(message_id_by_key, message_id):
    return next(k for k, v in message_id_by_key.items() if v == message_id)


@pytest.fixture
def connects(monkeypatch):
    """How many SMTP connections were opened."""
    opened = []
    real_connect = smtplib.SMTP.connect

    def counting_connect(self, *args, **kwargs):
        opened.append(args)
        return real_connect(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", counting_connect)
    return opened


@pytest.mark.django_db
def test_a_batch_goes_over_one_connection_and_a_refused_recipient_keeps_it(settings, connects):
    messages = queue(4, to=lambda i: "refused@example.org" if i == 1 else f"p{i}@example.org")
    receipt = mail.mail_queue(key="batch:purge", to="weg@example.org", template="account_deleted", language="en",
                              purge_after_send=True,
                              attachments=[{"filename": "a.txt", "content": "Anhang", "mimetype": "text/plain"}])
    with Sink() as sink:
        smtp(settings, sink.port)
        assert mail.outbox_flush() == 4
    assert len(connects) == 1, "one connection for the whole batch"
    assert sorted(rcpt for _, (rcpt,) in sink.received) == [
        "p0@example.org", "p2@example.org", "p3@example.org", "weg@example.org"]
    refused = OutboxMessage.objects.get(pk=messages[1].pk)
    assert refused.status == "pending" and refused.attempts == 1 and refused.next_attempt_at > timezone.now()
    assert "SMTPRecipientsRefused" in refused.last_error and refused.claimed_by == ""
    receipt.refresh_from_db()
    assert receipt.status == "sent" and receipt.purged_at and receipt.to == "" and receipt.attachments == []
    assert OutboxMessage.objects.filter(status="sent", claimed_at__isnull=True).count() == 4


@pytest.mark.django_db
def test_delivery_killed_in_the_middle_of_a_batch_loses_nothing(settings, monkeypatch):
    messages = queue(10)
    ids = {m.key: mail.outbox_message_id(m.key) for m in messages}
    real_record = mail._record_sent
    recorded = []

    def die_on_the_fourth(message, now):
        if len(recorded) == 3:
            raise SystemExit("worker killed after the server took the fourth message")
        recorded.append(message.pk)
        return real_record(message, now)

    with Sink() as sink:
        smtp(settings, sink.port)
        monkeypatch.setattr(mail, "_record_sent", die_on_the_fourth)
        with pytest.raises(SystemExit):
            mail.outbox_flush()
        monkeypatch.setattr(mail, "_record_sent", real_record)
        assert len(sink.received) == 4 and OutboxMessage.objects.filter(status="sent").count() == 3
        assert mail.outbox_flush() == 6, "the messages not reached go out at once"
        with after_lease(settings):
            assert mail.outbox_flush() == 1, "the one in flight, once its claim lapsed"
    counts = Counter(message_id for message_id, _ in sink.received)
    assert set(counts) == set(ids.values()), "no message lost"
    assert [key_of_id(ids, i) for i, n in counts.items() if n > 1] == ["batch:3"], "only the one in flight twice"
    assert not OutboxMessage.objects.exclude(status="sent").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_killed_with_sigkill_while_sending_loses_nothing(require_postgres, settings):
    """A real worker process gets SIGKILL while the sink holds its fourth message unanswered."""
    messages = stored(12, prefix="kill")
    ids = {m.key: mail.outbox_message_id(m.key) for m in messages}
    worker = []

    def kill_on_the_fourth(count):
        if count == 4:
            worker[0].send_signal(signal.SIGKILL)
            worker[0].wait(10)

    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    script = ("import django, sys; django.setup(); from django.conf import settings; "
              "settings.EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'; "
              "settings.EMAIL_HOST, settings.EMAIL_PORT = '127.0.0.1', int(sys.argv[1]); "
              "from mentoring.kernel import mail; mail.outbox_flush()")
    with Sink(on_message=kill_on_the_fourth) as sink:
        worker.append(subprocess.Popen(
            [sys.executable, "-c", script, str(sink.port)], cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "mentoring.settings.test"}))
        assert worker[0].wait(60) == -signal.SIGKILL
        assert len(sink.received) == 4
        assert OutboxMessage.objects.filter(status="sent").count() == 3
        assert OutboxMessage.objects.filter(status="pending").exclude(claimed_by="").count() == 9, \
            "the dead worker's claims"
        smtp(settings, sink.port)
        assert mail.outbox_flush() == 0, "claims hold until the lease lapses"
        with after_lease(settings):
            assert mail.outbox_flush() == 9
    counts = Counter(message_id for message_id, _ in sink.received)
    assert set(counts) == set(ids.values()), "no message lost"
    assert [key_of_id(ids, i) for i, n in counts.items() if n > 1] == ["kill:3"], "only the one in flight twice"
    assert not OutboxMessage.objects.exclude(status="sent").exists()


@pytest.mark.django_db(transaction=True)
def test_a_silent_server_times_out_and_holds_no_row_lock(settings):
    """The server accepts the connection and never greets: EMAIL_TIMEOUT ends the wait, and
    meanwhile the rows can be locked and written by anyone else."""
    messages = stored(3, prefix="silent")
    settings.EMAIL_TIMEOUT = 2
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        smtp(settings, silent.getsockname()[1])
        result = {}

        def flush():
            started = time.monotonic()
            try:
                result["sent"] = mail.outbox_flush()
            finally:
                result["seconds"] = time.monotonic() - started
                connection.close()

        thread = threading.Thread(target=flush)
        thread.start()
        time.sleep(0.7)
        started = time.monotonic()
        with transaction.atomic():
            locked = list(OutboxMessage.objects.select_for_update(nowait=True).filter(pk__in=[m.pk for m in messages]))
            assert all(m.claimed_by for m in locked), "claimed, and committed before the connect"
        assert time.monotonic() - started < 0.5
        thread.join(30)
    assert result["sent"] == 0 and result["seconds"] < 2 * settings.EMAIL_TIMEOUT
    for message in OutboxMessage.objects.all():
        assert message.status == "pending" and message.attempts == 1 and message.claimed_by == ""
        assert "timed out" in message.last_error and message.next_attempt_at > timezone.now()


@pytest.mark.django_db
def test_a_message_withdrawn_during_the_batch_is_not_sent(monkeypatch, mailoutbox):
    monkeypatch.setattr(mail, "RECHECK_SECONDS", 0)  # the test sends faster than a worker rechecks
    queue(3, prefix="forum:reply")
    real_record = mail._record_sent

    def withdraw_the_last(message, now):
        real_record(message, now)
        mail.outbox_withdraw(key_prefixes=["forum:reply:2"])

    monkeypatch.setattr(mail, "_record_sent", withdraw_the_last)
    assert mail.outbox_flush() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["p0@example.org", "p1@example.org"]
    withdrawn = OutboxMessage.objects.get(key="forum:reply:2")
    assert withdrawn.status == "withdrawn" and withdrawn.to == ""


@pytest.mark.django_db
def test_claims_are_disjoint_and_a_stale_claim_is_taken_over(settings, mailoutbox):
    queue(5)
    first = mail.outbox_claim(worker="host:1:a", limit=2)
    second = mail.outbox_claim(worker="host:2:b", limit=10)
    assert len(first) == 2 and len(second) == 3 and not {m.pk for m in first} & {m.pk for m in second}
    assert mail.outbox_claim(worker="host:3:c", limit=10) == []
    assert mail.outbox_flush() == 0 and mail.outbox_due_pks() == []
    with after_lease(settings):
        assert mail.outbox_flush() == 5
    assert len(mailoutbox) == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_claim_skips_rows_another_transaction_locks(require_postgres):
    messages = stored(3, prefix="skip")
    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=messages[0].pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold_lock)
    thread.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        claimed = mail.outbox_claim(worker="host:1:a", limit=10)
        assert time.monotonic() - started < 1, "skipped, not waited for"
        assert sorted(m.pk for m in claimed) == sorted(m.pk for m in messages[1:])
    finally:
        release.set()
        thread.join(10)
