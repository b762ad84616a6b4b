"""The matching app's part of a person's history in admin: their Tandems and the reports they sent."""
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import Profile, User
from mentoring.kernel.history import Link, Section

from . import selectors
from .models import ProblemReport, Tandem, person_name


def _day(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT") if value else "–"


def sections(*, user: User) -> list[Section]:
    tandems = Section(title=_("Tandems"),
                      columns=[_("Tandem"), _("Rolle"), _("Partner*in"), _("Status"), _("begonnen"), _("beendet")],
                      empty=_("Keine Tandems."))
    reports = Section(title=_("Meldungen zu Tandems"),
                      columns=[_("gemeldet am"), _("Anliegen"), _("Text"), _("Tandem"), _("Status"), _("zuständig"),
                               _("Antworten")],
                      empty=_("Keine Meldungen."))
    profile = Profile.objects.filter(user=user).only("pk").first()
    if profile is not None:
        for tandem in (Tandem.objects.filter(selectors.either_side(profile))
                       .select_related("mentee__user", "mentor__user").order_by("-started_at", "-pk")):
            as_mentee = tandem.mentee_id == profile.pk
            tandems.rows.append([
                Link(str(tandem), reverse("admin:matching_tandem_change", args=[tandem.pk])),
                _("Mentee") if as_mentee else _("Mentor*in"), person_name(tandem.partner_of(profile)),
                tandem.get_status_display(), _day(tandem.started_at), _day(tandem.ended_at)])
    for report in (ProblemReport.objects.filter(reported_by=user)
                   .select_related("tandem__mentee__user", "tandem__mentor__user", "assignee")
                   .annotate(reply_count=Count("replies")).order_by("-created_at", "-pk")):
        reports.rows.append([
            Link(_day(report.created_at), reverse("admin:matching_problemreport_change", args=[report.pk])),
            report.get_kind_display(), Truncator(report.text).chars(120), str(report.tandem),
            report.get_status_display(),
            str(report.assignee) if report.assignee else "–", str(report.reply_count)])
    return [tandems, reports]
