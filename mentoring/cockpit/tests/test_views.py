"""The overview on /admin/: staff only, filters without a 500, flat query counts, downloads, language."""
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import StaffFactory, participant
from mentoring.cockpit import figures

from .programme import NOW, programme

pytestmark = pytest.mark.django_db
DOWNLOADS = [reverse("cockpit:table_csv", args=["status"]), reverse("cockpit:table_xlsx", args=["wartende-mentees"]),
             reverse("cockpit:report") + "?jahr=2026&format=xlsx", reverse("cockpit:report") + "?jahr=2026&format=pdf"]


def test_admin_opens_on_the_overview_with_every_admin_area_below(client, generated):
    client.force_login(generated["staff"])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Übersicht</h1>" in html
    for anchor, heading, slugs in figures.SECTIONS:
        assert f'id="{anchor}"' in html and str(heading) in html
        for slug in slugs:
            assert f'id="zahlen-{slug}"' in html and reverse("cockpit:table_csv", args=[slug]) in html
    assert reverse("admin:accounts_registration_changelist") in html, "the list of admin areas stays reachable"
    assert reverse("admin:matching_tandem_changelist") in html and 'href="#verwaltung"' in html
    charts = re.findall(r'<svg class="cockpit-svg"[^>]*role="img" aria-label="([^"]+)"', html)
    assert len(charts) >= 12 and all(name.startswith("Diagramm: ") for name in charts)
    assert html.count("<caption") >= 19 and 'scope="col"' in html and 'scope="row"' in html
    assert "<script" not in html.split('id="content-main"')[1].split('id="verwaltung"')[0], "no script for charts"


def test_overview_needs_staff(client, generated):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    for url in DOWNLOADS:
        assert client.get(url).status_code == 302
    client.force_login(participant())
    for url in [reverse("admin:index"), *DOWNLOADS]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), url
        assert "Wartezeiten" not in response.content.decode()


@pytest.mark.parametrize("query", [
    {"jahr": "abc"}, {"jahr": "1900"}, {"jahr": "99999999999999999999"}, {"land": "9999"}, {"land": "'; DROP"},
    {"foerderung": "a9"}, {"jahr": ["2025", "2026"], "land": ["09", "06"]}, {"jahr": "２０２６"},
])
def test_wrong_filters_show_a_german_error_never_a_500(client, frozen, query):
    client.force_login(StaffFactory())
    response = client.get(reverse("admin:index"), query)
    assert response.status_code == 200
    html = response.content.decode()
    if not isinstance(query.get("jahr"), list):  # repeated parameters: the last one counts, and it is valid
        assert "Bitte eine gültige Auswahl treffen" in html and 'class="cockpit-error"' in html
    assert "Gezeigt: 2026" in html, "the defaults stand in for the wrong value"
    for slug in ("status", "veranstaltungen"):
        assert client.get(reverse("cockpit:table_csv", args=[slug]), query).status_code == 200


def test_a_filter_narrows_every_figure(client, generated):
    client.force_login(generated["staff"])
    response = client.get(reverse("admin:index"), {"jahr": "2026", "land": "06", "foerderung": "a2"})
    scope = response.context["scope"]
    assert (scope.year, scope.state.code, scope.funding_line) == (2026, "06", "a2")
    assert "Gezeigt: 2026, Hessen, A.2 Umsetzungs- / Anschlussvorhaben" in response.content.decode()
    link = reverse("cockpit:table_csv", args=["status"]) + "?jahr=2026&amp;land=06&amp;foerderung=a2"
    assert link in response.content.decode(), "downloads carry the filter"


def test_staff_see_the_figures_of_what_they_may_read_in_admin(client, generated):
    """A staff member who may read registrations, but not Tandems, events or the forum (no superuser)."""
    reader = StaffFactory(is_superuser=False)
    reader.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(reader)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="anmeldungen"' in html and 'id="zahlen-status"' in html and 'id="zahlen-wartezeiten"' in html
    assert 'id="tandems"' not in html and 'id="zahlen-tandems"' not in html
    assert 'id="zahlen-wartende-mentees"' not in html and 'id="zahlen-veranstaltungen"' not in html
    assert 'id="bericht"' not in html, "the report holds Tandems, events and the forum too"
    assert client.get(reverse("cockpit:table_csv", args=["status"])).status_code == 200
    assert client.get(reverse("cockpit:table_csv", args=["ruhige-tandems"])).status_code == 403
    assert client.get(reverse("cockpit:report"), {"jahr": 2026, "format": "pdf"}).status_code == 403
    nobody = StaffFactory(is_superuser=False)
    client.force_login(nobody)
    html = client.get(reverse("admin:index")).content.decode()
    assert "fehlen Ihnen die Leserechte" in html and 'id="anmeldungen"' not in html and 'id="verwaltung"' in html


def test_unknown_table_and_wrong_report_input(client, frozen):
    client.force_login(StaffFactory())
    assert client.get(reverse("cockpit:table_csv", args=["gibt-es-nicht"])).status_code == 404
    response = client.get(reverse("cockpit:report"), {"jahr": "abc", "format": "doc"})
    assert response.status_code == 302 and response["Location"].endswith("#bericht")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Berichtsjahr" in m and "gültige Auswahl" in m for m in messages)
    assert any("Format" in m for m in messages)


def test_downloads_have_file_names_and_types(client, generated):
    client.force_login(generated["staff"])
    expected = [("text/csv; charset=utf-8", "status-2026.csv"),
                ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "wartende-mentees-2026.xlsx"),
                ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "bericht-foerdermittelgeber-2026.xlsx"),
                ("application/pdf", "bericht-foerdermittelgeber-2026.pdf")]
    for url, (content_type, name) in zip(DOWNLOADS, expected, strict=True):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_the_overview_speaks_the_staff_members_language(client, frozen):
    staff = StaffFactory(language="en")
    client.force_login(staff)
    html = client.get(reverse("admin:index")).content.decode()
    assert '<html lang="en"' in html
    # Reference data the programme ships is read in English too (organisation types of the reach tables).
    csv = client.get(reverse("cockpit:table_csv", args=["teilnehmende-organisationstyp"])).content.decode()
    assert "rural district (Landkreis)" in csv and "Landkreis (Kreis)" not in csv
    staff.language = "de"
    staff.save()
    assert '<html lang="de"' in client.get(reverse("admin:index")).content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_count_does_not_grow_with_the_participants(client):
    """10 and then 40 participants (with their Tandems, meetings, events and posts): the same queries."""
    with time_machine.travel(NOW, tick=False):
        staff = programme(10, seed=3)["staff"]
        client.force_login(staff)
        urls = [reverse("admin:index"), reverse("admin:index") + "?land=06&foerderung=a2", *DOWNLOADS,
                *(reverse("cockpit:table_csv", args=[slug]) for slug in figures.TABLES)]
        few = [count_queries(client, url) for url in urls]
        programme(30, seed=4)
        many = [count_queries(client, url) for url in urls]
    assert few == many
    assert few[0] < 60


class FigureTables(HTMLParser):
    """The overview's figure tables as the page shows them: slug -> body rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.slug = None
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and "cockpit-figure" in (attrs.get("class") or "").split():
            self.slug = attrs["id"].removeprefix("zahlen-")
            self.tables[self.slug] = []
        elif tag == "p" and "cockpit-empty" in (attrs.get("class") or "").split():
            self.slug = None  # an empty figure has no table: what follows is not its
        elif tag == "tr" and self.slug:
            self.row = []
        elif tag in ("th", "td") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.tables[self.slug].append(self.row)
            self.row = None
        elif tag == "table":
            self.slug = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


@pytest.mark.parametrize("query", [{"jahr": "2026"}, {"jahr": "2026", "land": "06"},
                                   {"jahr": "2025", "land": "09", "foerderung": "a1"}])
def test_the_page_shows_every_figure_of_its_tables(client, generated, query):
    """Every cell of every figure table on the overview and the evaluation page is the table's value (each
    table's values are compared with counts from the rows in test_figures), in German number format, for the
    filter in the address."""
    from django.utils import translation

    from mentoring.cockpit.forms import OverviewFilter, years

    client.force_login(generated["staff"])
    parser = FigureTables()
    parser.feed(client.get(reverse("admin:index"), query).content.decode())
    parser.feed(client.get(reverse("cockpit:evaluation"), query).content.decode())  # the answers' tables
    scope = OverviewFilter(query, year_choices=years()).scope()
    with translation.override("de"):
        on_pages = [table for _a, _h, tables in figures.overview(scope, generated["staff"]) for table in tables]
        on_pages += figures.evaluation_tables(scope)
        shown = {table.slug: [[row.label, *(text for text, _number in cells)] for row, cells in table.lines]
                 for table in on_pages}
        full = {slug: figures.table(scope, slug) for slug in figures.TABLES}
    assert set(parser.tables) == set(figures.TABLES)
    compared = 0
    for slug, rows in parser.tables.items():
        head, *body = rows if rows else [[]]
        if not full[slug].rows:
            assert rows == [], slug
            continue
        assert head == [str(full[slug].header), *map(str, full[slug].columns)], slug
        assert body == shown[slug], slug
        assert [row[0] for row in body] == [row.label for row in full[slug].rows][:len(body)], slug
        compared += sum(len(row) - 1 for row in body)
    assert compared > 200, "the page showed figures"


@pytest.mark.django_db
def test_moderation_sees_open_forum_reports_oldest_first(client):
    """The Moderation's overview lists what waits for them: open forum reports with their age."""
    import datetime

    from django.utils import timezone

    from accounts.tests.factories import staff_member
    from forum.services.moderation import report_create, report_resolve
    from forum.tests.factories import ThreadFactory

    author, reporter = participant(mentor=True), participant()
    old_thread, new_thread = ThreadFactory(author=author, title="Älteres Thema"), ThreadFactory(author=author,
                                                                                                title="Neues Thema")
    moderator = staff_member("Moderation", email="mod@example.org")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=9)):
        report_create(post=old_thread.posts.get(), reporter=reporter, reason="Werbung")
    report_create(post=new_thread.posts.get(), reporter=reporter, reason="unhöflich")
    done = report_create(post=new_thread.posts.get(), reporter=participant(), reason="erledigt")
    report_resolve(report=done, by=moderator)
    client.force_login(moderator)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Offene Meldungen im Forum, älteste zuerst" in html
    assert html.index("Älteres Thema") < html.index("Neues Thema") and html.count("Neues Thema") == 1
    client.force_login(staff_member("Veranstaltungen", email="v@example.org"))
    assert "Offene Meldungen im Forum" not in client.get(reverse("admin:index")).content.decode()


def test_only_staff_who_see_registrations_narrow_figures_to_a_jahrgang(client, generated):
    """Who belongs to which Jahrgang is registration data: Veranstaltungen get neither the filter nor its effect."""
    import datetime

    from accounts.models import ProgrammeYear
    from accounts.tests.factories import staff_member

    cohort = ProgrammeYear.objects.first() or ProgrammeYear.objects.create(
        label="2026/27", opens_on=datetime.date(2026, 1, 1))
    client.force_login(staff_member("Veranstaltungen", email="v2@example.org"))
    page = client.get(reverse("admin:index")).content.decode()
    assert 'name="jahrgang"' not in page and "alle Jahrgänge" not in page
    everyone = client.get(reverse("cockpit:table_csv", args=["veranstaltungen"])).content
    narrowed = client.get(reverse("cockpit:table_csv", args=["veranstaltungen"]), {"jahrgang": cohort.pk}).content
    assert narrowed == everyone
    client.force_login(staff_member("Koordination", email="k2@example.org"))
    page = client.get(reverse("admin:index")).content.decode()
    assert 'name="jahrgang"' in page and "alle Jahrgänge" in page
