"""The e-mail outbox: every message is written here in the transaction that causes it."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENT = "sent", _("versendet")
        FAILED = "failed", _("endgültig fehlgeschlagen")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

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
    # A worker's claim on a waiting message while it sends (host:pid:batch); a claim older
    # than OUTBOX_CLAIM_LEASE_SECONDS belongs to a worker that died and is taken over.
    claimed_at = models.DateTimeField(_("in Arbeit seit"), null=True, blank=True)
    claimed_by = models.CharField(_("in Arbeit bei"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("E-Mail im Postausgang")
        verbose_name_plural = _("Postausgang")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        if self.purged_at:
            return _("geleerte E-Mail %(key)s") % {"key": self.key}
        return f"{self.subject} → {self.to}"
