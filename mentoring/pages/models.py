"""The site pages' data: barrier reports from the accessibility statement."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.cases import CaseEntry, CaseState, assignee_field


class BarrierReport(models.Model):
    """A barrier reported on /barrierefreiheit/: stored first, then mailed to staff and reporter.

    The reporter may leave no address: then nobody can answer them, and the case is followed
    up in admin only. ``handled_at`` and ``handled_by`` say when and by whom it was set to
    "erledigt"; the retention period counts from then.
    """

    Status = CaseState

    page = models.CharField(_("Seite"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung der Barriere"), max_length=5000)
    name = models.CharField(_("Name"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    # The site language the report was written in: the answer to someone without an account goes in it.
    language = models.CharField(_("Sprache"), max_length=8, blank=True)
    # Set when the reporter was logged in; the report goes with their account.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="barrier_reports", verbose_name=_("Konto"))
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    status = models.CharField(_("Status"), max_length=12, choices=CaseState.choices, default=CaseState.NEW,
                              db_index=True)
    assignee = assignee_field()
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("erledigt durch"))
    handled_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Barriere-Meldung")
        verbose_name_plural = _("Barriere-Meldungen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CaseState.DONE, handled_at__isnull=False)
                | (~Q(status=CaseState.DONE) & Q(handled_at__isnull=True)),
                name="barrierreport_handled_at_iff_done"),
        ]

    def __str__(self):
        return _("Barriere-Meldung vom %(date)s") % {"date": self.created_at.date().isoformat()}


class BarrierReportNote(CaseEntry):
    """An internal note of staff on a barrier report."""

    report = models.ForeignKey(BarrierReport, on_delete=models.CASCADE, related_name="notes",
                               verbose_name=_("Meldung"))

    class Meta(CaseEntry.Meta):
        verbose_name = _("interne Notiz")
        verbose_name_plural = _("interne Notizen")


class BarrierReportReply(CaseEntry):
    """Staff's answer to the reporter, mailed to the address they gave."""

    report = models.ForeignKey(BarrierReport, on_delete=models.CASCADE, related_name="replies",
                               verbose_name=_("Meldung"))

    class Meta(CaseEntry.Meta):
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
