"""Registration: places and waitlist, giving a place up, attendance, withdrawn registrations."""
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentoring.kernel.mail import mail_queue, recipient_language

from ..ical import event_ics_attachment
from ..models import Event, EventRegistration
from ..selectors import current_registration, may_attend, registrations_may_attend
from .errors import EventRegistrationError

Status = EventRegistration.Status


def lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=Status.CONFIRMED).count()


def mail_context(registration: EventRegistration, **extra) -> dict:
    return {"user": registration.user, "event": registration.event, "registration": registration, **extra}


def _check_open(event: Event, now) -> None:
    if refusal := event.registration_closed_because(now):
        raise EventRegistrationError(refusal)


def event_register(*, event: Event, user: User, note: str = "") -> EventRegistration:
    """Give the person a place, or a place on the waitlist when the event is full.

    The event row is locked for the whole transaction, so two people asking for the last
    place at once are served one after the other: exactly one gets it.
    """
    now = timezone.now()
    with transaction.atomic():
        event = lock_event(event)
        if not may_attend(user=user, event=event):
            raise EventRegistrationError(_("Für diese Veranstaltung können Sie sich nicht anmelden."))
        _check_open(event, now)
        existing = current_registration(event=event, user=user)
        if existing is not None:
            raise EventRegistrationError(
                _("Sie sind für diese Veranstaltung bereits angemeldet.") if existing.status == Status.CONFIRMED
                else _("Sie stehen für diese Veranstaltung bereits auf der Warteliste."))
        full = confirmed_count(event) >= event.capacity
        try:
            with transaction.atomic():
                registration = EventRegistration.objects.create(
                    event=event, user=user, note=note.strip(), status=Status.WAITLISTED if full else Status.CONFIRMED,
                    confirmed_at=None if full else now)
        except IntegrityError:
            raise EventRegistrationError(_("Sie sind für diese Veranstaltung bereits angemeldet.")) from None
        if full:
            mail_queue(key=f"event-waitlisted:{registration.pk}", to=user.email, template="events_waitlisted",
                       context=mail_context(registration), language=recipient_language(user))
        else:
            mail_queue(key=f"event-confirmed:{registration.pk}", to=user.email, template="events_confirmed",
                       context=mail_context(registration), attachments=[event_ics_attachment(event, reader=user)],
                       language=recipient_language(user))
    return registration


def waitlist_promote(event: Event, now, *, changes_of=None) -> list[EventRegistration]:
    """Move people up from the waitlist while places are free; the event row must be locked.

    ``changes_of(registration)``: what changed in the save that freed the places, said in the same mail.

    Whether each person may still attend (account active, still approved, still allowed to
    see the event) is read under the lock, when the place is given: whoever may not is
    passed over and stays waiting, and the next person moves up.
    """
    if event.status != Event.Status.PUBLISHED or event.starts_at <= now:
        return []
    free = event.capacity - confirmed_count(event)
    if free <= 0:
        return []
    waiting = event.registrations.select_for_update().filter(status=Status.WAITLISTED)
    promoted = list(registrations_may_attend(waiting).select_related("user").order_by("created_at", "pk")[:free])
    for registration in promoted:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        registration.event = event
        mail_queue(key=f"event-promoted:{registration.pk}", to=registration.user.email, template="events_promoted",
                   context=mail_context(registration, changes=changes_of(registration) if changes_of else []),
                   attachments=[event_ics_attachment(event, reader=registration.user)],
                   language=recipient_language(registration.user))
    return promoted


def event_registration_cancel(*, registration: EventRegistration, by: User, enforce_deadline: bool = True,
                              notify: bool = False, reason: str = "") -> EventRegistration:
    """Give up a place (or leave the waitlist); the first person waiting moves up.

    Participants can give up a confirmed place only until the registration deadline; staff
    and the withdrawal of a whole registration pass ``enforce_deadline=False``. When staff take
    the place (``notify``), the person is told why, and a confirmed place leaves their calendar.
    """
    now = timezone.now()
    with transaction.atomic():
        event = lock_event(registration.event)
        registration = EventRegistration.objects.select_for_update().select_related("user").get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            if by.pk != registration.user_id:
                raise EventRegistrationError(_("%(name)s ist für diese Veranstaltung bereits abgemeldet.")
                                             % {"name": registration.user.get_full_name() or registration.user.email})
            raise EventRegistrationError(_("Sie sind für diese Veranstaltung nicht mehr angemeldet."))
        registration.event = event
        if refusal := registration.cancel_refused_because(enforce_deadline=enforce_deadline, now=now):
            raise EventRegistrationError(refusal)
        was_confirmed = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        if notify and by.pk != registration.user_id:
            user = registration.user
            ics = event_ics_attachment(event, reader=user, with_online_url=False, place_cancelled=True)
            mail_queue(key=f"event-removed:{registration.pk}:{now.timestamp():.0f}", to=user.email,
                       template="events_removed",
                       context=mail_context(registration, reason=reason, was_confirmed=was_confirmed),
                       attachments=[ics] if was_confirmed else None, language=recipient_language(user))
        if was_confirmed:
            waitlist_promote(event, now)
    return registration


def event_attendance_mark(*, registrations: Iterable[EventRegistration], attended: bool, by: User) -> int:
    """Record who came; only confirmed places of events that have begun."""
    now = timezone.now()
    pks = [r.pk for r in registrations]
    with transaction.atomic():
        return EventRegistration.objects.filter(pk__in=pks, status=Status.CONFIRMED, event__starts_at__lte=now)\
            .update(attended=attended)


def registrations_cancel_for_withdrawn(*, user: User, by: User | None) -> int:
    """A withdrawn registration (or an erased account) gives up the person's future places; the waitlist moves up."""
    now = timezone.now()
    future = EventRegistration.objects.filter(user=user, event__starts_at__gt=now)\
        .exclude(status=Status.CANCELLED).select_related("event")
    count = 0
    for registration in future:
        event_registration_cancel(registration=registration, by=by or user, enforce_deadline=False)
        count += 1
    return count
