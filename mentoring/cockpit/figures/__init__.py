"""Every table of the overview, by section; each table is also a CSV and Excel download under its slug.

Each table needs the admin's view permission on what it counts, as the model pages behind it
do: a staff member sees the figures of what they may read in admin (superusers see all).
"""
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from accounts.staff_groups import VIEW_EVALUATION, staff_may

from ..scope import Scope
from ..tables import Table
from . import evaluation, pipeline, reach, tandems
from .source import PAGE_ROWS, Source

# slug (the download's address; each builder's table carries the same) -> builder
TABLES: dict[str, Callable[[Source], Table]] = {
    "status": pipeline.status_now,
    "anmeldungen-je-monat": pipeline.per_month,
    "kennenlerngespraeche": pipeline.intro_calls,
    "kennenlerngespraeche-ueberfaellig": pipeline.intro_calls_overdue,
    "wartezeiten": pipeline.waiting_times,
    "wartende-mentees": pipeline.waiting_mentees,
    "freie-plaetze": pipeline.free_places,
    "tandems": tandems.tandem_counts,
    "ruhige-tandems": tandems.quiet_list,
    "tandems-gefaehrdet": tandems.at_risk,
    "treffen-je-monat": tandems.meetings_per_month,
    "a2-verteilung": tandems.a2_distribution,
    "a2-mentoring-tage": tandems.a2_days,
    "meldungen-alter": tandems.reports_age,
    "offene-meldungen": tandems.reports_open,
    "teilnehmende-bundesland": reach.participants_by_state,
    "teilnehmende-organisationstyp": reach.participants_by_org_type,
    "teilnehmende-foerderlinie": reach.participants_by_funding_line,
    "veranstaltungen": reach.events,
    "forum-je-monat": reach.forum_per_month,
    "forum-meldungen": reach.forum_reports_open,
    "befragung-ruecklauf": evaluation.response_rates,
    "zufriedenheit-je-monat": evaluation.satisfaction,
    "weiterempfehlung": evaluation.nps,
    "ziele-nach-thema": evaluation.goals_by_topic,
    "kompetenzzuwachs": evaluation.competence_growth,
    "gruende-fruehes-ende": evaluation.early_end_reasons,
}
# The evaluation page's tables, in page order (they are no section of the overview).
EVALUATION = ["befragung-ruecklauf", "zufriedenheit-je-monat", "weiterempfehlung", "ziele-nach-thema",
              "kompetenzzuwachs", "gruende-fruehes-ende"]
EVALUATION_PERMISSION = VIEW_EVALUATION

REGISTRATIONS, TANDEMS, REPORTS = ("accounts.view_registration", "matching.view_tandem",
                                   "matching.view_problemreport")
# The matching pool's figures need registrations too: Veranstaltungen read profiles to pick speakers only.
PROFILES = (REGISTRATIONS, "accounts.view_profile")
PERMISSIONS = {
    **dict.fromkeys(["status", "anmeldungen-je-monat", "kennenlerngespraeche", "kennenlerngespraeche-ueberfaellig",
                     "wartezeiten", "teilnehmende-bundesland", "teilnehmende-organisationstyp",
                     "teilnehmende-foerderlinie"], REGISTRATIONS),
    **dict.fromkeys(["wartende-mentees", "freie-plaetze", "a2-verteilung", "a2-mentoring-tage"], PROFILES),
    **dict.fromkeys(["tandems", "ruhige-tandems", "tandems-gefaehrdet", "treffen-je-monat"], TANDEMS),
    **dict.fromkeys(["meldungen-alter", "offene-meldungen"], REPORTS),
    "veranstaltungen": "events.view_event",
    "forum-je-monat": "forum.view_post",
    "forum-meldungen": "forum.change_report",
    **dict.fromkeys(EVALUATION, EVALUATION_PERMISSION),
}
# The funder report holds a little of everything.
REPORT_PERMISSIONS = (REGISTRATIONS, TANDEMS, "events.view_event", "forum.view_post")

# (anchor, heading, slugs of the section's tables in page order)
SECTIONS = [
    ("anmeldungen", _("Anmeldungen"), ["status", "anmeldungen-je-monat", "kennenlerngespraeche",
                                       "kennenlerngespraeche-ueberfaellig", "wartezeiten", "wartende-mentees",
                                       "freie-plaetze"]),
    ("tandems", _("Tandems"), ["tandems", "ruhige-tandems", "tandems-gefaehrdet", "treffen-je-monat",
                               "a2-verteilung", "a2-mentoring-tage",
                               "meldungen-alter", "offene-meldungen"]),
    ("reichweite", _("Reichweite"), ["teilnehmende-bundesland", "teilnehmende-organisationstyp",
                                     "teilnehmende-foerderlinie", "veranstaltungen", "forum-je-monat",
                                     "forum-meldungen"]),
]


def may_report(user) -> bool:
    """Whether ``user`` may download the funder report: it holds a little of everything."""
    return all(staff_may(user, perm) for perm in REPORT_PERMISSIONS)


def may_see(user, slug: str) -> bool:
    needed = PERMISSIONS.get(slug)
    if needed is None:
        return False
    return all(staff_may(user, perm) for perm in (needed if isinstance(needed, tuple) else (needed,)))


def overview(scope: Scope, user) -> list[tuple[str, str, list[Table]]]:
    """The page: every section with the tables ``user`` may see, long lists cut to their first rows."""
    source = Source(scope, limit=PAGE_ROWS)
    sections = [(anchor, heading, [TABLES[slug](source) for slug in slugs if may_see(user, slug)])
                for anchor, heading, slugs in SECTIONS]
    return [section for section in sections if section[2]]


def table(scope: Scope, slug: str) -> Table | None:
    """One table in full (every row), for its download; None for a slug that is no table."""
    builder = TABLES.get(slug)
    return builder(Source(scope, limit=None)) if builder is not None else None


def evaluation_tables(scope: Scope) -> list[Table]:
    """The evaluation page's tables (the view checks the permission)."""
    source = Source(scope, limit=None)
    return [TABLES[slug](source) for slug in EVALUATION]
