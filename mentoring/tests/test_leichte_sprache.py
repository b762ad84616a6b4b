"""The site explained in Leichte Sprache (BITV 2.0): linked from every page, German in every interface
language, and written to the rules of Leichte Sprache where a program can check them."""
import html as html_lib
import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

URL = "/leichte-sprache/"
FOOTER_LINK = '<a href="/leichte-sprache/" lang="de" hreflang="de">Leichte Sprache</a>'
# Conjunctions that open a subordinate clause, and abbreviations: Leichte Sprache uses neither.
SUBORDINATE = re.compile(r"\b(weil|dass|obwohl|damit|falls|sofern|nachdem|bevor|während|sodass|wenn|ob|"
                         r"welche[rsm]?|indem)\b", re.IGNORECASE)
ABBREVIATIONS = re.compile(r"\b(z\.\s?B|d\.\s?h|bzw|usw|ca|ggf|u\.\s?a|inkl|evtl|Nr)\.")
PASSIVE = re.compile(r"\b(wird|werden|wurde|wurden|worden)\b")


def text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def easy_content(html: str) -> str:
    match = re.search(r'<div class="leichte-sprache" lang="de">(.*?)</div>\s*</div>\s*</main>', html, re.DOTALL)
    assert match, "the Leichte Sprache content is one block with lang=de"
    return match.group(1)


@pytest.mark.parametrize("path", ["/", "/impressum/", "/datenschutz/", "/barrierefreiheit/", "/anmeldung/",
                                  "/veranstaltungen/", "/konto/login/", URL])
def test_every_page_links_it_in_the_footer(client, path):
    html = client.get(path).content.decode()
    footer = re.search(r"<footer\b.*?</footer>", html, re.DOTALL).group(0)
    assert FOOTER_LINK in footer


def test_participant_pages_link_it_too(client, mentee):
    client.force_login(mentee)
    for path in ("/profil/", "/forum/", "/tandem/"):
        assert FOOTER_LINK in client.get(path).content.decode(), path


def test_english_interface_keeps_the_german_link_and_page(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    home = client.get("/").content.decode()
    assert '<html lang="en">' in home and FOOTER_LINK in home
    page = client.get(URL).content.decode()
    assert '<html lang="en">' in page
    assert "Was ist das für eine Internet·seite?" in easy_content(page)
    # Inside the German text the programme keeps its German name (it read "Climate Adaptation Mentoring Programme"
    # with a German voice).
    assert "Das Programm heißt: Mentoring-Programm Klimaanpassung." in easy_content(page)


def test_it_says_what_the_programme_is_offers_and_how_to_join_reach_and_report(client, settings):
    settings.PROGRAMME_NAME = "Mentoring Klima Test"
    settings.PROGRAMME_CONTACT_EMAIL = "team@example.org"
    settings.PROGRAMME_OPERATOR = "Koordinations·team Test"
    response = client.get(URL)
    assert response.status_code == 200
    content = easy_content(response.content.decode())
    headings = [text(h) for h in re.findall(r"<h2\b[^>]*>(.*?)</h2>", content, re.DOTALL)]
    assert headings[:4] == ["Was ist das für eine Internet·seite?", "Was ist Klima·anpassung?",
                            "Wer macht bei dem Programm mit?", "Was ist Mentoring?"]
    assert {"Wie kann ich mitmachen?", "Wie erreiche ich das Team?",
            "Was mache ich bei einem Problem mit der Internet·seite?"} <= set(headings)
    assert all(h.endswith("?") for h in headings), "headings are questions"
    flat = text(content)
    assert "Das Programm heißt: Mentoring Klima Test." in flat
    assert "Das Team heißt: Koordinations·team Test." in flat
    assert '<a href="mailto:team@example.org">team@example.org</a>' in content
    assert '<a href="/anmeldung/">Hier ist das Anmelde·formular.</a>' in content
    assert '<a href="/barrierefreiheit/#barriere-melden">Hier können Sie eine Barriere melden.</a>' in content
    assert settings.PROGRAMME_ADDRESS in flat
    for word in ("Mentoring", "Tandem", "Forum", "Formular", "Link", "Barriere", "Daten"):
        assert re.search(rf"{word} (ist|bedeutet|sind|heißt|hat|bringt)\b|heißt: {word}|heißt: Barriere·freiheit",
                         flat), f"{word} is explained where it appears"


def test_written_to_the_rules_of_leichte_sprache(client):
    content = easy_content(client.get(URL).content.decode())
    lines = [text(line) for line in re.findall(r"<(?:p|li|h1|h2|address)\b[^>]*>(.*?)</(?:p|li|h1|h2|address)>",
                                               content, re.DOTALL)]
    lines = [line for line in lines if line]
    assert len(lines) > 100
    for line in lines:
        words = line.split()
        assert len(words) <= 14, f"short sentences: {line}"
        # One statement per line: no second sentence after a full stop, question or exclamation mark.
        assert not re.search(r"[.?!] +\S", line.replace("www.", "www")), f"one sentence per line: {line}"
        assert not SUBORDINATE.search(line), f"no subordinate clause: {line}"
        assert not ABBREVIATIONS.search(line), f"no abbreviation: {line}"
        assert not PASSIVE.search(line), f"no passive: {line}"
        assert not re.search(r"\b\d{1,2}\.\d{1,2}\.|\b(zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn)\b", line), \
            f"numbers as digits: {line}"
    # Long compound words are split with a Mediopunkt.
    for word in ("Internet·seite", "Klima·anpassung", "Anmelde·formular", "Kennen·lern·gespräch",
                 "Barriere·freiheit", "Daten·schutz·erklärung"):
        assert word in text(content)
    unsplit = text(content).replace(settings.PROGRAMME_NAME, "").replace(settings.PROGRAMME_OPERATOR, "")  # names stay
    assert not re.search(r"\b(Internetseite|Klimaanpassung|Anmeldeformular|Kennenlerngespräch)\b", unsplit)


def test_page_is_set_for_reading(client):
    """Big type, wide spacing and no broken words come from the stylesheet the page uses."""
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    rule = re.search(r"\.leichte-sprache \{([^}]*)\}", css).group(1)
    assert "font-size: 1.25rem" in rule and "line-height: 1.6" in rule and "hyphens: manual" in rule


def test_no_request_to_another_host(client):
    page = client.get(URL).content.decode()
    assert re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', page) == []
