"""Files the site builds (PDFs, CSV, calendars, exports) leave as files under a name that survives umlauts."""
from mentoring.kernel.files import download


def test_a_download_is_saved_under_its_name():
    response = download(b"%PDF-1.7", content_type="application/pdf", filename="bescheinigung.pdf")
    assert response["Content-Disposition"] == 'attachment; filename="bescheinigung.pdf"'
    assert response.content == b"%PDF-1.7"


def test_a_name_with_umlauts_or_quotes_reaches_the_browser_intact():
    umlaut = download("x", content_type="text/csv", filename="Bericht März.csv")
    assert umlaut["Content-Disposition"] == "attachment; filename*=utf-8''Bericht%20M%C3%A4rz.csv"
    quoted = download("x", content_type="text/csv", filename='a"b.csv')
    assert quoted["Content-Disposition"] == 'attachment; filename="a\\"b.csv"'


def test_inline_hands_the_file_to_its_program():
    response = download("BEGIN:VCALENDAR", content_type="text/calendar", filename="kalender.ics", inline=True)
    assert response["Content-Disposition"] == 'inline; filename="kalender.ics"'
