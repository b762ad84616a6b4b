"""Anonymous counts that erased registrations leave behind, so past months' figures stay right."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasedFigure(models.Model):
    """How many erased registrations contributed to one figure of one month (or year), and nothing else.

    Deleting a registration (the person's own erasure or the retention rules of
    ``accounts/retention.py``) would make last spring's Anmeldungen, approvals, waiting times and
    the funder report's participants shrink. Just before an account goes, its contribution to each
    figure is added here (``services.erased_figures_keep``) and the overview and the report add
    these counts to what they count from the surviving rows. A row names no person, no
    registration and no day: a month (the first of it; the first of January for yearly figures),
    the figure, the Bundesland, organisation type and funding line that figures are split by, for
    waiting times the whole days waited, and a count. Rows are incremented, never one per person.
    """

    class Figure(models.TextChoices):
        SUBMITTED = "submitted", _("Anmeldung eingegangen")
        INTRO_DONE = "intro_done", _("Kennenlerngespräch geführt")
        APPROVED = "approved", _("freigegeben")
        REJECTED = "rejected", _("abgelehnt")
        WITHDRAWN = "withdrawn", _("zurückgezogen")
        WAIT_INTRO = "wait_intro", _("Tage von der Anmeldung bis zum Kennenlerngespräch")
        WAIT_APPROVAL = "wait_approval", _("Tage vom Kennenlerngespräch bis zur Freigabe")
        WAIT_TANDEM = "wait_tandem", _("Tage von der Freigabe bis zum Tandem")
        PARTICIPANT = "participant", _("Teilnehmer*in im Jahr")

    period = models.DateField(_("Monat"))
    figure = models.CharField(_("Kennzahl"), max_length=20, choices=Figure.choices)
    # Codes, not foreign keys: the Bundesland's two-digit key and the organisation type's slug
    # are stable reference data, and "" (unknown) needs no NULL in the unique constraint.
    state = models.CharField(_("Bundesland (Schlüssel)"), max_length=2, blank=True)
    org_type = models.CharField(_("Organisationstyp (Kurzname)"), max_length=50, blank=True)
    funding_line = models.CharField(_("Förderlinie"), max_length=10, blank=True)
    days = models.PositiveIntegerField(_("Tage"), default=0)
    count = models.PositiveIntegerField(_("Anzahl"), default=0)

    class Meta:
        verbose_name = _("Kennzahl gelöschter Anmeldungen")
        verbose_name_plural = _("Kennzahlen gelöschter Anmeldungen")
        constraints = [
            models.UniqueConstraint(fields=["period", "figure", "state", "org_type", "funding_line", "days"],
                                    name="cockpit_erased_figure_unique"),
        ]

    def __str__(self):
        return f"{self.period:%m/%Y} {self.get_figure_display()}: {self.count}"
