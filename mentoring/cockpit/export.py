"""A table of the overview as CSV (the kernel's safe writer) and as an Excel workbook (openpyxl).

Both neutralise every text cell that a spreadsheet would run as a formula (``safe_cell``: a
leading =, +, -, @, tab or line break gets an apostrophe); in Excel text cells are also stored
as text, never as formulas. Numbers stay numbers.
"""
import io
from decimal import Decimal

from django.utils.formats import number_format
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mentoring.kernel.csv_export import SafeWriter, WrittenNumber, safe_cell

from .tables import Table


def table_csv(table: Table) -> str:
    """Semicolon-separated with a byte order mark (German Excel opens it as is); decimals with the
    active language's decimal sign, which Excel in that language reads as a number."""
    out = io.StringIO()
    writer = SafeWriter(out)
    for record in table.records():
        writer.writerow([WrittenNumber(number_format(value, decimal_pos=table.decimals_of(index - 1) or None))
                         if isinstance(value, float) else value for index, value in enumerate(record)])
    return out.getvalue()


def is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def write_cell(sheet, row: int, column: int, value):
    """One cell: a number as a number, anything else as neutralised text."""
    if value is None:
        return sheet.cell(row=row, column=column)
    if is_number(value):
        return sheet.cell(row=row, column=column, value=value)
    cell = sheet.cell(row=row, column=column, value=safe_cell(value))
    cell.data_type = "s"
    return cell


def sheet_write(sheet, records: list[list], *, first_row: int = 1) -> int:
    """Write rows of values from ``first_row`` on; returns the next free row."""
    widths: dict[int, int] = {}
    for offset, record in enumerate(records):
        for index, value in enumerate(record, start=1):
            write_cell(sheet, first_row + offset, index, value)
            widths[index] = max(widths.get(index, 8), min(len(str(value if value is not None else "")) + 2, 60))
    for index, width in widths.items():
        current = sheet.column_dimensions[get_column_letter(index)].width or 0
        sheet.column_dimensions[get_column_letter(index)].width = max(width, current)
    return first_row + len(records)


def sheet_title(text: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    cleaned = "".join("-" if char in "[]:*?/\\" else char for char in text)
    return cleaned[:31] or "Tabelle"


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(table.slug)
    sheet_write(sheet, table.records())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
