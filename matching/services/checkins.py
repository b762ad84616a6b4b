"""Kurzbefragungen: after 30 days and then every 60 days each partner answers three questions.

The mail's link carries a signed token bound to the person and the Kurzbefragung; it opens the
form once without login until it expires. After login the form always opens for its person.
A partner never sees the other's answers; staff read them in admin and, aggregated, in the
evaluation.
"""
import datetime
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentoring.kernel.mail import mail_queue, recipient_language

from ..models import CheckIn, Progress, Tandem
from .agreements import agreement_current
from .errors import MatchingError

FIRST_CHECKIN_DAYS, CHECKIN_EVERY_DAYS = 30, 60
TOKEN_DAYS = 30  # the link without login works this long after the mail
TOKEN_SALT = "matching.checkin"  # noqa: S105 - a namespace for the signature, not a secret


def checkin_number_due(tandem: Tandem, today: datetime.date) -> int:
    """The number of the newest Kurzbefragung due by ``today`` (0: none yet)."""
    days = (today - timezone.localdate(tandem.started_at)).days
    return 0 if days < FIRST_CHECKIN_DAYS else 1 + (days - FIRST_CHECKIN_DAYS) // CHECKIN_EVERY_DAYS


def checkin_due_on(tandem: Tandem, number: int) -> datetime.date:
    return timezone.localdate(tandem.started_at) + timedelta(
        days=FIRST_CHECKIN_DAYS + (number - 1) * CHECKIN_EVERY_DAYS)


def checkin_path(checkin: CheckIn) -> str:
    return reverse("matching:checkin", args=[checkin.tandem_id, checkin.pk])


def checkin_token(checkin: CheckIn) -> str:
    return signing.dumps({"c": checkin.pk, "u": checkin.user_id}, salt=TOKEN_SALT, compress=True)


def checkin_by_token(*, checkin: CheckIn | None, token: str) -> CheckIn:
    """The Kurzbefragung the token opens; refused when forged, expired or for another one or person.

    A check-in that does not exist (``None``) is refused alike, so that a link with any token tells
    nobody which Tandems and check-ins there are."""
    refused = MatchingError(_("Dieser Link gilt nicht mehr. Bitte melden Sie sich an, um die Kurzbefragung zu "
                              "öffnen."))
    if checkin is None:
        raise refused
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=timedelta(days=TOKEN_DAYS))
    except signing.BadSignature as error:  # SignatureExpired is one too
        raise refused from error
    if payload != {"c": checkin.pk, "u": checkin.user_id}:
        raise refused
    # Its own link, answered already: the page says so (``checkin_closed_because``) and takes no second answer;
    # "log in" would send the person looking for a form that is done.
    return checkin


def checkins_send(*, now=None) -> int:
    """Daily: create each partner's due Kurzbefragung and mail its link, once per number (idempotent)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for tandem in Tandem.objects.filter(status=Tandem.Status.ACTIVE).select_related("mentee__user", "mentor__user"):
        number = checkin_number_due(tandem, today)
        if number == 0:
            continue
        for me in (tandem.mentee, tandem.mentor):
            if me is None:
                continue
            with transaction.atomic():
                checkin, created = CheckIn.objects.get_or_create(
                    tandem=tandem, user=me.user, number=number,
                    defaults={"due_on": checkin_due_on(tandem, number)})
                if not created:
                    continue
                mail_queue(key=f"tandem-survey:{checkin.pk}:{me.user.pk}", to=me.user.email,
                           template="matching_survey",
                           context={"name": me.user.get_full_name(), "first": number == 1,
                                    "path": f"{checkin_path(checkin)}?token={checkin_token(checkin)}",
                                    # The signature dates from the real clock, whatever ``now`` a caller gives.
                                    "expires": timezone.now() + timedelta(days=TOKEN_DAYS)},
                           # The link answers as the person without a login: sealed like the account keys.
                           language=recipient_language(me.user), purge_after_send=True)
                sent += 1
    return sent


def checkin_open(*, tandem: Tandem, user: User) -> CheckIn | None:
    """The newest unanswered Kurzbefragung of ``user`` in this Tandem, for the Tandem page; none once the
    Tandem has ended (its closing review asks instead)."""
    if not tandem.is_active:
        return None
    return (CheckIn.objects.filter(tandem=tandem, user=user, answered_at__isnull=True)
            .order_by("-number").first())


def checkin_goals(checkin: CheckIn) -> list[dict]:
    """The goals asked about: those of the Vereinbarung in force."""
    agreement = agreement_current(checkin.tandem)
    return agreement.goal_rows() if agreement else []


def checkin_closed_because(checkin: CheckIn, *, by_token: bool = False) -> str | None:
    """Why a Kurzbefragung takes no answers (a sentence for the person), or None while it is open: it is answered
    (or its link used), or its Tandem ended (an ended one is looked back on in the closing review)."""
    if checkin.is_answered or (by_token and checkin.token_used_at is not None):
        return _("Diese Kurzbefragung ist beantwortet. Vielen Dank!")
    if not checkin.tandem.is_active:
        return _("Das Tandem ist beendet; diese Kurzbefragung ist geschlossen. Ihr Rückblick auf das Tandem ist auf "
                 "der Tandem-Seite.")
    return None


def checkin_answer(*, checkin: CheckIn, user: User, rating: int, met: bool, progress: dict[int, str],
                   comment: str = "", by_token: bool = False) -> CheckIn:
    """Store one person's answers, once; ``by_token``: sent through the link without login (it is used up)."""
    if checkin.user_id != user.pk:
        raise MatchingError(_("Diese Kurzbefragung gehört einer anderen Person."))
    if not 1 <= rating <= 5:
        raise MatchingError(_("Bitte wählen Sie einen Wert von 1 bis 5."), field="rating")
    goals = {goal["topic"] for goal in checkin_goals(checkin)}
    if set(progress) != goals or not set(progress.values()) <= set(Progress.values):
        raise MatchingError(_("Bitte geben Sie zu jedem Ziel den Stand an."))
    with transaction.atomic():
        checkin = CheckIn.objects.select_for_update().select_related("tandem").get(pk=checkin.pk)
        if closed := checkin_closed_because(checkin, by_token=by_token):
            raise MatchingError(closed)
        checkin.rating, checkin.met, checkin.comment = rating, met, comment.strip()
        checkin.progress = {str(topic): state for topic, state in progress.items()}
        checkin.answered_at = timezone.now()
        fields = ["rating", "met", "comment", "progress", "answered_at"]
        if by_token:
            checkin.token_used_at = checkin.answered_at
            fields.append("token_used_at")
        checkin.save(update_fields=fields)
    return checkin
