"""Factories for the matching app, on top of the people factories of accounts."""
import factory
from django.utils import timezone

from accounts.tests.factories import participant, topic
from matching.models import MatchRun, Proposal, Tandem


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

    mentee = factory.LazyFunction(lambda: participant(needs=["haushalt"]).profile)
    mentor = factory.LazyFunction(lambda: participant(mentor=True, competences=["haushalt"]).profile)
    reasons = factory.LazyFunction(covers_haushalt)
    last_activity_at = factory.LazyFunction(timezone.now)
