"""The PDF statement of a Mentor*in's logged mentoring time, a German document for the funding body."""
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mentoring.kernel.pdf import FONT_FAMILY, document, text
from mentoring.kernel.privacy import FORMER_PARTICIPANT

COLUMN_WIDTHS = (28, 26, 28, 108)  # millimetres: date, duration, format, mentee (organisation)


def statement(*, profile, year: int, meetings: list, totals: dict, operator: str, programme: str) -> bytes:
    # German whatever language the Mentor*in reads the site in: the statement goes to a German funding body.
    with translation.override("de"):
        return _statement(profile=profile, year=year, meetings=meetings, totals=totals, operator=operator,
                          programme=programme)


def _statement(*, profile, year: int, meetings: list, totals: dict, operator: str, programme: str) -> bytes:
    pdf = document(title=_("Nachweis Mentoringzeit %(year)s") % {"year": year}, author=text(operator))
    pdf.add_page()
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_font(FONT_FAMILY, "B", 15)
    title = _("Nachweis über geleistete Mentoringzeit %(year)s") % {"year": year}
    pdf.multi_cell(0, 8, new_x="LMARGIN", new_y="NEXT", text=title)
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, "", 11)
    user = profile.user
    lines = [
        _("Programm: %(programme)s") % {"programme": text(programme)},
        _("Mentor*in: %(name)s") % {"name": text(user.get_full_name() or user.email)},
        _("Organisation: %(org)s") % {"org": text(profile.organisation.name)},
        _("Funktion: %(position)s") % {"position": text(profile.position)},
    ]
    for line in lines:
        pdf.multi_cell(0, 6, new_x="LMARGIN", new_y="NEXT", text=line)
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "B", 11)
    pdf.multi_cell(0, 6, new_x="LMARGIN", new_y="NEXT", text=(
        _("Summe: %(hours)s Stunden = %(days)s Tage (8 Stunden = 1 Tag); Richtwert A.2-Vorhaben: %(target)s Tage")
        % {"hours": f"{totals['hours']:.1f}".replace(".", ","), "days": f"{totals['days']:.2f}".replace(".", ","),
           "target": totals["target_days"]}))
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "", 10)
    # A table wraps a long name or organisation inside its cell and repeats the heading on a new page.
    with pdf.table(col_widths=COLUMN_WIDTHS, width=sum(COLUMN_WIDTHS), align="LEFT", text_align="LEFT",
                   line_height=6) as table:
        table.row([_("Datum"), _("Dauer"), _("Format"), _("Mentee (Organisation)")])
        if not meetings:
            table.row().cell(_("Im Jahr %(year)s sind keine Treffen eingetragen.") % {"year": year},
                             colspan=len(COLUMN_WIDTHS))
        for meeting in meetings:
            mentee = meeting.tandem.mentee
            who = (f"{mentee.user.get_full_name()} ({mentee.organisation.name})" if mentee is not None
                   else str(FORMER_PARTICIPANT))
            table.row([meeting.date.strftime("%d.%m.%Y"),
                       _("%(minutes)d min") % {"minutes": meeting.duration_minutes},
                       str(meeting.get_format_display()), text(who)])
    pdf.ln(6)
    pdf.set_font(FONT_FAMILY, "", 9)
    pdf.multi_cell(0, 5, new_x="LMARGIN", new_y="NEXT", align="L", text=(
        _("Die Angaben beruhen auf den Einträgen der Mentor*in und der Mentees auf der Plattform "
          "„%(programme)s“; gezählt sind nur bestätigte Treffen, jedes einmal. Erstellt am %(date)s durch "
          "%(operator)s.")
        % {"programme": text(programme), "date": timezone.localdate().strftime("%d.%m.%Y"),
           "operator": text(operator)}))
    return bytes(pdf.output())
