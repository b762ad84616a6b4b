"""In a real browser: staff start a run and confirm a proposal; both participants see their Tandem."""
import pytest

from accounts.tests.factories import StaffFactory, participant
from conftest import axe_violations, log_in
from matching.models import Tandem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_confirm_and_both_see_their_tandem(browser_page):
    page = browser_page
    staff = StaffFactory(email="koordination@example.org")
    mentee = participant(needs=[("haushalt", 3), ("steuerungskreis", 2)])
    mentor = participant(mentor=True, competences=[("haushalt", 3), ("steuerungskreis", 2)])

    log_in(page, staff.email)
    page.goto("/admin/matching/matchrun/")
    page.get_by_role("link", name="Matching starten").click()
    page.get_by_role("button", name="Matching jetzt starten").click()
    page.get_by_text("1 von 1 Mentees haben einen Vorschlag").first.wait_for()
    assert page.get_by_text("deckt 2 von 2 Bedarfen ab: Haushaltsplanung, Steuerungskreis").is_visible()
    page.get_by_label(f"{mentee} mit {mentor} auswählen").check()
    page.get_by_label("Persönliche Nachricht an beide (optional)").fill("Sie passen gut zusammen!")
    page.get_by_role("button", name="Bestätigen und beide benachrichtigen").click()
    page.get_by_text("1 Tandem bestätigt").wait_for()
    assert Tandem.objects.filter(mentee=mentee.profile, mentor=mentor.profile, status="active").exists()

    log_in(page, mentee.email)
    page.goto("/tandem/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"Ihr*e Mentor*in: {mentor}").click()
    page.get_by_text(mentor.email).first.wait_for()
    assert page.get_by_text("Sie passen gut zusammen!").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Dauer in Minuten").fill("90")
    page.get_by_label("online", exact=True).check()
    page.get_by_role("button", name="Treffen speichern").click()
    page.get_by_text("Das Treffen wurde eingetragen.").wait_for()

    log_in(page, mentor.email)
    page.goto("/tandem/")
    assert page.get_by_text("0,00 Stunden").is_visible()  # counted once the partner confirms
    page.get_by_role("link", name=f"Ihr Mentee: {mentee}").click()
    assert page.locator(".meeting-state").first.inner_text() == "offen"
    page.get_by_role("link", name="Korrigieren").click()
    assert page.get_by_text("Stimmt dieser Eintrag?").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ja, bestätigen").click()
    page.get_by_text("Das Treffen ist bestätigt.").wait_for()
    assert page.locator(".meeting-state").first.inner_text() == "bestätigt"
    page.goto("/tandem/")
    assert page.get_by_text("1,50 Stunden").is_visible()
    assert axe_violations(page) == []


def test_on_a_phone_the_partner_sees_and_reaches_the_confirm_button(browser_page, live_server):
    """At 320 CSS px the meetings table stacks: the state and "Bestätigen" are on screen, not out of
    view in a sideways scroll box, and confirming works."""
    from django.utils import timezone

    from accounts.tests.factories import topic
    from matching import services
    from matching.models import Meeting
    from matching.tests.factories import TandemFactory

    mentee = participant(needs=["haushalt"])
    mentor = participant(mentor=True, competences=["haushalt"])
    tandem = TandemFactory(mentee=mentee.profile, mentor=mentor.profile)
    services.meeting_log(tandem=tandem, by=mentor, date=timezone.localdate(), duration_minutes=90, format="online",
                         topics=[topic("haushalt")])
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, mentee.email)
    page.goto(f"/tandem/{tandem.pk}/")
    button = page.get_by_role("button", name="Bestätigen")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    state = page.locator(".meeting-state").first
    assert state.is_visible() and state.inner_text() == "offen"
    button.click()
    page.locator(".meeting-state", has_text="bestätigt").first.wait_for()
    assert Meeting.objects.get().status == Meeting.Status.CONFIRMED
