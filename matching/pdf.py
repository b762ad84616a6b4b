"""The PDF statement of a Mentor*in's logged mentoring time (fpdf2, core fonts)."""
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from mentoring.kernel.privacy import FORMER_PARTICIPANT

REPLACEMENTS = {"–": "-", "—": "-", "„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "…": "...",
                "\u202f": " ", "\u00a0": " "}


def _latin1(text: str) -> str:
    """The core fonts cover Latin-1 (umlauts, ß); replace the few typographic signs they lack."""
    for sign, plain in REPLACEMENTS.items():
        text = text.replace(sign, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


def statement(*, profile, year: int, meetings: list, totals: dict, operator: str, programme: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(_("Nachweis Mentoringzeit %(year)s") % {"year": year}))
    pdf.set_author(_latin1(operator))
    pdf.set_lang("de")
    pdf.add_page()
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_font("Helvetica", "B", 15)
    title = _("Nachweis über geleistete Mentoringzeit %(year)s") % {"year": year}
    pdf.multi_cell(0, 8, new_x="LMARGIN", new_y="NEXT", text=_latin1(title))
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 11)
    user = profile.user
    lines = [
        _("Programm: %(programme)s") % {"programme": programme},
        _("Mentor*in: %(name)s") % {"name": user.get_full_name() or user.email},
        _("Organisation: %(org)s") % {"org": profile.organisation.name},
        _("Funktion: %(position)s") % {"position": profile.position},
    ]
    for line in lines:
        pdf.multi_cell(0, 6, new_x="LMARGIN", new_y="NEXT", text=_latin1(line))
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 6, new_x="LMARGIN", new_y="NEXT", text=_latin1(
        _("Summe: %(hours)s Stunden = %(days)s Tage (8 Stunden = 1 Tag); Richtwert A.2-Vorhaben: %(target)s Tage")
        % {"hours": f"{totals['hours']:.1f}".replace(".", ","), "days": f"{totals['days']:.2f}".replace(".", ","),
           "target": totals["target_days"]}))
    pdf.ln(3)
    widths = (28, 26, 28, 108)
    pdf.set_font("Helvetica", "B", 10)
    for width, title in zip(widths, (_("Datum"), _("Dauer"), _("Format"), _("Mentee (Organisation)")), strict=True):
        pdf.cell(width, 7, _latin1(title), border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 10)
    if not meetings:
        pdf.cell(sum(widths), 7, _latin1(_("Im Jahr %(year)s sind keine Treffen eingetragen.") % {"year": year}),
                 border=1)
        pdf.ln()
    for meeting in meetings:
        mentee = meeting.tandem.mentee
        who = (f"{mentee.user.get_full_name()} ({mentee.organisation.name})" if mentee is not None
               else str(FORMER_PARTICIPANT))
        cells = (meeting.date.strftime("%d.%m.%Y"), _("%(minutes)d min") % {"minutes": meeting.duration_minutes},
                 str(meeting.get_format_display()), who)
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 7, _latin1(text)[:60], border=1)
        pdf.ln()
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, new_x="LMARGIN", new_y="NEXT", text=_latin1(
        _("Die Angaben beruhen auf den Einträgen der Mentor*in und der Mentees auf der Plattform "
          "„%(programme)s“; gezählt sind nur bestätigte Treffen, jedes einmal. Erstellt am %(date)s durch "
          "%(operator)s.")
        % {"programme": programme, "date": timezone.localdate().strftime("%d.%m.%Y"), "operator": operator}))
    return bytes(pdf.output())
