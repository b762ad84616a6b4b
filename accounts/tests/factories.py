"""factory-boy factories for people; other apps' tests build on these."""
import datetime

import factory
from allauth.account.models import EmailAddress

from accounts.choices import ConceptStage, FundingLine, MeetingFormat, Role, SizeClass
from accounts.models import (
    Competence,
    Consent,
    FederalState,
    Need,
    Organisation,
    OrganisationType,
    Profile,
    Registration,
    Topic,
    User,
)

PASSWORD = "Sicheres-Passwort-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=extracted is not False)


class StaffFactory(UserFactory):
    """A superuser (every permission); ``staff_member`` makes staff who have only their group's rights."""

    is_staff = True
    is_superuser = True


def staff_member(group: str | None = "Koordination", **kwargs):
    """A staff member (no superuser) in one staff group of accounts/staff_groups.py, or in none."""
    from django.contrib.auth.models import Group

    user = StaffFactory(is_superuser=False, **kwargs)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def staff_only_page(client, url: str, *, participant: User, permissions: list[str], params=None):
    """Check that ``url`` is for staff with ``permissions`` (codenames) only: ``participant`` is sent to the
    admin login, a staff member without them gets 403. Returns the page as one with them sees it (and
    leaves ``client`` logged in as that staff member)."""
    from django.contrib.auth.models import Permission

    client.force_login(participant)
    response = client.get(url, params)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    clerk = UserFactory(is_staff=True)
    client.force_login(clerk)
    assert client.get(url, params).status_code == 403
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=permissions))
    client.force_login(User.objects.get(pk=clerk.pk))  # permissions are cached on the instance
    return client.get(url, params)


def retention_run_at(moment) -> dict:
    """The daily retention task at ``moment``, with the outbox flush that delivers its notices that day;
    returns what the task returns."""
    import time_machine

    from accounts.tasks import expire_retained_accounts
    from mentoring.kernel import mail

    with time_machine.travel(moment, tick=False):
        result = expire_retained_accounts()
        mail.outbox_flush()
    return result


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Stadt Musterhausen {n}")
    org_type = factory.LazyFunction(lambda: OrganisationType.objects.get(slug="kreisangehoerige-stadt"))
    federal_state = factory.LazyFunction(lambda: FederalState.objects.get(code="06"))
    size_class = SizeClass.MEDIUM_TOWN


class ProfileFactory(factory.django.DjangoModelFactory):
    """A mentee by default; ``mentor=True`` trait makes a mentor with capacity 2."""

    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    role = Role.MENTEE
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Klimaanpassungsmanager*in"
    role_started_on = factory.LazyFunction(lambda: datetime.date(2026, 3, 1))
    funding_line = FundingLine.A1
    funding_ends_on = factory.LazyFunction(lambda: datetime.date(2028, 2, 29))
    concept_stage = ConceptStage.IN_PROGRESS
    meeting_format = MeetingFormat.BOTH
    languages = factory.LazyFunction(lambda: ["de"])

    class Params:
        mentor = factory.Trait(role=Role.MENTOR, mentor_capacity=2, mentor_available=True,
                               funding_line=FundingLine.A2, concept_stage=ConceptStage.ADOPTED,
                               role_started_on=datetime.date(2022, 1, 1))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    user = factory.SubFactory(UserFactory)
    status = Registration.Status.APPROVED


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


def participant(*, mentor: bool = False, status: str = Registration.Status.APPROVED, needs=(), competences=(),
                **profile_kwargs) -> User:
    """A complete participant: user, profile, registration, both required consents.

    ``needs`` and ``competences`` are iterables of topic slugs or (slug, priority/level).
    """
    profile = ProfileFactory(mentor=mentor, **profile_kwargs)
    user = profile.user
    RegistrationFactory(user=user, status=status)
    for purpose in (Consent.Purpose.PROGRAMME, Consent.Purpose.PARTNER_SHARING):
        Consent.objects.create(user=user, purpose=purpose, version="test", text="Testwortlaut")
    for item in needs:
        slug, priority = item if isinstance(item, tuple) else (item, 2)
        Need.objects.create(profile=profile, topic=topic(slug), priority=priority)
    for item in competences:
        slug, level = item if isinstance(item, tuple) else (item, 2)
        Competence.objects.create(profile=profile, topic=topic(slug), level=level)
    return user
