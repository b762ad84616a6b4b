"""The e-mail outbox and the barrier reports: records the platform keeps beside the apps' own."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENT = "sent", _("versendet")
        FAILED = "failed", _("endgültig fehlgeschlagen")

    # The key makes a message idempotent: the same cause never mails twice.
    key = models.CharField(_("Schlüssel"), max_length=200, unique=True)
    to = models.EmailField(_("Empfänger*in"))
    subject = models.CharField(_("Betreff"), max_length=300)
    body_text = models.TextField(_("Text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"filename": ..., "content": <text>, "mimetype": ...}]
    attachments = models.JSONField(_("Anhänge"), default=list, blank=True)
    headers = models.JSONField(_("Kopfzeilen"), default=dict, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("erstellt"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), null=True, blank=True)
    sent_at = models.DateTimeField(_("versendet am"), null=True, blank=True)
    # A message whose content must not outlive its delivery (the deletion confirmation).
    purge_after_send = models.BooleanField(_("nach dem Versand leeren"), default=False)
    # Recipient and content blanked (retention period over, or the person was erased);
    # key, status and times stay so that the same cause still never mails twice.
    purged_at = models.DateTimeField(_("geleert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("E-Mail im Postausgang")
        verbose_name_plural = _("Postausgang")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        if self.purged_at:
            return _("geleerte E-Mail %(key)s") % {"key": self.key}
        return f"{self.subject} → {self.to}"


class BarrierReport(models.Model):
    """A barrier reported on /barrierefreiheit/: stored first, then mailed to staff and reporter."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        HANDLED = "handled", _("erledigt")

    page = models.CharField(_("Seite"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung der Barriere"), max_length=5000)
    name = models.CharField(_("Name"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"))
    # Set when the reporter was logged in; the report goes with their account.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="barrier_reports", verbose_name=_("Konto"))
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("erledigt durch"))
    handled_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    staff_note = models.TextField(_("Notiz der Koordination"), blank=True)

    class Meta:
        verbose_name = _("Barriere-Meldung")
        verbose_name_plural = _("Barriere-Meldungen")
        ordering = ["-created_at"]

    def __str__(self):
        return _("Barriere-Meldung vom %(date)s") % {"date": self.created_at.date().isoformat()}
