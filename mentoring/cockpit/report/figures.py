"""The yearly report for the funder: aggregated figures, no names, small cells hidden (``suppression``).

Teilnehmer*innen count under their own Bundesland and funding line (as in the overview).
Tandems and their meetings count under the mentee's, the person the programme supports;
mentoring days are the Mentor*innen's contribution (the A.2 obligation is theirs) and count
under the Mentor*in's. A side whose account was erased counts under "ohne Angabe".
"""
import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.choices import FundingLine
from accounts.models import FederalState
from matching.models import Meeting, Tandem
from matching.selectors import counted
from matching.services.statements import MINUTES_PER_DAY

from .. import facts
from ..figures import reach
from ..figures.source import Source
from ..scope import Scope
from .suppression import Grid, suppress


@dataclass
class ReportSection:
    key: str  # the Excel sheet's name
    title: str
    row_header: str
    rows: list[str]
    columns: list[str]
    grid: Grid
    total_label: str  # the column of row sums; also the row of column sums unless sum_row_label says otherwise
    note: str = ""
    decimals: int = 0
    sum_row_label: str = ""


@dataclass
class FunderReport:
    year: int
    created: datetime.date
    sections: list[ReportSection]
    summary: list[tuple[str, object]] = field(default_factory=list)  # (figure, what the report shows)
    cohort: object = None  # the Jahrgang the report is narrowed to, if any


def short_funding_line(value: str, label: str) -> str:
    """"A.1", "A.2", "A.3", "AnPaSo", "Landesprogramm", "keine Förderung": the column heads."""
    return label.split(" ")[0] if value in (FundingLine.A1, FundingLine.A2, FundingLine.A3, FundingLine.ANPASO) \
        else label


def unknown_heading() -> str:
    """A row or column of the report's tables for counts without that dimension (``facts.UNKNOWN``)."""
    return _("ohne Angabe")


def _matrix(counts: Counter, contributors: Counter | None = None, outside: Counter | None = None):
    """Rows (Bundesländer), columns (funding lines) and cells of a count keyed by (state code, funding line), with
    the same cells of ``contributors`` and ``outside`` (``suppression.suppress``) where given."""
    states = list(FederalState.objects.order_by("name").values_list("code", "name"))
    lines = [(value, short_funding_line(value, str(label))) for value, label in FundingLine.choices]
    keys = [*counts, *(outside or ())]
    if any(state == facts.UNKNOWN for state, _line in keys):
        states.append((facts.UNKNOWN, unknown_heading()))
    if any(line == facts.UNKNOWN for _state, line in keys):
        lines.append((facts.UNKNOWN, unknown_heading()))

    def cells(counter: Counter | None):
        if counter is None:
            return None
        return [[counter.get((state, line), 0) for line, _label in lines] for state, _name in states]

    return ([name for _code, name in states], [label for _value, label in lines], cells(counts), cells(contributors),
            cells(outside))


def _key(row: dict) -> tuple[str, str]:
    return row["state"] or facts.UNKNOWN, row["line"] or facts.UNKNOWN


def _side(prefix: str) -> dict:
    return {"state": F(f"{prefix}organisation__federal_state__code"), "line": F(f"{prefix}funding_line")}


def _participant_counts(registration_facts: Counter) -> Counter:
    counts = Counter()
    for fact, count in registration_facts.items():
        if fact.figure == facts.Figure.PARTICIPANT:
            counts[(fact.state, fact.funding_line)] += count
    return counts


def participants(year: int, registration_facts: Counter, whole_programme: Counter | None = None) -> ReportSection:
    """``whole_programme``: the registration facts without the Jahrgang, when the report is narrowed to one."""
    counts = _participant_counts(registration_facts)
    outside = _participant_counts(whole_programme) - counts if whole_programme is not None else None
    rows, columns, values, _behind, left_out = _matrix(counts, outside=outside)
    return ReportSection(key=_("Teilnehmende"), title=_("Teilnehmer*innen %(year)s nach Bundesland und Förderlinie")
                         % {"year": year}, row_header=_("Bundesland"), rows=rows, columns=columns,
                         grid=suppress(values, outside=left_out), total_label=_("Summe"),
                         note=_("Teilnehmer*in des Jahres ist, wer vor seinem Ende freigegeben war und nicht vor "
                                "seinem Beginn ausgeschieden ist."))


def _in_cohort(year: int, cohort, prefix: str = "") -> tuple[Q, Q | None]:
    """The Tandems (at ``prefix``) a report counts, and those of the whole programme it leaves out (None for the
    whole programme's report): their figures stand in that report, so a small group of them must not show."""
    inside = Scope(year=year, cohort=cohort).tandems(prefix)
    return inside, (~inside if cohort is not None else None)


def _tandem_counts(year: int, where: Q) -> Counter:
    scope = Scope(year=year)
    during = Tandem.objects.filter(where, started_at__lt=scope.end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=scope.start))
    return Counter({_key(r): r["n"] for r in during.order_by().values(**_side("mentee__")).annotate(n=Count("pk"))})


def tandems(year: int, cohort=None) -> ReportSection:
    inside, left_out = _in_cohort(year, cohort)
    counts = _tandem_counts(year, inside)
    rows, columns, values, _behind, outside = _matrix(
        counts, outside=_tandem_counts(year, left_out) if left_out is not None else None)
    return ReportSection(key=_("Tandems"), title=_("Tandems %(year)s nach Bundesland und Förderlinie des Mentees")
                         % {"year": year}, row_header=_("Bundesland"), rows=rows, columns=columns,
                         grid=suppress(values, outside=outside), total_label=_("Summe"),
                         note=_("Gezählt ist jedes Tandem, das im Jahr bestand."))


def _meetings(year: int, where: Q):
    return Meeting.objects.filter(counted(), where, date__year=year).order_by()


def _meeting_grid(year: int, cohort, *, side: str, amount, behind: str, per: int = 1):
    """Counted meetings of the year by the Bundesland and funding line of one side of their Tandem (``side``):
    ``amount`` per cell (divided by ``per``), the people or Tandems behind each (``behind``, counted once), and
    those the report leaves out (``_in_cohort``), for the suppression."""
    def sums(where: Q) -> tuple[Counter, Counter]:
        amounts, contributors = Counter(), Counter()
        for r in _meetings(year, where).values(**_side(f"tandem__{side}__")).annotate(
                amount=amount, behind=Count(behind, distinct=True)):
            amounts[_key(r)] = r["amount"] if per == 1 else r["amount"] / per
            contributors[_key(r)] = r["behind"]
        return amounts, contributors

    inside, left_out = _in_cohort(year, cohort, "tandem__")
    amounts, contributors = sums(inside)
    rows, columns, values, behind_cells, outside = _matrix(
        amounts, contributors, sums(left_out)[1] if left_out is not None else None)
    return rows, columns, suppress(values, contributors=behind_cells, outside=outside)


def meetings(year: int, cohort=None) -> ReportSection:
    rows, columns, grid = _meeting_grid(year, cohort, side="mentee", amount=Count("pk"), behind="tandem")
    return ReportSection(key=pgettext("Mehrzahl", "Treffen"),
                         title=_("Treffen %(year)s nach Bundesland und Förderlinie des Mentees") % {"year": year},
                         row_header=_("Bundesland"), rows=rows, columns=columns, grid=grid, total_label=_("Summe"),
                         note=_("Bestätigte Treffen. Eine Zelle, hinter der weniger als fünf Tandems stehen, ist "
                                "verdeckt."))


def mentoring_days(year: int, cohort=None) -> ReportSection:
    rows, columns, grid = _meeting_grid(year, cohort, side="mentor", amount=Sum("duration_minutes"),
                                        behind="tandem__mentor", per=MINUTES_PER_DAY)
    return ReportSection(key=_("Mentoring-Tage"), title=_("Mentoring-Tage %(year)s nach Bundesland und Förderlinie der "
                                                          "Mentor*in") % {"year": year},
                         row_header=_("Bundesland"), rows=rows, columns=columns, grid=grid, total_label=_("Summe"),
                         decimals=1,
                         note=_("8 Stunden bestätigter Treffen sind ein Tag. Eine Zelle, hinter der weniger als fünf "
                                "Mentor*innen stehen, ist verdeckt."))


def events(year: int) -> ReportSection:
    table = reach.events(Source(Scope(year=year), limit=None), held_only=True)
    rows, values = [], []
    for row in table.rows:
        date, registered, attended, no_shows = row.values
        rows.append(f"{row.label} ({date})")
        values.append([attended, no_shows, registered - attended - no_shows])
    return ReportSection(key=_("Veranstaltungen"), title=_("Veranstaltungen %(year)s: Anmeldungen und Teilnahme")
                         % {"year": year}, row_header=_("Veranstaltung"), rows=rows,
                         columns=[_("teilgenommen"), _("nicht erschienen"), _("nicht erfasst")],
                         grid=suppress(values), total_label=_("angemeldet"), sum_row_label=_("Summe"),
                         note=_("Angemeldet sind die bestätigten Plätze; „nicht erfasst“: Teilnahme nicht "
                                "eingetragen. Es zählen die Veranstaltungen, die schon stattgefunden haben; abgesagte "
                                "zählen nicht mit."))


def forum(year: int) -> ReportSection:
    table = reach.forum_per_month(Source(Scope(year=year), limit=None))
    return ReportSection(key=_("Forum"), title=_("Forum %(year)s: neue Themen und Antworten je Monat") % {"year": year},
                         row_header=_("Monat"), rows=[row.label for row in table.rows], columns=table.columns,
                         grid=suppress([row.values for row in table.rows], row_totals=False),
                         total_label=_("Summe"))


def evaluation_sections(year: int, cohort=None) -> list[ReportSection]:
    """The evaluation's tables as report sections; a group with fewer than five answers is already masked."""
    from ..figures import evaluation_tables
    keys = {"befragung-ruecklauf": _("Rücklauf"), "zufriedenheit-je-monat": _("Zufriedenheit"),
            "weiterempfehlung": _("Weiterempfehlung"), "ziele-nach-thema": _("Ziele"),
            "kompetenzzuwachs": _("Kompetenz"), "gruende-fruehes-ende": _("Frühes Ende")}
    sections = []
    for table in evaluation_tables(Scope(year=year, cohort=cohort)):
        values = [[value if isinstance(value, (int, float)) else 0 for value in row.values] for row in table.rows]
        marks = [["–" if value is None else value if isinstance(value, str) else "" for value in row.values]
                 for row in table.rows]
        sections.append(ReportSection(key=keys[table.slug], title=table.title, row_header=table.header,
                                      rows=[row.label for row in table.rows], columns=table.columns,
                                      grid=Grid(values=values, marks=marks, row_totals=False, column_totals=False),
                                      total_label="", note=table.note, decimals=1))
    return sections


def _grand_total(section: ReportSection):
    """The table's overall sum as the overview shows it: its mark, or the figure to the table's places, half up
    (the workbook's overview held 18.59375 days beside 18,6 on the sheet and in the PDF)."""
    grid = section.grid
    shown = grid.shown(len(grid.values) - 1, len(grid.values[-1]) - 1)
    if isinstance(shown, float):
        places = Decimal(1).scaleb(-section.decimals)
        shown = float(Decimal(str(shown)).quantize(places, rounding=ROUND_HALF_UP))
    return shown


def _event_count(count: int):
    return suppress([[count]], row_totals=False, column_totals=False).shown(0, 0)


def funder_report(*, year: int, cohort=None) -> FunderReport:
    """The report of a year that has begun (a later year has nothing to report).

    With a Jahrgang (``cohort``) its participants, Tandems, meetings and mentoring days only;
    events and the forum belong to no Jahrgang and stay the whole programme's. A narrowed cell is hidden where
    the whole programme's report shows the same cell and one to four are left out of it (``suppress(outside=)``).
    """
    if year > timezone.localdate().year:
        raise ValueError(f"{year} has not begun")
    registration_facts = facts.facts_for_year(year, Scope(year=year, cohort=cohort) if cohort else None)
    whole_programme = facts.facts_for_year(year) if cohort else None
    people, pairs, meeting_section, days = (participants(year, registration_facts, whole_programme),
                                            tandems(year, cohort), meetings(year, cohort), mentoring_days(year, cohort))
    event_section, forum_section = events(year), forum(year)
    events_grid, forum_grid = event_section.grid, forum_section.grid
    last_event, last_month = len(events_grid.values) - 1, len(forum_grid.values) - 1
    summary = [
        (_("Teilnehmer*innen"), _grand_total(people)),
        (_("Tandems"), _grand_total(pairs)),
        (pgettext("Mehrzahl", "Treffen"), _grand_total(meeting_section)),
        (_("Mentoring-Tage"), _grand_total(days)),
        (_("Veranstaltungen"), _event_count(len(event_section.rows))),
        (_("Plätze bei Veranstaltungen (angemeldet)"), events_grid.shown(last_event, 3) if event_section.rows else 0),
        (_("davon teilgenommen"), events_grid.shown(last_event, 0) if event_section.rows else 0),
        (_("neue Themen im Forum"), forum_grid.shown(last_month, 0)),
        (_("Antworten im Forum"), forum_grid.shown(last_month, 1)),
    ]
    sections = [people, pairs, meeting_section, days, event_section, forum_section,
                *evaluation_sections(year, cohort)]
    return FunderReport(year=year, created=timezone.localdate(), sections=sections, summary=summary, cohort=cohort)
