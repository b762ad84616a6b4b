"""The site pages' part of a person's history in admin: the barrier reports they sent."""
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from mentoring.kernel.history import Link, Section

from .services import barrier_reports_of


def sections(*, user) -> list[Section]:
    section = Section(title=_("Barriere-Meldungen"),
                      columns=[_("eingegangen"), _("Seite"), _("Beschreibung"), _("Status"), _("zuständig")],
                      empty=_("Keine Barriere-Meldungen."))
    for report in barrier_reports_of(user).select_related("assignee").order_by("-created_at", "-pk"):
        section.rows.append([
            Link(date_format(timezone.localtime(report.created_at), "SHORT_DATE_FORMAT"),
                 reverse("admin:mentoring_barrierreport_change", args=[report.pk])),
            report.page or "–", Truncator(report.description).chars(120), report.get_status_display(),
            str(report.assignee) if report.assignee else "–"])
    return [section]
