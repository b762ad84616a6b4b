"""Reminders about a day before (frozen time), once per place; e-mails with attachments delivered."""
import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from events.ical import event_ics_filename
from events.models import EventRegistration
from events.services import event_register
from events.tasks import send_event_reminders
from mentoring.kernel.models import OutboxMessage

from .factories import EventFactory, EventRegistrationFactory, participant

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
START = datetime.datetime(2027, 5, 12, 10, 0, tzinfo=BERLIN)


def reminder_keys() -> set[str]:
    return set(OutboxMessage.objects.filter(key__startswith="event-reminder:").values_list("key", flat=True))


def test_reminder_goes_out_once_about_a_day_before():
    with time_machine.travel(START - datetime.timedelta(days=10), tick=False):
        event = EventFactory(starts_at=START, ends_at=START + datetime.timedelta(hours=2))
        registration = event_register(event=event, user=participant())
        waiting = EventRegistrationFactory(event=event, status=EventRegistration.Status.WAITLISTED, confirmed_at=None)
        cancelled = EventRegistrationFactory(event=event, status=EventRegistration.Status.CANCELLED)
    # 24 h 1 min before: too early.
    with time_machine.travel(START - datetime.timedelta(hours=24, minutes=1), tick=False):
        assert send_event_reminders() == 0
    # The beat run in the quarter hour that opens the window sends it.
    with time_machine.travel(START - datetime.timedelta(hours=23, minutes=50), tick=False):
        assert send_event_reminders.delay().get() == 1
    assert reminder_keys() == {f"event-reminder:{registration.pk}"}
    message = OutboxMessage.objects.get(key=f"event-reminder:{registration.pk}")
    assert event.online_url in message.body_text
    assert message.attachments[0]["mimetype"] == "text/calendar; method=PUBLISH"
    assert "Mittwoch, 12. Mai 2027, 10:00 Uhr" in message.body_text
    # Later runs send nothing again.
    for minutes in (15, 30, 600):
        with time_machine.travel(START - datetime.timedelta(hours=23, minutes=50) + datetime.timedelta(
                minutes=minutes), tick=False):
            assert send_event_reminders() == 0
    assert reminder_keys() == {f"event-reminder:{registration.pk}"}
    assert waiting.pk not in {int(k.split(":")[1]) for k in reminder_keys()}
    assert cancelled.pk not in {int(k.split(":")[1]) for k in reminder_keys()}


def test_no_reminder_after_the_start_or_for_late_registrations():
    with time_machine.travel(START - datetime.timedelta(hours=3), tick=False):
        event = EventFactory(starts_at=START, ends_at=START + datetime.timedelta(hours=2),
                             registration_deadline=START - datetime.timedelta(hours=1))
        # Registered three hours before: the confirmation just said everything.
        event_register(event=event, user=participant())
        assert send_event_reminders() == 0
    with time_machine.travel(START - datetime.timedelta(days=5), tick=False):
        early = EventFactory(starts_at=START, ends_at=START + datetime.timedelta(hours=2))
        event_register(event=early, user=participant())
    with time_machine.travel(START + datetime.timedelta(minutes=5), tick=False):
        assert send_event_reminders() == 0
    assert reminder_keys() == set()


def test_reminder_is_idempotent_through_the_outbox_key():
    with time_machine.travel(START - datetime.timedelta(days=3), tick=False):
        registration = event_register(event=EventFactory(starts_at=START, ends_at=START + datetime.timedelta(
            hours=1)), user=participant())
    with time_machine.travel(START - datetime.timedelta(hours=20), tick=False):
        assert send_event_reminders() == 1
        # Even if the mark were lost (a crash after queueing), the outbox key keeps it to one e-mail.
        EventRegistration.objects.filter(pk=registration.pk).update(reminded_at=None)
        send_event_reminders()
    assert OutboxMessage.objects.filter(key=f"event-reminder:{registration.pk}").count() == 1


def test_registration_delivers_confirmation_with_ics_attachment(client, mentee, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    event = EventFactory(title="Hitze & Gesundheit")
    client.force_login(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.pk]), {"note": "Rollstuhlplatz, bitte"})
    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.to == [mentee.email]
    assert mail.subject == "Anmeldung bestätigt: Hitze & Gesundheit"
    assert "Hitze & Gesundheit" in mail.body
    [(filename, content, mimetype)] = mail.attachments
    assert filename == event_ics_filename(event) and mimetype == "text/calendar; method=PUBLISH"
    assert "BEGIN:VTIMEZONE" in content
    html = mail.alternatives[0][0]
    assert "Hitze &amp; Gesundheit" in html


def test_promotion_mail_is_delivered_to_the_next_person(client, mentee, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    client.force_login(mentee)
    client.post(reverse("events:register", args=[event.pk]))
    waiting = participant()
    event_register(event=event, user=waiting)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:cancel", args=[event.pk]))
    [mail] = mailoutbox
    assert mail.to == [waiting.email]
    assert "nachgerückt" in mail.body
    assert mail.attachments[0][0].endswith(".ics")
