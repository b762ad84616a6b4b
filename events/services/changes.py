"""Changes by staff: saving an edited event and calling one off, with the mails to everyone registered."""
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import date
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.models import User
from mentoring.kernel.dates import named_format
from mentoring.kernel.mail import mail_queue, recipient_language

from ..access import sees_online_url
from ..ical import event_ics_attachments
from ..models import Event, EventRegistration
from ..selectors import registrations_may_attend
from .errors import EventRegistrationError
from .registration import lock_event, mail_context, waitlist_promote

Status = EventRegistration.Status
# Changes to these fields are sent to everyone registered and raise the calendar SEQUENCE.
NOTIFIED_FIELDS = {"title", "starts_at", "ends_at", "format", "venue", "online_url"}


def _active_registrations(event: Event) -> list[EventRegistration]:
    """Everyone with a place or on the waitlist who may still attend, each carrying the given (current)
    event for their mail: no one is mailed about an event they may no longer open."""
    registrations = list(registrations_may_attend(
        event.registrations.filter(status__in=[Status.CONFIRMED, Status.WAITLISTED])).select_related("user"))
    for registration in registrations:
        registration.event = event
    return registrations


def _in_mail_language(phrase: Callable[[], str]) -> str:
    """A phrase worded when the mail is rendered, so in the recipient's language, not the editor's."""
    return lazy(phrase, str)()


def _local(moment, name: str) -> str:
    return date(timezone.localtime(moment), named_format(name))


def changes_for(before: Event, changed: set[str], *, show_link: bool) -> list[str]:
    """What the change mail lists as changed, each with its former value: title, time, format, place, and the
    online link only for someone who sees it (``show_link``). Empty: nothing has changed for this reader."""
    changes = []
    if "title" in changed:
        changes.append(_in_mail_language(lambda: _("der Titel (bisher: „%(title)s“)") % {"title": before.title}))
    if changed & {"starts_at", "ends_at"}:
        changes.append(_in_mail_language(lambda: _("die Zeit (bisher: %(start)s bis %(end)s)") % {
            "start": _local(before.starts_at, "WEEKDAY_DATETIME"), "end": _local(before.ends_at, "TIME")}))
    if "format" in changed:
        changes.append(_in_mail_language(lambda: _("das Format (bisher: %(format)s)")
                                         % {"format": before.get_format_display()}))
    if "venue" in changed:
        changes.append(_in_mail_language(lambda: _("der Ort (bisher: %(venue)s)") % {"venue": before.venue}
                                         if before.venue else _("der Ort")))
    if "online_url" in changed and show_link:
        changes.append(_in_mail_language(lambda: _("der Link zur Online-Teilnahme")))
    return changes


def _has_people(event: Event) -> bool:
    """Someone holds a place or waits for one: the people a change must reach."""
    return event.registrations.filter(status__in=[Status.CONFIRMED, Status.WAITLISTED]).exists()


def draft_refused(event: Event, status: str) -> str | None:
    """Why the stored ``event`` may not take ``status``, or None: a published event with registrations
    never goes back to a draft, which is hidden from everyone registered (they could neither open nor
    leave it) and whose changes are mailed to nobody."""
    if not (event.pk and event.status == Event.Status.PUBLISHED and status == Event.Status.DRAFT):
        return None
    if not _has_people(event):
        return None
    return _("Für diese Veranstaltung gibt es schon Anmeldungen, deshalb kann sie kein Entwurf mehr werden. "
             "Findet sie nicht statt, sagen Sie sie bitte ab (Aktion „Veranstaltung absagen“): Dann erfahren "
             "alle Angemeldeten davon.")


def past_move_refused(event: Event, ends_at, now=None) -> str | None:
    """Why the stored ``event`` may not end at ``ends_at``, or None: a published event to come, with people
    registered, never moves into the past, where nobody would be told of it (no mail goes out about an event that
    is over) and it would drop from their lists."""
    now = now or timezone.now()
    if not (event.pk and event.status == Event.Status.PUBLISHED and event.ends_at > now and ends_at
            and ends_at <= now):
        return None
    if not _has_people(event):
        return None
    return _("Für diese Veranstaltung gibt es Anmeldungen: In die Vergangenheit verlegt, erführe niemand davon. "
             "Findet sie nicht statt, sagen Sie sie bitte ab (Aktion „Veranstaltung absagen“); einen neuen Termin "
             "tragen Sie in der Zukunft ein.")


def event_save(*, event: Event, changed_fields: Iterable[str], by: User) -> int:
    """Save an event edited by staff; tell everyone registered about a change of time, place or link.

    A larger capacity moves people up from the waitlist; a capacity below the places
    already given is refused. Answers how many people were mailed (for staff to read after saving).
    """
    now = timezone.now()
    changed = set(changed_fields)
    with transaction.atomic():
        if event.pk is None:
            event.save()
            return 0
        stored = lock_event(event)
        if refused := stored.capacity_refused_because(event.capacity):
            raise EventRegistrationError(refused)
        if stored.status == Event.Status.CANCELLED:
            event.status = Event.Status.CANCELLED
        if refused := draft_refused(stored, event.status) or past_move_refused(stored, event.ends_at, now):
            raise EventRegistrationError(refused)
        notify = (stored.status == Event.Status.PUBLISHED and event.status == Event.Status.PUBLISHED
                  and bool(changed & NOTIFIED_FIELDS) and event.ends_at > now)
        event.revision = stored.revision + (1 if notify else 0)
        event.save()

        def changes_since_waiting(registration):
            return changes_for(stored, changed, show_link=sees_online_url(registration.user, event, confirmed=True))

        # Moved up first: whoever gets a place in this save hears it once, with what changed, and is not told
        # in a second mail that they are still waiting.
        promoted = {registration.pk for registration in waitlist_promote(
            event, now, changes_of=changes_since_waiting if notify else None)}
        told = len(promoted)
        if notify:
            ics = event_ics_attachments(event)
            for registration in _active_registrations(event):
                if registration.pk in promoted:
                    continue
                has_place = registration.status == Status.CONFIRMED
                show_link = sees_online_url(registration.user, event, confirmed=has_place)
                changes = changes_for(stored, changed, show_link=show_link)
                if not changes:
                    continue  # only the link changed, and this reader (the waitlist) does not see it
                mail_queue(key=f"event-changed:{event.pk}:{event.revision}:{registration.pk}",
                           to=registration.user.email, template="events_changed",
                           context=mail_context(registration, changes=changes, show_link=show_link,
                                                has_place=has_place),
                           attachments=[ics(registration.user)] if has_place else None,
                           language=recipient_language(registration.user))
                told += 1
    return told


def event_cancel(*, event: Event, message: str, by: User) -> Event:
    """Call an event off and tell everyone registered or waiting, with the reason staff give."""
    now = timezone.now()
    message = message.strip()
    if not message:
        raise EventRegistrationError(_("Bitte geben Sie eine Begründung für die Absage an."))
    with transaction.atomic():
        event = lock_event(event)
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
            ics = event_ics_attachments(event, with_online_url=False)
            for registration in _active_registrations(event):
                mail_queue(key=f"event-cancelled:{event.pk}:{registration.pk}", to=registration.user.email,
                           template="events_cancelled", context=mail_context(registration),
                           attachments=[ics(registration.user)] if registration.status == Status.CONFIRMED else None,
                           language=recipient_language(registration.user))
    return event
