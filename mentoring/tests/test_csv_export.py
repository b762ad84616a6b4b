"""The kernel CSV writer: no cell that a spreadsheet would run as a formula, numbers stay numbers."""
import csv
import io

import pytest

from mentoring.kernel.csv_export import SafeWriter, safe_cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫")
HOSTILE = ["=HYPERLINK(\"http://böse.example\",\"klick\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1", "＝1+1", "＋49 561 1234", "－5", "＠SUM(A1)", "﹦1+1"]


def parse(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_no_cell_starts_like_a_formula_and_the_text_stays_readable():
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["Spalte"] * len(HOSTILE))
    writer.writerow(HOSTILE)
    header, row = parse(out.getvalue())
    assert not [cell for cell in row if cell.startswith(FORMULA_STARTS)]
    # OWASP: a single leading apostrophe, the rest unchanged, so "+49 …" is still a phone number.
    assert row == [f"'{value}" for value in HOSTILE]
    assert row[7] == "'＋49 561 1234"


@pytest.mark.parametrize(("value", "expected"), [
    (-5, "-5"), (-2.5, "-2.5"), (0, "0"), (None, ""), (True, "True"), ("Stadt Kassel", "Stadt Kassel"),
    ("+49 561 1234", "'+49 561 1234"), ("-5", "'-5"), ("", ""), ("Straße 1 = Ort", "Straße 1 = Ort"),
])
def test_safe_cell(value, expected):
    # Real numbers carry no formula and stay numeric; text that looks like one is kept as text.
    assert safe_cell(value) == expected
