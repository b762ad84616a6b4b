"""Reminders: the mail about a day before each event with a place."""
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mentoring.kernel.mail import mail_queue, recipient_language

from ..ical import event_ics_attachment
from ..models import Event, EventRegistration
from ..selectors import registrations_may_attend
from .registration import mail_context

Status = EventRegistration.Status
REMINDER_BEFORE = timedelta(hours=24)


def event_reminders_send(*, now=None) -> int:
    """Remind everyone with a place about a day before; run every 15 minutes by Celery beat.

    Due: the event starts within the next 24 hours and the place was confirmed before that
    window opened (people who registered later have just had the confirmation).
    """
    now = now or timezone.now()
    due = list(
        registrations_may_attend(EventRegistration.objects.all()).filter(
            status=Status.CONFIRMED, reminded_at__isnull=True, event__status=Event.Status.PUBLISHED,
            event__starts_at__gt=now, event__starts_at__lte=now + REMINDER_BEFORE,
            confirmed_at__lt=F("event__starts_at") - REMINDER_BEFORE,
        ).values_list("pk", flat=True)
    )
    return sum(event_reminder_send(registration_pk=pk, now=now) for pk in due)


def event_reminder_send(*, registration_pk: int, now=None) -> bool:
    """Queue the reminder of one place once; the outbox key makes a second call send nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = (registrations_may_attend(EventRegistration.objects.select_for_update())
                        .select_related("event", "user")
                        .filter(pk=registration_pk, status=Status.CONFIRMED, reminded_at__isnull=True).first())
        if registration is None or registration.event.status != Event.Status.PUBLISHED \
                or registration.event.starts_at <= now:
            return False
        mail_queue(key=f"event-reminder:{registration.pk}", to=registration.user.email, template="events_reminder",
                   context=mail_context(registration),
                   attachments=[event_ics_attachment(registration.event, reader=registration.user)],
                   language=recipient_language(registration.user))
        registration.reminded_at = now
        registration.save(update_fields=["reminded_at"])
    return True
