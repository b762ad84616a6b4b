"""Concurrent registrations for the last place on PostgreSQL: exactly one person gets it."""
import pytest

from events.models import EventRegistration
from events.services import EventRegistrationError, event_register

from .factories import EventFactory, EventRegistrationFactory, participant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
Status = EventRegistration.Status


def test_exactly_one_gets_the_last_place(at_once):
    event = EventFactory(capacity=3)
    EventRegistrationFactory.create_batch(2, event=event)
    people = [participant() for _ in range(8)]
    results = at_once([lambda person=person: event_register(event=event, user=person) for person in people])
    assert all(isinstance(r, EventRegistration) for r in results), results
    assert sorted(r.status for r in results) == [Status.CONFIRMED] + [Status.WAITLISTED] * 7
    assert EventRegistration.objects.filter(event=event, status=Status.CONFIRMED).count() == 3


def test_a_double_click_makes_one_registration(at_once):
    event = EventFactory()
    person = participant()
    results = at_once([lambda: event_register(event=event, user=person) for _ in range(4)])
    assert sum(isinstance(r, EventRegistration) for r in results) == 1
    assert all(isinstance(r, EventRegistrationError) for r in results if not isinstance(r, EventRegistration))
    assert EventRegistration.objects.filter(event=event, user=person).count() == 1
