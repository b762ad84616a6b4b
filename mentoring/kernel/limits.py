"""How often one person may send what mails others: a Tandem message to the Koordination, a meeting entry to the
partner, a forum post to its followers, a report to the Moderation. The rates are ``ACCOUNT_RATE_LIMITS`` (allauth's
rate limiter, which counts the login, the Anmeldeformular and barrier reports too)."""
from allauth.core import ratelimit
from django.utils.translation import gettext as _


def refused_too_often(request, action: str, *, typed: bool = True) -> str | None:
    """None while the person may still ``action``; else the message for the form, which keeps what was ``typed``
    (a button that sends nothing typed says only when to try again). A call counts as one use."""
    if ratelimit.consume(request, action=action):
        return None
    if not typed:
        return _("Sie haben in kurzer Zeit sehr viel gesendet. Bitte versuchen Sie es in einer Stunde erneut.")
    return _("Sie haben in kurzer Zeit sehr viel gesendet. Bitte versuchen Sie es in einer Stunde erneut; Ihr "
             "Text bleibt hier stehen.")
