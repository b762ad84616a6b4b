"""Sending letters: who may send what, each recipient once, large groups on a worker, languages, headers."""
import email
import threading
from datetime import timedelta
from email import policy

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.utils import timezone

from accounts.models import Consent, Registration
from accounts.services import consent_withdraw
from mentoring.kernel.models import OutboxMessage
from mentoring.letters import selectors, services
from mentoring.letters.models import Letter, LetterRecipient
from mentoring.letters.services import sending
from mentoring.tests.test_outbox import broker
from mentoring.tests.test_redis_outage import closed_port

from .factories import (
    LetterFactory,
    StaffFactory,
    koordination,
    moderation,
    news_consent,
    participant,
    reads_english,
    staff_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    """Three approved participants, two with the news consent; one unapproved person with it."""
    with_news = [participant(), participant()]
    for person in with_news:
        news_consent(person)
    without = participant()
    unapproved = participant(status=Registration.Status.SUBMITTED)
    news_consent(unapproved)
    return {"news": with_news, "without": without, "unapproved": unapproved}


def letter_mails(letter):
    return OutboxMessage.objects.filter(key__startswith=f"letter:{letter.pk}:")


def parsed(message) -> email.message.EmailMessage:
    """A sent mail as a mail program reads it (the standard library's parser, not Django's writer)."""
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def test_news_reach_only_the_group_with_news_consent(group, staff_user):
    letter = services.letter_send(letter=LetterFactory(), by=staff_user)
    assert sorted(letter_mails(letter).values_list("to", flat=True)) == sorted(p.email for p in group["news"])
    assert (letter.status, letter.recipient_count, letter.sent_by) == (Letter.Status.SENT, 2, staff_user)


def test_essential_letter_is_refused_for_staff_outside_koordination(group):
    letter = LetterFactory(essential=True)
    for sender in (moderation(), staff_in(None)):
        with pytest.raises(services.LetterError, match="nur die Gruppe „Koordination“"):
            services.letter_send(letter=letter, by=sender)
    with pytest.raises(services.LetterError, match="Rundschreiben versenden nur die Koordination"):
        services.letter_send(letter=letter, by=StaffFactory(is_superuser=False))  # staff without letters rights
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT and letter.sent_by is None
    assert not letter_mails(letter).exists() and not LetterRecipient.objects.exists()


def test_koordination_sends_essential_letters_to_everyone_labelled_and_logged(group):
    sender = koordination()
    letter = services.letter_send(letter=LetterFactory(essential=True), by=sender)
    mails = list(letter_mails(letter))
    assert sorted(m.to for m in mails) == sorted(p.email for p in [*group["news"], group["without"]])
    for mail in mails:
        assert mail.subject == "Wichtige Information zum Programm: Neue Fristen"
        assert mail.body_text.startswith("Wichtige Information zum Programm\n")
        assert "List-Unsubscribe" not in mail.headers, "essential letters offer no unsubscribe"
        assert "Wichtige Information zum Programm" in mail.body_html
    log = LogEntry.objects.get(object_id=str(letter.pk))
    assert log.user == sender
    assert "Die Fristen für die Meldung der Mentoring-Tage ändern sich." in log.change_message
    assert (letter.sent_by, letter.reason) == (sender, "Die Fristen für die Meldung der Mentoring-Tage ändern sich.")


def test_an_essential_letter_is_not_sent_without_a_reason(group):
    letter = LetterFactory(essential=True, reason="  ")
    with pytest.raises(services.LetterError, match="Grund"):
        services.letter_send(letter=letter, by=koordination())
    assert not letter_mails(letter).exists()


def test_pressing_send_twice_mails_each_recipient_once(group, staff_user):
    letter = services.letter_send(letter=LetterFactory(), by=staff_user)
    with pytest.raises(services.LetterError, match="bereits versendet"):
        services.letter_send(letter=letter, by=staff_user)
    with pytest.raises(services.LetterError, match="bereits versendet"):
        services.letter_send(letter=LetterFactory.build(pk=letter.pk), by=staff_user)
    services.letter_deliver(letter_pk=letter.pk)
    services.letters_resume(now=timezone.now() + timedelta(hours=1))
    assert letter_mails(letter).count() == 2
    assert LetterRecipient.objects.filter(letter=letter).count() == 2


def test_a_group_without_anyone_sends_nothing(group, staff_user):
    letter = LetterFactory(statuses=[Registration.Status.REJECTED])
    with pytest.raises(services.LetterError, match="niemand"):
        services.letter_send(letter=letter, by=staff_user)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT


def test_a_large_group_is_written_by_a_worker_after_commit(group, staff_user, monkeypatch,
                                                           django_capture_on_commit_callbacks, mailoutbox):
    monkeypatch.setattr(sending, "SYNC_LIMIT", 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = services.letter_send(letter=LetterFactory(), by=staff_user)
    assert letter.status == Letter.Status.SENDING and not letter_mails(letter).exists()
    assert LetterRecipient.objects.filter(letter=letter).count() == 2, "the recipient list is fixed at the send"
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()  # the task runs (eagerly in tests) once the send's transaction committed
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in group["news"])
    assert selectors.delivery_counts(letter) == {"sent": 2}


def test_when_the_broker_is_down_the_resume_finishes_the_letter(group, staff_user, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    monkeypatch.setattr(sending, "SYNC_LIMIT", 1)
    with broker(f"redis://127.0.0.1:{closed_port()}/14"), django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_send(letter=LetterFactory(), by=staff_user)
    assert letter.status == Letter.Status.SENDING and not letter_mails(letter).exists()
    assert services.letters_resume() == 0, "a send of a moment ago may still be on its way to a worker"
    assert services.letters_resume(now=timezone.now() + sending.PICKUP) == 2
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT and letter_mails(letter).count() == 2


def test_whoever_withdrew_before_their_mail_was_written_is_skipped(group, staff_user, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    monkeypatch.setattr(sending, "SYNC_LIMIT", 0)
    with django_capture_on_commit_callbacks(execute=False):
        letter = services.letter_send(letter=LetterFactory(), by=staff_user)
    leaving, staying = group["news"]
    consent_withdraw(user=leaving, purpose=Consent.Purpose.NEWS)
    assert services.letter_deliver(letter_pk=letter.pk) == 1
    assert list(letter_mails(letter).values_list("to", flat=True)) == [staying.email]
    assert LetterRecipient.objects.get(letter=letter, user=leaving).delivery_label.startswith("nicht versendet")
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT


def test_whoever_withdraws_while_their_mail_waits_for_a_retry_gets_no_news(group, staff_user, mailoutbox):
    """The mail was written but not yet delivered (the mail server failed, or the broker was down): withdrawing the
    news consent withdraws it; the others' mails still go."""
    news = services.letter_send(letter=LetterFactory(), by=staff_user)
    leaving, staying = group["news"]
    waiting = OutboxMessage.objects.get(key=f"letter:{news.pk}:{leaving.pk}")
    assert waiting.status == OutboxMessage.Status.PENDING  # not delivered in this test (no commit)
    consent_withdraw(user=leaving, purpose=Consent.Purpose.NEWS)
    waiting.refresh_from_db()
    assert waiting.status == OutboxMessage.Status.WITHDRAWN and waiting.body_text == ""
    assert OutboxMessage.objects.get(key=f"letter:{news.pk}:{staying.pk}").status == OutboxMessage.Status.PENDING
    from mentoring.kernel.mail import outbox_flush

    outbox_flush()
    assert sorted(message.to[0] for message in mailoutbox) == [staying.email]

def test_an_english_reader_gets_the_english_version_and_others_german(group, staff_user, monkeypatch):
    english, german = group["news"]
    reads_english(monkeypatch, english)
    letter = services.letter_send(letter=LetterFactory(english=True), by=staff_user)
    to_english = letter_mails(letter).get(to=english.email)
    to_german = letter_mails(letter).get(to=german.email)
    assert to_english.subject == "News from the programme"
    assert "The <strong>networking meeting</strong> takes place in March." in to_english.body_html
    assert '<html lang="en">' in to_english.body_html
    assert "Vernetzungstreffen" not in to_english.body_text
    assert to_german.subject == "Neues aus dem Programm" and '<html lang="de">' in to_german.body_html
    assert LetterRecipient.objects.get(letter=letter, user=english).language == "en"


def test_without_an_english_version_everyone_reads_german(group, staff_user, monkeypatch):
    reads_english(monkeypatch, *group["news"])
    letter = services.letter_send(letter=LetterFactory(), by=staff_user)
    assert set(letter_mails(letter).values_list("subject", flat=True)) == {"Neues aus dem Programm"}


def test_news_carry_a_one_click_unsubscribe_that_a_mail_program_reads(group, staff_user, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=LetterFactory(), by=staff_user)
    assert len(mailoutbox) == 2
    message = parsed(mailoutbox[0])
    link = str(message["List-Unsubscribe"]).strip()
    assert link.startswith(f"<{settings.SITE_URL}/rundschreiben/abbestellen/") and link.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert link[1:-1] in text and f'href="{link[1:-1]}"' in html
    assert "Das <strong>Vernetzungstreffen</strong> findet im März statt." in html
    assert "Das Vernetzungstreffen findet im März statt." in text
    person = next(p for p in group["news"] if p.email == mailoutbox[0].to[0])
    assert f"Guten Tag {person.get_full_name()}," in text


def test_the_test_mail_goes_only_to_the_sender_in_each_version(group, staff_user):
    letter = LetterFactory(english=True)
    mails = services.letter_test_send(letter=letter, to=staff_user)
    assert [(m.to, m.subject) for m in mails] == [(staff_user.email, "[Test] Neues aus dem Programm"),
                                                  (staff_user.email, "[Test] News from the programme")]
    assert "TESTMAIL" in mails[0].body_text
    again = services.letter_test_send(letter=letter, to=staff_user)
    assert {m.pk for m in again}.isdisjoint(m.pk for m in mails), "each test is a new mail"
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT and not letter_mails(letter).exists()


def test_the_preview_counts_the_group_and_renders_what_would_be_sent(group, staff_user):
    letter = LetterFactory(english=True)
    preview = services.letter_preview(letter=letter, viewer=staff_user)
    assert preview["count"] == 2 and {p.pk for p in preview["sample"]} == {p.pk for p in group["news"]}
    german, english = preview["versions"]
    assert (german["subject"], english["subject"]) == ("Neues aus dem Programm", "News from the programme")
    assert f"Guten Tag {preview['person'].get_full_name()}," in german["text"]
    assert "/rundschreiben/abbestellen/vorschau/" in german["text"], "the preview's link works for nobody"
    assert german["one_click"] and not OutboxMessage.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_mail_each_recipient_once(require_postgres):
    people = [participant() for _ in range(3)]
    for person in people:
        news_consent(person)
    staff = StaffFactory()
    letter = LetterFactory()
    barrier = threading.Barrier(3)
    results = [None] * 3

    def press(index):
        try:
            barrier.wait()
            results[index] = services.letter_send(letter=letter, by=staff)
        except Exception as error:  # noqa: BLE001 - the test inspects what each press got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(isinstance(r, Letter) for r in results) == 1, results
    assert all(isinstance(r, services.LetterError) for r in results if not isinstance(r, Letter))
    assert sorted(letter_mails(letter).values_list("to", flat=True)) == sorted(p.email for p in people)
