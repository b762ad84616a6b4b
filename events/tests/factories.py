"""factory-boy factories for events, building on the people factories of accounts."""
import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import participant  # noqa: F401 - re-exported for the events tests
from events.models import Event, EventRegistration, EventSpeaker


class EventFactory(factory.django.DjangoModelFactory):
    """A published public online seminar a week from now, 10 places, deadline a day before."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Online-Seminar Klimaanpassung {n}")
    kind = Event.Kind.WEBINAR
    format = Event.Format.ONLINE
    visibility = Event.Visibility.PUBLIC
    status = Event.Status.PUBLISHED
    description = "Ein **Austausch** zu Hitzeschutz."
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    registration_deadline = factory.LazyAttribute(lambda o: o.starts_at - datetime.timedelta(days=1))
    online_url = "https://konferenz.example.org/raum/geheim-123"
    organiser = "Koordinationsstelle Mentoring Klimaanpassung"
    capacity = 10

    class Params:
        members = factory.Trait(visibility=Event.Visibility.MEMBERS)
        mentor_training = factory.Trait(kind=Event.Kind.MENTOR_TRAINING, visibility=Event.Visibility.MEMBERS)
        onsite = factory.Trait(format=Event.Format.ONSITE, online_url="", venue="Rathaus Kassel, Obere Königsstraße 8")
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) - datetime.timedelta(days=3)))

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class EventRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRegistration

    event = factory.SubFactory(EventFactory)
    user = factory.LazyFunction(participant)
    status = EventRegistration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


class EventSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventSpeaker

    event = factory.SubFactory(EventFactory)
    name = factory.Faker("name", locale="de_DE")
    affiliation = "Stadt Kassel"
