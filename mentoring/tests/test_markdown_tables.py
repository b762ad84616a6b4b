"""A Markdown table scrolls in its own box on a phone (WCAG 1.4.10), and that box is fixed markup."""
from html.parser import HTMLParser

from django.utils import translation

from mentoring.kernel.markdown import render_markdown

TABLE = "| Maßnahme | Zuständigkeit |\n|---|---|\n| Trinkwasserbrunnen | Grünflächenamt |\n"


class Boxes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.opened: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.opened.append((tag, dict(attrs)))


def test_a_table_sits_in_a_focusable_named_scroll_box():
    parser = Boxes()
    with translation.override("de"):  # a request of an English-speaking test before may have left "en" active
        parser.feed(render_markdown(TABLE + "\nText\n\n" + TABLE))
    boxes = [attrs for tag, attrs in parser.opened if tag == "div"]
    assert boxes == [{"class": "table-responsive", "role": "region", "tabindex": "0",
                      "aria-label": "Tabelle (seitlich verschiebbar)"}] * 2
    tags = [tag for tag, attrs in parser.opened]
    assert tags.index("div") < tags.index("table")


def test_typed_table_tags_stay_text_and_get_no_box():
    html = render_markdown('<table onclick="x">Hallo</table> und `<table>`')
    assert "<div" not in html and "<table" not in html
    assert "&lt;table" in html
