"""Property: a news letter never reaches anyone without the news consent.

Hypothesis makes the people: each with a history of giving and withdrawing the news consent, a confirmed
address or not, an open or closed account, an Anmeldung freigegeben or not, and something that may happen
between the send and the moment their mail is written (the consent withdrawn or given, the account closed).
Whoever gets a mail has, at the moment it is written, an active news consent, a confirmed address and an open
account; everybody of the group at the send who still has them gets exactly one.
"""
import pytest
from allauth.account.models import EmailAddress
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Consent, Registration, User
from accounts.services import consent_give, consent_withdraw
from mentoring.kernel.models import OutboxMessage
from mentoring.letters import services
from mentoring.letters.models import Letter, LetterRecipient
from mentoring.letters.services import sending

from .factories import LetterFactory, StaffFactory, participant

pytestmark = pytest.mark.django_db
NEWS = Consent.Purpose.NEWS

PERSON = st.fixed_dictionaries({
    "history": st.lists(st.sampled_from(["give", "withdraw"]), max_size=4),
    "confirmed": st.booleans(),
    "active": st.booleans(),
    "approved": st.booleans(),
    "meanwhile": st.sampled_from([None, None, "withdraw", "give", "close"]),
})


def may_get_news(user: User) -> bool:
    """Asked of the rows now, one by one, not with the site's rule."""
    user.refresh_from_db()
    consents = Consent.objects.filter(user=user, purpose=NEWS)
    confirmed = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    return user.is_active and confirmed and any(c.withdrawn_at is None for c in consents)


def make(spec: dict) -> User:
    status = Registration.Status.APPROVED if spec["approved"] else Registration.Status.INTRO_DONE
    user = participant(status=status, user__verified_email=spec["confirmed"], user__is_active=spec["active"])
    for step in spec["history"]:
        if step == "give":
            consent_give(user=user, purpose=NEWS, language="de")
        else:
            consent_withdraw(user=user, purpose=NEWS)
    return user


def meanwhile(user: User, what: str | None) -> None:
    if what == "withdraw":
        consent_withdraw(user=user, purpose=NEWS)
    elif what == "give":
        consent_give(user=user, purpose=NEWS, language="de")
    elif what == "close":
        User.objects.filter(pk=user.pk).update(is_active=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(specs=st.lists(PERSON, min_size=1, max_size=6), english=st.booleans())
def test_a_news_letter_never_reaches_anyone_without_the_news_consent(monkeypatch, specs, english):
    # Every mail is written later (as with a large group), so consents can change in between.
    monkeypatch.setattr(sending, "SYNC_LIMIT", 0)
    with transaction.atomic():  # each example starts from an empty programme
        people = [make(spec) for spec in specs]
        letter = LetterFactory(english=english)
        assert letter.kind == Letter.Kind.NEWS
        group = {p.pk for p, spec in zip(people, specs, strict=True) if spec["approved"] and may_get_news(p)}
        if not group:
            with pytest.raises(services.LetterError):
                services.letter_send(letter=letter, by=StaffFactory())
        else:
            services.letter_send(letter=letter, by=StaffFactory())
            assert set(LetterRecipient.objects.filter(letter=letter).values_list("user_id", flat=True)) == group
            for person, spec in zip(people, specs, strict=True):
                meanwhile(person, spec["meanwhile"])
            services.letter_deliver(letter_pk=letter.pk)
        mails = OutboxMessage.objects.filter(key__startswith=f"letter:{letter.pk}:")
        reached = [User.objects.get(email=to) for to in mails.values_list("to", flat=True)]
        assert all(may_get_news(user) for user in reached), "a news mail to someone without the news consent"
        assert sorted(u.pk for u in reached) == sorted(pk for pk in group if may_get_news(User.objects.get(pk=pk)))
        transaction.set_rollback(True)


def test_the_people_hypothesis_makes_cover_every_case():
    """The strategy reaches each kind of person the property is about."""
    from hypothesis import find

    find(PERSON, lambda s: s["history"][-2:] == ["withdraw", "give"] and s["approved"] and s["confirmed"])
    find(PERSON, lambda s: s["history"] == ["give"] and s["meanwhile"] == "withdraw")
    find(PERSON, lambda s: "give" in s["history"] and not s["confirmed"])
    find(PERSON, lambda s: s["history"] == ["give"] and s["meanwhile"] == "close")
