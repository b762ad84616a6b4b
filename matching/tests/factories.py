"""Factories for the matching app, on top of the people factories of accounts."""
import datetime

import factory
import time_machine
from django.utils import timezone

from accounts.tests.factories import participant, topic
from matching import services
from matching.models import MatchRun, Proposal, Tandem

# When the Tandems of the purpose tests (agreement, check-ins, closing review) start: a Monday morning.
START = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


def at(days: int, hours: int = 3):
    """The clock frozen ``days`` (and ``hours``) after START: ``with at(30): ...``."""
    return time_machine.travel(START + datetime.timedelta(days=days, hours=hours), tick=False)


def covers_haushalt() -> list[dict]:
    """Stored reasons as a run writes them: "deckt 1 von 1 Bedarfen ab: Haushaltsplanung"."""
    return [{"criterion": "topics", "kind": "covered", "points": 10.0,
             "params": {"covered": 1, "total": 1, "topic_ids": [topic("haushalt").pk]}}]


class MatchRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchRun

    status = MatchRun.Status.DONE
    weights = factory.LazyFunction(lambda: {"topics": 10.0, "organisation": 3.0, "size": 2.0, "region": 3.0,
                                            "meeting_format": 1.0, "language": 1.0, "funding": 3.0})


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    run = factory.SubFactory(MatchRunFactory)
    mentee = factory.LazyFunction(lambda: participant(needs=["haushalt"]).profile)
    mentor = factory.LazyFunction(lambda: participant(mentor=True, competences=["haushalt"]).profile)
    score = 10.0
    reasons = factory.LazyFunction(covers_haushalt)


class TandemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tandem
        skip_postgeneration_save = True

    mentee = factory.LazyFunction(lambda: participant(needs=["haushalt"]).profile)
    mentor = factory.LazyFunction(lambda: participant(mentor=True, competences=["haushalt"]).profile)
    reasons = factory.LazyFunction(covers_haushalt)
    last_activity_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def days_ago(tandem, create, extracted, **kwargs):
        """``TandemFactory(days_ago=60)``: the Tandem began that many days ago (started_at is set on creation), so
        that meetings on earlier days belong to it."""
        if create and extracted:
            started = tandem.started_at - datetime.timedelta(days=extracted)
            Tandem.objects.filter(pk=tandem.pk).update(started_at=started)
            tandem.started_at = started


def agreed_tandem(mentee, mentor=None, *, goals: dict[str, str], planned_end, meeting_form: str = "online") -> Tandem:
    """A Tandem whose Vereinbarung (monthly, confidential) the Mentee drafted and the Mentor*in confirmed.

    ``mentee`` and ``mentor`` are users (without a mentor, the factory's); ``goals`` maps topic slugs to
    the goals' texts. Fetched again, as the services left it.
    """
    tandem = TandemFactory(mentee=mentee.profile, **({"mentor": mentor.profile} if mentor else {}))
    draft = services.agreement_draft(
        tandem=tandem, by=mentee, goals=[(topic(slug).pk, text) for slug, text in goals.items()],
        frequency="monthly", meeting_form=meeting_form, planned_end=planned_end, confidential=True)
    services.agreement_confirm(agreement=draft, by=tandem.mentor.user)
    return Tandem.objects.get(pk=tandem.pk)
