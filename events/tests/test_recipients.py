"""Mails and places go only to people who may still attend: approved, active, allowed to see the event."""
import datetime

import pytest
from django.urls import reverse

from accounts.models import Profile, Registration, User
from events.models import EventRegistration
from events.services import (
    EventRegistrationError,
    calendar_feed_for,
    event_cancel,
    event_register,
    event_registration_cancel,
    event_reminders_send,
    event_save,
)
from mentoring.kernel.models import OutboxMessage

from .factories import EventFactory, EventRegistrationFactory, participant

pytestmark = pytest.mark.django_db
Status = EventRegistration.Status


def mailed() -> set[str]:
    return set(OutboxMessage.objects.values_list("to", flat=True))


def withdraw_approval(user: User, to: str = Registration.Status.WITHDRAWN) -> None:
    # Written straight to the table, as by a second request after this one read the person.
    Registration.objects.filter(user=user).update(status=to)


@pytest.fixture
def people():
    """On one event: an approved participant, and three who may no longer attend."""
    allowed, withdrawn, rejected, inactive = (participant() for _ in range(4))
    withdraw_approval(withdrawn)
    withdraw_approval(rejected, Registration.Status.REJECTED)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    return {"allowed": allowed, "withdrawn": withdrawn, "rejected": rejected, "inactive": inactive}


@pytest.mark.parametrize("visibility", ["members", "public"])
def test_change_and_cancellation_mails_only_to_people_who_may_still_attend(visibility, people, staff_user):
    event = EventFactory(members=visibility == "members")
    for person in people.values():
        EventRegistrationFactory(event=event, user=person)
    event.refresh_from_db()
    event.starts_at += datetime.timedelta(hours=1)
    event.ends_at += datetime.timedelta(hours=1)
    event_save(event=event, changed_fields=["starts_at", "ends_at"], by=staff_user)
    assert mailed() == {people["allowed"].email}
    OutboxMessage.objects.all().delete()
    event_cancel(event=event, message="Der Raum ist nicht verfügbar.", by=staff_user)
    assert mailed() == {people["allowed"].email}


def test_mentor_training_change_is_not_mailed_to_someone_no_longer_a_mentor(staff_user):
    event = EventFactory(mentor_training=True)
    mentor, former = participant(mentor=True), participant(mentor=True)
    for person in (mentor, former):
        EventRegistrationFactory(event=event, user=person)
    Profile.objects.filter(user=former).update(role="mentee")
    event.refresh_from_db()
    event.venue, event.format = "Rathaus Kassel", "hybrid"
    event_save(event=event, changed_fields=["venue", "format"], by=staff_user)
    assert mailed() == {mentor.email}


def test_reminders_only_to_people_who_may_still_attend(people):
    event = EventFactory(members=True)
    early = event.starts_at - datetime.timedelta(days=3)
    for person in people.values():
        EventRegistrationFactory(event=event, user=person, confirmed_at=early)
    EventRegistrationFactory(event=event, status=Status.CANCELLED, confirmed_at=early,
                             cancelled_at=early + datetime.timedelta(hours=1))
    assert event_reminders_send(now=event.starts_at - datetime.timedelta(hours=20)) == 1
    assert mailed() == {people["allowed"].email}


def test_feed_leaves_out_events_the_person_may_no_longer_see(client):
    person = participant(mentor=True)
    training = EventRegistrationFactory(event=EventFactory(
        mentor_training=True, title="Schulung", online_url="https://konferenz.example.org/raum/schulung-7"),
        user=person)
    EventRegistrationFactory(event=EventFactory(members=True, title="Treffen"), user=person)
    token = calendar_feed_for(user=person).token
    Profile.objects.filter(user=person).update(role="mentee")
    content = client.get(reverse("events:feed", args=[token])).content.decode()
    assert "SUMMARY:Treffen" in content
    assert "SUMMARY:Schulung" not in content and training.event.online_url not in content


@pytest.mark.parametrize("trigger", ["cancellation", "more_places"])
def test_waitlist_promotion_passes_over_people_who_may_no_longer_attend(trigger, people, staff_user):
    event = EventFactory(members=True, capacity=1)
    holder = participant()
    place = event_register(event=event, user=holder)
    # Everyone joins the waitlist while still allowed; then three of them lose that right.
    order = ["withdrawn", "inactive", "rejected", "allowed"]
    for name in order:
        Registration.objects.filter(user=people[name]).update(status=Registration.Status.APPROVED)
        User.objects.filter(pk=people[name].pk).update(is_active=True)
    waiting = {name: event_register(event=event, user=User.objects.get(pk=people[name].pk)) for name in order}
    withdraw_approval(people["withdrawn"])
    withdraw_approval(people["rejected"], Registration.Status.REJECTED)
    User.objects.filter(pk=people["inactive"].pk).update(is_active=False)
    OutboxMessage.objects.all().delete()
    if trigger == "cancellation":
        event_registration_cancel(registration=place, by=holder)
    else:
        event.refresh_from_db()
        event.capacity = 2
        event_save(event=event, changed_fields=["capacity"], by=staff_user)
    statuses = {name: EventRegistration.objects.get(pk=r.pk).status for name, r in waiting.items()}
    assert statuses == {"withdrawn": Status.WAITLISTED, "inactive": Status.WAITLISTED,
                        "rejected": Status.WAITLISTED, "allowed": Status.CONFIRMED}
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == {f"event-promoted:{waiting['allowed'].pk}"}


def test_registration_rechecks_approval_under_the_lock():
    event = EventFactory()
    person = participant()
    assert person.registration.status == Registration.Status.APPROVED  # what the request loaded
    withdraw_approval(person)
    with pytest.raises(EventRegistrationError):
        event_register(event=event, user=person)
    assert not EventRegistration.objects.filter(user=person).exists()
    assert not OutboxMessage.objects.exists()
