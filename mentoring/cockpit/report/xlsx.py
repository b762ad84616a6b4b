"""The funder report as an Excel workbook: an overview sheet, then one sheet per table."""
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ..export import sheet_title, sheet_write
from . import text
from .figures import funder_report


def report_xlsx(*, year: int, cohort=None) -> bytes:
    with text.german():
        return _workbook(year, cohort)


def _workbook(year: int, cohort=None) -> bytes:
    report = funder_report(year=year, cohort=cohort)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(_("Überblick"))
    next_row = sheet_write(sheet, [[text.title(report)], *([line] for line in text.heading_lines(report)), []])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    next_row = sheet_write(sheet, [list(pair) for pair in report.summary], first_row=next_row)
    sheet_write(sheet, [[], *([line] for line in text.legend())], first_row=next_row)
    for section in report.sections:
        sheet = workbook.create_sheet(sheet_title(section.key))
        next_row = sheet_write(sheet, [[section.title], []])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        if not section.rows:
            sheet_write(sheet, [[_("Keine Einträge in diesem Jahr.")]], first_row=next_row)
            continue
        header_row = next_row
        next_row = sheet_write(sheet, [text.header(section), *text.records(section)], first_row=next_row)
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        if section.grid.column_totals:
            for cell in sheet[next_row - 1]:
                cell.font = Font(bold=True)
        if section.note:
            sheet_write(sheet, [[], [section.note]], first_row=next_row)
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
