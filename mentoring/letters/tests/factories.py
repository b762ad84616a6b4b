"""factory-boy factories for letters, and helpers the letter tests share."""
import factory
from django.contrib.auth.models import Group

from accounts.models import Consent, Registration, User
from accounts.staff_groups import KOORDINATION, MODERATION
from accounts.tests.factories import StaffFactory, UserFactory, participant  # noqa: F401 - re-exported
from mentoring.letters.models import Letter


class LetterFactory(factory.django.DjangoModelFactory):
    """A German news draft to approved participants."""

    class Meta:
        model = Letter
        skip_postgeneration_save = True

    kind = Letter.Kind.NEWS
    subject_de = "Neues aus dem Programm"
    body_de = "Das **Vernetzungstreffen** findet im März statt.\n\n- Anmeldung ab sofort"
    statuses = factory.LazyFunction(lambda: [Registration.Status.APPROVED])

    class Params:
        essential = factory.Trait(kind=Letter.Kind.ESSENTIAL, subject_de="Neue Fristen",
                                  reason="Die Fristen für die Meldung der Mentoring-Tage ändern sich.")
        english = factory.Trait(subject_en="News from the programme",
                                body_en="The **networking meeting** takes place in March.")


def news_consent(user: User, *, withdrawn: bool = False) -> Consent:
    from django.utils import timezone

    return Consent.objects.create(user=user, purpose=Consent.Purpose.NEWS, version="test", text="Testwortlaut",
                                  withdrawn_at=timezone.now() if withdrawn else None)


def staff_in(group_name: str | None, **kwargs) -> User:
    """A staff member (not superuser) who may use the letters admin, in ``group_name`` if given; only a group
    gives the right to send essential letters."""
    from django.contrib.auth.models import Permission

    user = StaffFactory(is_superuser=False, **kwargs)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="letters")
                              .exclude(codename="send_essential_letter"))
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def koordination(**kwargs) -> User:
    return staff_in(KOORDINATION, **kwargs)


def moderation(**kwargs) -> User:
    return staff_in(MODERATION, **kwargs)


def reads_english(monkeypatch, *people: User) -> None:
    """These people chose English for their pages and mails (``monkeypatch`` is kept for the callers)."""
    User.objects.filter(pk__in=[p.pk for p in people]).update(language="en")
