"""Tandems: how many are active, quiet and ended, their meetings, the A.2 days and open problem reports.

A Tandem counts where its mentee works (Bundesland and funding line of the mentee's profile):
the mentee is the person the programme supports. A Tandem whose mentee erased their account
still counts in the programme's totals, but no longer in any Bundesland or funding line.
"""
import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from matching.models import Meeting, ProblemReport, Tandem
from matching.selectors import QUIET_FLAG_DAYS, a2_mentors_with_minutes, counted, quiet_tandems
from matching.services import a2_expected_days, tandems_at_risk_page
from matching.services.statements import A2_TARGET_DAYS, MINUTES_PER_DAY, a2_standing, in_hours_and_days
from mentoring.kernel.dates import day_start

from ..tables import Chart, Row, Table, shown
from .source import Source, month_label, since, waiting_work

MENTEE = "mentee__"


def tandem_counts(source: Source) -> Table:
    scope = source.scope
    tandems = Tandem.objects.filter(scope.people(MENTEE, cohort=False), scope.tandems())
    counts = tandems.aggregate(
        active=Count("pk", filter=Q(status=Tandem.Status.ACTIVE)),
        started=Count("pk", filter=Q(started_at__gte=scope.start, started_at__lt=scope.end)),
        ended=Count("pk", filter=Q(status=Tandem.Status.ENDED, ended_at__gte=scope.start, ended_at__lt=scope.end)))
    quiet = quiet_tandems(days=QUIET_FLAG_DAYS).filter(scope.people(MENTEE, cohort=False), scope.tandems()).count()
    return Table(slug="tandems", title=_("Tandems"), header=_("Tandems"), columns=[_("Anzahl")],
                 rows=[Row(_("aktiv (heute)"), [counts["active"]]),
                       Row(_("davon ruhig"), [quiet]),
                       Row(_("begonnen %(year)s") % {"year": scope.year}, [counts["started"]]),
                       Row(_("beendet %(year)s") % {"year": scope.year}, [counts["ended"]])],
                 chart=Chart("hbar", [0]),
                 note=_("Ruhig: aktiv, aber seit %(weeks)d Wochen weder Treffen eingetragen noch begonnen.")
                 % {"weeks": QUIET_FLAG_DAYS // 7})


def quiet_list(source: Source) -> Table:
    quiet = (quiet_tandems(days=QUIET_FLAG_DAYS).filter(source.scope.people(MENTEE, cohort=False),
                                                        source.scope.tandems())
             .select_related("mentee__user", "mentor__user").order_by("last_activity_at", "pk"))
    return waiting_work(source, quiet, label=str, began="last_activity_at", change="matching_tandem",
                        slug="ruhige-tandems", title=_("Ruhige Tandems, am längsten ruhig zuerst"), header=_("Tandem"),
                        columns=[_("letzte Aktivität"), _("Tage ohne Eintrag")],
                        empty=_("Kein aktives Tandem ist seit acht Wochen ruhig."))


def meetings_per_month(source: Source) -> Table:
    scope = source.scope
    per_month = {row["month"]: row for row in (
        Meeting.objects.filter(counted(), scope.people(f"tandem__{MENTEE}", cohort=False), scope.tandems("tandem__"),
                               date__year=scope.year).order_by()
        .annotate(month=TruncMonth("date")).values("month").annotate(n=Count("pk"), minutes=Sum("duration_minutes")))}
    rows = []
    for month in scope.months():
        row = per_month.get(month, {})
        # Hours as every page and PDF writes them: two places, half up (27,25 h, not 27,2 beside the statements).
        hours, _days = in_hours_and_days(row.get("minutes") or 0)
        rows.append(Row(month_label(month), [row.get("n", 0), float(hours)], month=month))
    return Table(slug="treffen-je-monat", title=_("Treffen und Stunden je Monat %(year)s") % {"year": scope.year},
                 header=_("Monat"), columns=[pgettext("Mehrzahl", "Treffen"), _("Stunden")], rows=rows,
                 chart=Chart("months", [0, 1]),
                 decimals=[0, 2],
                 note=_("Gezählt sind bestätigte Treffen (auch unwidersprochene nach Ablauf der Frist)."))


def _a2_mentors(source: Source):
    return a2_mentors_with_minutes(year=source.scope.year).filter(source.scope.people(""))


def a2_days(source: Source) -> Table:
    """Every A.2 Mentor*in's mentoring days of the year; those behind the days due so far first.

    ``a2_mentors_with_minutes`` lists them fewest minutes first, so those behind
    (``a2_standing``: fewer days than ``a2_expected_days``) come first.
    """
    year = source.scope.year
    expected = a2_expected_days(year=year)
    mentors = _a2_mentors(source)
    rows = []
    for profile in source.cut(mentors):
        days, missing = a2_standing(profile.minutes, expected)
        rows.append(Row(str(profile.user), [
            profile.organisation.name, days, A2_TARGET_DAYS, _("ja") if missing else _("nein"), missing],
            url=reverse("admin:accounts_profile_change", args=[profile.pk])))
    return Table(slug="a2-mentoring-tage",
                 title=_("Mentoring-Tage der A.2-Mentor*innen %(year)s, wer zurückliegt zuerst") % {"year": year},
                 header=_("Mentor*in"),
                 columns=[_("Organisation"), _("Tage"), _("Ziel (Tage)"), _("liegt zurück"),
                          _("fehlende Tage bis zum heutigen Soll")],
                 rows=rows, decimals=[0, 2, 0, 0, 2],
                 total_rows=source.total(mentors),
                 empty=_("Keine A.2-Mentor*innen in dieser Auswahl."),
                 note=_("Zurück liegt, wer weniger Tage hat, als der bisher vergangene Teil des Jahres von fünf "
                        "Tagen verlangt (heute %(days)s); 8 Stunden sind ein Tag.")
                 % {"days": shown(expected, 2)})


def a2_distribution(source: Source) -> Table:
    labels = [_("0 Tage"), _("mehr als 0, unter 1 Tag"), _("1 bis unter 2 Tage"), _("2 bis unter 3 Tage"),
              _("3 bis unter 4 Tage"), _("4 bis unter 5 Tage"), _("5 Tage und mehr")]
    counts = [0] * len(labels)
    for minutes in _a2_mentors(source).values_list("minutes", flat=True):
        days = minutes / MINUTES_PER_DAY
        counts[0 if days == 0 else 1 if days < 1 else min(int(days) + 1, len(labels) - 1)] += 1
    return Table(slug="a2-verteilung",
                 title=_("A.2-Mentor*innen nach Mentoring-Tagen %(year)s") % {"year": source.scope.year},
                 header=_("Mentoring-Tage"), columns=[_("Mentor*innen")],
                 rows=[Row(label, [count]) for label, count in zip(labels, counts, strict=True)],
                 chart=Chart("hbar", [0]))


def _open_reports(source: Source):
    return ProblemReport.objects.filter(source.scope.people(f"tandem__{MENTEE}", cohort=False),
                                        source.scope.tandems("tandem__"), resolved_at__isnull=True)


def reports_open(source: Source) -> Table:
    reports = _open_reports(source).select_related("tandem__mentee__user", "tandem__mentor__user").order_by(
        "created_at", "pk")
    today = timezone.localdate()
    rows = [Row(_("Meldung Nr. %(pk)s") % {"pk": r.pk},
                [r.get_kind_display(), str(r.tandem), *since(r.created_at, today)],
                url=reverse("admin:matching_problemreport_change", args=[r.pk]))
            for r in source.cut(reports)]
    return Table(slug="offene-meldungen", title=_("Offene Meldungen aus Tandems, älteste zuerst"),
                 header=_("Meldung"), columns=[_("Anliegen"), _("Tandem"), _("gemeldet am"), _("Alter (Tage)")],
                 rows=rows, total_rows=source.total(reports),
                 empty=_("Keine offene Meldung."))


def reports_age(source: Source) -> Table:
    today = timezone.localdate()

    def days_ago(days: int) -> datetime.datetime:
        return day_start(today - datetime.timedelta(days=days))

    counts = _open_reports(source).aggregate(
        fresh=Count("pk", filter=Q(created_at__gte=days_ago(7))),
        middle=Count("pk", filter=Q(created_at__lt=days_ago(7), created_at__gte=days_ago(30))),
        old=Count("pk", filter=Q(created_at__lt=days_ago(30))))
    return Table(slug="meldungen-alter", title=_("Offene Meldungen nach Alter"), header=_("Alter"),
                 columns=[_("Meldungen")],
                 rows=[Row(_("bis 7 Tage"), [counts["fresh"]]), Row(_("8 bis 30 Tage"), [counts["middle"]]),
                       Row(_("mehr als 30 Tage"), [counts["old"]])],
                 chart=Chart("hbar", [0]))


def at_risk(source: Source) -> Table:
    """Tandems staff should look at, with the reasons (Vereinbarung, Kurzbefragungen)."""
    scope = source.scope
    shown, total = tandems_at_risk_page(
        tandems=Tandem.objects.filter(scope.people(MENTEE, cohort=False), scope.tandems()), limit=source.limit)
    rows = [Row(str(tandem), ["; ".join(reasons)], url=reverse("admin:matching_tandem_change", args=[tandem.pk]))
            for tandem, reasons in shown]
    return Table(slug="tandems-gefaehrdet", title=_("Tandems, die Aufmerksamkeit brauchen"), header=_("Tandem"),
                 columns=[_("Grund")], rows=rows, total_rows=total if source.limit is not None else None,
                 empty=_("Kein aktives Tandem braucht gerade Aufmerksamkeit."))
