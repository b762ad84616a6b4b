"""The unsubscribe link in news letters: a signed token, no login, withdraws the news consent.

The same pattern as the forum's links (``forum.services.subscriptions``): the token names
the person, its signature is the authority. GET asks, POST (a button or a mail client's
RFC 8058 one-click request) withdraws through ``accounts.services.consent_withdraw``.
"""
from django.core import signing
from django.urls import reverse

from accounts.models import Consent, User
from accounts.services import consent_withdraw

UNSUBSCRIBE_SALT = "letters.unsubscribe"


def news_unsubscribe_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk, "p": Consent.Purpose.NEWS}, salt=UNSUBSCRIBE_SALT, compress=True)


def news_unsubscribe_url(*, user: User) -> str:
    return reverse("letters:unsubscribe", args=[news_unsubscribe_token(user=user)])


def news_unsubscribe_resolve(*, token: str) -> User:
    """The person a token names; ``signing.BadSignature`` if it is forged or the account is gone."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    user = User.objects.filter(pk=data.get("u")).first() if isinstance(data, dict) else None
    if user is None or data.get("p") != Consent.Purpose.NEWS:
        raise signing.BadSignature("unknown person or purpose")
    return user


def news_unsubscribe(*, token: str) -> User:
    """Withdraw the news consent of the person the token names (nothing happens if it is already)."""
    user = news_unsubscribe_resolve(token=token)
    consent_withdraw(user=user, purpose=Consent.Purpose.NEWS)
    return user
