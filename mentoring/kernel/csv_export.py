"""Every CSV the site writes goes through here, so no cell can run as a spreadsheet formula."""
import csv
import re
import unicodedata
from decimal import Decimal

# OWASP "CSV injection": spreadsheet programs run a cell that starts with one of these.
FORMULA_PREFIXES = frozenset("=+-@\t\r\n")
NUMBER_WRITTEN = re.compile(r"-?[0-9][0-9.,\u00a0\u202f ]*")


class WrittenNumber(str):
    """A number already written in the reader's format (``-0,40`` with a German decimal comma): a number,
    not text, so it keeps its sign and spreadsheets read it as a number. Only digits, one sign and the
    separators pass: nothing else can slip past the formula guard this way."""

    def __new__(cls, value: str):
        if not NUMBER_WRITTEN.fullmatch(value):
            raise ValueError(f"not a written number: {value!r}")
        return super().__new__(cls, value)


def safe_cell(value) -> str:
    """The cell as text; text that a spreadsheet would read as a formula gets a leading apostrophe.

    Full-width and small forms (＝, ＋, ﹣, ＠ …) are treated like their ASCII letters, because
    some spreadsheet programs map them. Real numbers stay numbers: only text can carry a formula.
    """
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal, WrittenNumber)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text and unicodedata.normalize("NFKC", text[0])[:1] in FORMULA_PREFIXES:
        return f"'{text}"
    return text


class SafeWriter:
    """A semicolon-separated writer (German Excel opens it directly) that neutralises every cell."""

    def __init__(self, out):
        # Excel opens UTF-8 with umlauts correctly only with a byte order mark.
        out.write("\ufeff")
        self._writer = csv.writer(out, delimiter=";")

    def writerow(self, row) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

