"""The PDF statement of a Mentor*in's logged mentoring time, a German document for the funding body."""
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from mentoring.kernel.pdf import document, text
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
    pdf.heading(_("Nachweis über geleistete Mentoringzeit %(year)s") % {"year": year})
    pdf.ln(2)
    user = profile.user
    for line in [
        _("Programm: %(programme)s") % {"programme": text(programme)},
        _("Mentor*in: %(name)s") % {"name": text(str(user))},
        _("Organisation: %(org)s") % {"org": text(profile.organisation.name)},
        _("Funktion: %(position)s") % {"position": text(profile.position)},
    ]:
        pdf.paragraph(line)
    pdf.ln(3)
    # Hours to the minute's quarter as the days are (12,75 Stunden = 1,59 Tage, not 12,8 = 1,59). The A.2 target
    # only for a Mentor*in in an A.2 project, as on the Tandem list: the statement goes to the funding body.
    figures = {"hours": number_format(totals["hours"], decimal_pos=2),
               "days": number_format(totals["days"], decimal_pos=2), "target": totals["target_days"]}
    pdf.paragraph((_("Summe: %(hours)s Stunden = %(days)s Tage (8 Stunden = 1 Tag); Richtwert A.2-Vorhaben: "
                     "%(target)s Tage") if totals["a2"]
                   else _("Summe: %(hours)s Stunden = %(days)s Tage (8 Stunden = 1 Tag)")) % figures, bold=True)
    pdf.ln(3)
    rows = []
    for meeting in meetings:
        mentee = meeting.tandem.mentee
        who = f"{mentee.user} ({mentee.organisation.name})" if mentee is not None else str(FORMER_PARTICIPANT)
        rows.append([meeting.date.strftime("%d.%m.%Y"), _("%(minutes)d min") % {"minutes": meeting.duration_minutes},
                     str(meeting.get_format_display()), text(who)])
    # A long name or organisation wraps inside its cell; the heading row repeats on a new page.
    pdf.data_table([_("Datum"), _("Dauer"), _("Format"), _("Mentee (Organisation)")], rows, list(COLUMN_WIDTHS),
                   empty=_("Im Jahr %(year)s sind keine Treffen eingetragen.") % {"year": year})
    pdf.ln(6)
    pdf.paragraph(
        _("Die Angaben beruhen auf den Einträgen von Mentor*in und Mentees auf der Plattform "
          "„%(programme)s“; gezählt sind nur bestätigte Treffen, jedes einmal. Erstellt am %(date)s; "
          "verantwortlich: %(operator)s.")
        % {"programme": text(programme), "date": timezone.localdate().strftime("%d.%m.%Y"),
           "operator": text(operator)}, size=9, line_height=5)
    return bytes(pdf.output())
