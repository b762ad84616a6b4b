"""The cockpit's one write: keep an erased person's part of past figures as anonymous counts."""
from django.db import transaction
from django.db.models import F

from accounts.models import User

from .facts import person_facts
from .models import ErasedFigure


def erased_figures_keep(*, user: User) -> int:
    """Add the person's contribution to every month's registration figures to the kept counts.

    Registered in ``mentoring.kernel.privacy``, so ``accounts.services.user_delete`` calls it
    inside its transaction before the user row (and with it the registration, its status history
    and the profile) is deleted; that covers a person's own erasure and the retention rules
    alike. It reads only the registration, its history, the profile and the start of the
    person's Tandems, which no other app's erasure step changes. Returns how many counts it added.
    """
    facts = person_facts(user=user)
    with transaction.atomic():
        for fact, count in facts.items():
            figure, _created = ErasedFigure.objects.get_or_create(
                period=fact.period, figure=fact.figure, state=fact.state, org_type=fact.org_type,
                funding_line=fact.funding_line, days=fact.days)
            ErasedFigure.objects.filter(pk=figure.pk).update(count=F("count") + count)
    return sum(facts.values())


def personal_data(*, user: User) -> dict:
    """The cockpit stores nothing about a person: its kept counts name nobody."""
    return {}
