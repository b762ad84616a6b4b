"""The kernel's Markdown keeps the programme's gender-inclusive writing as it is written."""
import pytest

from mentoring.kernel.markdown import render_markdown


@pytest.mark.parametrize(("source", "html"), [
    ("Klimaanpassungsmanager*innen beraten neue Kolleg*innen.",
     "<p>Klimaanpassungsmanager*innen beraten neue Kolleg*innen.</p>"),
    ("Jede*r Mentor*in und *betont* und **fett**",
     "<p>Jede*r Mentor*in und <em>betont</em> und <strong>fett</strong></p>"),
    ("`Teilnehmer*innen*` und Teilnehmer*innen", "<p><code>Teilnehmer*innen*</code> und Teilnehmer*innen</p>"),
    ("*innen* ist kursiv", "<p><em>innen</em> ist kursiv</p>"),
])
def test_gender_star_is_text_and_emphasis_still_works(source, html):
    assert render_markdown(source).strip() == html


def test_plain_text_part_reads_like_the_html_part():
    from mentoring.kernel.markdown import markdown_text

    source = ("# Einladung\n\nwir laden Sie **herzlich** zum [Vernetzungstreffen](https://example.org/v) ein.\n\n"
              "- erstens *wichtig*\n- zweitens\n\n1. a\n2. b\n\n> ein `Zitat`\n\n| Ort | Zeit |\n|---|---|\n"
              "| Kassel | 10 Uhr |\n\n<b>kein HTML</b> Mentor*innen")
    assert markdown_text(source) == (
        "Einladung\n\nwir laden Sie herzlich zum Vernetzungstreffen (https://example.org/v) ein.\n\n"
        "- erstens wichtig\n- zweitens\n\n1. a\n2. b\n\n> ein Zitat\n\nOrt | Zeit\nKassel | 10 Uhr\n\n"
        "<b>kein HTML</b> Mentor*innen")
