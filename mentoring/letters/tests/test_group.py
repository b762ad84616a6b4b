"""Who a letter reaches, on a generated programme of 240 people with random roles, states and consents.

The expected recipients are computed here in Python from how each person was generated, not
with the selector's query: a news letter reaches exactly the people of the group with an
active news consent and a confirmed address, an essential letter everyone of the group the
programme may write to.
"""
import random
from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.choices import MENTOR_ROLES, FundingLine, Role
from accounts.models import Consent, FederalState, Registration
from accounts.tests.factories import OrganisationFactory, ProfileFactory, RegistrationFactory, UserFactory
from events.models import EventRegistration
from events.tests.factories import EventFactory
from mentoring.kernel.models import OutboxMessage
from mentoring.letters import services
from mentoring.letters.models import Letter, LetterRecipient
from mentoring.letters.services import sending

from .factories import StaffFactory

POPULATION = 240
STATE_CODES = ["01", "03", "06", "09", "14"]


@dataclass
class Person:
    pk: int
    email: str
    role: str
    status: str | None
    state: str
    funding: str
    active: bool
    confirmed: bool
    news: str  # "active", "withdrawn", "never"
    programme: bool
    events: dict = field(default_factory=dict)  # event index -> registration status


@pytest.fixture
def programme(db):
    """240 people: most with an Anmeldung, every combination of consents, two events with registrations."""
    rng = random.Random(11)
    states = {s.code: s for s in FederalState.objects.filter(code__in=STATE_CODES)}
    events = [EventFactory(capacity=200), EventFactory(capacity=200)]
    organisations = {code: OrganisationFactory(federal_state=state) for code, state in states.items()}
    people = []
    now = timezone.now()
    for index in range(POPULATION):
        role, state = rng.choice(list(Role.values)), rng.choice(STATE_CODES)
        funding = rng.choice(list(FundingLine.values))
        status = rng.choice([None, *Registration.Status.values, Registration.Status.APPROVED])
        active, confirmed = rng.random() > 0.1, rng.random() > 0.15
        news = rng.choice(["active", "active", "withdrawn", "never"])
        programme = rng.random() > 0.1
        user = UserFactory(email=f"p{index}@example.org", is_active=active, verified_email=confirmed)
        ProfileFactory(user=user, role=role, funding_line=funding, organisation=organisations[state])
        if status is not None:
            RegistrationFactory(user=user, status=status)
        consents = [Consent(user=user, purpose=Consent.Purpose.PROGRAMME, version="t", text="t",
                            withdrawn_at=None if programme else now)]
        if news != "never":
            consents.append(Consent(user=user, purpose=Consent.Purpose.NEWS, version="t", text="t",
                                    withdrawn_at=now if news == "withdrawn" else None))
        Consent.objects.bulk_create(consents)
        person = Person(pk=user.pk, email=user.email, role=role, status=status, state=state, funding=funding,
                        active=active, confirmed=confirmed, news=news, programme=programme)
        for event_index, event in enumerate(events):
            choice = rng.choice([None, None, *EventRegistration.Status.values])
            if choice is not None:
                EventRegistration.objects.create(event=event, user=user, status=choice)
                person.events[event_index] = choice
        people.append(person)
    StaffFactory(email="staff-ohne-anmeldung@example.org")  # staff are never in a letter's group by their role
    return {"people": people, "events": events, "states": states, "sender": StaffFactory()}


def expected(people: list[Person], criteria: dict) -> set[int]:
    """Who the letter should reach, from how each person was generated."""
    year_behind = criteria["a2_behind_year"] is not None
    chosen = set()
    for p in people:
        if p.status is None or not p.active:
            continue
        if criteria["roles"] and p.role not in criteria["roles"]:
            continue
        if criteria["statuses"] and p.status not in criteria["statuses"]:
            continue
        if criteria["funding_lines"] and p.funding not in criteria["funding_lines"]:
            continue
        if criteria["states"] and p.state not in criteria["states"]:
            continue
        if criteria["event"] is not None:
            wanted = {"confirmed", "waitlisted"} if criteria["event_waitlist"] else {"confirmed"}
            if p.events.get(criteria["event"]) not in wanted:
                continue
        # Nobody logged mentoring time, so every active A.2 Mentor*in is behind (the year has begun).
        if year_behind and not (p.role in MENTOR_ROLES and p.funding == FundingLine.A2):
            continue
        if criteria["kind"] == Letter.Kind.NEWS and not (p.news == "active" and p.confirmed):
            continue
        if criteria["kind"] == Letter.Kind.ESSENTIAL and not p.programme:
            continue
        chosen.add(p.pk)
    return chosen


def subsets(values):
    return st.lists(st.sampled_from(list(values)), unique=True, max_size=3)


CRITERIA = st.fixed_dictionaries({
    "kind": st.sampled_from(Letter.Kind.values),
    "roles": subsets(Role.values),
    "statuses": subsets(Registration.Status.values),
    "funding_lines": subsets(FundingLine.values),
    "states": subsets(STATE_CODES),
    "event": st.sampled_from([None, 0, 1]),
    "event_waitlist": st.booleans(),
    "a2_behind_year": st.sampled_from([None, None, timezone.localdate().year]),
})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(criteria=CRITERIA)
def test_a_letter_reaches_exactly_its_group_and_news_only_those_who_consented(programme, monkeypatch, criteria):
    monkeypatch.setattr(sending, "SYNC_LIMIT", POPULATION)  # write every mail now, in the test's transaction
    people = {p.pk: p for p in programme["people"]}
    pk_of = {p.email: p.pk for p in programme["people"]}
    letter = Letter.objects.create(
        kind=criteria["kind"], subject_de="Rundschreiben", body_de="Text", reason="Fristen ändern sich",
        roles=criteria["roles"], statuses=criteria["statuses"], funding_lines=criteria["funding_lines"],
        event=None if criteria["event"] is None else programme["events"][criteria["event"]],
        event_waitlist=criteria["event_waitlist"] and criteria["event"] is not None,
        a2_behind_year=criteria["a2_behind_year"])
    letter.federal_states.set([programme["states"][code] for code in criteria["states"]])
    criteria["event_waitlist"] = letter.event_waitlist
    want = expected(programme["people"], criteria)
    if not want:
        with pytest.raises(services.LetterError, match="niemand"):
            services.letter_send(letter=letter, by=programme["sender"])
        assert not OutboxMessage.objects.filter(key__startswith=f"letter:{letter.pk}:").exists()
        return
    services.letter_send(letter=letter, by=programme["sender"])
    mails = OutboxMessage.objects.filter(key__startswith=f"letter:{letter.pk}:")
    reached = {pk_of[to] for to in mails.values_list("to", flat=True)}
    assert reached == want
    assert mails.count() == len(want), "each person once"
    if letter.kind == Letter.Kind.NEWS:
        # Asked of the database directly: nobody without an active news consent got a mail.
        consented = set(Consent.objects.filter(purpose=Consent.Purpose.NEWS, withdrawn_at__isnull=True)
                        .values_list("user_id", flat=True))
        assert reached <= consented
        assert all(people[pk].news == "active" for pk in reached)
    assert set(LetterRecipient.objects.filter(letter=letter).values_list("user_id", flat=True)) == want
    letter.refresh_from_db()
    assert (letter.status, letter.recipient_count) == (Letter.Status.SENT, len(want))


def test_the_generated_programme_has_people_on_every_side(programme):
    """The property above means something only if the population mixes consents, states and roles."""
    people = programme["people"]
    assert len(people) >= 200
    assert {p.news for p in people} == {"active", "withdrawn", "never"}
    assert {p.role for p in people} == set(Role.values) and {p.state for p in people} == set(STATE_CODES)
    news_group = expected(people, {"kind": Letter.Kind.NEWS, "roles": [], "statuses": [], "funding_lines": [],
                                   "states": [], "event": None, "event_waitlist": False, "a2_behind_year": None})
    with_registration = [p for p in people if p.status is not None and p.active]
    assert 0 < len(news_group) < len(with_registration)
