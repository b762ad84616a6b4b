"""Every PDF the site writes is a tagged PDF a screen reader can follow (WCAG 1.3.1, PDF/UA's structure): read
back with pypdf, a parser other than the fpdf2 that wrote it, its structure tree names headings, paragraphs,
lists and tables with their rows and cells, each element points at marked content that stands on its page, and
the document says its language and shows its title."""
import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from accounts.tests.factories import StaffFactory, participant
from matching import services
from matching.models import Meeting
from matching.tests.factories import START, TandemFactory, agreed_tandem, at
from mentoring.kernel.pdf import document

pytestmark = pytest.mark.django_db


def structure(pdf: bytes) -> tuple[PdfReader, list[tuple[str, DictionaryObject, int]]]:
    """The reader and every structure element below /Document as (type, element, depth), in reading order."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert root["/Lang"] == "de" and root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title
    tree = root["/StructTreeRoot"]
    (doc,) = [kid.get_object() for kid in tree["/K"]]
    assert doc["/S"] == "/Document"
    found = []

    def walk(element, depth):
        for kid in element.get("/K", []):
            if isinstance(kid, int):
                continue
            kid = kid.get_object()
            found.append((str(kid["/S"])[1:], kid, depth))
            walk(kid, depth + 1)

    walk(doc, 0)
    return reader, found


def assert_each_element_points_at_its_marked_content(reader, found):
    pages = {page.indirect_reference.idnum: page for page in reader.pages}
    parent_tree = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = {int(parent_tree[i]): parent_tree[i + 1] for i in range(0, len(parent_tree), 2)}
    leaves = 0
    for kind, element, _depth in found:
        mcids = [kid for kid in element["/K"] if isinstance(kid, int)]
        if not mcids:
            continue
        leaves += 1
        page = pages[element.raw_get("/Pg").idnum]
        content = page.get_contents().get_data().decode("latin-1")
        for mcid in mcids:
            assert re.search(rf"/{kind} <</MCID {mcid}>> BDC", content), (kind, mcid)
            listed = parents[int(page["/StructParents"])]
            assert ArrayObject(listed)[mcid].get_object() == element
    assert leaves


def test_the_kernel_document_tags_headings_paragraphs_lists_and_a_table_across_pages():
    pdf = document(title="Probe", author="Test")
    pdf.add_page()
    pdf.heading("Überschrift")
    pdf.paragraph("Ein Absatz.")
    pdf.bullets(["erstens", "zweitens"])
    rows = [[f"{day:02d}.03.2026", "60 min", "online", f"Person {day} (Gemeinde mit einem sehr langen Namen " * 2]
            for day in range(1, 61)]
    pdf.data_table(["Datum", "Dauer", "Format", "Mentee"], rows, [28, 26, 28, 108])
    content = bytes(pdf.output())
    reader, found = structure(content)
    assert len(reader.pages) > 2
    kinds = [kind for kind, _element, _depth in found]
    assert kinds[:3] == ["H1", "P", "L"] and kinds.count("LI") == kinds.count("LBody") == 2
    assert kinds.count("Table") == 1 and kinds.count("TD") == 4 * 60
    assert kinds.count("TR") == 60 + kinds.count("TH") // 4 and kinds.count("TH") >= 4 * len(reader.pages)
    assert_each_element_points_at_its_marked_content(reader, found)


def test_the_mentoring_time_statement_is_tagged():
    mentor = participant(mentor=True, competences=["haushalt"])
    tandem = TandemFactory(mentor=mentor.profile)
    for day in range(1, 29):
        Meeting.objects.create(tandem=tandem, logged_by=mentor, date=datetime.date(2026, 2, day),
                               duration_minutes=90, format="online", status=Meeting.Status.CONFIRMED)
    reader, found = structure(services.mentoring_statement_pdf(profile=mentor.profile, year=2026))
    kinds = [kind for kind, _element, _depth in found]
    assert kinds[0] == "H1" and kinds.count("TD") == 4 * 28 and "TH" in kinds and "P" in kinds
    assert_each_element_points_at_its_marked_content(reader, found)


def test_the_certificate_is_tagged_with_its_goals_as_a_list(client):
    with time_machine_at_start():
        mentee = participant(needs=["haushalt", "hitzeaktionsplan"])
        tandem = agreed_tandem(mentee, goals={"haushalt": "Haushaltsmittel sichern",
                                              "hitzeaktionsplan": "Hitzeplan schreiben"},
                               planned_end=datetime.date(2026, 6, 30))
    with at(60):
        services.tandem_end(tandem=tandem, by=StaffFactory(), reason="Stellenwechsel")
    client.force_login(mentee)
    reader, found = structure(client.get(reverse("matching:certificate", args=[tandem.pk])).content)
    kinds = [kind for kind, _element, _depth in found]
    assert kinds[0] == "H1" and "H2" in kinds and kinds.count("LI") == 2
    assert_each_element_points_at_its_marked_content(reader, found)


def time_machine_at_start():
    import time_machine

    return time_machine.travel(START, tick=False)
