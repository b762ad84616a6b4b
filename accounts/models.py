"""People and their registration: user, organisation, taxonomy, profile, consents."""
import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.fields import acting_user, staff_member
from mentoring.kernel.validators import no_address, phone_number, single_line

from .choices import (
    LANGUAGES,
    MENTEE_ROLES,
    MENTOR_ROLES,
    ConceptStage,
    FundingLine,
    Level,
    MeetingFormat,
    Priority,
    Role,
    SizeClass,
)
from .organisations import normalise_organisation_name
from .validators import language_codes


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("E-Mail-Adresse fehlt")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with their e-mail address."""

    username = None
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    # As Django's, but a name stays on one line wherever it is written (mails, admin, calendar entries).
    first_name = models.CharField(_("Vorname"), max_length=150, blank=True, validators=[single_line, no_address])
    last_name = models.CharField(_("Nachname"), max_length=150, blank=True, validators=[single_line, no_address])
    # Every page after login and every mail to the person is in this language.
    language = models.CharField(_("Sprache"), max_length=8, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = _("Benutzer*in")
        verbose_name_plural = _("Benutzer*innen")
        ordering = ["last_name", "first_name"]
        permissions = [("view_person_history", _("Verlauf einer Person sehen (Anmeldung, Tandems, Meldungen, "
                                                 "E-Mails)"))]

    def __str__(self):
        return self.get_full_name() or self.email


def reference_name(name: str) -> str:
    """A topic's or organisation type's name in the reader's language. The names the programme ships
    with (``migrations/0002_reference_data.py``) are in the catalogue; a name staff changed in admin
    has no translation and stays as written."""
    return gettext(name) if name else name


def reference_names(rows) -> dict[int, str]:
    """``{pk: name}`` of ``(pk, name)`` rows (``values_list("pk", "name")``), each name as
    ``reference_name`` gives it."""
    return {pk: reference_name(name) for pk, name in rows}


def topic_names(pks=None) -> dict[int, str]:
    """``{pk: name}`` of these topics (every topic when ``pks`` is None) in one query; none asked, none read."""
    if pks is not None:
        pks = set(pks)
        if not pks:
            return {}
    topics = Topic.objects.all() if pks is None else Topic.objects.filter(pk__in=pks)
    return reference_names(topics.values_list("pk", "name"))


class Topic(models.Model):
    """One entry of the taxonomy that needs, competences, threads and events share."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("Thema"), max_length=120)
    short_name = models.CharField(_("Kurzname"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["position"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return reference_name(self.name)

    @property
    def short_label(self) -> str:
        return reference_name(self.short_name)


class FederalState(models.Model):
    code = models.CharField(_("Schlüssel"), max_length=2, unique=True)
    name = models.CharField(_("Bundesland"), max_length=60)
    iso = models.CharField("ISO 3166-2", max_length=5, unique=True)
    neighbours = models.ManyToManyField("self", symmetrical=True, blank=True, verbose_name=_("Nachbarländer"))

    class Meta:
        verbose_name = _("Bundesland")
        verbose_name_plural = _("Bundesländer")
        ordering = ["code"]

    def __str__(self):
        return self.name


class OrganisationType(models.Model):
    class Group(models.TextChoices):
        MUNICIPAL = "municipal", _("Kommune")
        SOCIAL = "social", _("soziale Einrichtung / Träger")
        OTHER = "other", _("sonstige")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("Organisationstyp"), max_length=120)
    group = models.CharField(_("Gruppe"), max_length=12, choices=Group.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Organisationstyp")
        verbose_name_plural = _("Organisationstypen")
        ordering = ["position"]

    def __str__(self):
        return reference_name(self.name)


class Organisation(models.Model):
    """One Kommune or Einrichtung, shared by everyone who works there; only staff change it."""

    name = models.CharField(_("Name der Organisation"), max_length=200, validators=[single_line, no_address])
    # Two spellings of one name are one organisation; the unique constraint's index serves lookups.
    name_normalised = models.CharField(_("Name (normalisiert)"), max_length=400, editable=False)
    org_type = models.ForeignKey(OrganisationType, on_delete=models.PROTECT, verbose_name=_("Organisationstyp"))
    federal_state = models.ForeignKey(FederalState, on_delete=models.PROTECT, verbose_name=_("Bundesland"))
    size_class = models.CharField(_("Größenklasse"), max_length=20, choices=SizeClass.choices)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name_normalised", "federal_state"],
                                    name="organisation_unique_normalised_name_per_state"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_normalised = normalise_organisation_name(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        # The form does not show name_normalised, so Django would skip the constraint and hit the database.
        self.name_normalised = normalise_organisation_name(self.name)
        if self.federal_state_id and Organisation.objects.filter(
                name_normalised=self.name_normalised, federal_state_id=self.federal_state_id).exclude(
                pk=self.pk).exists():
            raise ValidationError({"name": _("In diesem Bundesland gibt es bereits eine Organisation mit diesem "
                                             "Namen. Führen Sie die beiden bitte über die Aktion "
                                             "„Organisationen zusammenführen“ zusammen.")})


class Profile(models.Model):
    """What a participant needs, offers and prefers; edited on /profil/."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile",
                                verbose_name=_("Person"))
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True, validators=[single_line, phone_number])
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="profiles",
                                     verbose_name=_("Organisation"))
    position = models.CharField(_("Funktion / Stelle"), max_length=150, validators=[single_line, no_address])
    department = models.CharField(_("Fachbereich / Abteilung"), max_length=150, blank=True,
                                  validators=[single_line, no_address])
    role_started_on = models.DateField(_("in der Rolle seit"))
    funding_line = models.CharField(_("Förderung"), max_length=10, choices=FundingLine.choices)
    funding_ends_on = models.DateField(_("Ende des Förderzeitraums"), null=True, blank=True)
    concept_stage = models.CharField(_("Stand des Klimaanpassungskonzepts"), max_length=12,
                                     choices=ConceptStage.choices)
    needs_text = models.TextField(_("Vor welchen Aufgaben stehe ich?"), max_length=3000, blank=True)
    competences_text = models.TextField(_("Kompetenzen und Erfahrungen"), max_length=3000, blank=True)
    meeting_format = models.CharField(_("Format der Treffen"), max_length=10, choices=MeetingFormat.choices)
    languages = models.JSONField(_("Sprachen"), default=list, validators=[language_codes])
    prefers_same_state = models.BooleanField(_("gleiches Bundesland bevorzugt"), default=False)
    prefers_similar_organisation = models.BooleanField(_("ähnlicher Organisationstyp bevorzugt"), default=False)
    mentor_capacity = models.PositiveSmallIntegerField(
        _("höchstens betreute Mentees"), default=0, validators=[MaxValueValidator(5)])
    mentor_available = models.BooleanField(_("als Mentor*in verfügbar"), default=False)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    # What the person states about themselves, in the order of the form: the profile form,
    # the update service, admin's summary and the data export all read this one list.
    PERSON_FIELDS = {
        # Each field the person answers, with its key in their data export.
        "role": "rolle", "phone": "telefon", "position": "funktion", "department": "abteilung",
        "role_started_on": "in_der_rolle_seit", "funding_line": "foerderung", "funding_ends_on": "foerderende",
        "concept_stage": "konzept", "needs_text": "bedarfe_text", "competences_text": "kompetenzen_text",
        "meeting_format": "format", "languages": "sprachen", "prefers_same_state": "gleiches_bundesland_bevorzugt",
        "prefers_similar_organisation": "aehnliche_organisation_bevorzugt", "mentor_capacity": "mentor_kapazitaet",
        "mentor_available": "mentor_verfuegbar",
    }
    # Answers only one side of the programme gives, with the value every other profile holds:
    # the forms ask them only of that side, and the services store this value for everyone else
    # (a mentee's capacity, a Mentor*in's needs are neither shown nor kept). Needs per topic
    # (``Need`` rows) are mentee answers too.
    MENTOR_ONLY_FIELDS = {"mentor_capacity": 0, "mentor_available": False}
    MENTEE_ONLY_FIELDS = {"needs_text": ""}

    class Meta:
        verbose_name = _("Profil")
        verbose_name_plural = _("Profile")
        constraints = [
            models.CheckConstraint(condition=models.Q(mentor_capacity__lte=5), name="profile_capacity_at_most_5"),
        ]

    def __str__(self):
        return str(self.user)

    # Admin's person pickers (Festlegungen, speakers): name, e-mail and organisation tell namesakes apart, and a
    # registration that is not approved says so.
    autocomplete_related = ("user__registration", "organisation")

    def autocomplete_label(self) -> str:
        parts = [str(self.user), self.user.email]
        if self.organisation_id:
            parts.append(self.organisation.name)
        try:
            registration = self.user.registration
        except ObjectDoesNotExist:
            registration = None
        if registration is not None and registration.status != Registration.Status.APPROVED:
            parts.append(gettext("Anmeldung: %(status)s") % {"status": registration.get_status_display()})
        return " · ".join(parts)

    @property
    def is_mentor(self) -> bool:
        """The profile's answer: Mentor*in or both. Whether the *person* counts as Mentor*in (an active
        account too) is ``accounts.rules.mentor``."""
        return self.role in MENTOR_ROLES

    def person_values(self):
        """(model field, value) for each of PERSON_FIELDS; a choice as its label, the languages by name."""
        names = dict(LANGUAGES)
        for name in self.PERSON_FIELDS:
            field = self._meta.get_field(name)
            if name == "languages":
                yield field, [str(names.get(code, code)) for code in self.languages]
            else:
                yield field, getattr(self, f"get_{name}_display")() if field.choices else getattr(self, name)

    @property
    def is_mentee(self) -> bool:
        return self.role in MENTEE_ROLES

    @property
    def role_in_sentence(self) -> str:
        """The role as a sentence names it ("Anmeldung … als Mentee und Mentor*in"), not as the form offers it
        ("Mentee (neu in der Rolle)", "beides")."""
        return {Role.MENTEE: pgettext("role in a sentence", "Mentee"),
                Role.MENTOR: pgettext("role in a sentence", "Mentor*in"),
                Role.BOTH: pgettext("role in a sentence", "Mentee und Mentor*in")}[self.role]


class Need(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="needs")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, verbose_name=_("Thema"))
    priority = models.PositiveSmallIntegerField(_("Priorität"), choices=Priority.choices)

    class Meta:
        verbose_name = _("Unterstützungsbedarf")
        verbose_name_plural = _("Unterstützungsbedarfe")
        ordering = ["-priority", "topic__position"]
        constraints = [models.UniqueConstraint(fields=["profile", "topic"], name="need_unique_topic")]

    def __str__(self):
        return f"{self.topic} ({self.get_priority_display()})"


class Competence(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="competences")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, verbose_name=_("Thema"))
    level = models.PositiveSmallIntegerField(_("Erfahrung"), choices=Level.choices,
                                             validators=[MinValueValidator(1), MaxValueValidator(3)])

    class Meta:
        verbose_name = _("Kompetenz")
        verbose_name_plural = _("Kompetenzen")
        ordering = ["-level", "topic__position"]
        constraints = [models.UniqueConstraint(fields=["profile", "topic"], name="competence_unique_topic")]

    def __str__(self):
        return f"{self.topic} ({self.get_level_display()})"


# A video link goes into calendars and mails: only an encrypted one.
https_url = URLValidator(schemes=["https"], message=_("Bitte geben Sie einen Link an, der mit https:// beginnt."),
                         code="not_https")


class ProgrammeYear(models.Model):
    """A Jahrgang: registrations and Tandems belong to the year that was open when they began.

    Staff open and close years in admin; new registrations and Tandems join the open year
    (``ProgrammeYear.current()``). The year also carries the default length of a Tandem, from
    which a Mentoring-Vereinbarung proposes its planned end.
    """

    label = models.CharField(_("Jahrgang"), max_length=40, unique=True, help_text=_("z. B. „2026/27“"))
    opens_on = models.DateField(_("beginnt am"))
    closes_on = models.DateField(_("endet am"), null=True, blank=True)
    is_open = models.BooleanField(_("offen"), default=False,
                                  help_text=_("Neue Anmeldungen und Tandems kommen in den offenen Jahrgang."))
    tandem_months = models.PositiveSmallIntegerField(
        _("übliche Dauer eines Tandems (Monate)"), default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("Die Mentoring-Vereinbarung schlägt damit das geplante Ende vor."))

    class Meta:
        verbose_name = _("Jahrgang")
        verbose_name_plural = _("Jahrgänge")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__isnull=True)
                                   | models.Q(closes_on__gte=models.F("opens_on")),
                                   name="programme_year_closes_after_opening"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        # Said next to "endet am" in the programme's words (the constraint alone named itself above the form).
        if self.closes_on and self.opens_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("Ein Jahrgang endet frühestens an dem Tag, an dem er beginnt.")})

    @classmethod
    def current(cls) -> "ProgrammeYear | None":
        """The open year new registrations and Tandems join: of several open ones, the latest begun."""
        return cls.objects.filter(is_open=True).order_by("-opens_on", "-pk").first()

    @classmethod
    def for_day(cls, day) -> "ProgrammeYear | None":
        """The year a day falls in (for rows from before years existed): begun by then, not closed before."""
        return (cls.objects.filter(opens_on__lte=day).filter(models.Q(closes_on__isnull=True)
                                                             | models.Q(closes_on__gte=day))
                .order_by("-opens_on", "-pk").first())


class Registration(models.Model):
    """The Anmeldung and its review by staff; approval opens forum and matching pool."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("eingegangen")
        INTRO_SCHEDULED = "intro_scheduled", _("Kennenlerngespräch geplant")
        INTRO_DONE = "intro_done", pgettext_lazy("registration status", "Kennenlerngespräch geführt")
        APPROVED = "approved", _("freigegeben")
        REJECTED = "rejected", _("abgelehnt")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registration")
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    submitted_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    intro_call_at = models.DateTimeField(_("Kennenlerngespräch am"), null=True, blank=True)
    intro_host = staff_member(_("Gespräch führt"))
    intro_video_url = models.URLField(_("Videolink"), max_length=500, blank=True, validators=[https_url])
    # The SEQUENCE of the calendar invite (RFC 5545): None until the first invite, then one more per change.
    intro_sequence = models.PositiveIntegerField(_("Version der Kalendereinladung"), null=True, blank=True,
                                                 editable=False)
    intro_call_notes = models.TextField(_("Notizen zum Kennenlerngespräch"), blank=True)
    status_changed_at = models.DateTimeField(_("Status geändert am"), auto_now_add=True)
    programme_year = models.ForeignKey(ProgrammeYear, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="registrations", verbose_name=_("Jahrgang"))

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.user} – {self.get_status_display()}"


class RegistrationTransition(models.Model):
    """Who moved a registration from one status to the next, and when.

    Moving the Kennenlerngespräch is a step from "geplant" to "geplant", cancelling it one from
    "geplant" back to "eingegangen"; both keep the old and the new time and the reason (``note``).
    """

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("vorheriger Status"), max_length=20, choices=Registration.Status.choices,
                                   blank=True)
    to_status = models.CharField(_("neuer Status"), max_length=20, choices=Registration.Status.choices)
    by = acting_user(_("durch"))
    at = models.DateTimeField(_("am"), auto_now_add=True)
    note = models.TextField(_("Notiz"), blank=True)
    intro_call_from = models.DateTimeField(_("bisheriger Termin"), null=True, blank=True)
    intro_call_to = models.DateTimeField(_("neuer Termin"), null=True, blank=True)

    class Meta:
        verbose_name = _("Statuswechsel")
        verbose_name_plural = _("Statuswechsel")
        ordering = ["at", "pk"]

    def __str__(self):
        return str(self.label)

    @property
    def is_intro_move(self) -> bool:
        return self.from_status == self.to_status == Registration.Status.INTRO_SCHEDULED

    @property
    def is_intro_cancel(self) -> bool:
        return (self.from_status == Registration.Status.INTRO_SCHEDULED
                and self.to_status == Registration.Status.SUBMITTED)

    @property
    def label(self) -> str:
        """What the step was, as staff and the person read it."""
        if self.is_intro_move:
            return _("Kennenlerngespräch verschoben")
        if self.is_intro_cancel:
            return _("Kennenlerngespräch abgesagt")
        if not self.from_status:
            return self.get_to_status_display()
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ConsentQuerySet(models.QuerySet):
    def active(self):
        """The consents given and not withdrawn (at most one per person and purpose)."""
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """One explicit consent, stored with purpose, text version and time; withdrawable."""

    class Purpose(models.TextChoices):
        PROGRAMME = "programme", _("Verarbeitung für das Programm")
        PARTNER_SHARING = "partner_sharing", _("Weitergabe des Profils an Tandempartner*in")
        NEWS = "news", _("Veranstaltungs- und Programmhinweise")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("Zweck"), max_length=20, choices=Purpose.choices)
    version = models.CharField(_("Textversion"), max_length=20)
    # The wording exists in each language as its own text; the record keeps the one the person read.
    language = models.CharField(_("Sprache des Wortlauts"), max_length=8, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    text = models.TextField(_("Wortlaut"))
    given_at = models.DateTimeField(_("erteilt am"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["purpose", "-given_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "purpose"], condition=models.Q(withdrawn_at__isnull=True),
                                    name="consent_one_active_per_purpose"),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.version})"

    @property
    def version_label(self) -> str:
        """The wording's version as a reader says it: "Fassung vom 26.11.2026", "Fassung November 2026" (a version
        is the day, or for the first wordings the month, of its revision)."""
        for pattern, label, form in (("%Y-%m-%d", gettext("Fassung vom %(when)s"), "SHORT_DATE_FORMAT"),
                                     ("%Y-%m", gettext("Fassung %(when)s"), "YEAR_MONTH_FORMAT")):
            try:
                day = datetime.datetime.strptime(self.version, pattern).date()
            except ValueError:
                continue
            return label % {"when": date_format(day, form)}
        return gettext("Fassung %(when)s") % {"when": self.version}

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
