"""In a real browser: register, download the .ics, cancel; the next person on the waitlist moves up."""
import icalendar
import pytest
from django.urls import reverse

from conftest import axe_violations, log_in
from events.ical import event_ics_filename
from events.models import EventRegistration
from events.services import event_register
from mentoring.kernel.models import OutboxMessage

from .factories import EventFactory, participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_download_cancel_and_waitlist_moves_up(browser_page, transactional_db, tmp_path):
    page = browser_page
    event = EventFactory(title="Online-Seminar Hitzeschutz", capacity=1)
    person = participant()
    waiting = participant()
    log_in(page, person.email)

    page.goto(reverse("events:list"))
    assert axe_violations(page) == []
    page.get_by_role("link", name="Online-Seminar Hitzeschutz").click()
    page.get_by_label("Hinweis an die Koordination (optional)").fill("Ich nutze einen Screenreader.")
    page.get_by_role("button", name="Jetzt anmelden").click()
    page.get_by_text("Sie sind angemeldet.", exact=True).wait_for()
    assert page.get_by_role("link", name=event.online_url).is_visible()
    assert axe_violations(page) == []

    # The place is taken: the next person lands on the waitlist.
    assert event_register(event=event, user=waiting).status == EventRegistration.Status.WAITLISTED

    with page.expect_download() as download_info:
        page.get_by_role("link", name="In meinen Kalender (.ics-Datei)").click()
    download = download_info.value
    assert download.suggested_filename == event_ics_filename(event) and download.suggested_filename.endswith(".ics")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    [vevent] = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Online-Seminar Hitzeschutz"
    assert vevent.decoded("DTSTART") == event.starts_at

    page.get_by_role("button", name="Von der Veranstaltung abmelden").click()
    page.get_by_text("Sie sind abgemeldet. Ihr Platz ist wieder frei.").wait_for()
    assert page.get_by_role("button", name="Jetzt anmelden").is_visible() is False
    registration = EventRegistration.objects.get(event=event, user=waiting)
    assert registration.status == EventRegistration.Status.CONFIRMED
    assert OutboxMessage.objects.filter(key=f"event-promoted:{registration.pk}", to=waiting.email).exists()

    page.goto(reverse("events:mine"))
    assert page.get_by_label("Ihre persönliche Kalender-Adresse").input_value().startswith("http")
    assert axe_violations(page) == []
