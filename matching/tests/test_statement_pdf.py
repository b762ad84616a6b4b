"""The PDF statement prints every name as written, in Latin, Greek and Cyrillic script, and stays German.

The text is read back with pypdf, a parser other than the fpdf2 that wrote it.
"""
import datetime
import io
import unicodedata

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from accounts.tests.factories import OrganisationFactory, participant
from matching import services
from matching.models import Meeting

from .factories import TandemFactory

pytestmark = pytest.mark.django_db
YEAR = 2026

# (mentor's first and last name, mentor's organisation, mentee's first and last name, mentee's organisation)
PEOPLE = [
    pytest.param(("Łukasz", "Wiśniewski"), "Stadt „Groß-Gerau“ – Klimaschutz & Klimaanpassung",
                 ("Анастасия", "Кузнецова"), "Landkreis Märkisch-Oderland – Umweltamt", id="polish-cyrillic"),
    pytest.param(("Ἀλέξανδρος", "Παπαδόπουλος"), "Δήμος Αθηναίων – Partnerstadt",
                 ("Zoë", "Ðorđević-Şahin"), "Gemeinde „Süderlügum“ — Bürgerbüro", id="polytonic-greek-latin"),
    pytest.param(("Αλέξανδρος", "Παπαδόπουλος"), "Kommune „Ærøskøbing“ … Dänemark",
                 ("Nguyễn Thị", "Ánh"), "Kreis Warendorf – Stabsstelle Klimaanpassung", id="greek-vietnamese"),
    pytest.param(("Şerban", "Țurcanu"), "Stadt Oberstdorf – „Hitzeaktionsplan“",
                 ("Ólafur", "Þórðarson"), "Gemeinde ‚Nordfriesland‘ – Referat Küstenschutz", id="romanian-icelandic"),
    pytest.param(("Ґалина", "Їжакевич"), "Stadt Görlitz – Zgorzelec",
                 ("Đorđe", "Ćirić"), "Město Liberec – Odbor životního prostředí", id="ukrainian-serbian"),
]


def _text(pdf: bytes) -> str:
    """The page text with every run of whitespace as one space: a table cell may wrap a long line."""
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _statement(mentor_name, mentor_org, mentee_name, mentee_org):
    mentor = participant(mentor=True, competences=["haushalt"], user__first_name=mentor_name[0],
                         user__last_name=mentor_name[1],
                         organisation=OrganisationFactory(name=mentor_org))
    mentee = participant(needs=["haushalt"], user__first_name=mentee_name[0],
                         user__last_name=mentee_name[1],
                         organisation=OrganisationFactory(name=mentee_org))
    tandem = TandemFactory(mentor=mentor.profile, mentee=mentee.profile)
    Meeting.objects.create(tandem=tandem, logged_by=mentor, date=datetime.date(YEAR, 3, 12), duration_minutes=90,
                           format="online", status=Meeting.Status.CONFIRMED)
    return mentor, services.mentoring_statement_pdf(profile=mentor.profile, year=YEAR)


@pytest.mark.parametrize(("mentor_name", "mentor_org", "mentee_name", "mentee_org"), PEOPLE)
def test_names_and_organisations_print_exactly_as_written(mentor_name, mentor_org, mentee_name, mentee_org):
    mentor, pdf = _statement(mentor_name, mentor_org, mentee_name, mentee_org)
    text = _text(pdf)
    assert f"Mentor*in: {mentor_name[0]} {mentor_name[1]}" in text
    assert f"Organisation: {mentor_org}" in text
    assert f"{mentee_name[0]} {mentee_name[1]} ({mentee_org})" in text
    assert "?" not in text
    assert "„Mentoring-Programm Klimaanpassung“; gezählt sind nur bestätigte Treffen" in text


def test_the_font_is_embedded_as_a_subset_and_the_file_stays_small():
    _mentor, pdf = _statement(("Łukasz", "Wiśniewski"), "Stadt Köln", ("Анастасия", "Кузнецова"), "Stadt Bonn")
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {str(font.get_object()["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    # A subset's name is a six-letter tag and "+": "/MPDFAA+FiraSans", "/MPDFAA+FiraSansBold".
    assert sorted(name.split("+")[1] for name in fonts) == ["FiraSans", "FiraSansBold"], fonts
    assert len(pdf) < 60_000  # only the glyphs used are embedded, not the 450 KB font files


def test_a_long_organisation_name_wraps_instead_of_being_cut_off():
    long_org = ("Zweckverband für Wasserwirtschaft, Starkregenvorsorge und Hitzeschutz der Städte "
                "Wolfenbüttel, Salzgitter und Braunschweig – Geschäftsstelle Klimaanpassung")
    _mentor, pdf = _statement(("Jörg", "Müller"), "Stadt Köln", ("Ülkü", "Öztürk"), long_org)
    assert f"Ülkü Öztürk ({long_org})" in _text(pdf)


def test_a_name_sent_in_decomposed_form_prints_composed():
    decomposed = unicodedata.normalize("NFD", "Wiśniewski")
    assert decomposed != "Wiśniewski"
    _mentor, pdf = _statement(("Łukasz", decomposed), "Stadt Köln", ("Anna", "Nowak"), "Stadt Bonn")
    assert "Mentor*in: Łukasz Wiśniewski" in _text(pdf)


def test_the_statement_stays_german_when_the_site_is_read_in_english(client):
    mentor, _pdf = _statement(("Łukasz", "Wiśniewski"), "Stadt Köln", ("Anna", "Nowak"), "Stadt Bonn")
    client.force_login(mentor)
    with translation.override("en"):
        pdf = client.get(reverse("matching:statement_pdf", args=[YEAR]), HTTP_ACCEPT_LANGUAGE="en").content
    text = _text(pdf)
    assert "Nachweis über geleistete Mentoringzeit 2026" in text
    assert "Mentor*in: Łukasz Wiśniewski" in text and "1,50 Stunden = 0,19 Tage" in text
    assert "verantwortlich:" in text
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Nachweis Mentoringzeit 2026"


@pytest.mark.parametrize(("funding", "shows_target"), [("a2", True), ("a1", False), ("none", False)])
def test_the_a2_target_stands_only_on_an_a2_mentors_statement(funding, shows_target):
    """The statement goes to the funding body: it gave every Mentor*in the A.2 target of five days, which the
    Tandem list shows only to Mentor*innen in an A.2 project."""
    from accounts.models import Profile

    mentor, _pdf = _statement(("Mia", "Muster"), "Stadt Kassel", ("Max", "Muster"), "Stadt Fulda")
    Profile.objects.filter(user=mentor).update(funding_line=funding)
    mentor.profile.refresh_from_db()
    text = _text(services.mentoring_statement_pdf(profile=mentor.profile, year=YEAR))
    assert "Summe: 1,50 Stunden = 0,19 Tage (8 Stunden = 1 Tag)" in text
    assert ("Richtwert A.2-Vorhaben: 5 Tage" in text) is shows_target
