"""From Anmeldung to Tandem: registrations by status and month, Kennenlerngespräche, waiting times, open places."""
import datetime
from collections import Counter

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import MENTEE_ROLES
from accounts.models import Competence, Profile, Registration, Topic
from accounts.rules import profile_in_matching_pool_q
from matching.models import Tandem
from matching.selectors import pool_mentors_with_capacity
from mentoring.kernel.dates import day_start

from .. import facts
from ..tables import Chart, Row, Table
from . import stats
from .source import Source, month_label, since, waiting_work

Status = Registration.Status
Figure = facts.Figure


def status_now(source: Source) -> Table:
    counts = dict(facts.registrations(source.scope).order_by()
                  .values_list("status").annotate(n=Count("pk")))
    return Table(slug="status", title=_("Anmeldungen nach Status (heute)"), header=_("Status"),
                 columns=[_("Anmeldungen")], rows=[Row(str(label), [counts.get(value, 0)])
                                                   for value, label in Status.choices],
                 chart=Chart("hbar", [0]))


def per_month(source: Source) -> Table:
    scope = source.scope
    figures = [(Figure.SUBMITTED, _("eingegangen")), (Figure.INTRO_DONE, _("Kennenlerngespräch geführt")),
               (Figure.APPROVED, _("freigegeben")), (Figure.REJECTED, _("abgelehnt")),
               (Figure.WITHDRAWN, _("zurückgezogen"))]
    counts = [facts.select(source.facts, figure) for figure, _label in figures]
    return Table(slug="anmeldungen-je-monat",
                 title=_("Anmeldungen und Statuswechsel je Monat %(year)s") % {"year": scope.year},
                 header=_("Monat"), columns=[label for _figure, label in figures],
                 rows=[Row(month_label(month), [c[month] for c in counts], month=month) for month in scope.months()],
                 chart=Chart("months", [0, 1, 2, 3, 4]),
                 note=_("Gelöschte Anmeldungen zählen in ihren Monaten weiter mit (anonym)."))


def _week() -> tuple[datetime.datetime, datetime.datetime]:
    today = timezone.localdate()
    monday = day_start(today - datetime.timedelta(days=today.weekday()))
    return monday, monday + datetime.timedelta(days=7)


def _scheduled(source: Source):
    return facts.registrations(source.scope).filter(status=Status.INTRO_SCHEDULED)


def intro_calls(source: Source) -> Table:
    now = timezone.now()
    monday, next_monday = _week()
    counts = _scheduled(source).aggregate(
        planned=Count("pk"), week=Count("pk", filter=Q(intro_call_at__gte=monday, intro_call_at__lt=next_monday)),
        overdue=Count("pk", filter=Q(intro_call_at__lt=now)))
    return Table(slug="kennenlerngespraeche", title=_("Kennenlerngespräche (heute)"), header=_("Kennenlerngespräche"),
                 columns=[_("Anzahl")],
                 rows=[Row(_("geplant"), [counts["planned"]]),
                       Row(_("davon diese Woche"), [counts["week"]]),
                       Row(_("davon überfällig"), [counts["overdue"]])],
                 chart=Chart("hbar", [0]),
                 note=_("Diese Woche: Termin zwischen Montag und Sonntag der laufenden Woche. Überfällig: Termin "
                        "verstrichen, Gespräch nicht als geführt erfasst."))


def intro_calls_overdue(source: Source) -> Table:
    now = timezone.now()
    overdue = _scheduled(source).filter(intro_call_at__lt=now).select_related("user").order_by("intro_call_at", "pk")
    return waiting_work(source, overdue, label=lambda r: str(r.user), began="intro_call_at",
                        change="accounts_registration", with_time=True, slug="kennenlerngespraeche-ueberfaellig",
                        title=_("Überfällige Kennenlerngespräche, älteste zuerst"),
                        header=_("Person"), columns=[_("geplant für"), _("Tage überfällig")],
                        empty=_("Kein Kennenlerngespräch ist überfällig."))


def waiting_times(source: Source) -> Table:
    scope = source.scope
    stages = [(Figure.WAIT_INTRO, _("Anmeldung → Kennenlerngespräch")),
              (Figure.WAIT_APPROVAL, _("Kennenlerngespräch → Freigabe")),
              (Figure.WAIT_TANDEM, _("Freigabe → Tandem"))]
    days = [facts.select_days(source.facts, figure) for figure, _label in stages]
    columns = []
    for _figure, label in stages:
        columns += [_("%(stage)s: Median") % {"stage": label}, _("%(stage)s: 90. Perzentil") % {"stage": label},
                    _("%(stage)s: Anzahl") % {"stage": label}]
    rows = []
    for month in scope.months():
        values = []
        for stage in days:
            found = stage.get(month, [])
            values += [stats.median(found), stats.percentile(found, 0.9), len(found)]
        rows.append(Row(month_label(month), values, month=month))
    return Table(slug="wartezeiten", title=_("Wartezeiten in Tagen je Monat %(year)s") % {"year": scope.year},
                 header=_("Monat"), columns=columns, rows=rows, chart=Chart("months", [0, 3, 6]),
                 decimals=[1, 0, 0] * 3,
                 note=_("Kalendertage, gezählt im Monat, in dem der Schritt erreicht wurde; das Diagramm zeigt "
                        "die Mediane. Grundlage ist der Statusverlauf der Anmeldungen und der Beginn des ersten "
                        "Tandems."))


def waiting_mentees(source: Source) -> Table:
    """Mentees in the matching pool without an active Tandem, waiting since approval or their last Tandem's end.

    Who that is, is matching's ``pool_mentees`` (``accounts.rules.in_matching_pool``, a mentee
    role, no active Tandem); it is asked here with ``Exists`` instead of that selector's counts
    of every Tandem, which the engine needs and this list does not (a test holds both equal).
    """
    last_end = Subquery(Tandem.objects.filter(mentee=OuterRef("pk"), status=Tandem.Status.ENDED)
                        .order_by("-ended_at").values("ended_at")[:1])
    approved = F("user__registration__status_changed_at")
    active = Tandem.objects.filter(mentee=OuterRef("pk"), status=Tandem.Status.ACTIVE)
    waiting = (Profile.objects.filter(profile_in_matching_pool_q(), source.scope.people(""), role__in=MENTEE_ROLES)
               .exclude(Exists(active)).select_related("user", "organisation__federal_state")
               .annotate(since=Greatest(Coalesce(last_end, approved), approved), total=Window(Count("pk")))
               .order_by("since", "pk"))
    today = timezone.localdate()
    shown = list(source.cut(waiting))
    rows = [Row(str(p.user), [p.organisation.name, p.organisation.federal_state.name, *since(p.since, today)],
                url=reverse("admin:accounts_profile_change", args=[p.pk]))
            for p in shown]
    return Table(slug="wartende-mentees", title=_("Mentees ohne Tandem, längste Wartezeit zuerst"),
                 header=_("Mentee"), columns=[_("Organisation"), _("Bundesland"), _("wartet seit"), _("Tage")],
                 rows=rows, total_rows=(shown[0].total if shown else 0) if source.limit is not None else None,
                 empty=_("Niemand im Matching-Pool wartet auf ein Tandem."),
                 note=_("Gezählt ab der Freigabe oder dem Ende des letzten Tandems."))


def free_places(source: Source) -> Table:
    """Free places (capacity minus active Tandems) of the Mentor*innen in the matching pool, by competence topic.

    Who has a place, and how many, is matching's rule (``pool_mentors_with_capacity`` and its
    ``free_places``, one query); their competences are added up per topic.
    """
    free = dict(pool_mentors_with_capacity().filter(source.scope.people("")).prefetch_related(None)
                .values_list("pk", "free_places"))
    mentors, places = Counter(), Counter()
    for profile, topic in Competence.objects.filter(profile__in=list(free)).values_list("profile", "topic"):
        mentors[topic] += 1
        places[topic] += free[profile]
    rows = [Row(topic.label, [mentors[topic.pk], places[topic.pk]])
            for topic in Topic.objects.order_by("position", "pk")]
    return Table(slug="freie-plaetze", title=_("Freie Plätze der Mentor*innen nach Thema (heute)"),
                 header=_("Thema"), columns=[_("Mentor*innen mit freiem Platz"), _("freie Plätze")], rows=rows,
                 chart=Chart("hbar", [1]),
                 note=_("Eine Mentor*in zählt bei jedem Thema, in dem sie Kompetenzen angegeben hat."))
