"""A new person registers in a real browser, confirms the e-mail, logs in and sees the status."""
import re

import pytest
from django.core import mail

from conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_registration_journey_and_accessibility(browser_page, live_server):
    page = browser_page
    page.goto("/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Jetzt registrieren").click()
    page.wait_for_url("**/anmeldung/")
    assert axe_violations(page) == []

    page.get_by_label("Vorname").fill("Miriam")
    page.get_by_label("Nachname").fill("Hoffmann")
    page.get_by_label("Dienstliche E-Mail-Adresse").fill("miriam.hoffmann@erfurt.de")
    page.locator("#id_password1").fill("Hitzeschutz-Erfurt-26")
    page.locator("#id_password2").fill("Hitzeschutz-Erfurt-26")
    page.get_by_label("Mentee (neu in der Rolle)").check()
    page.get_by_label("Name der Kommune oder Einrichtung").fill("Stadt Erfurt")
    page.locator("#id_org_type").select_option(label="kreisfreie Stadt (Stadtkreis)")
    page.locator("#id_federal_state").select_option(label="Thüringen")
    page.get_by_label("Größenklasse (Einwohner*innen)").select_option(value="city")
    page.get_by_label("Funktion / Stelle").fill("Klimaanpassungsmanagerin")
    page.get_by_label("In dieser Rolle seit").fill("2026-08-01")
    page.get_by_label("A.1 Erstvorhaben (Klimaanpassungskonzept)").check()
    page.get_by_label("Ende des Förderzeitraums").fill("2028-07-31")
    page.get_by_label("Konzept in Arbeit").check()
    page.locator("#id_need_hitzeaktionsplan").select_option("3")
    page.locator("#id_need_politik").select_option("2")
    page.get_by_label("Vor welchen Aufgaben stehe ich?").fill("Hitzeaktionsplan mit Kitas und Pflegeheimen.")
    page.get_by_label("online und vor Ort").check()

    # Forgetting the required consent: a German message, focus on the error summary, nothing lost.
    page.get_by_role("button", name="Anmeldung absenden").click()
    summary = page.locator("#fehlerliste")
    assert "Ohne diese Einwilligung" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "fehlerliste"
    assert page.get_by_label("Vorname").input_value() == "Miriam"
    assert axe_violations(page) == []

    page.locator("#id_password1").fill("Hitzeschutz-Erfurt-26")
    page.locator("#id_password2").fill("Hitzeschutz-Erfurt-26")
    page.locator("#id_consent_programme").check()
    page.locator("#id_consent_partner_sharing").check()
    page.get_by_role("button", name="Anmeldung absenden").click()
    page.wait_for_url("**/anmeldung/danke/")
    assert "Danke für Ihre Anmeldung" in page.content()

    confirmation = next(m for m in mail.outbox if m.to == ["miriam.hoffmann@erfurt.de"] and "confirm-email" in m.body)
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", confirmation.body).group(0)
    page.goto(link.replace("http://testserver", live_server.url).replace("http://127.0.0.1:8000", live_server.url))
    page.get_by_role("button", name="Bestätigen").click()

    page.goto("/konto/login/")
    page.get_by_label("E-Mail").fill("miriam.hoffmann@erfurt.de")
    page.get_by_label("Passwort").fill("Hitzeschutz-Erfurt-26")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/profil/")
    assert page.locator("[data-status]").inner_text() == "eingegangen"
    assert "Hitzeaktionsplan" in page.content()
    assert axe_violations(page) == []
