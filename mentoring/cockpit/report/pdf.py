"""The funder report as a PDF (fpdf2 with the site's embedded Unicode font, A4 landscape)."""
from django.utils.translation import gettext as _

from mentoring.kernel.pdf import Document, document
from mentoring.kernel.pdf import text as pdf_text

from . import text
from .figures import funder_report

PAGE_WIDTH = 277  # A4 landscape minus 10 mm margins


def _table(pdf: Document, rows: list[list], *, first_width: float, bold_last: bool,
           width: float = PAGE_WIDTH) -> None:
    columns = len(rows[0])
    rest = (width - first_width) / max(columns - 1, 1)
    cells = [[pdf_text(text.number(value)) for value in record] for record in rows]
    pdf.data_table(cells[0], cells[1:], [first_width, *[rest] * (columns - 1)], size=9, line_height=5,
                   align=["L", *["R"] * (columns - 1)], bold_last=bold_last)


def report_pdf(*, year: int, cohort=None) -> bytes:
    with text.german():
        report = funder_report(year=year, cohort=cohort)
        pdf = document(title=pdf_text(text.title(report)), author=pdf_text(text.operator()))
        pdf.set_margins(10, 10, 10)
        pdf.set_auto_page_break(auto=True, margin=12)
        pdf.add_page(orientation="landscape")
        pdf.heading(pdf_text(text.title(report)), size=16, line_height=9)
        for line in text.heading_lines(report):
            pdf.paragraph(pdf_text(line), size=10, line_height=5)
        pdf.ln(3)
        pdf.heading(_("Überblick"), level=2, size=12, line_height=7)
        _table(pdf, [[_("Kennzahl"), _("Wert")], *([label, value] for label, value in report.summary)],
               first_width=110, bold_last=False, width=150)
        pdf.ln(3)
        for line in text.legend():
            pdf.paragraph(pdf_text(line), size=9, line_height=4.5)
        for section in report.sections:
            pdf.add_page(orientation="landscape")
            pdf.heading(pdf_text(section.title), level=2, size=12, line_height=7)
            if section.rows:
                _table(pdf, [text.header(section), *text.records(section)],
                       first_width=70 if len(section.columns) > 3 else 110, bold_last=section.grid.column_totals)
            else:
                pdf.paragraph(_("Keine Einträge in diesem Jahr."), size=10, line_height=5)
            if section.note:
                pdf.ln(2)
                pdf.paragraph(pdf_text(section.note), size=9, line_height=4.5)
        return bytes(pdf.output())
