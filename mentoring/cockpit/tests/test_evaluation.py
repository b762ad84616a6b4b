"""The evaluation: every figure recomputed here from generated answers; no group of fewer than five
answers shows a figure (a property test); free text is for staff on the page only; permissions."""
import datetime
from collections import Counter

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Topic
from accounts.tests.factories import StaffFactory, UserFactory, topic
from matching.models import CheckIn, ClosingReview
from matching.tests.factories import TandemFactory
from mentoring.cockpit import figures
from mentoring.cockpit.figures.evaluation import TOO_FEW
from mentoring.cockpit.report.figures import funder_report
from mentoring.cockpit.scope import Scope

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
SLUGS = ["haushalt", "hitzeaktionsplan", "starkregen"]
REASONS = [value for value, _label in ClosingReview.EarlyEnd.choices]

answer = st.fixed_dictionaries({
    "nps": st.integers(0, 10),
    "is_mentee": st.booleans(),
    "goals": st.dictionaries(st.sampled_from(SLUGS), st.tuples(st.booleans(), st.integers(0, 3), st.integers(0, 3)),
                             min_size=1, max_size=3),
    "early": st.sampled_from(["", *REASONS]),
    "rating": st.integers(1, 5),
    "met": st.booleans(),
})


@pytest.fixture
def world():
    tandem = TandemFactory()
    return {"tandem": tandem, "users": [UserFactory(verified_email=False) for _ in range(14)],
            "topics": {slug: topic(slug).pk for slug in SLUGS}}


def store(world, answers: list[dict]) -> None:
    """Each answer is one person's closing review and Kurzbefragung, answered this month."""
    CheckIn.objects.all().delete()
    ClosingReview.objects.all().delete()
    now = timezone.now()
    for user, given_answer in zip(world["users"], answers, strict=False):
        goals = {str(world["topics"][slug]): values for slug, values in given_answer["goals"].items()}
        ClosingReview.objects.create(
            tandem=world["tandem"], user=user, is_mentee=given_answer["is_mentee"],
            early=bool(given_answer["early"]), answered_at=now, nps=given_answer["nps"],
            early_end_reason=given_answer["early"], goals_reached={k: v[0] for k, v in goals.items()},
            competence={k: [v[1], v[2]] for k, v in goals.items()}, helped="Die Gespräche halfen.")
        CheckIn.objects.create(tandem=world["tandem"], user=user, number=1, due_on=timezone.localdate(),
                               answered_at=now, rating=given_answer["rating"], met=given_answer["met"],
                               comment="Bitte mehr Termine.")


def tables() -> dict:
    return {table.slug: table for table in figures.evaluation_tables(Scope(year=YEAR))}


def masked(row) -> bool:
    return all(value == str(TOO_FEW) for value in row.values)


def nps_of(scores: list[int]) -> float:
    return round(100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores), 1)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.lists(answer, min_size=0, max_size=14))
def test_no_group_of_fewer_than_five_shows_a_figure_and_every_figure_matches(world, answers):
    store(world, answers)
    shown = tables()
    names = dict(Topic.objects.filter(slug__in=SLUGS).values_list("pk", "name"))
    by_name = {names[world["topics"][slug]]: slug for slug in SLUGS}

    # Weiterempfehlung: all, mentees, Mentor*innen.
    groups = [[a["nps"] for a in answers], [a["nps"] for a in answers if a["is_mentee"]],
              [a["nps"] for a in answers if not a["is_mentee"]]]
    # A side is shown only when both are: "alle" minus one shown side would give the other.
    sides_hidden = min(len(groups[1]), len(groups[2])) < 5
    for index, (row, scores) in enumerate(zip(shown["weiterempfehlung"].rows, groups, strict=True)):
        if len(scores) < 5 or (index and sides_hidden):
            assert masked(row), row
        else:
            assert row.values[0] == len(scores) and row.values[4] == nps_of(scores)

    # Goals reached and competence growth by topic.
    for row in shown["ziele-nach-thema"].rows:
        values = [a["goals"][by_name[row.label]] for a in answers if by_name[row.label] in a["goals"]]
        if len(values) < 5:
            assert masked(row)
        else:
            reached = sum(v[0] for v in values)
            assert row.values == [len(values), reached, round(100 * reached / len(values), 1)]
    for row in shown["kompetenzzuwachs"].rows:
        values = [a["goals"][by_name[row.label]] for a in answers if by_name[row.label] in a["goals"]]
        if len(values) < 5:
            assert masked(row)
        else:
            then, now = sum(v[1] for v in values) / len(values), sum(v[2] for v in values) / len(values)
            assert row.values == [len(values), round(then, 2), round(now, 2), round(now - then, 2)]

    # Early-end reasons, response rates, satisfaction this month.
    reasons = Counter(a["early"] for a in answers if a["early"])
    labels = dict(ClosingReview.EarlyEnd.choices)
    # Every reason or none: which rows there are tells nothing about who gave which reason.
    assert [row.label for row in shown["gruende-fruehes-ende"].rows] == ([str(label) for label in labels.values()]
                                                                         if reasons else [])
    for row in shown["gruende-fruehes-ende"].rows:
        count = next(reasons[value] for value, label in labels.items() if str(label) == row.label)
        assert masked(row) if count < 5 else row.values == [count]
    for row in shown["befragung-ruecklauf"].rows:
        assert row.values[0] == len(answers)
        assert masked(type(row)(row.label, row.values[1:])) if len(answers) < 5 else row.values[1:] == [
            len(answers), 100.0]
    month = timezone.localdate().replace(day=1)
    [this_month] = [row for row in shown["zufriedenheit-je-monat"].rows if row.month == month]
    if len(answers) < 5:
        assert masked(this_month)
    else:
        ratings = [a["rating"] for a in answers]
        assert this_month.values == [len(answers), round(sum(ratings) / len(ratings), 2),
                                     round(100 * sum(a["met"] for a in answers) / len(answers), 1)]
    # The property across every table: a row shows numbers only when at least five answered.
    for table in shown.values():
        for row in table.rows:
            assert masked(row) or table.slug == "befragung-ruecklauf" or row.values[0] >= 5


def test_staff_with_the_permission_see_the_page_and_free_text_stays_off_downloads(client, world):
    store(world, [{"nps": 10, "is_mentee": True, "goals": {"haushalt": (True, 1, 2)}, "early": "", "rating": 4,
                   "met": True}] * 6)
    assert len(figures.evaluation.free_texts(Scope(year=YEAR))) == 12
    store(world, [{"nps": 10, "is_mentee": True, "goals": {"haushalt": (True, 1, 2)}, "early": "", "rating": 4,
                   "met": True}] * 4)
    assert figures.evaluation.free_texts(Scope(year=YEAR)) == [], "four people: whose texts they are would show"
    store(world, [{"nps": 10, "is_mentee": True, "goals": {"haushalt": (True, 1, 2)}, "early": "", "rating": 4,
                   "met": True}] * 6)
    url = reverse("cockpit:evaluation")
    reader = StaffFactory(is_superuser=False)
    client.force_login(reader)
    assert client.get(url).status_code == 403
    reader.user_permissions.add(Permission.objects.get(codename="view_evaluation", content_type__app_label="matching"))
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Weiterempfehlung" in html and "Bitte mehr Termine." in html
    assert 'role="img"' in html and "<caption" in html
    assert client.get(url, {"jahr": "abc", "jahrgang": "x"}).status_code == 200
    for slug in figures.EVALUATION:
        for name in ("cockpit:table_csv", "cockpit:table_xlsx"):
            download = client.get(reverse(name, args=[slug]))
            assert download.status_code == 200
            assert b"Bitte mehr Termine" not in download.content and b"Gespr" not in download.content
    report = funder_report(year=YEAR)
    assert any(section.key == "Weiterempfehlung" for section in report.sections)
    assert "Bitte mehr Termine." not in str([section.rows for section in report.sections])


def test_the_overview_links_the_evaluation_for_those_who_may(client):
    client.force_login(StaffFactory())
    assert reverse("cockpit:evaluation") in client.get(reverse("admin:index")).content.decode()


def test_an_answer_counts_in_its_year_only(world):
    store(world, [{"nps": 10, "is_mentee": True, "goals": {"haushalt": (True, 1, 2)}, "early": "", "rating": 4,
                   "met": True}] * 5)
    last_year = {t.slug: t for t in figures.evaluation_tables(Scope(year=YEAR - 1))}
    assert all(masked(row) for row in last_year["weiterempfehlung"].rows)
    this_year = {t.slug: t for t in figures.evaluation_tables(Scope(year=YEAR))}
    assert this_year["weiterempfehlung"].rows[0].values[0] == 5


def test_the_privacy_page_and_the_consent_name_the_evaluation(client):
    from accounts.consents import CONSENT_TEXTS
    from accounts.models import Consent
    html = client.get("/datenschutz/").content.decode()
    assert "Kurzbefragungen" in html and "weniger als fünf Antworten" in html and "Fördermittelgeber" in html
    wording = CONSENT_TEXTS[Consent.Purpose.PROGRAMME]
    assert wording.version == "2026-11-26" and "ohne Namen aus" in wording.texts["de"]


def test_a_table_of_only_too_few_answers_draws_no_chart():
    """Every row guarded: the page shows the table alone, not an empty chart frame with a 0–1 axis."""
    from mentoring.cockpit import charts
    from mentoring.cockpit.figures.evaluation import TOO_FEW
    from mentoring.cockpit.tables import Chart, Row, Table

    guarded = Table(slug="t", title="T", header="Thema", columns=["Ziele", "erreicht"],
                    rows=[Row("Hitze", [str(TOO_FEW), str(TOO_FEW)])], chart=Chart("hbar", [1]))
    assert charts.chart(guarded) is None
    guarded.rows.append(Row("Starkregen", [6, 4]))
    assert charts.chart(guarded) is not None


def test_a_charts_numbers_follow_the_readers_language():
    """The bars' labels and what a screen reader hears: 4,38 in German, 4.38 in English, as the table."""
    from django.utils import translation

    from mentoring.cockpit import charts
    from mentoring.cockpit.tables import Chart, Row, Table

    table = Table(slug="t", title="T", header="Thema", columns=["Bewertung"],
                  rows=[Row("Hitze", [4.38]), Row("Starkregen", [16.5])], chart=Chart("hbar", [0]))
    with translation.override("de"):
        german = str(charts.render(charts.chart(table)))
    with translation.override("en"):
        english = str(charts.render(charts.chart(table)))
    assert "4,38" in german and "16,5" in german and "4.38" not in german
    assert "4.38" in english and "16.5" in english and "4,38" not in english


def test_a_filter_does_not_give_away_the_small_group_it_leaves_out(world):
    """All of September showed 8 answers, A.2 alone 5: the other 3, their ratings and how many met, followed by
    subtraction. A filtered row hides where one to four answers lie outside the filter; with none or five
    outside, it shows."""
    from accounts.tests.factories import participant

    def answered(tandem, users, rating):
        for user in users:
            CheckIn.objects.create(tandem=tandem, user=user, number=1, due_on=timezone.localdate(),
                                   answered_at=timezone.now(), rating=rating, met=True)

    in_a2 = TandemFactory(mentee=participant(funding_line="a2").profile)
    elsewhere = TandemFactory(mentee=participant(funding_line="a1").profile)
    month = timezone.localdate().replace(day=1)
    users = world["users"]

    def september(scope):
        table = {t.slug: t for t in figures.evaluation_tables(scope)}["zufriedenheit-je-monat"]
        return next(row for row in table.rows if row.month == month)

    answered(in_a2, users[:5], 5)
    answered(elsewhere, users[5:8], 1)
    assert september(Scope(year=YEAR)).values[0] == 8
    assert masked(september(Scope(year=YEAR, funding_line="a2"))), "8 - 5 would give the other three away"
    answered(elsewhere, users[8:10], 1)
    assert september(Scope(year=YEAR, funding_line="a2")).values[:2] == [5, 5.0], "five outside: shown"
    CheckIn.objects.filter(tandem=elsewhere).delete()
    assert september(Scope(year=YEAR, funding_line="a2")).values[0] == 5, "nobody outside: shown"


def test_a_table_with_three_filters_reads_each_wider_scope_once():
    """Three filters open eight scopes (each filter on or off); the guard reaches several of them along more than
    one path and built them again each time (16 builds, each a handful of queries)."""
    from accounts.models import FederalState, ProgrammeYear
    from mentoring.cockpit.figures.evaluation import beside_wider_scopes
    from mentoring.cockpit.figures.source import Source
    from mentoring.cockpit.tables import Row, Table

    built = Counter()

    @beside_wider_scopes(count_column=0)
    def counted(source):
        built[(source.scope.state, source.scope.funding_line, source.scope.cohort)] += 1
        return Table(slug="t", title="t", header="h", columns=["n"], rows=[Row("alle", [5])])

    scope = Scope(year=YEAR, state=FederalState.objects.first(), funding_line="a2",
                  cohort=ProgrammeYear.objects.create(label="2026/27", opens_on=datetime.date(YEAR, 1, 1)))
    counted(Source(scope))
    assert len(built) == 8 and set(built.values()) == {1}
