"""A letter (Rundschreiben), the group it goes to, and each recipient with their delivery state."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mentoring.kernel.fields import acting_user
from mentoring.kernel.models import OutboxMessage
from mentoring.kernel.validators import single_line


class Letter(models.Model):
    """One message to a group of participants; written as a draft, then sent once."""

    class Kind(models.TextChoices):
        NEWS = "news", _("Neuigkeiten (nur an Personen mit Einwilligung in Programmhinweise)")
        ESSENTIAL = "essential", _("Wichtige Information zum Programm (an alle der Gruppe)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SENDING = "sending", _("wird versendet")
        SENT = "sent", _("versendet")

    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              editable=False, db_index=True)
    subject_de = models.CharField(_("Betreff (deutsch)"), max_length=200, validators=[single_line])
    body_de = models.TextField(_("Text (deutsch)"), max_length=20000,
                               help_text=_("Markdown: **fett**, *kursiv*, Listen, Links. Die Anrede wird "
                                           "automatisch vorangestellt."))
    subject_en = models.CharField(_("Betreff (englisch)"), max_length=200, blank=True, validators=[single_line])
    body_en = models.TextField(_("Text (englisch)"), max_length=20000, blank=True,
                               help_text=_("Freiwillig. Personen, die Englisch als Sprache gewählt haben, erhalten "
                                           "diese Fassung; ohne sie erhalten alle die deutsche."))
    # The group: each criterion left empty means "any"; criteria combine with "and".
    roles = models.JSONField(_("Rollen"), default=list, blank=True)
    statuses = models.JSONField(_("Status der Anmeldung"), default=list, blank=True)
    federal_states = models.ManyToManyField("accounts.FederalState", blank=True, related_name="+",
                                            verbose_name=_("Bundesländer"))
    funding_lines = models.JSONField(_("Förderlinien"), default=list, blank=True)
    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("angemeldet zur Veranstaltung"))
    event_waitlist = models.BooleanField(_("auch die Warteliste der Veranstaltung"), default=False)
    a2_behind_year = models.PositiveSmallIntegerField(
        _("A.2-Mentor*innen im Rückstand im Jahr"), null=True, blank=True,
        help_text=_("Nur A.2-Mentor*innen, deren Mentoring-Tage in diesem Jahr hinter den fünf Pflichttagen "
                    "zurückliegen."))
    reason = models.TextField(_("Grund für den Versand an alle"), max_length=2000, blank=True,
                              help_text=_("Pflicht bei wichtigen Informationen zum Programm; wird mit "
                                          "Absender*in protokolliert."))
    created_by = acting_user(_("angelegt von"), editable=False)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    sent_by = acting_user(_("versendet von"), editable=False)
    sending_started_at = models.DateTimeField(_("Versand begonnen am"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("Versand abgeschlossen am"), null=True, blank=True, editable=False)
    recipient_count = models.PositiveIntegerField(_("Empfänger*innen beim Versand"), default=0, editable=False)

    class Meta:
        verbose_name = pgettext_lazy("one letter", "Rundschreiben")
        verbose_name_plural = _("Rundschreiben")
        ordering = ["-created_at", "-pk"]
        permissions = [("send_essential_letter", _("Wichtige Informationen zum Programm an alle versenden"))]
        constraints = [
            # An essential letter never leaves the draft state without the reason for sending it to all.
            models.CheckConstraint(condition=~Q(kind="essential", reason="") | Q(status="draft"),
                                   name="letter_essential_sent_with_reason"),
            models.CheckConstraint(condition=Q(status="draft") | Q(sending_started_at__isnull=False),
                                   name="letter_sending_has_start"),
        ]

    def __str__(self):
        return self.subject_de

    @property
    def is_draft(self) -> bool:
        """Only a draft can be changed, deleted or sent; a letter that went out stays as it was sent, the record
        of who got what. Admin, its templates and ``services.letter_may_send`` ask this."""
        return self.status == self.Status.DRAFT

    @property
    def is_essential(self) -> bool:
        return self.kind == self.Kind.ESSENTIAL

    @property
    def has_english(self) -> bool:
        return bool(self.subject_en.strip() and self.body_en.strip())

    def clean(self):
        errors = {}
        if bool(self.subject_en.strip()) != bool(self.body_en.strip()):
            field = "body_en" if self.subject_en.strip() else "subject_en"
            errors[field] = _("Für die englische Fassung braucht es Betreff und Text, oder beides bleibt leer.")
        if self.kind == self.Kind.ESSENTIAL and not self.reason.strip():
            errors["reason"] = _("Bitte begründen Sie, warum diese Information alle der Gruppe erreichen muss.")
        if self.event_waitlist and not self.event_id:
            errors["event_waitlist"] = _("Die Warteliste gibt es nur zusammen mit einer Veranstaltung.")
        if errors:
            raise ValidationError(errors)


class LetterRecipient(models.Model):
    """A person a letter was sent to, with the language they got and their copy in the outbox."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="recipients",
                               verbose_name=pgettext_lazy("one letter", "Rundschreiben"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="letters_received",
                             verbose_name=_("Empfänger*in"))
    language = models.CharField(_("Sprache"), max_length=8, blank=True)
    outbox_message = models.OneToOneField(OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("E-Mail im Postausgang"))
    queued_at = models.DateTimeField(_("in den Postausgang gelegt am"), null=True, blank=True)
    # Checked again when the mail is written: news consent withdrawn or account closed since the send.
    skipped = models.BooleanField(_("übersprungen"), default=False)

    class Meta:
        verbose_name = _("Empfänger*in eines Rundschreibens")
        verbose_name_plural = _("Empfänger*innen von Rundschreiben")
        ordering = ["letter", "pk"]
        constraints = [models.UniqueConstraint(fields=["letter", "user"], name="letter_recipient_once")]

    def __str__(self):
        return f"{self.user} – {self.letter}"

    @property
    def delivery(self) -> str:
        """Where this person's copy is: one of ``DELIVERY_LABELS``' keys."""
        if self.skipped:
            return "skipped"
        if self.outbox_message is None:
            return "waiting" if self.queued_at is None else "gone"
        return self.outbox_message.status

    @property
    def delivery_label(self) -> str:
        return str(DELIVERY_LABELS[self.delivery])


# A recipient's delivery state: not yet written, skipped, or the state of their outbox copy.
DELIVERY_LABELS = {
    "waiting": _("noch nicht im Postausgang"),
    "skipped": _("nicht versendet (Einwilligung widerrufen oder Konto geschlossen)"),
    "gone": _("E-Mail nicht mehr gespeichert"),
    **dict(OutboxMessage.Status.choices),
}
