"""Reads of events that pages share: who sees which event, lists, detail, a person's places."""
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts import rules
from accounts.models import Competence, User
from accounts.staff_groups import staff_may, staff_may_q

from .models import Event, EventRegistration, EventSpeaker

Status = EventRegistration.Status


def _readable(*, approved, mentor, event: str = "") -> Q:
    """The one visibility rule for everyone but staff, as a filter on events (``event`` is the path to them).

    Public events: everyone. Members-only: approved participants. Mentor*innen-Schulungen:
    approved mentors. Drafts: nobody. ``approved`` and ``mentor`` say whether the reader is
    one (conditions such as ``Exists``); ``None`` for an anonymous reader.
    """
    draft = Q(**{f"{event}status": Event.Status.DRAFT})
    not_mentor_training = ~Q(**{f"{event}kind": Event.Kind.MENTOR_TRAINING})
    public = Q(**{f"{event}visibility": Event.Visibility.PUBLIC}) & not_mentor_training
    if approved is None:
        return ~draft & public
    return ~draft & (public | (Q(approved) & (not_mentor_training | Q(mentor))))


def _approved(user_pk) -> Exists:
    """``accounts.rules.approved_participant`` of one person, as a condition inside an events query."""
    return Exists(User.objects.filter(rules.approved_participant_q(), pk=user_pk))


def _mentor(user_pk) -> Exists:
    """``accounts.rules.mentor`` of one person, as a condition inside an events query."""
    return Exists(User.objects.filter(rules.mentor_q(), pk=user_pk))


EVENTS_STAFF = "events.view_event"


def sees_every_event(user) -> bool:
    """Staff who may read events in admin see every event, drafts and Mentor*innen-Schulungen included."""
    return staff_may(user, EVENTS_STAFF)


def events_visible_to(*, user) -> QuerySet[Event]:
    """Every event this person may see, as one SQL filter; staff see everything, drafts included.

    The rules are ``accounts.rules``' approved participant and mentor, inside the query, so
    that a page needs no extra queries to decide.
    """
    if sees_every_event(user):
        return Event.objects.all()
    if not user.is_authenticated:
        return Event.objects.filter(_readable(approved=None, mentor=None))
    return Event.objects.filter(_readable(approved=_approved(user.pk), mentor=_mentor(user.pk)))


def _attend_rule(*, staff, approved, mentor, event: str) -> Q:
    """May attend: an approved participant (staff included) who sees every event or may see this one."""
    return Q(approved) & (Q(staff) | _readable(approved=approved, mentor=mentor, event=event))


def registrations_may_attend(registrations: QuerySet[EventRegistration]) -> QuerySet[EventRegistration]:
    """Only places and waitlist entries whose person may still attend, and so read what a mail links to."""
    person = OuterRef("user_id")
    return registrations.filter(_attend_rule(
        staff=staff_may_q(EVENTS_STAFF, "user__"), approved=_approved(person), mentor=_mentor(person), event="event__"))


def may_attend(*, user, event: Event) -> bool:
    """Whether this person may take a place on this event now, read fresh from the database."""
    return Event.objects.filter(pk=event.pk).filter(_attend_rule(
        staff=Exists(User.objects.filter(staff_may_q(EVENTS_STAFF), pk=user.pk)), approved=_approved(user.pk),
        mentor=_mentor(user.pk), event="")).exists()


def with_places(events: QuerySet[Event]) -> QuerySet[Event]:
    """Adds ``confirmed_count`` and ``waitlist_count`` to each event."""
    return events.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
        waitlist_count=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
    )


def _with_own_registration(events: QuerySet[Event], *, user) -> QuerySet[Event]:
    if not user.is_authenticated:
        return events
    own = EventRegistration.objects.filter(user_id=user.pk).exclude(status=Status.CANCELLED)
    return events.prefetch_related(Prefetch("registrations", queryset=own, to_attr="own_registrations"))


def filter_events(events: QuerySet[Event], *, kind: str = "", format: str = "", topic=None,
                  federal_state=None) -> QuerySet[Event]:
    if kind:
        events = events.filter(kind=kind)
    if format:
        events = events.filter(format=format)
    if topic is not None:
        events = events.filter(topics=topic)
    if federal_state is not None:
        events = events.filter(federal_state=federal_state)
    return events


def events_for_list(*, user, archive: bool = False, **filters) -> QuerySet[Event]:
    """Upcoming (or, for the archive, past) events this person may see, ready for the list page."""
    now = timezone.now()
    events = filter_events(events_visible_to(user=user), **filters)
    events = events.filter(ends_at__lt=now).order_by("-starts_at", "-pk") if archive else (
        events.filter(ends_at__gte=now).order_by("starts_at", "pk"))
    events = with_places(events).select_related("federal_state").prefetch_related("topics")
    return _with_own_registration(events, user=user)


def upcoming_events_for_home(*, user) -> list[Event]:
    """The next three published events this person may see (one query)."""
    return list(
        events_visible_to(user=user)
        .filter(status=Event.Status.PUBLISHED, starts_at__gte=timezone.now()).select_related("federal_state")
        .order_by("starts_at", "pk")[:3]
    )


def event_for_page(*, user, pk: int) -> Event | None:
    """One event with everything its detail page shows, or None if this person may not see it."""
    topics = Prefetch("topics")
    speakers = Prefetch("speakers", queryset=EventSpeaker.objects.select_related(
        "participant__profile__organisation"))
    events = with_places(events_visible_to(user=user).filter(pk=pk)).select_related("federal_state")
    event = _with_own_registration(events.prefetch_related(topics, speakers), user=user).first()
    if event is None:
        return None
    topic_ids = {topic.pk for topic in event.topics.all()}
    participant_ids = [s.participant_id for s in event.speakers.all() if s.participant_id]
    expertise: dict[int, list] = {}
    if topic_ids and participant_ids:
        # Competences of approved participants only (one who left, or was never admitted, shows just a name).
        for competence in Competence.objects.filter(rules.approved_participant_q("profile__user"),
                                                    profile__user_id__in=participant_ids, topic_id__in=topic_ids)\
                .select_related("topic", "profile").order_by("topic__position"):
            expertise.setdefault(competence.profile.user_id, []).append(competence)
    for speaker in event.speakers.all():
        speaker.expertise = expertise.get(speaker.participant_id, [])
    return event


def current_registration(*, event: Event, user) -> EventRegistration | None:
    """The person's place or waitlist entry on this event, if they have one."""
    return event.registrations.filter(user=user).exclude(status=Status.CANCELLED).first()


def has_confirmed_place(*, event: Event, user) -> bool:
    return user.is_authenticated and event.registrations.filter(user=user, status=Status.CONFIRMED).exists()


def own_registration(event: Event) -> EventRegistration | None:
    registrations = getattr(event, "own_registrations", None)
    return registrations[0] if registrations else None


def waitlist_position(registration: EventRegistration) -> int | None:
    """1 for the first person waiting; None when the person is not waiting."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = EventRegistration.objects.filter(event_id=registration.event_id, status=Status.WAITLISTED).filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk))
    return ahead.count() + 1


def waitlist_positions(registrations) -> dict[int, int]:
    """Waitlist position of each waiting registration given, by pk, in one query."""
    waiting = [r for r in registrations if r.status == Status.WAITLISTED]
    if not waiting:
        return {}
    queue = EventRegistration.objects.filter(event_id__in={r.event_id for r in waiting}, status=Status.WAITLISTED)\
        .order_by("event_id", "created_at", "pk").values_list("event_id", "pk")
    positions, counter = {}, {}
    for event_id, pk in queue:
        counter[event_id] = counter.get(event_id, 0) + 1
        positions[pk] = counter[event_id]
    return {r.pk: positions[r.pk] for r in waiting if r.pk in positions}


def registrations_of(*, user) -> QuerySet[EventRegistration]:
    """A person's current places and waitlist entries, upcoming first, for "Meine Veranstaltungen": on events the
    person may still see (``events_visible_to``, as the calendar feed), so every row's link opens."""
    since = timezone.now() - timedelta(days=90)
    return (
        EventRegistration.objects.filter(user=user, event__ends_at__gte=since, event__in=events_visible_to(user=user))
        .exclude(status=Status.CANCELLED).exclude(event__status=Event.Status.DRAFT)
        .select_related("event").order_by("event__starts_at", "pk")
    )


def events_for_feed(*, user) -> QuerySet[Event]:
    """Events in a person's private calendar feed: those with a confirmed place that the person may
    still see, the last year and ahead."""
    since = timezone.now() - timedelta(days=365)
    return (
        events_visible_to(user=user)
        .filter(registrations__user=user, registrations__status=Status.CONFIRMED, ends_at__gte=since)
        .exclude(status=Event.Status.DRAFT).select_related("federal_state").order_by("starts_at", "pk")
    )


def registrations_for_export(*, events) -> QuerySet[EventRegistration]:
    """Places and waitlist of the given events for the CSV: by event, places first, then waitlist order."""
    return (
        EventRegistration.objects.filter(event__in=events).exclude(status=Status.CANCELLED)
        .select_related("event", "user__profile__organisation__federal_state")
        .order_by("event__starts_at", "event_id", "status", "created_at", "pk")
    )
