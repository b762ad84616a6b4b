"""In a real browser: a coordinator reads the overview, filters it without JavaScript, downloads a table."""
import csv
import io
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.tests.factories import PASSWORD
from conftest import axe_violations

from .programme import programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_reads_filters_and_downloads_the_overview(browser_page):
    page = browser_page
    staff = programme(24, now=timezone.now().replace(microsecond=0))["staff"]
    page.goto("/admin/login/")
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/admin/")
    page.get_by_role("heading", name="Übersicht", level=1).wait_for()
    for heading in ("Anmeldungen", "Tandems", "Reichweite", "Bericht für den Fördermittelgeber",
                    "Alle Bereiche der Verwaltung"):
        assert page.get_by_role("heading", name=heading, level=2).is_visible()
    assert page.get_by_role("img", name="Diagramm: Anmeldungen nach Status (heute). Die Zahlen stehen in der "
                            "Tabelle daneben.").is_visible()
    assert page.get_by_role("table", name="Anmeldungen nach Status (heute)").is_visible()
    assert page.get_by_role("link", name="Anmeldungen", exact=True).count() >= 1, "admin's model list is there"
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    page.set_viewport_size({"width": 320, "height": 800})
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "no sideways scrolling of the page"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Bundesland", exact=True).select_option(label="Hessen")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**land=06**")
    assert page.get_by_text("Gezeigt: ").first.inner_text().startswith(f"Gezeigt: {timezone.localdate().year}, Hessen")
    with page.expect_download() as info:
        page.locator("#zahlen-status").get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == f"status-{timezone.localdate().year}-06.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Status", "Anmeldungen"] and len(rows) == 7

    page.goto("/admin/?jahr=abc&land=9999")
    assert page.get_by_text("Bitte eine gültige Auswahl treffen").first.is_visible()
    assert axe_violations(page) == []
