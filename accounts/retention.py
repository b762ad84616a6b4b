"""Automatic deletion after the stated periods, each announced to the person beforehand."""
from datetime import datetime, timedelta

from django.conf import settings
from django.core import checks
from django.db.models import Q
from django.utils import timezone

from mentoring.kernel.mail import mail_queue, recipient_language
from mentoring.kernel.models import OutboxMessage

from . import rules
from .models import Registration, User
from .services import user_delete

Status = Registration.Status
CLOSED = (Status.REJECTED, Status.WITHDRAWN)
# Once staff have moved a registration on, the Koordination is in touch with the person.
UNTOUCHED = Q(registration__isnull=True) | Q(registration__status__in=(Status.SUBMITTED, *CLOSED))


def _notice_key(kind: str, user_pk: int) -> str:
    return f"retention-notice:{kind}:{user_pk}"


def _expire(*, kind: str, people, due_of, template: str, now: datetime) -> dict:
    """Notice once ``RETENTION_NOTICE_DAYS`` before ``due_of(user)``; delete when due and noticed that long ago.

    The deletion date the notice states is the one kept: never earlier than the period,
    never less than the notice period after the notice went out.
    """
    notice = timedelta(days=settings.RETENTION_NOTICE_DAYS)
    noticed = deleted = 0
    for user in people.filter(is_staff=False, is_superuser=False).select_related("registration"):
        due = due_of(user)
        if now < due - notice:
            continue
        message = OutboxMessage.objects.filter(key=_notice_key(kind, user.pk)).first()
        if message is None:
            mail_queue(key=_notice_key(kind, user.pk), to=user.email, template=template,
                       context={"user": user, "registration": getattr(user, "registration", None),
                                "delete_on": max(due, now + notice)}, language=recipient_language(user))
            noticed += 1
        elif now >= due and message.created_at <= now - notice and message.status != OutboxMessage.Status.PENDING:
            user_delete(user=user)
            deleted += 1
    return {"noticed": noticed, "deleted": deleted}


def closed_registrations_expire(*, now: datetime | None = None) -> dict:
    """Rejected and withdrawn registrations go ``CLOSED_REGISTRATION_RETENTION_DAYS`` after the change."""
    now = now or timezone.now()
    period = timedelta(days=settings.CLOSED_REGISTRATION_RETENTION_DAYS)
    notice = timedelta(days=settings.RETENTION_NOTICE_DAYS)
    # Never-confirmed accounts go sooner, under the rule below, with their own notice.
    people = User.objects.filter(rules.ever_confirmed_q(), registration__status__in=CLOSED,
                                 registration__status_changed_at__lte=now - period + notice)
    return _expire(kind="registration", people=people, now=now, template="account_retention_closed",
                   due_of=lambda user: user.registration.status_changed_at + period)


def unconfirmed_accounts_expire(*, now: datetime | None = None) -> dict:
    """Accounts whose address was never confirmed go ``UNCONFIRMED_ACCOUNT_RETENTION_DAYS`` after sign-up."""
    now = now or timezone.now()
    period = timedelta(days=settings.UNCONFIRMED_ACCOUNT_RETENTION_DAYS)
    notice = timedelta(days=settings.RETENTION_NOTICE_DAYS)
    people = User.objects.filter(UNTOUCHED, ~rules.ever_confirmed_q(), date_joined__lte=now - period + notice)
    return _expire(kind="unconfirmed", people=people, now=now, template="account_retention_unconfirmed",
                   due_of=lambda user: user.date_joined + period)


def accounts_expire(*, now: datetime | None = None) -> dict:
    """The daily run: closed registrations and never-confirmed accounts past their periods."""
    return {"closed_registrations": closed_registrations_expire(now=now),
            "unconfirmed_accounts": unconfirmed_accounts_expire(now=now)}


def check_periods(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every automatic deletion period must be longer than the notice that announces it."""
    return [
        checks.Error(f"{name} ({getattr(settings, name)}) must be longer than RETENTION_NOTICE_DAYS "
                     f"({settings.RETENTION_NOTICE_DAYS}).", id="accounts.E001")
        for name in ("CLOSED_REGISTRATION_RETENTION_DAYS", "UNCONFIRMED_ACCOUNT_RETENTION_DAYS")
        if getattr(settings, name) <= settings.RETENTION_NOTICE_DAYS
    ]
