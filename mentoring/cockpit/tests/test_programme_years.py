"""Jahrgänge: staff open and close them, new registrations and Tandems join the open one,
and the overview and the funder report narrow to one."""
import datetime

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.models import ProgrammeYear
from accounts.tests.factories import StaffFactory, participant
from matching import services
from matching.models import Proposal
from matching.tests.factories import MatchRunFactory, TandemFactory
from mentoring.cockpit import figures
from mentoring.cockpit.report.figures import funder_report
from mentoring.cockpit.scope import Scope

pytestmark = pytest.mark.django_db


def year(label: str, *, opens: datetime.date, open_: bool = False) -> ProgrammeYear:
    return ProgrammeYear.objects.create(label=label, opens_on=opens, is_open=open_)


def test_opening_a_year_closes_the_one_open_before():
    old = year("2025", opens=datetime.date(2025, 1, 1), open_=True)
    new = year("2026", opens=datetime.date(2026, 1, 1))
    account_services.programme_year_open(year=new)
    old.refresh_from_db()
    assert new.is_open and not old.is_open and old.closes_on is not None
    assert ProgrammeYear.current() == new


def test_staff_open_and_close_a_year_in_admin(client):
    client.force_login(StaffFactory())
    target = year("2026", opens=datetime.date(2026, 1, 1))
    url = reverse("admin:accounts_programmeyear_changelist")
    assert client.get(url).status_code == 200
    client.post(url, {"action": "open_year", "_selected_action": [target.pk]})
    target.refresh_from_db()
    assert target.is_open
    client.post(url, {"action": "close_year", "_selected_action": [target.pk]})
    target.refresh_from_db()
    assert not target.is_open and target.closes_on is not None


def test_a_confirmed_tandem_joins_the_open_year():
    current = year("2026", opens=datetime.date(2026, 1, 1), open_=True)
    mentee, mentor = participant(needs=["haushalt"]), participant(mentor=True, competences=["haushalt"])
    proposal = Proposal.objects.create(run=MatchRunFactory(), mentee=mentee.profile, mentor=mentor.profile, score=1)
    tandem = services.proposal_confirm(proposal=proposal, by=StaffFactory())
    assert tandem.programme_year == current


def test_the_overview_counts_only_the_chosen_years_tandems():
    first = year("2025", opens=datetime.date(2025, 1, 1))
    second = year("2026", opens=datetime.date(2026, 1, 1), open_=True)
    TandemFactory(programme_year=first)
    TandemFactory(programme_year=second)
    TandemFactory(programme_year=second)
    today = datetime.date.today()
    for cohort, active in ((None, 3), (first, 1), (second, 2)):
        table = figures.table(Scope(year=today.year, cohort=cohort), "tandems")
        assert table.rows[0].values == [active]


def test_the_overview_filter_and_the_report_take_a_year(client):
    cohort = year("2026", opens=datetime.date(2026, 1, 1), open_=True)
    TandemFactory(programme_year=cohort)
    client.force_login(StaffFactory())
    response = client.get(reverse("admin:index"), {"jahrgang": cohort.pk})
    assert response.status_code == 200 and "Jahrgang 2026" in response.content.decode()
    assert client.get(reverse("admin:index"), {"jahrgang": "kein"}).status_code == 200
    this_year = datetime.date.today().year
    report = funder_report(year=this_year, cohort=cohort)
    assert report.cohort == cohort and report.sections[1].grid.values[-1][-1] == 1
    download = client.get(reverse("cockpit:report"), {"jahr": this_year, "format": "xlsx", "jahrgang": cohort.pk})
    assert download.status_code == 200 and "jahrgang" in download["Content-Disposition"]


def test_the_data_migration_puts_existing_rows_into_the_jahrgang_of_their_day():
    import importlib

    from django.apps import apps

    from accounts.models import Registration
    years = importlib.import_module("accounts.migrations.0012_programme_years")
    tandems = importlib.import_module("matching.migrations.0008_tandem_programme_year")
    old = participant()
    Registration.objects.filter(user=old).update(submitted_at=datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.UTC))
    TandemFactory()
    Registration.objects.update(programme_year=None)
    years.assign_registrations(apps, None)
    tandems.assign_tandems(apps, None)
    this_year = str(datetime.date.today().year)
    assert set(ProgrammeYear.objects.values_list("label", flat=True)) == {"2024", this_year}
    assert Registration.objects.get(user=old).programme_year.label == "2024"
    assert ProgrammeYear.current().label == this_year, "the newest year is the open one"
    from matching.models import Tandem
    assert all(t.programme_year.label == this_year for t in Tandem.objects.all())


@pytest.mark.parametrize(("others", "hidden"), [(1, True), (5, False)])
def test_a_jahrgang_s_report_hides_what_the_whole_programme_s_report_would_give_away(others, hidden):
    """The whole programme's report shows 8 Tandems and the Jahrgang's 7: their difference is the one Tandem of the
    other Jahrgang, which that Jahrgang's own report hides. Five left out are no small group: the figure stays."""
    first = year("2025", opens=datetime.date(2025, 1, 1))
    second = year("2026", opens=datetime.date(2026, 1, 1), open_=True)
    for _n in range(7):
        TandemFactory(programme_year=first)
    for _n in range(others):
        TandemFactory(programme_year=second)
    this_year = datetime.date.today().year
    whole = funder_report(year=this_year).sections[1].grid
    assert whole.shown(len(whole.values) - 1, len(whole.values[-1]) - 1) == 7 + others
    report = funder_report(year=this_year, cohort=first)
    grid = report.sections[1].grid
    total = grid.shown(len(grid.values) - 1, len(grid.values[-1]) - 1)
    assert total == ("x" if hidden else 7)
    assert dict(report.summary)["Tandems"] == total
