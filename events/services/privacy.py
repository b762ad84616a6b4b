"""Personal data in events: DSGVO export, erasure and retention."""
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from mentoring.kernel.privacy import FORMER_PARTICIPANT, moment

from ..models import CalendarFeed, Event, EventRegistration, EventSpeaker
from .registration import registrations_cancel_for_withdrawn

Status = EventRegistration.Status


def personal_data(*, user) -> dict:
    """Every events row that belongs to or names the person (DSGVO export)."""
    registrations = EventRegistration.objects.filter(user=user).select_related("event").order_by("created_at")
    feed = CalendarFeed.objects.filter(user=user).first()
    speaking = EventSpeaker.objects.filter(participant=user).select_related("event").order_by("event__starts_at")
    return {
        "anmeldungen": [
            {"veranstaltung": r.event.title, "beginn": moment(r.event.starts_at),
             "status": r.get_status_display(), "hinweis": r.note, "angemeldet_am": moment(r.created_at),
             "platz_bestaetigt_am": moment(r.confirmed_at),
             "abgemeldet_am": moment(r.cancelled_at),
             "erinnert_am": moment(r.reminded_at),
             "teilgenommen": r.attended}
            for r in registrations
        ],
        "kalender_abo": {"schluessel": feed.token, "erneuert_am": moment(feed.renewed_at)} if feed else None,
        "als_referent_in": [
            {"veranstaltung": s.event.title, "beginn": moment(s.event.starts_at), "name": s.name,
             "organisation_funktion": s.affiliation}
            for s in speaking
        ],
    }


def personal_data_erase(*, user) -> None:
    """Erase the person from events, inside ``accounts.services.user_delete``'s transaction.

    Future places are given up as in a normal cancellation (the waitlist moves up and is told;
    the person is not mailed), then every registration with its note, the feed token and the
    attendance records go. Events that had begun keep how many places, attendances and
    no-shows erased accounts had, without naming anyone; speaker entries linked to the person show
    ``FORMER_PARTICIPANT``.
    """
    now = timezone.now()
    registrations_cancel_for_withdrawn(user=user, by=user)
    begun = EventRegistration.objects.filter(user=user, status=Status.CONFIRMED, event__starts_at__lte=now)
    for event_id, attended in begun.values_list("event_id", "attended"):
        Event.objects.filter(pk=event_id).update(former_places=F("former_places") + 1,
                                                 former_attended=F("former_attended") + int(bool(attended)),
                                                 former_no_shows=F("former_no_shows") + int(attended is False))
    EventRegistration.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    EventSpeaker.objects.filter(participant=user).update(name=str(FORMER_PARTICIPANT), affiliation="",
                                                         participant=None)


def registration_notes_expire(*, now=None) -> int:
    """Nightly: a registration's note (often about access needs, so about health) is needed to prepare the event
    and no longer once it is over; it is cleared ``EVENT_NOTE_RETENTION_DAYS`` after the event ended. Returns how
    many notes were cleared."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EVENT_NOTE_RETENTION_DAYS)
    return EventRegistration.objects.filter(event__ends_at__lt=cutoff).exclude(note="").update(note="")
