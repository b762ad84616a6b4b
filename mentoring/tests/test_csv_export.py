"""The kernel CSV writer: no cell that a spreadsheet would run as a formula, numbers stay numbers."""
import ast
import csv
import io
import re
from pathlib import Path

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


# The only modules that write spreadsheet cells; each goes through ``safe_cell`` (SafeWriter, write_cell).
SPREADSHEET_WRITERS = {"mentoring/kernel/csv_export.py", "mentoring/cockpit/export.py",
                       "mentoring/cockpit/report/xlsx.py"}
WRITING = re.compile(r"\bcsv\.(?:writer|DictWriter)\(|\b(?:import|from)\s+(?:openpyxl|xlsxwriter)\b")


def test_every_spreadsheet_is_written_through_the_neutralising_cell():
    """A new CSV or Excel export cannot bypass ``safe_cell``: only the kernel's writer and the cockpit's two
    workbook modules write cells, and in those a cell gets its value only in ``export.write_cell``."""
    root = Path(__file__).resolve().parents[2]
    writers = set()
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".venv/", "var/", "bench/")) or "/tests/" in relative or "/migrations/" in relative:
            continue
        if WRITING.search(path.read_text(encoding="utf-8")):
            writers.add(relative)
    assert writers == SPREADSHEET_WRITERS, "write spreadsheets with mentoring.kernel.csv_export.SafeWriter or " \
                                           "mentoring.cockpit.export.sheet_write"
    for relative in SPREADSHEET_WRITERS - {"mentoring/kernel/csv_export.py"}:
        tree = ast.parse((root / relative).read_text(encoding="utf-8"))
        for function in [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]:
            for call in [node for node in ast.walk(function) if isinstance(node, ast.Call)]:
                method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
                sets_value = method == "cell" and any(k.arg == "value" for k in call.keywords)
                assert not sets_value or function.name == "write_cell", (f"{relative}:{call.lineno} writes a "
                                                                         "cell past write_cell")
                assert method != "append", f"{relative}:{call.lineno}: rows go through sheet_write"
    source = (root / "mentoring/cockpit/export.py").read_text(encoding="utf-8")
    assert "value=safe_cell(value)" in source


def test_only_a_written_number_passes_the_formula_guard_as_a_number():
    import pytest

    from mentoring.kernel.csv_export import WrittenNumber, safe_cell

    assert safe_cell(WrittenNumber("-0,40")) == "-0,40" and safe_cell(WrittenNumber("1.234,5")) == "1.234,5"
    for text in ("-1+cmd|' /C calc'!A0", "=1+1", "-", "abc"):
        with pytest.raises(ValueError):
            WrittenNumber(text)
