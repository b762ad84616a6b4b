"""Participants in bulk for the benchmarks (bench/data.py, bench/overview.py): their organisations,
their logins with consents, and their registrations with the status history the services would
have written. Import it after ``django.setup()``.
"""
import datetime
import random

from accounts.choices import FundingLine, SizeClass
from accounts.models import (
    Consent,
    FederalState,
    Organisation,
    OrganisationType,
    Registration,
    RegistrationTransition,
    User,
)
from mentoring.kernel.bulk import keeping_dates

DAY = datetime.timedelta(days=1)
# The funding lines in the programme's proportions: pick one with rng.choice.
FUNDING_LINES = [FundingLine.A1] * 4 + [FundingLine.A2] * 3 + [FundingLine.A3, FundingLine.ANPASO, FundingLine.STATE,
                                                               FundingLine.NONE]
Status = Registration.Status


def organisations(rng: random.Random, count: int, *, size_class: str | None = None) -> list[Organisation]:
    """``count`` Kommunen of random type and state; of ``size_class``, or of a random size."""
    types, states = list(OrganisationType.objects.all()), list(FederalState.objects.all())
    return Organisation.objects.bulk_create([
        Organisation(name=f"Bench-Kommune {n}", name_normalised=f"bench-kommune {n}", org_type=rng.choice(types),
                     federal_state=rng.choice(states),
                     size_class=size_class or rng.choice([s for s, _label in SizeClass.choices]))
        for n in range(count)])


def logins(count: int, *, password: str, now, first_email: str = "") -> list[User]:
    """``count`` participants' logins (``bench00000@example.org`` on, the first ``first_email`` if given),
    joined 400 days ago, with consent to the programme and to sharing with a partner."""
    users = User.objects.bulk_create([
        User(email=first_email if n == 0 and first_email else f"bench{n:05d}@example.org", first_name="Bench",
             last_name=f"Person {n}", password=password, date_joined=now - 400 * DAY) for n in range(count)])
    with keeping_dates(Consent):
        Consent.objects.bulk_create([Consent(user=u, purpose=purpose, version="bench", text="Bench", given_at=now)
                                     for u in users for purpose in ("programme", "partner_sharing")])
    return users


def registrations(rng: random.Random, users: list[User], path, *, now, submitted_days: tuple[int, int],
                  step_days: int, intro_calls: bool = False) -> list[Registration]:
    """Each user's registration, submitted ``submitted_days`` (from, to) ago and moved along ``path(n)``
    (the statuses after "submitted" of the n-th user), one step every 1 to ``step_days`` days, with its
    history; ``intro_calls`` gives those waiting for their Kennenlerngespräch a date within ten days
    either side of now."""
    rows, histories = [], []
    for n, user in enumerate(users):
        submitted = now - rng.randint(*submitted_days) * DAY
        at, steps = submitted, [(Status.SUBMITTED, submitted)]
        for status in path(n):
            at = min(at + rng.randint(1, step_days) * DAY, now - DAY)
            steps.append((status, at))
        final, changed = steps[-1]
        rows.append(Registration(user=user, status=final, submitted_at=submitted, status_changed_at=changed,
                                 intro_call_at=now + rng.randint(-10, 10) * DAY
                                 if intro_calls and final == Status.INTRO_SCHEDULED else None))
        histories.append(steps)
    with keeping_dates(Registration, RegistrationTransition):
        rows = Registration.objects.bulk_create(rows)
        RegistrationTransition.objects.bulk_create([
            RegistrationTransition(registration=registration, from_status=steps[i - 1][0] if i else "",
                                   to_status=status, at=at)
            for registration, steps in zip(rows, histories, strict=True)
            for i, (status, at) in enumerate(steps)], batch_size=5000)
    return rows
