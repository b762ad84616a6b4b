"""Words the report's Excel and PDF versions share: title, legend, how a cell is written."""
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.choices import FundingLine
from mentoring.kernel.programme import programme_name

from .figures import FunderReport, ReportSection, short_funding_line


def german():
    """The report is written in German, whatever language the staff member reads the site in: it goes to
    a German funding body."""
    return translation.override("de")


def operator() -> str:
    return settings.PROGRAMME_OPERATOR


def title(report: FunderReport) -> str:
    if report.cohort is not None:
        return _("Bericht für den Fördermittelgeber %(year)s, Jahrgang %(cohort)s") % {
            "year": report.year, "cohort": report.cohort}
    return _("Bericht für den Fördermittelgeber %(year)s") % {"year": report.year}


def heading_lines(report: FunderReport) -> list[str]:
    return [
        _("Programm: %(programme)s") % {"programme": programme_name()},
        _("Erstellt am %(date)s von %(operator)s") % {"date": date_format(report.created, "SHORT_DATE_FORMAT"),
                                                      "operator": settings.PROGRAMME_OPERATOR},
    ]


def _unbracketed(text: str) -> str:
    return text[1:-1] if text.startswith("(") and text.endswith(")") else text


def legend() -> list[str]:
    # "A.1: Erstvorhaben (Klimaanpassungskonzept)", "AnPaSo: Anpassung sozialer Einrichtungen": the code once.
    shorts = [(short_funding_line(value, str(label)), str(label)) for value, label in FundingLine.choices]
    lines = ", ".join(f"{short}: {_unbracketed(label[len(short):].strip())}" for short, label in shorts
                      if short != label)
    return [
        _("Förderlinien: %(lines)s.") % {"lines": lines},
        _("Der Bericht nennt keine Personen; alle Zahlen sind zusammengefasst."),
        _("< 5: ein Wert über 0 und unter 5 (bei Personen und Tandems 1 bis 4), nicht genauer angegeben, damit "
          "niemand zu erkennen ist."),
        _("x: verdeckt, damit sich kein kleiner Wert aus den Summen oder, bei einem Jahrgang, aus dem Bericht über "
          "alle Jahrgänge zurückrechnen lässt, oder weil weniger als fünf Tandems bzw. Mentor*innen dahinterstehen."),
        _("0: niemand bzw. nichts; eine 0 verrät nichts über eine Person und wird deshalb gezeigt."),
        _("Gelöschte Anmeldungen zählen anonym weiter; Tandems, deren Mentee oder Mentor*in das Konto gelöscht hat, "
          "zählen unter „ohne Angabe“."),
    ]


def cell(section: ReportSection, i: int, j: int):
    """A cell as the report writes it: its mark, or its value rounded to the section's decimals."""
    shown = section.grid.shown(i, j)
    if isinstance(shown, str):
        return shown
    return round(shown, section.decimals) if section.decimals else int(round(shown))


def header(section: ReportSection) -> list[str]:
    return [section.row_header, *section.columns, *([section.total_label] if section.grid.row_totals else [])]


def records(section: ReportSection) -> list[list]:
    """The section's rows (sums included) as they are printed; none for an empty section."""
    if not section.rows:
        return []
    labels = [*section.rows, *([section.sum_row_label or section.total_label] if section.grid.column_totals else [])]
    return [[label, *(cell(section, i, j) for j in range(len(section.grid.values[i])))]
            for i, label in enumerate(labels)]


def number(value) -> str:
    """A value as German text: 12,5 and 1.234."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{value:,}".replace(",", ".")
