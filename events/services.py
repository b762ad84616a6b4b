"""Writes that matter for events: places and waitlist, changes and cancellation, reminders, feeds."""
from collections.abc import Iterable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentoring.kernel.mail import mail_queue
from mentoring.kernel.privacy import FORMER_PARTICIPANT

from .ical import event_ics_attachment
from .models import CalendarFeed, Event, EventRegistration, EventSpeaker, new_feed_token
from .selectors import may_attend, registrations_may_attend

Status = EventRegistration.Status
REMINDER_BEFORE = timedelta(hours=24)
# Changes to these fields are sent to everyone registered and raise the calendar SEQUENCE.
NOTIFIED_FIELDS = {"title", "starts_at", "ends_at", "format", "venue", "online_url"}


class EventRegistrationError(Exception):
    """A registration or cancellation the rules do not allow; the message is for the person."""


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=Status.CONFIRMED).count()


def _active_registrations(event: Event) -> list[EventRegistration]:
    """Everyone with a place or on the waitlist who may still attend, each carrying the given (current)
    event for their mail: no one is mailed about an event they may no longer open."""
    registrations = list(registrations_may_attend(
        event.registrations.filter(status__in=[Status.CONFIRMED, Status.WAITLISTED])).select_related("user"))
    for registration in registrations:
        registration.event = event
    return registrations


def _mail_context(registration: EventRegistration, **extra) -> dict:
    return {"user": registration.user, "event": registration.event, "registration": registration, **extra}


def _check_open(event: Event, now) -> None:
    if event.status == Event.Status.CANCELLED:
        raise EventRegistrationError(_("Diese Veranstaltung wurde abgesagt."))
    if event.status != Event.Status.PUBLISHED:
        raise EventRegistrationError(_("Diese Veranstaltung ist noch nicht veröffentlicht."))
    if event.starts_at <= now:
        raise EventRegistrationError(_("Diese Veranstaltung hat bereits begonnen oder ist vorbei."))
    if event.registration_deadline < now:
        raise EventRegistrationError(_("Der Anmeldeschluss für diese Veranstaltung ist vorbei."))


def event_register(*, event: Event, user: User, note: str = "") -> EventRegistration:
    """Give the person a place, or a place on the waitlist when the event is full.

    The event row is locked for the whole transaction, so two people asking for the last
    place at once are served one after the other: exactly one gets it.
    """
    now = timezone.now()
    with transaction.atomic():
        event = _lock_event(event)
        if not may_attend(user=user, event=event):
            raise EventRegistrationError(_("Für diese Veranstaltung können Sie sich nicht anmelden."))
        _check_open(event, now)
        existing = event.registrations.filter(user=user).exclude(status=Status.CANCELLED).first()
        if existing is not None:
            raise EventRegistrationError(
                _("Sie sind für diese Veranstaltung bereits angemeldet.") if existing.status == Status.CONFIRMED
                else _("Sie stehen für diese Veranstaltung bereits auf der Warteliste."))
        full = _confirmed_count(event) >= event.capacity
        try:
            with transaction.atomic():
                registration = EventRegistration.objects.create(
                    event=event, user=user, note=note.strip(), status=Status.WAITLISTED if full else Status.CONFIRMED,
                    confirmed_at=None if full else now)
        except IntegrityError:
            raise EventRegistrationError(_("Sie sind für diese Veranstaltung bereits angemeldet.")) from None
        if full:
            mail_queue(key=f"event-waitlisted:{registration.pk}", to=user.email, template="events_waitlisted",
                       context=_mail_context(registration))
        else:
            mail_queue(key=f"event-confirmed:{registration.pk}", to=user.email, template="events_confirmed",
                       context=_mail_context(registration), attachments=[event_ics_attachment(event)])
    return registration


def _waitlist_promote(event: Event, now) -> list[EventRegistration]:
    """Move people up from the waitlist while places are free; the event row must be locked.

    Whether each person may still attend (account active, still approved, still allowed to
    see the event) is read under the lock, when the place is given: whoever may not is
    passed over and stays waiting, and the next person moves up.
    """
    if event.status != Event.Status.PUBLISHED or event.starts_at <= now:
        return []
    free = event.capacity - _confirmed_count(event)
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
                   context=_mail_context(registration), attachments=[event_ics_attachment(event)])
    return promoted


def event_registration_cancel(*, registration: EventRegistration, by: User,
                              enforce_deadline: bool = True) -> EventRegistration:
    """Give up a place (or leave the waitlist); the first person waiting moves up.

    Participants can give up a confirmed place only until the registration deadline; staff
    and the withdrawal of a whole registration pass ``enforce_deadline=False``.
    """
    now = timezone.now()
    with transaction.atomic():
        event = _lock_event(registration.event)
        registration = EventRegistration.objects.select_for_update().select_related("user").get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            raise EventRegistrationError(_("Sie sind für diese Veranstaltung nicht mehr angemeldet."))
        if event.starts_at <= now:
            raise EventRegistrationError(_("Diese Veranstaltung hat bereits begonnen oder ist vorbei."))
        was_confirmed = registration.status == Status.CONFIRMED
        if was_confirmed and enforce_deadline and event.registration_deadline < now:
            raise EventRegistrationError(_("Der Anmeldeschluss ist vorbei; eine Abmeldung ist online nicht mehr "
                                           "möglich. Bitte schreiben Sie der Koordination."))
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        if was_confirmed:
            _waitlist_promote(event, now)
    return registration


def event_save(*, event: Event, changed_fields: Iterable[str], by: User) -> Event:
    """Save an event edited by staff; tell everyone registered about a change of time, place or link.

    A larger capacity moves people up from the waitlist; a capacity below the places
    already given is refused.
    """
    now = timezone.now()
    changed = set(changed_fields)
    with transaction.atomic():
        if event.pk is None:
            event.save()
            return event
        stored = _lock_event(event)
        if event.capacity < _confirmed_count(stored):
            raise EventRegistrationError(_("Die Zahl der Plätze kann nicht unter den bereits bestätigten "
                                           "Anmeldungen liegen."))
        if stored.status == Event.Status.CANCELLED:
            event.status = Event.Status.CANCELLED
        notify = (stored.status == Event.Status.PUBLISHED and event.status == Event.Status.PUBLISHED
                  and bool(changed & NOTIFIED_FIELDS) and event.ends_at > now)
        event.revision = stored.revision + (1 if notify else 0)
        event.save()
        if notify:
            ics = event_ics_attachment(event)
            for registration in _active_registrations(event):
                mail_queue(key=f"event-changed:{event.pk}:{event.revision}:{registration.pk}",
                           to=registration.user.email, template="events_changed",
                           context=_mail_context(registration, changed=sorted(changed & NOTIFIED_FIELDS)),
                           attachments=[ics] if registration.status == Status.CONFIRMED else None)
        _waitlist_promote(event, now)
    return event


def event_cancel(*, event: Event, message: str, by: User) -> Event:
    """Call an event off and tell everyone registered or waiting, with the reason staff give."""
    now = timezone.now()
    message = message.strip()
    if not message:
        raise EventRegistrationError(_("Bitte geben Sie eine Begründung für die Absage an."))
    with transaction.atomic():
        event = _lock_event(event)
        if event.status == Event.Status.CANCELLED:
            raise EventRegistrationError(_("Diese Veranstaltung ist bereits abgesagt."))
        if event.ends_at <= now:
            raise EventRegistrationError(_("Eine vergangene Veranstaltung kann nicht abgesagt werden."))
        was_published = event.status == Event.Status.PUBLISHED
        event.status = Event.Status.CANCELLED
        event.cancellation_message = message
        event.revision = F("revision") + 1
        event.save(update_fields=["status", "cancellation_message", "revision", "updated_at"])
        event.refresh_from_db()
        if was_published:
            ics = event_ics_attachment(event, with_online_url=False)
            for registration in _active_registrations(event):
                mail_queue(key=f"event-cancelled:{event.pk}:{registration.pk}", to=registration.user.email,
                           template="events_cancelled", context=_mail_context(registration),
                           attachments=[ics] if registration.status == Status.CONFIRMED else None)
    return event


def event_attendance_mark(*, registrations: Iterable[EventRegistration], attended: bool, by: User) -> int:
    """Record who came; only confirmed places of events that have begun."""
    now = timezone.now()
    pks = [r.pk for r in registrations]
    with transaction.atomic():
        return EventRegistration.objects.filter(pk__in=pks, status=Status.CONFIRMED, event__starts_at__lte=now)\
            .update(attended=attended)


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
                   context=_mail_context(registration), attachments=[event_ics_attachment(registration.event)])
        registration.reminded_at = now
        registration.save(update_fields=["reminded_at"])
    return True


def registrations_cancel_for_withdrawn(*, user: User, by: User | None) -> int:
    """A withdrawn registration gives up the person's future places; the waitlist moves up."""
    now = timezone.now()
    future = EventRegistration.objects.filter(user=user, event__starts_at__gt=now)\
        .exclude(status=Status.CANCELLED).select_related("event")
    count = 0
    for registration in future:
        event_registration_cancel(registration=registration, by=by or user, enforce_deadline=False)
        count += 1
    return count


def calendar_feed_for(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """A new secret for the private feed; the old URL stops working at once."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if not created:
            feed.token = new_feed_token()
            feed.save(update_fields=["token", "renewed_at"])
    return feed


def personal_data(*, user) -> dict:
    """Every events row that belongs to or names the person (DSGVO export)."""
    registrations = EventRegistration.objects.filter(user=user).select_related("event").order_by("created_at")
    feed = CalendarFeed.objects.filter(user=user).first()
    speaking = EventSpeaker.objects.filter(participant=user).select_related("event").order_by("event__starts_at")
    return {
        "anmeldungen": [
            {"veranstaltung": r.event.title, "beginn": r.event.starts_at.isoformat(),
             "status": r.get_status_display(), "hinweis": r.note, "angemeldet_am": r.created_at.isoformat(),
             "platz_bestaetigt_am": r.confirmed_at.isoformat() if r.confirmed_at else None,
             "abgemeldet_am": r.cancelled_at.isoformat() if r.cancelled_at else None,
             "erinnert_am": r.reminded_at.isoformat() if r.reminded_at else None,
             "teilgenommen": r.attended}
            for r in registrations
        ],
        "kalender_abo": {"schluessel": feed.token, "erneuert_am": feed.renewed_at.isoformat()} if feed else None,
        "als_referent_in": [
            {"veranstaltung": s.event.title, "beginn": s.event.starts_at.isoformat(), "name": s.name,
             "organisation_funktion": s.affiliation}
            for s in speaking
        ],
    }


def personal_data_erase(*, user) -> None:
    """Erase the person from events, inside ``accounts.services.user_delete``'s transaction.

    Future places are given up as in a normal cancellation (the waitlist moves up and is told;
    the person is not mailed), then every registration with its note, the feed token and the
    attendance records go. Events that had begun keep how many places and attendances
    erased accounts had, without naming anyone; speaker entries linked to the person show
    ``FORMER_PARTICIPANT``.
    """
    now = timezone.now()
    future = EventRegistration.objects.filter(user=user, event__starts_at__gt=now)\
        .exclude(status=Status.CANCELLED).select_related("event")
    for registration in future:
        event_registration_cancel(registration=registration, by=user, enforce_deadline=False)
    begun = EventRegistration.objects.filter(user=user, status=Status.CONFIRMED, event__starts_at__lte=now)
    for event_id, attended in begun.values_list("event_id", "attended"):
        Event.objects.filter(pk=event_id).update(former_places=F("former_places") + 1,
                                                 former_attended=F("former_attended") + int(bool(attended)))
    EventRegistration.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    EventSpeaker.objects.filter(participant=user).update(name=str(FORMER_PARTICIPANT), affiliation="",
                                                        participant=None)
