"""A coordinator writes a filtered letter in the browser: draft, preview with the mail in its frame,
test mail, confirm, send; axe-core finds no WCAG 2.1 AA violation on the letter pages."""
import re

import pytest
from django.core.management import call_command

from accounts.demo import STAFF_EMAIL, STAFF_PASSWORD
from accounts.models import Consent, FederalState
from conftest import axe_violations
from mentoring.kernel.models import OutboxMessage
from mentoring.letters.models import Letter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_writes_previews_tests_and_sends_a_letter(browser_page, live_server):
    call_command("seed_demo", verbosity=0)
    page = browser_page
    page.goto("/konto/login/")
    page.fill("input[name=login]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/profil/")
    state = FederalState.objects.filter(organisation__profiles__user__consents__purpose=Consent.Purpose.NEWS).first()

    page.goto("/admin/letters/letter/add/")
    assert axe_violations(page) == [], page.url
    page.get_by_label(state.name, exact=True).check()
    page.fill("#id_subject_de", "Einladung zur Sprechstunde")
    page.fill("#id_body_de", "Die **Sprechstunde** findet am ersten Dienstag statt.")
    page.get_by_role("button", name="Sichern und Vorschau ansehen").click()
    page.wait_for_url(re.compile(r"/vorschau/$"))
    letter = Letter.objects.get(subject_de="Einladung zur Sprechstunde")
    count = int(re.search(r"(\d+) Person(?:en)? erh", page.content()).group(1))
    assert count > 0
    frame = page.frame_locator("iframe.letter-preview-frame")
    assert frame.locator("strong", has_text="Sprechstunde").count() == 1
    assert axe_violations(page) == [], page.url

    page.get_by_role("button", name="Testmail an mich").click()
    page.wait_for_url(re.compile(r"/vorschau/$"))
    assert "Die Testmail ist an koordination@example.org unterwegs" in page.content()
    assert OutboxMessage.objects.filter(to=STAFF_EMAIL, subject="[Test] Einladung zur Sprechstunde").exists()

    page.get_by_role("link", name="Weiter zum Senden").click()
    assert re.search(rf"{count} Person(en)? erh", page.content())
    assert axe_violations(page) == [], page.url
    page.get_by_role("button", name="Jetzt an alle senden").click()
    page.wait_for_url(re.compile(r"/change/$"))
    assert re.search(rf"Das Rundschreiben geht an {count} Person(en)?;", page.content())
    assert axe_violations(page) == [], page.url
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT and letter.recipient_count == count
    assert OutboxMessage.objects.filter(key__startswith=f"letter:{letter.pk}:").count() == count
