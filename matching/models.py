"""Matching data: weights, runs with proposals, staff pins and exclusions, Tandems and their log."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Profile, ProgrammeYear, Topic, topic_names
from mentoring.kernel import cases
from mentoring.kernel.fields import acting_user
from mentoring.kernel.privacy import FORMER_PARTICIPANT

from . import engine


def person_name(profile: Profile | None) -> str:
    """How pages, admin, PDF and mails name one side of a Tandem, also after its account was erased."""
    return str(profile.user) if profile is not None else str(FORMER_PARTICIPANT)


def _weight(label, default):
    return models.FloatField(label, default=default, validators=[MinValueValidator(0), MaxValueValidator(100)])


class MatchingSettings(models.Model):
    """The one settings object staff edit in admin: criterion weights and run options."""

    topics = _weight(_("Gewicht: Bedarfe durch Kompetenzen gedeckt"), engine.Weights.topics)
    organisation = _weight(_("Gewicht: gleicher / ähnlicher Organisationstyp"), engine.Weights.organisation)
    size = _weight(_("Gewicht: gleiche / ähnliche Größenklasse"), engine.Weights.size)
    region = _weight(_("Gewicht: Region (Bundesland, Nachbarland)"), engine.Weights.region)
    meeting_format = _weight(_("Gewicht: Format der Treffen"), engine.Weights.meeting_format)
    language = _weight(_("Gewicht: gemeinsame Sprache"), engine.Weights.language)
    funding = _weight(_("Gewicht: passende Förderlinie"), engine.Weights.funding)
    slot_penalty = models.FloatField(
        _("Abschlag je weiterem Mentee derselben Mentor*in"), default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Verteilt die Last auf mehrere Mentor*innen, wenn Punktzahlen nah beieinander liegen."))
    sync_limit = models.PositiveIntegerField(
        _("Läufe bis zu so vielen Mentees sofort rechnen"), default=800,
        help_text=_("Größere Läufe rechnet ein Hintergrundprozess; der Fortschritt wird angezeigt."))
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Matching-Einstellungen")
        verbose_name_plural = _("Matching-Einstellungen")

    def __str__(self):
        return str(_("Matching-Einstellungen"))

    def clean(self):
        super().clean()
        weights = [getattr(self, name) for name in engine.Weights.__dataclass_fields__]
        if all(isinstance(weight, (int, float)) for weight in weights) and not any(weights):
            raise ValidationError(_("Mindestens ein Gewicht muss größer als 0 sein: Ohne Gewichte bekäme jedes Paar "
                                    "0 Punkte, und ein Lauf könnte keinen Vorschlag begründen."))

    @classmethod
    def load(cls) -> "MatchingSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def weights(self) -> engine.Weights:
        return engine.Weights(**{name: getattr(self, name) for name in engine.Weights.__dataclass_fields__})


class MatchRun(models.Model):
    """One computation of proposals; it records the weights it used."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    created_by = acting_user(_("gestartet von"))
    created_at = models.DateTimeField(_("gestartet am"), auto_now_add=True)
    finished_at = models.DateTimeField(_("fertig am"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("Fortschritt (%)"), default=0)
    weights = models.JSONField(_("verwendete Gewichte"), default=dict)
    slot_penalty = models.FloatField(_("Abschlag je weiterem Mentee"), default=0)
    mentee_count = models.PositiveIntegerField(_("Mentees im Pool"), default=0)
    mentor_count = models.PositiveIntegerField(_("Mentor*innen mit freier Kapazität"), default=0)
    matched_count = models.PositiveIntegerField(_("vorgeschlagene Paare"), default=0)
    summary = models.JSONField(_("Zusammenfassung"), default=dict)
    duration_ms = models.PositiveIntegerField(_("Rechenzeit (ms)"), default=0)
    error = models.TextField(_("Fehler"), blank=True)

    class Meta:
        verbose_name = _("Matching-Lauf")
        verbose_name_plural = _("Matching-Läufe")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("Matching-Lauf %(pk)s vom %(date)s") % {
            "pk": self.pk,
            "date": date_format(timezone.localtime(self.created_at), "SHORT_DATETIME_FORMAT") if self.created_at
            else "–"}


class Proposal(models.Model):
    """A pair the engine (or staff by hand) proposes in a run, with score and reasons."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        CONFIRMED = "confirmed", _("bestätigt")
        REJECTED = "rejected", _("abgelehnt")
        SUPERSEDED = "superseded", _("ersetzt")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("Lauf"))
    mentee = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+", verbose_name=_("Mentee"))
    mentor = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+", verbose_name=_("Mentor*in"))
    score = models.FloatField(_("Punktzahl"))
    reasons = models.JSONField(_("Gründe"), default=list)
    manual = models.BooleanField(_("von Hand gewählt"), default=False)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    decided_by = acting_user(_("entschieden von"))
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decision_note = models.TextField(_("Notiz zur Entscheidung"), blank=True)

    class Meta:
        verbose_name = _("Vorschlag")
        verbose_name_plural = _("Vorschläge")
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], condition=~Q(status="superseded"),
                                    name="proposal_one_per_mentee_and_run"),
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="proposal_not_self"),
        ]
        indexes = [
            models.Index(fields=["mentee", "mentor", "status"]),
            # The run's page: one page of its current proposals in this order, read from the index.
            models.Index(fields=["run", "status", "-score", "id"], condition=~Q(status="superseded"),
                         name="proposal_run_page"),
        ]

    def __str__(self):
        return f"{self.mentee} → {self.mentor}"


class PairRule(models.Model):
    """Staff pin a pair (it must be proposed) or exclude it (it never is)."""

    class Kind(models.TextChoices):
        PIN = "pin", _("festlegen")
        EXCLUDE = "exclude", _("ausschließen")

    mentee = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+", verbose_name=_("Mentee"))
    mentor = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+", verbose_name=_("Mentor*in"))
    kind = models.CharField(_("Art"), max_length=8, choices=Kind.choices)
    note = models.CharField(_("Begründung"), max_length=300, blank=True)
    created_by = acting_user(_("von"))
    created_at = models.DateTimeField(_("am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Festlegung / Ausschluss")
        verbose_name_plural = _("Festlegungen und Ausschlüsse")
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor"], name="pair_rule_unique_pair",
                                    violation_error_message=_("Für dieses Paar gibt es schon eine Regel.")),
            models.UniqueConstraint(fields=["mentee"], condition=Q(kind="pin"), name="pair_rule_one_pin_per_mentee",
                                    violation_error_message=_("Für diese*n Mentee ist schon ein Paar festgelegt.")),
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="pair_rule_not_self",
                                   violation_error_message=_("Eine Person kann nicht mit sich selbst ein Tandem "
                                                             "bilden.")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.mentee} → {self.mentor}"


class Tandem(models.Model):
    """A confirmed pair of mentee and Mentor*in, from confirmation to its end."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktiv")
        ENDED = "ended", _("beendet")

    class EndCause(models.TextChoices):
        """Why a Tandem ended, stored as a code and read in the reader's language (mail, export, admin)."""

        STAFF = "staff", _("von der Koordination beendet")
        WITHDRAWN = "withdrawn", _("Anmeldung zurückgezogen")
        PARTNER_SHARING = "partner_sharing", _("Einwilligung zur Weitergabe des Profils widerrufen")
        ERASED = "erased", _("Konto gelöscht")
        PLANNED_END = "planned_end", _("geplantes Ende erreicht")

    # Erasing one side keeps the Tandem and its meetings for the other (their A.2 evidence):
    # the erased side becomes empty and is shown as a former participant.
    mentee = models.ForeignKey(Profile, on_delete=models.SET_NULL, null=True, related_name="tandems_as_mentee",
                               verbose_name=_("Mentee"))
    mentor = models.ForeignKey(Profile, on_delete=models.SET_NULL, null=True, related_name="tandems_as_mentor",
                               verbose_name=_("Mentor*in"))
    status = models.CharField(_("Status"), max_length=8, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    proposal = models.OneToOneField(Proposal, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="tandem", verbose_name=_("Vorschlag"))
    reasons = models.JSONField(_("Gründe für das Matching"), default=list)
    message = models.TextField(_("persönliche Nachricht der Koordination"), blank=True, max_length=2000)
    confirmed_by = acting_user(_("bestätigt von"))
    started_at = models.DateTimeField(_("begonnen am"), auto_now_add=True)
    ended_at = models.DateTimeField(_("beendet am"), null=True, blank=True)
    ended_by = acting_user(_("beendet von"))
    end_cause = models.CharField(_("Anlass des Endes"), max_length=16, choices=EndCause.choices, blank=True)
    # What Koordination wrote when ending the Tandem; the system's own causes need no text.
    end_reason = models.TextField(_("Grund für das Ende"), blank=True)
    last_activity_at = models.DateTimeField(_("letzte Aktivität"), null=True, blank=True)
    programme_year = models.ForeignKey(ProgrammeYear, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="tandems", verbose_name=_("Jahrgang"))
    certificate_issue = models.PositiveSmallIntegerField(_("Fassung der Teilnahmebescheinigung"), default=1)
    certificate_issued_at = models.DateTimeField(_("Teilnahmebescheinigung ausgestellt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Tandem")
        verbose_name_plural = _("Tandems")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["mentee"], condition=Q(status="active"),
                                    name="tandem_one_active_per_mentee"),
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="tandem_not_self"),
        ]

    def __str__(self):
        return f"{self.mentee_name} & {self.mentor_name}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def mentee_name(self) -> str:
        return person_name(self.mentee)

    @property
    def mentor_name(self) -> str:
        return person_name(self.mentor)

    @property
    def end_reason_text(self):
        """Why the Tandem ended: what Koordination wrote, else the cause, lazily in the reader's language."""
        if self.end_reason:
            return self.end_reason
        return Tandem.EndCause(self.end_cause).label if self.end_cause else ""

    def partner_of(self, profile: Profile) -> Profile | None:
        return self.mentor if profile.pk == self.mentee_id else self.mentee

    def has_member(self, user) -> bool:
        """Whether ``user`` is one of the Tandem's two sides (staff reading it are not)."""
        return self.profile_of(user) is not None

    def profile_of(self, user) -> Profile | None:
        """The side of the Tandem that is ``user``; None for anyone else (staff reading, a stranger)."""
        for side in (self.mentee, self.mentor):
            if side is not None and user.pk is not None and side.user_id == user.pk:
                return side
        return None


# How long one logged meeting may be: five minutes to a working day of ten hours.
MEETING_MIN_MINUTES, MEETING_MAX_MINUTES = 5, 600

class Meeting(models.Model):
    """One meeting of the Tandem: one partner enters it, the other confirms, corrects or objects.

    Only confirmed meetings count. An entry nobody objected to counts as confirmed once
    ``settings.MEETING_CONFIRM_DAYS`` have passed since it was entered or last changed; the
    selectors compute that, so no periodic job has to flip it.
    """

    class Format(models.TextChoices):
        ONLINE = "online", _("online")
        ONSITE = "onsite", _("vor Ort")
        PHONE = "phone", _("Telefonat")

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        CONFIRMED = "confirmed", _("bestätigt")
        CORRECTED = "corrected", _("korrigiert")
        DISPUTED = "disputed", _("widersprochen")

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("Tandem"))
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  related_name="+", verbose_name=_("eingetragen von"))
    date = models.DateField(_("Datum"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("Dauer (Minuten)"),
        validators=[MinValueValidator(MEETING_MIN_MINUTES), MaxValueValidator(MEETING_MAX_MINUTES)])
    format = models.CharField(_("Format"), max_length=8, choices=Format.choices)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", verbose_name=_("Themen"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    submitted_at = models.DateTimeField(_("eingetragen oder geändert am"), default=timezone.now)
    reviewed_by = acting_user(_("bestätigt / korrigiert von"))
    reviewed_at = models.DateTimeField(_("bestätigt / korrigiert am"), null=True, blank=True)
    created_at = models.DateTimeField(_("eingetragen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Treffen")
        verbose_name_plural = pgettext_lazy("Mehrzahl", "Treffen")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=MEETING_MIN_MINUTES)
                                   & Q(duration_minutes__lte=MEETING_MAX_MINUTES),
                                   name="meeting_duration_within_reason"),
        ]

    def __str__(self):
        return f"{date_format(self.date, 'SHORT_DATE_FORMAT')} ({self.duration_minutes} min)"

    @property
    def state_label(self) -> str:
        """The state as users see it (``selectors.with_state`` annotates ``state``) in words."""
        return Meeting.Status(self.state).label


class MeetingNote(models.Model):
    """One side's private note on a meeting; the partner never sees it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes", verbose_name=_("Treffen"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("von"))
    text = models.TextField(_("private Notiz"), max_length=1000)

    class Meta:
        verbose_name = _("private Notiz")
        verbose_name_plural = _("private Notizen")
        constraints = [models.UniqueConstraint(fields=["meeting", "author"], name="meeting_note_one_per_author")]

    def __str__(self):
        return str(_("private Notiz"))


class ProblemReport(models.Model):
    """A side reports a problem or asks to end the Tandem; staff follow it up in admin.

    Only the reporter and staff ever see it: the partner sees neither the report nor the reply.
    ``resolved_at`` and ``resolved_by`` say when and by whom it was set to "erledigt".
    """

    Status = cases.CaseState

    class Kind(models.TextChoices):
        PROBLEM = "problem", _("Problem im Tandem")
        END_REQUEST = "end", _("Wunsch, das Tandem zu beenden")

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="reports", verbose_name=_("Tandem"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("gemeldet von"))
    kind = models.CharField(_("Anliegen"), max_length=8, choices=Kind.choices)
    text = models.TextField(_("Beschreibung"), max_length=3000)
    created_at = models.DateTimeField(_("gemeldet am"), auto_now_add=True)
    status = cases.state_field()
    assignee = cases.assignee_field()
    resolved_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    resolved_by = acting_user(_("erledigt von"))

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["-created_at"]
        constraints = [cases.closed_iff_done("resolved_at", name="problemreport_resolved_at_iff_done")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.tandem}"


class ProblemReportNote(cases.CaseNote):
    """An internal note of staff on a problem report; the reporter never sees it (but it is in their export)."""

    report = cases.case_link(ProblemReport, "notes")


class ProblemReportReply(cases.CaseReply):
    """Staff's answer to the reporter: mailed to them and shown on their Tandem page."""

    report = cases.case_link(ProblemReport, "replies")


class Agreement(models.Model):
    """One version of a Tandem's Mentoring-Vereinbarung: one partner drafts it, the other confirms.

    Amending means drafting a new version; the newest confirmed version is the one in force and
    every older one stays as the history. ``goals`` lists the two to four goals as
    ``{"topic": <Topic pk>, "text": "..."}``, each topic one of the mentee's registered needs.
    """

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("jede Woche")
        BIWEEKLY = "biweekly", _("alle zwei Wochen")
        MONTHLY = "monthly", _("einmal im Monat")
        BIMONTHLY = "bimonthly", _("alle zwei Monate")

    class Form(models.TextChoices):
        ONLINE = "online", _("online")
        ONSITE = "onsite", _("vor Ort")
        MIXED = "mixed", _("mal online, mal vor Ort")

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("Tandem"))
    version = models.PositiveSmallIntegerField(_("Fassung"))
    goals = models.JSONField(_("Ziele"), default=list)
    frequency = models.CharField(_("Häufigkeit der Treffen"), max_length=10, choices=Frequency.choices)
    meeting_form = models.CharField(_("Form der Treffen"), max_length=8, choices=Form.choices)
    planned_end = models.DateField(_("geplantes Ende"))
    confidential = models.BooleanField(_("Vertraulichkeit vereinbart"), default=False)
    drafted_by = acting_user(_("entworfen von"))
    drafted_at = models.DateTimeField(_("entworfen am"), auto_now_add=True)
    confirmed_by = acting_user(_("bestätigt von"))
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Mentoring-Vereinbarung")
        verbose_name_plural = _("Mentoring-Vereinbarungen")
        ordering = ["tandem", "-version"]
        constraints = [models.UniqueConstraint(fields=["tandem", "version"], name="agreement_unique_version")]

    def __str__(self):
        return _("Vereinbarung, Fassung %(version)s") % {"version": self.version}

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def goal_topics(self) -> list[int]:
        return [goal["topic"] for goal in self.goals]

    def goal_rows(self, names: dict[int, str] | None = None) -> list[dict]:
        """Each goal with its topic's name, for pages, PDF and export. ``names``: the topics' names by pk,
        when a page shows several versions (``goal_names``: one query for all of them)."""
        if names is None:
            names = goal_names([self])
        return [{"topic": goal["topic"], "name": names.get(goal["topic"], "–"), "text": goal["text"]}
                for goal in self.goals]


def goal_names(agreements) -> dict[int, str]:
    """The names of the topics every given Vereinbarung's goals name, by pk, in one query."""
    pks = {pk for agreement in agreements for pk in agreement.goal_topics()}
    return topic_names(pks)


class Progress(models.TextChoices):
    """How far one goal is, in a Kurzbefragung."""

    OPEN = "open", _("noch nicht begonnen")
    UNDER_WAY = "underway", _("in Arbeit")
    REACHED = "reached", _("erreicht")


class CheckIn(models.Model):
    """One partner's Kurzbefragung: sent after 30 days, then every 60 days; only staff read the answers.

    The mail's link works once without login (a signed token bound to this person and this
    Kurzbefragung, ``token_used_at`` records its use) and always after login. ``progress`` maps
    a goal's topic pk (as a string) to a ``Progress`` value.
    """

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("Tandem"))
    # The person's answers are theirs: erasing the account deletes them (figures already reported stay numbers).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("Person"))
    number = models.PositiveSmallIntegerField(_("Nr."))
    due_on = models.DateField(_("fällig am"))
    sent_at = models.DateTimeField(_("verschickt am"), auto_now_add=True)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("Wie gut funktioniert das Tandem? (1–5)"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    met = models.BooleanField(_("seit der letzten Befragung getroffen"), null=True, blank=True)
    progress = models.JSONField(_("Stand der Ziele"), default=dict, blank=True)
    comment = models.TextField(_("Hinweis an die Koordination"), max_length=2000, blank=True)
    token_used_at = models.DateTimeField(_("Link ohne Anmeldung benutzt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kurzbefragung")
        verbose_name_plural = _("Kurzbefragungen")
        ordering = ["tandem", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tandem", "user", "number"], name="checkin_unique_number"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="checkin_rating_1_to_5"),
        ]
        permissions = [("view_evaluation", _("Kann die Auswertung der Befragungen sehen"))]

    def __str__(self):
        return _("Kurzbefragung %(number)s") % {"number": self.number}

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class ClosingReview(models.Model):
    """One partner's look back when the Tandem ends: goals reached, competence then and now, what helped,
    a recommendation score (NPS 0–10) and, for an early end, the reason from a fixed list."""

    class EarlyEnd(models.TextChoices):
        JOB = "job", _("Stellenwechsel oder Ende der Förderung")
        TIME = "time", _("keine Zeit für das Tandem")
        TOPIC = "topic", _("fachlich passte es nicht")
        PERSONAL = "personal", _("persönlich passte es nicht")
        DONE = "done", _("Ziele früher erreicht")
        OTHER = "other", _("anderer Grund")

    class Competence(models.IntegerChoices):
        NONE = 0, _("keine Erfahrung")
        BASIC = 1, _("Grundkenntnisse")
        EXPERIENCED = 2, _("erfahren")
        EXPERT = 3, _("sehr erfahren")

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("Tandem"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("Person"))
    is_mentee = models.BooleanField(_("als Mentee"), default=True)
    early = models.BooleanField(_("vor dem geplanten Ende"), default=False)
    created_at = models.DateTimeField(_("angefragt am"), auto_now_add=True)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    # {"<topic pk>": true/false}
    goals_reached = models.JSONField(_("Ziele erreicht"), default=dict, blank=True)
    # {"<topic pk>": [then, now]} on the registration's scale (0 none … 3 very experienced)
    competence = models.JSONField(_("Kompetenz vorher / nachher"), default=dict, blank=True)
    helped = models.TextField(_("Was hat geholfen?"), max_length=2000, blank=True)
    nps = models.PositiveSmallIntegerField(_("Weiterempfehlung (0–10)"), null=True, blank=True,
                                           validators=[MaxValueValidator(10)])
    early_end_reason = models.CharField(_("Grund für das frühe Ende"), max_length=10, choices=EarlyEnd.choices,
                                        blank=True)

    class Meta:
        verbose_name = _("Rückblick")
        verbose_name_plural = _("Rückblicke")
        ordering = ["tandem", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tandem", "user"], name="review_one_per_person"),
            models.CheckConstraint(condition=Q(nps__isnull=True) | Q(nps__lte=10), name="review_nps_0_to_10"),
        ]

    def __str__(self):
        return str(_("Rückblick"))

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
