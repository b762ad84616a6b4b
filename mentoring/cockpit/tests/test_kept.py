"""Figures of past months stay the same when registrations are deleted (retention rules or a person's erasure)."""
import datetime

import pytest
import time_machine

from accounts.models import FederalState, Registration, User
from accounts.services import user_delete
from accounts.tests.factories import retention_run_at
from events.models import EventRegistration
from matching.models import Tandem
from mentoring.cockpit import figures
from mentoring.cockpit.models import ErasedFigure
from mentoring.cockpit.report import funder_report
from mentoring.cockpit.scope import Scope

from .programme import NOW, programme

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
# Figures of months and years; "today" figures (status now, waiting now …) change with a deletion by nature.
PAST = ["anmeldungen-je-monat", "wartezeiten", "teilnehmende-bundesland", "teilnehmende-organisationstyp",
        "teilnehmende-foerderlinie", "treffen-je-monat", "veranstaltungen", "forum-je-monat"]
REGISTRATION_FIGURES = PAST[:5]


def snapshot(years=(2025, 2026)) -> dict:
    found = {}
    for year in years:
        for state in (None, "06"):
            scope = Scope(year=year, state=None if state is None else _state(state))
            for slug in PAST if state is None else REGISTRATION_FIGURES:
                found[(year, state, slug)] = [(row.label, row.values) for row in figures.table(scope, slug).rows]
        report = funder_report(year=year)
        found[(year, "report")] = [(s.title, s.rows, s.grid.values, s.grid.marks) for s in report.sections]
    return found


def _state(code):
    return FederalState.objects.get(code=code)


def test_a_retention_run_keeps_every_past_figure():
    with time_machine.travel(NOW, tick=False):
        programme(42, seed=21)
    closed = set(Registration.objects.filter(status__in=("rejected", "withdrawn")).values_list("user_id", flat=True))
    retention_run_at(NOW)
    later = NOW + 15 * DAY
    with time_machine.travel(later, tick=False):
        before = snapshot()
    result = retention_run_at(later)
    assert result["closed_registrations"]["deleted"] >= 3, result
    gone = closed - set(User.objects.values_list("pk", flat=True))
    assert len(gone) == result["closed_registrations"]["deleted"]
    assert ErasedFigure.objects.exists()
    with time_machine.travel(later, tick=False):
        after = snapshot()
    assert after == before


def test_a_person_erasing_their_account_keeps_past_months_and_counts_as_withdrawn_now(frozen):
    data = programme(42, seed=5)
    tandem = next(t for t in data["tandems"] if t.status == Tandem.Status.ACTIVE and t.meetings.exists())
    leaver = tandem.mentee.user
    EventRegistration.objects.filter(user=leaver).update(attended=False)
    before = snapshot()
    totals_before = [s.grid.values[-1][-1] for s in funder_report(year=2026).sections[:4]]
    user_delete(user=leaver)
    after = snapshot()
    changed = {key for key in before if before[key] != after[key]}
    # Only this month's "zurückgezogen" (the erasure withdraws the registration) and, in the report, the
    # Tandem's place: it now counts under "ohne Angabe", with the same totals.
    assert changed <= {(2026, None, "anmeldungen-je-monat"), (2026, "report")}, changed
    this_month = dict(after[(2026, None, "anmeldungen-je-monat")])["November 2026"]
    assert this_month[-1] == dict(before[(2026, None, "anmeldungen-je-monat")])["November 2026"][-1] + 1
    months = [label for label, _values in before[(2026, None, "anmeldungen-je-monat")]]
    assert [dict(after[(2026, None, "anmeldungen-je-monat")])[m] for m in months[:-1]] == [
        dict(before[(2026, None, "anmeldungen-je-monat")])[m] for m in months[:-1]]
    report = funder_report(year=2026)
    assert [s.grid.values[-1][-1] for s in report.sections[:4]] == totals_before
    assert "ohne Angabe" in report.sections[1].rows, "the Tandem counts without a Bundesland now"
    assert {f.name for f in ErasedFigure._meta.get_fields()} == {
        "id", "period", "figure", "state", "org_type", "funding_line", "days", "count"}, "no link to a person"


def test_erasure_keeps_a_no_show_on_a_past_event(frozen):
    programme(20, seed=8)
    place = EventRegistration.objects.filter(status="confirmed", attended=False, event__starts_at__lt=NOW,
                                             event__status="published").select_related("user").first()
    scope = Scope(year=2026)
    before = figures.table(scope, "veranstaltungen").rows
    user_delete(user=place.user)
    after = figures.table(scope, "veranstaltungen").rows
    assert [row.values for row in after] == [row.values for row in before]
    place.event.refresh_from_db()
    assert (place.event.former_places, place.event.former_no_shows) == (1, 1)
