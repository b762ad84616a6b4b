"""Places, waitlist order and promotion, deadline, cancellation, bad input: the registration rules."""
import base64
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import date
from django.utils import timezone, translation

from accounts.models import Registration
from accounts.signals import registration_withdrawn
from events.models import Event, EventRegistration
from events.receivers import free_places_of_withdrawn
from events.services import (
    EventRegistrationError,
    event_cancel,
    event_register,
    event_registration_cancel,
    event_save,
    personal_data,
)
from mentoring.kernel.dates import named_format
from mentoring.kernel.models import OutboxMessage

from .factories import EventFactory, EventRegistrationFactory, participant

pytestmark = pytest.mark.django_db
Status = EventRegistration.Status


def keys(prefix: str) -> set[str]:
    return set(OutboxMessage.objects.filter(key__startswith=prefix).values_list("key", flat=True))


def test_places_then_waitlist_in_order():
    event = EventFactory(capacity=2)
    people = [participant() for _ in range(4)]
    results = [event_register(event=event, user=person) for person in people]
    assert [r.status for r in results] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED, Status.WAITLISTED]
    assert keys("event-confirmed:") == {f"event-confirmed:{r.pk}" for r in results[:2]}
    assert keys("event-waitlisted:") == {f"event-waitlisted:{r.pk}" for r in results[2:]}


def test_confirmation_mail_carries_the_ics():
    person = participant()
    registration = event_register(event=EventFactory(), user=person, note="Ich benötige einen Sitzplatz am Gang.")
    message = OutboxMessage.objects.get(key=f"event-confirmed:{registration.pk}")
    assert message.to == person.email
    assert registration.note == "Ich benötige einen Sitzplatz am Gang."
    [attachment] = message.attachments
    assert attachment["filename"].endswith(".ics") and attachment["mimetype"] == "text/calendar; method=PUBLISH"


def test_cancelling_promotes_the_first_on_the_waitlist_and_mails_them():
    event = EventFactory(capacity=1)
    first, second, third = participant(), participant(), participant()
    place = event_register(event=event, user=first)
    waiting_second = event_register(event=event, user=second)
    waiting_third = event_register(event=event, user=third)
    event_registration_cancel(registration=place, by=first)
    waiting_second.refresh_from_db()
    waiting_third.refresh_from_db()
    assert waiting_second.status == Status.CONFIRMED and waiting_second.confirmed_at is not None
    assert waiting_third.status == Status.WAITLISTED
    promoted = OutboxMessage.objects.get(key=f"event-promoted:{waiting_second.pk}")
    assert promoted.to == second.email and promoted.attachments
    assert not keys(f"event-promoted:{waiting_third.pk}")


def test_leaving_the_waitlist_promotes_nobody():
    event = EventFactory(capacity=1)
    event_register(event=event, user=participant())
    waiting = event_register(event=event, user=participant())
    behind = event_register(event=event, user=participant())
    event_registration_cancel(registration=waiting, by=waiting.user)
    behind.refresh_from_db()
    assert behind.status == Status.WAITLISTED
    assert not keys("event-promoted:")


def test_registering_twice_is_refused_with_a_message():
    event = EventFactory(capacity=1)
    person, other = participant(), participant()
    event_register(event=event, user=person)
    with pytest.raises(EventRegistrationError, match="bereits angemeldet"):
        event_register(event=event, user=person)
    event_register(event=event, user=other)
    with pytest.raises(EventRegistrationError, match="Warteliste"):
        event_register(event=event, user=other)
    assert EventRegistration.objects.count() == 2


def test_registering_again_after_cancelling_is_allowed():
    event = EventFactory()
    person = participant()
    event_registration_cancel(registration=event_register(event=event, user=person), by=person)
    assert event_register(event=event, user=person).status == Status.CONFIRMED


def test_the_database_allows_one_active_registration_per_person():
    registration = EventRegistrationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EventRegistration.objects.create(event=registration.event, user=registration.user, status=Status.WAITLISTED)


@pytest.mark.parametrize(("event_kwargs", "message"), [
    ({"status": Event.Status.CANCELLED}, "abgesagt"),
    ({"past": True}, "begonnen oder ist vorbei"),
    ({"registration_deadline": timezone.now() - datetime.timedelta(minutes=1)}, "Anmeldeschluss"),
    ({"mentor_training": True}, "nicht anmelden"),
    ({"status": Event.Status.DRAFT}, "nicht anmelden"),
])
def test_closed_or_hidden_events_refuse_registration(event_kwargs, message, mentee):
    event = EventFactory(**event_kwargs)
    with pytest.raises(EventRegistrationError, match=message):
        event_register(event=event, user=mentee)
    assert not EventRegistration.objects.exists()


def test_unapproved_people_cannot_register(unapproved_user):
    with pytest.raises(EventRegistrationError):
        event_register(event=EventFactory(), user=unapproved_user)


def test_cancellation_closes_at_the_deadline_for_participants_but_not_for_staff(staff_user):
    event = EventFactory()
    registration = EventRegistrationFactory(event=event)
    Event.objects.filter(pk=event.pk).update(registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(EventRegistrationError, match="Anmeldeschluss"):
        event_registration_cancel(registration=registration, by=registration.user)
    event_registration_cancel(registration=registration, by=staff_user, enforce_deadline=False)
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_cancelling_twice_gives_a_message():
    registration = EventRegistrationFactory()
    event_registration_cancel(registration=registration, by=registration.user)
    with pytest.raises(EventRegistrationError, match="nicht mehr angemeldet"):
        event_registration_cancel(registration=registration, by=registration.user)


def test_end_before_start_is_refused_by_clean_and_database():
    event = EventFactory.build(ends_at=timezone.now(), starts_at=timezone.now() + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        event.full_clean(exclude=["topics"])
    assert "ends_at" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_capacity_below_confirmed_places_is_refused(staff_user):
    event = EventFactory(capacity=3)
    EventRegistrationFactory.create_batch(2, event=event)
    event.capacity = 1
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "bereits 2 bestätigte" in error.value.message_dict["capacity"][0]
    with pytest.raises(EventRegistrationError):
        event_save(event=event, changed_fields=["capacity"], by=staff_user)
    event.refresh_from_db()
    assert event.capacity == 3


def test_more_capacity_promotes_the_waitlist(staff_user):
    event = EventFactory(capacity=1)
    event_register(event=event, user=participant())
    waiting = event_register(event=event, user=participant())
    event.capacity = 2
    event_save(event=event, changed_fields=["capacity"], by=staff_user)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert keys(f"event-promoted:{waiting.pk}")


def test_moved_up_in_the_save_that_changes_the_time_one_mail_says_both(staff_user):
    """More places and a new time in one save: the person moved up got "you have a place" and, in the same
    second, "an event you are on the waiting list for has changed"."""
    event = EventFactory(capacity=1)
    place = event_register(event=event, user=participant())
    waiting = event_register(event=event, user=participant())
    event.capacity = 2
    event.starts_at += datetime.timedelta(hours=1)
    event.ends_at += datetime.timedelta(hours=1)
    event_save(event=event, changed_fields=["capacity", "starts_at", "ends_at"], by=staff_user)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert keys("event-changed:") == {f"event-changed:{event.pk}:1:{place.pk}"}
    promoted = OutboxMessage.objects.get(key=f"event-promoted:{waiting.pk}")
    assert "Seit Sie auf die Warteliste gekommen sind, hat sich geändert:" in promoted.body_text
    assert "Warteliste stehen" not in promoted.body_text and promoted.attachments


def test_a_change_of_time_is_mailed_to_everyone_registered_once(staff_user):
    event = EventFactory(capacity=1)
    place = event_register(event=event, user=participant())
    waiting = event_register(event=event, user=participant())
    EventRegistrationFactory(event=event, status=Status.CANCELLED)
    event.starts_at += datetime.timedelta(hours=1)
    event.ends_at += datetime.timedelta(hours=1)
    event_save(event=event, changed_fields=["starts_at", "ends_at"], by=staff_user)
    assert event.revision == 1
    assert keys("event-changed:") == {f"event-changed:{event.pk}:1:{place.pk}",
                                      f"event-changed:{event.pk}:1:{waiting.pk}"}
    # The new time goes into the calendar of those with a place; the waitlist gets no calendar entry.
    assert OutboxMessage.objects.get(key=f"event-changed:{event.pk}:1:{place.pk}").attachments
    assert not OutboxMessage.objects.get(key=f"event-changed:{event.pk}:1:{waiting.pk}").attachments
    # The mail says what changed and what it was before, not only the new state.
    from mentoring.templatetags.when import when

    old_start = when(timezone.localtime(event.starts_at - datetime.timedelta(hours=1)), "WEEKDAY_DATETIME")
    text = OutboxMessage.objects.get(key=f"event-changed:{event.pk}:1:{place.pk}").body_text
    assert "Was sich geändert hat:" in text and f"die Zeit (bisher: {old_start} bis" in text
    assert "der Titel" not in text and "der Ort" not in text
    event.description = "Nur der Text ist neu."
    event_save(event=event, changed_fields=["description"], by=staff_user)
    assert event.revision == 1 and len(keys("event-changed:")) == 2


def test_a_new_online_link_is_mailed_only_to_those_who_see_it(staff_user):
    event = EventFactory(capacity=1)
    place = event_register(event=event, user=participant())
    waiting = event_register(event=event, user=participant())
    event.online_url = "https://konferenz.example.org/raum/neu-456"
    event_save(event=event, changed_fields=["online_url"], by=staff_user)
    assert keys("event-changed:") == {f"event-changed:{event.pk}:1:{place.pk}"}, waiting
    text = OutboxMessage.objects.get(key=f"event-changed:{event.pk}:1:{place.pk}").body_text
    assert "der Link zur Online-Teilnahme" in text and "neu-456" in text


def test_cancelling_an_event_tells_everyone_with_the_reason(staff_user):
    event = EventFactory(capacity=1)
    place = event_register(event=event, user=participant())
    waiting = event_register(event=event, user=participant())
    event_cancel(event=event, message="Die Referentin ist erkrankt.", by=staff_user)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED and event.revision == 1
    mails = OutboxMessage.objects.filter(key__startswith="event-cancelled:")
    assert {m.to for m in mails} == {place.user.email, waiting.user.email}
    assert all("Die Referentin ist erkrankt." in m.body_text for m in mails)
    # The calendar entry of a place is replaced by a cancelled one, without the meeting link.
    [attachment] = mails.get(to=place.user.email).attachments
    ics = base64.b64decode(attachment["content"]).decode()
    assert "STATUS:CANCELLED" in ics and "SEQUENCE:1" in ics
    assert event.online_url and event.online_url not in ics
    assert not mails.get(to=waiting.user.email).attachments
    with pytest.raises(EventRegistrationError, match="bereits abgesagt"):
        event_cancel(event=event, message="noch einmal", by=staff_user)
    with pytest.raises(EventRegistrationError, match="abgesagt"):
        event_register(event=event, user=participant())


def test_cancelling_needs_a_reason_and_a_future_event(staff_user):
    with pytest.raises(EventRegistrationError, match="Begründung"):
        event_cancel(event=EventFactory(), message="  ", by=staff_user)
    past = EventFactory(past=True)
    with pytest.raises(EventRegistrationError, match="vergangene"):
        event_cancel(event=past, message="zu spät", by=staff_user)


def test_withdrawn_registration_frees_future_places_and_promotes(staff_user):
    event = EventFactory(capacity=1)
    person = participant()
    place = event_register(event=event, user=person)
    waiting = event_register(event=event, user=participant())
    past_place = EventRegistrationFactory(event=EventFactory(past=True), user=person)
    # Other apps listen too; this test calls the events receiver the way the signal does.
    free_places_of_withdrawn(sender=Registration, user=person, by=staff_user)
    place.refresh_from_db()
    waiting.refresh_from_db()
    past_place.refresh_from_db()
    assert place.status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED
    assert past_place.status == Status.CONFIRMED


def test_the_receiver_is_connected_to_registration_withdrawn():
    assert any(key[0] == "events_free_places_of_withdrawn" for key, *_ in registration_withdrawn.receivers)


def test_personal_data_lists_registrations():
    registration = EventRegistrationFactory(note="vegetarisch")
    data = personal_data(user=registration.user)
    assert data["anmeldungen"][0]["veranstaltung"] == registration.event.title
    assert data["anmeldungen"][0]["hinweis"] == "vegetarisch"


def test_each_reader_s_calendar_entry_is_in_their_language(staff_user):
    """Staff work in German; the .ics of a change, a cancellation, a move up from the waitlist and a
    reminder reads in each recipient's language, like the mail it comes with."""
    import base64

    import icalendar

    from events.services import event_cancel
    from events.services.reminders import event_reminder_send

    def description(key_start):
        [attachment] = OutboxMessage.objects.get(key__startswith=key_start).attachments
        content = base64.b64decode(attachment["content"]) if attachment["base64"] else attachment["content"].encode()
        return str(icalendar.Calendar.from_ical(content).walk("VEVENT")[0]["DESCRIPTION"])

    event = EventFactory(capacity=2)
    english, german = participant(), participant()
    english.language = "en"
    english.save(update_fields=["language"])
    places = {user: event_register(event=event, user=user) for user in (english, german)}
    event.starts_at += datetime.timedelta(hours=1)
    event.ends_at += datetime.timedelta(hours=1)
    event_save(event=event, changed_fields=["starts_at", "ends_at"], by=staff_user)
    assert "Organiser:" in description(f"event-changed:{event.pk}:1:{places[english].pk}")
    assert "Veranstalter*in:" in description(f"event-changed:{event.pk}:1:{places[german].pk}")
    assert event_reminder_send(registration_pk=places[english].pk, now=event.starts_at - datetime.timedelta(days=1))
    assert "Organiser:" in description(f"event-reminder:{places[english].pk}")
    event_cancel(event=event, message="Die Referentin ist erkrankt.", by=staff_user)
    assert description(f"event-cancelled:{event.pk}:{places[english].pk}").startswith("CANCELLED")
    assert description(f"event-cancelled:{event.pk}:{places[german].pk}").startswith("ABGESAGT")


def changed_items(text: str) -> list[str]:
    """The lines under "Was sich geändert hat:" (or its English) in a change mail's text."""
    lines = text.split("Was sich geändert hat:\n" if "Was sich" in text else "What has changed:\n", 1)[1].splitlines()
    return [line[2:] for line in lines[:lines.index("")]]


def test_a_change_mail_lists_each_change_with_its_former_value(staff_user):
    event = EventFactory(capacity=1, title="Hitzeschutz im Quartier", format=Event.Format.HYBRID, venue="Rathaus")
    old_start, old_end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    place = event_register(event=event, user=participant())
    waiting = event_register(event=event, user=participant())
    event.title, event.format, event.venue = "Hitzeschutz in der Stadt", Event.Format.ONLINE, ""
    event.starts_at += datetime.timedelta(hours=1)
    event.ends_at += datetime.timedelta(hours=1)
    event.online_url = "https://konferenz.example.org/raum/neu-789"
    event_save(event=event, changed_fields=["title", "format", "venue", "starts_at", "ends_at", "online_url"],
               by=staff_user)
    with translation.override("de"):
        when = f"{date(old_start, named_format('WEEKDAY_DATETIME'))} bis {date(old_end, named_format('TIME'))}"
    mail = OutboxMessage.objects.get(key=f"event-changed:{event.pk}:1:{place.pk}")
    assert changed_items(mail.body_text) == [
        "der Titel (bisher: „Hitzeschutz im Quartier“)", f"die Zeit (bisher: {when})", "das Format (bisher: hybrid)",
        "der Ort (bisher: Rathaus)", "der Link zur Online-Teilnahme"]
    assert "<li>der Titel (bisher: „Hitzeschutz im Quartier“)</li>" in mail.body_html
    assert "neu-789" in mail.body_text and "Der aktualisierte Kalendereintrag ist angehängt" in mail.body_text
    # The waitlist reads the same, without the link it does not see and without a calendar entry.
    mail = OutboxMessage.objects.get(key=f"event-changed:{event.pk}:1:{waiting.pk}")
    assert changed_items(mail.body_text) == [
        "der Titel (bisher: „Hitzeschutz im Quartier“)", f"die Zeit (bisher: {when})", "das Format (bisher: hybrid)",
        "der Ort (bisher: Rathaus)"]
    assert "neu-789" not in mail.body_text + mail.body_html and "Kalendereintrag" not in mail.body_text
    assert "auf der Warteliste stehen" in mail.body_text


def test_a_change_mail_is_worded_in_the_recipients_language(staff_user):
    event = EventFactory(title="Hitzeschutz im Quartier")
    person = participant()
    person.language = "en"
    person.save(update_fields=["language"])
    place = event_register(event=event, user=person)
    event.title = "Hitzeschutz in der Stadt"
    with translation.override("de"):  # the editor works in German
        event_save(event=event, changed_fields=["title"], by=staff_user)
    text = OutboxMessage.objects.get(key=f"event-changed:{event.pk}:1:{place.pk}").body_text
    assert changed_items(text) == ["the title (previously: “Hitzeschutz im Quartier”)"]


def test_staff_on_the_waitlist_are_told_of_a_new_link_they_see_on_the_page(client, staff_user):
    """The online link is for a confirmed place and for staff who may read events (``sees_online_url``), in the
    change mail as on the event page: staff waiting for a place read the new link."""
    event = EventFactory(capacity=1)
    event_register(event=event, user=participant())
    waiting = event_register(event=event, user=staff_user)
    client.force_login(staff_user)
    assert "raum/neu-456" not in client.get(event.get_absolute_url()).content.decode()
    event.online_url = "https://konferenz.example.org/raum/neu-456"
    event_save(event=event, changed_fields=["online_url"], by=staff_user)
    assert "raum/neu-456" in client.get(event.get_absolute_url()).content.decode()
    text = OutboxMessage.objects.get(key=f"event-changed:{event.pk}:1:{waiting.pk}").body_text
    assert changed_items(text) == ["der Link zur Online-Teilnahme"] and "raum/neu-456" in text


def test_on_a_cancelled_event_only_staff_and_a_withdrawal_give_places_up(staff_user):
    event = EventFactory()
    place = event_register(event=event, user=participant())
    event_cancel(event=event, message="Die Referentin ist erkrankt.", by=staff_user)
    with pytest.raises(EventRegistrationError, match="abgesagt; eine Abmeldung ist nicht nötig"):
        event_registration_cancel(registration=place, by=place.user)
    event_registration_cancel(registration=place, by=staff_user, enforce_deadline=False)
    place.refresh_from_db()
    assert place.status == Status.CANCELLED
