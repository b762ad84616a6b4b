"""The funder report as a PDF (fpdf2 with the site's embedded Unicode font, A4 landscape)."""
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from mentoring.kernel.pdf import FONT_FAMILY, document
from mentoring.kernel.pdf import text as pdf_text

from . import text
from .figures import funder_report

PAGE_WIDTH = 277  # A4 landscape minus 10 mm margins


def _paragraph(pdf: FPDF, value: str, *, size: int = 10, style: str = "", height: float = 5) -> None:
    pdf.set_font(FONT_FAMILY, style, size)
    pdf.multi_cell(0, height, pdf_text(value), new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, rows: list[list], *, first_width: float, bold_last: bool, width: float = PAGE_WIDTH) -> None:
    columns = len(rows[0])
    rest = (width - first_width) / max(columns - 1, 1)
    pdf.set_font(FONT_FAMILY, "", 9)
    with pdf.table(col_widths=(first_width, *[rest] * (columns - 1)), text_align=("LEFT", *["RIGHT"] * (columns - 1)),
                   headings_style=FontFace(emphasis="BOLD"), line_height=5, width=width, align="LEFT") as table:
        for index, record in enumerate(rows):
            row = table.row()
            emphasis = "BOLD" if bold_last and index == len(rows) - 1 else None
            for value in record:
                row.cell(pdf_text(text.number(value)), style=FontFace(emphasis=emphasis) if emphasis else None)


def report_pdf(*, year: int, cohort=None) -> bytes:
    with text.german():
        report = funder_report(year=year, cohort=cohort)
        pdf = document(title=pdf_text(text.title(report)), author=pdf_text(text.operator()))
        pdf.set_margins(10, 10, 10)
        pdf.set_auto_page_break(auto=True, margin=12)
        pdf.add_page(orientation="landscape")
        _paragraph(pdf, text.title(report), size=16, style="B", height=9)
        for line in text.heading_lines(report):
            _paragraph(pdf, line)
        pdf.ln(3)
        _paragraph(pdf, _("Überblick"), size=12, style="B", height=7)
        _table(pdf, [[_("Kennzahl"), _("Wert")], *([label, value] for label, value in report.summary)],
               first_width=110, bold_last=False, width=150)
        pdf.ln(3)
        for line in text.legend():
            _paragraph(pdf, line, size=9, height=4.5)
        for section in report.sections:
            pdf.add_page(orientation="landscape")
            _paragraph(pdf, section.title, size=12, style="B", height=7)
            if section.rows:
                _table(pdf, [text.header(section), *text.records(section)],
                       first_width=70 if len(section.columns) > 3 else 110, bold_last=section.grid.column_totals)
            else:
                _paragraph(pdf, _("Keine Einträge in diesem Jahr."))
            if section.note:
                pdf.ln(2)
                _paragraph(pdf, section.note, size=9, height=4.5)
        return bytes(pdf.output())
