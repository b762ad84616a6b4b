"""Veranstaltungen, the places taken on them (with waitlist), speakers and private calendar feeds."""
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.validators import single_line

AT_LEAST_ONE_PLACE = _("Eine Veranstaltung hat mindestens einen Platz.")


class Event(models.Model):
    """One Veranstaltung; staff create and edit it in /admin/."""

    class Kind(models.TextChoices):
        NETWORKING = "networking", _("Vernetzungstreffen")
        WEBINAR = "webinar", _("Online-Seminar")
        TRAINING = "training", _("Fortbildung")
        MENTOR_TRAINING = "mentor_training", _("Mentor*innen-Schulung")
        CONSULTATION = "consultation", _("Sprechstunde")

    class Format(models.TextChoices):
        ONLINE = "online", _("online")
        ONSITE = "onsite", _("vor Ort")
        HYBRID = "hybrid", _("hybrid")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("öffentlich")
        MEMBERS = "members", _("nur für freigegebene Teilnehmer*innen")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf (nur in der Verwaltung sichtbar)")
        PUBLISHED = "published", _("veröffentlicht")
        CANCELLED = "cancelled", _("abgesagt")

    title = models.CharField(_("Titel"), max_length=200, validators=[single_line])
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    format = models.CharField(_("Format"), max_length=10, choices=Format.choices)
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS,
        help_text=_("Mentor*innen-Schulungen sehen unabhängig davon nur Mentor*innen und die Koordination."))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    description = models.TextField(_("Beschreibung"), help_text=_("Markdown: **fett**, *kursiv*, Listen, Links."))
    starts_at = models.DateTimeField(_("Beginn"), db_index=True)
    ends_at = models.DateTimeField(_("Ende"))
    registration_deadline = models.DateTimeField(
        _("Anmeldeschluss"), help_text=_("Bis dahin sind Anmeldung und Abmeldung möglich; spätestens zum Beginn."))
    venue = models.CharField(_("Ort"), max_length=300, blank=True,
                             help_text=_("Adresse bei Veranstaltungen vor Ort oder hybrid."))
    federal_state = models.ForeignKey("accounts.FederalState", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("Bundesland"))
    online_url = models.URLField(_("Link zur Online-Teilnahme"), blank=True,
                                 help_text=_("Nur angemeldete Teilnehmer*innen sehen diesen Link."))
    organiser = models.CharField(_("Veranstalter*in"), max_length=200, validators=[single_line])
    topics = models.ManyToManyField("accounts.Topic", blank=True, related_name="events", verbose_name=_("Themen"))
    capacity = models.PositiveIntegerField(
        _("Plätze"), validators=[MinValueValidator(1, AT_LEAST_ONE_PLACE)])
    cancellation_message = models.TextField(_("Begründung der Absage"), blank=True)
    # Places of erased accounts on events that had begun: staff keep the figures, not the people.
    former_places = models.PositiveIntegerField(
        _("bestätigte Plätze gelöschter Konten"), default=0, editable=False,
        help_text=_("Plätze von Teilnehmer*innen, die ihr Konto nach Beginn der Veranstaltung gelöscht haben."))
    former_attended = models.PositiveIntegerField(_("davon teilgenommen"), default=0, editable=False)
    former_no_shows = models.PositiveIntegerField(_("davon nicht erschienen"), default=0, editable=False)
    # Counts the changes participants were told about; the calendar's SEQUENCE follows it.
    revision = models.PositiveIntegerField(_("Änderungsstand"), default=0, editable=False)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(registration_deadline__lte=F("starts_at")),
                                   name="event_deadline_before_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive",
                                   violation_error_message=AT_LEAST_ONE_PLACE),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Die Veranstaltung muss nach ihrem Beginn enden.")
        if self.starts_at and self.registration_deadline and self.registration_deadline > self.starts_at:
            errors["registration_deadline"] = _("Der Anmeldeschluss darf nicht nach dem Beginn liegen.")
        if self.format in (self.Format.ONSITE, self.Format.HYBRID) and not self.venue:
            errors["venue"] = _("Bitte geben Sie den Ort an.")
        if self.format == self.Format.ONSITE and self.online_url:
            errors["online_url"] = _("Eine Veranstaltung vor Ort hat keinen Link zur Online-Teilnahme.")
        if self.pk and self.capacity is not None and (refused := self.capacity_refused_because(self.capacity)):
            errors["capacity"] = refused
        if errors:
            raise ValidationError(errors)

    def capacity_refused_because(self, capacity: int) -> str | None:
        """Why the event cannot have ``capacity`` places (fewer than its confirmed places), or None; the admin's
        form says it next to the field, ``event_save`` refuses with it under the event's lock."""
        taken = self.registrations.filter(status=EventRegistration.Status.CONFIRMED).count()
        if capacity >= taken:
            return None
        return _("Es gibt bereits %(taken)d bestätigte Anmeldungen; die Zahl der Plätze kann nicht darunter "
                 "liegen.") % {"taken": taken}

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def registration_closed_because(self, now=None) -> str | None:
        """Why nobody can register now (a sentence for the person), or None while registration is open."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return _("Diese Veranstaltung wurde abgesagt.")
        if self.status != self.Status.PUBLISHED:
            return _("Diese Veranstaltung ist noch nicht veröffentlicht.")
        if self.starts_at <= now:
            return _("Diese Veranstaltung hat bereits begonnen oder ist vorbei.")
        if self.registration_deadline < now:
            return _("Der Anmeldeschluss für diese Veranstaltung ist vorbei.")
        return None

    @property
    def registration_open(self) -> bool:
        """``registration_closed_because`` as a yes or no: the list offers free places only while it is open."""
        return self.registration_closed_because() is None

    @property
    def free_places(self) -> int | None:
        """Free places, on events loaded with ``selectors.with_places``."""
        confirmed = getattr(self, "confirmed_count", None)
        return None if confirmed is None else max(self.capacity - confirmed, 0)


class EventSpeaker(models.Model):
    """Who speaks; a participant whose expertise the event features is linked to their profile."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("Name"), max_length=200)
    affiliation = models.CharField(_("Organisation / Funktion"), max_length=200, blank=True)
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("Teilnehmer*in"),
        help_text=_("Optional: verknüpft die Referent*in mit ihrem Profil; angemeldete Teilnehmer*innen sehen "
                    "dann ihre Kompetenzen zu den Themen der Veranstaltung."))
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Referent*in")
        verbose_name_plural = _("Referent*innen")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class EventRegistration(models.Model):
    """A person's place on an event, or their place in its waitlist."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("angemeldet")
        WAITLISTED = "waitlisted", _("auf der Warteliste")
        CANCELLED = "cancelled", _("abgemeldet")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations",
                              verbose_name=_("Veranstaltung"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations",
                             verbose_name=_("Teilnehmer*in"))
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices)
    note = models.TextField(_("Hinweis"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("angemeldet am"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("Platz bestätigt am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("abgemeldet am"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("Erinnerung verschickt am"), null=True, blank=True)
    attended = models.BooleanField(_("Teilnahme"), null=True, blank=True)

    class Meta:
        verbose_name = _("Anmeldung zur Veranstaltung")
        verbose_name_plural = _("Anmeldungen zu Veranstaltungen")
        # The waitlist is served in the order people joined it.
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], condition=~Q(status="cancelled"),
                                    name="event_registration_one_active_per_person"),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return f"{self.user} – {self.event} ({self.get_status_display()})"

    def cancel_refused_because(self, *, enforce_deadline: bool = True, now=None) -> str | None:
        """Why this place cannot be given up now (a sentence for the person, shown on the event page), or None.
        A confirmed place is given up online until the registration deadline (staff pass
        ``enforce_deadline=False``); a waitlist place until the event starts; on a cancelled event the person
        has nothing to give up (staff and a withdrawn registration still may)."""
        now = now or timezone.now()
        if self.event.starts_at <= now:
            return _("Diese Veranstaltung hat bereits begonnen oder ist vorbei.")
        if enforce_deadline and self.event.status == Event.Status.CANCELLED:
            return _("Diese Veranstaltung wurde abgesagt; eine Abmeldung ist nicht nötig.")
        if self.status == self.Status.CONFIRMED and enforce_deadline and self.event.registration_deadline < now:
            return _("Der Anmeldeschluss ist vorbei; eine Abmeldung ist online nicht mehr möglich. Bitte schreiben "
                     "Sie der Koordination.")
        return None


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret in a person's private calendar feed URL; a new token revokes the old URL."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_feed")
    token = models.CharField(_("Schlüssel"), max_length=64, unique=True, default=new_feed_token)
    renewed_at = models.DateTimeField(_("erneuert am"), auto_now=True)

    class Meta:
        verbose_name = _("Kalender-Abo")
        verbose_name_plural = _("Kalender-Abos")

    def __str__(self):
        return str(self.user)
