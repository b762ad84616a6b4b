"""Each rule's predicate and queryset filter agree on every kind of person."""
import itertools

import pytest
from django.utils import timezone

from accounts import rules
from accounts.choices import Role
from accounts.models import Consent, Profile, Registration, User

from .factories import ProfileFactory, RegistrationFactory, UserFactory

STATUSES = (None, Registration.Status.APPROVED, Registration.Status.WITHDRAWN)
ROLES = (None, Role.MENTEE, Role.MENTOR, Role.BOTH)
# (purpose, withdrawn?) pairs a person may hold
CONSENTS = (
    (),
    ((Consent.Purpose.PARTNER_SHARING, False),),
    ((Consent.Purpose.PROGRAMME, False), (Consent.Purpose.PARTNER_SHARING, False)),
    ((Consent.Purpose.PROGRAMME, False), (Consent.Purpose.PARTNER_SHARING, True)),
    ((Consent.Purpose.PROGRAMME, False), (Consent.Purpose.NEWS, False)),
    ((Consent.Purpose.NEWS, True),),
)

RULES = [
    (rules.approved_participant, rules.approved_participant_q),
    (rules.mentor, rules.mentor_q),
    (rules.in_matching_pool, rules.in_matching_pool_q),
    (rules.shares_contact, rules.shares_contact_q),
    (rules.news_recipient, rules.news_recipient_q),
    (rules.programme_mail_recipient, rules.programme_mail_recipient_q),
]


@pytest.fixture
def people(db):
    """One person for each combination of staff, active, registration status, role and consents."""
    result = []
    for staff, active, status, role, consents in itertools.product(
            (False, True), (True, False), STATUSES, ROLES, CONSENTS):
        if staff and (status is not None or role is None) and consents:
            continue  # keep the set small: staff with a registration or consents are rare
        # Every third address unconfirmed: news need a confirmed one.
        user = UserFactory(is_staff=staff, is_active=active, verified_email=len(result) % 3 != 0)
        if role is not None:
            ProfileFactory(user=user, role=role)
        if status is not None:
            RegistrationFactory(user=user, status=status)
        for purpose, withdrawn in consents:
            Consent.objects.create(user=user, purpose=purpose, version="t", text="t",
                                   withdrawn_at=timezone.now() if withdrawn else None)
        result.append(user)
    return result


def test_predicate_and_filter_agree(people):
    """For each rule: the filter on User, and on Profile through "user", admit exactly whom the predicate does."""
    fresh = list(User.objects.select_related("registration", "profile").filter(pk__in=[p.pk for p in people]))
    with_profile = {u.pk for u in fresh if hasattr(u, "profile")}
    for predicate, q in RULES:
        admitted = {u.pk for u in fresh if predicate(u)}
        assert set(User.objects.filter(q()).values_list("pk", flat=True)) == admitted, predicate.__name__
        assert set(Profile.objects.filter(q("user")).values_list("user_id", flat=True)) == admitted & with_profile, \
            predicate.__name__
        assert admitted and len(admitted) < len(fresh), f"{predicate.__name__}: people on both sides of the rule"


def test_the_pool_asked_of_profiles_agrees_and_joins_no_profile_again(people):
    fresh = list(User.objects.select_related("registration", "profile").filter(pk__in=[p.pk for p in people]))
    admitted = {u.pk for u in fresh if rules.in_matching_pool(u)}
    profiles = Profile.objects.filter(rules.profile_in_matching_pool_q())
    assert set(profiles.values_list("user_id", flat=True)) == admitted
    assert 'JOIN "accounts_profile"' not in str(profiles.query)


def test_variants_differ_as_documented(db):
    staff = UserFactory(is_staff=True)
    assert rules.approved_participant(staff)
    assert not rules.mentor(staff)
    assert not rules.in_matching_pool(staff)
    anonymous = type("Anonymous", (), {"is_authenticated": False, "is_active": False})()
    assert not rules.approved_participant(anonymous)
    assert not rules.mentor(anonymous)
