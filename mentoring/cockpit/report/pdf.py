"""The funder report as a PDF (fpdf2, core fonts, A4 landscape).

Kept apart from the other PDFs on purpose: its text goes through ``latin1`` so that the core
fonts can print it; when the site's PDFs move to an embedded Unicode font, this module switches
to that helper too.
"""
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from . import text
from .figures import funder_report

REPLACEMENTS = {"–": "-", "—": "-", "„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "…": "...",
                "→": "->", "\u202f": " ", "\u00a0": " "}
PAGE_WIDTH = 277  # A4 landscape minus 10 mm margins


def latin1(value) -> str:
    """Text the core fonts can print: typographic signs replaced, anything else outside Latin-1 as "?"."""
    result = str(value)
    for sign, plain in REPLACEMENTS.items():
        result = result.replace(sign, plain)
    return result.encode("latin-1", "replace").decode("latin-1")


def _paragraph(pdf: FPDF, value: str, *, size: int = 10, style: str = "", height: float = 5) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, height, latin1(value), new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, rows: list[list], *, first_width: float, bold_last: bool, width: float = PAGE_WIDTH) -> None:
    columns = len(rows[0])
    rest = (width - first_width) / max(columns - 1, 1)
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(col_widths=(first_width, *[rest] * (columns - 1)), text_align=("LEFT", *["RIGHT"] * (columns - 1)),
                   headings_style=FontFace(emphasis="BOLD"), line_height=5, width=width, align="LEFT") as table:
        for index, record in enumerate(rows):
            row = table.row()
            emphasis = "BOLD" if bold_last and index == len(rows) - 1 else None
            for value in record:
                row.cell(latin1(text.number(value)), style=FontFace(emphasis=emphasis) if emphasis else None)


def report_pdf(*, year: int) -> bytes:
    report = funder_report(year=year)
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_title(latin1(text.title(report)))
    pdf.set_lang("de")
    pdf.add_page()
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
        pdf.add_page()
        _paragraph(pdf, section.title, size=12, style="B", height=7)
        if section.rows:
            _table(pdf, [text.header(section), *text.records(section)], first_width=70 if len(section.columns) > 3
                   else 110, bold_last=section.grid.column_totals)
        else:
            _paragraph(pdf, _("Keine Einträge in diesem Jahr."))
        if section.note:
            pdf.ln(2)
            _paragraph(pdf, section.note, size=9, height=4.5)
    return bytes(pdf.output())
