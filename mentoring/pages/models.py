"""The site pages' data: barrier reports from the accessibility statement."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.fields import acting_user


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
    handled_by = acting_user(_("erledigt durch"))
    handled_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    staff_note = models.TextField(_("Notiz der Koordination"), blank=True)

    class Meta:
        verbose_name = _("Barriere-Meldung")
        verbose_name_plural = _("Barriere-Meldungen")
        ordering = ["-created_at"]

    def __str__(self):
        return _("Barriere-Meldung vom %(date)s") % {"date": self.created_at.date().isoformat()}
