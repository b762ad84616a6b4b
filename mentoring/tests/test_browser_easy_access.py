"""In a real browser: Leichte Sprache and the sign-language video (uploaded by staff, played from this
site with byte ranges), and profile forms that show each role its own questions; axe-core finds
nothing at 1280 and 320 pixels and no page asks another host for anything."""
import base64

import pytest

from accounts.models import Registration
from accounts.tests.factories import PASSWORD, StaffFactory, participant
from conftest import axe_violations
from mentoring.models import SignLanguageVideo
from mentoring.tests.test_browser import Watch, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A real WebM made by the browser itself (canvas → MediaRecorder): no video file in the repository.
RECORD_WEBM = """async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 320; canvas.height = 180;
  const context = canvas.getContext("2d");
  const recorder = new MediaRecorder(canvas.captureStream(15), {mimeType: "video/webm;codecs=vp8"});
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  recorder.start();
  for (let frame = 0; frame < 20; frame++) {
    context.fillStyle = `hsl(${frame * 18}, 60%, 40%)`;
    context.fillRect(0, 0, 320, 180);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  recorder.stop();
  await stopped;
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}"""
VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nWillkommen!\n"
# Every element of the page's content stays inside the viewport (the header is another helper's work).
CONTENT_FITS = ("() => [...document.querySelectorAll('main *')]"
                ".every(e => e.getBoundingClientRect().right <= innerWidth + 1)")


def check_widths(page, path: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        assert axe_violations(page) == [], (path, width)
        assert page.evaluate(CONTENT_FITS), (path, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_leichte_sprache_and_the_sign_language_video(browser_page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    watch = Watch(page, live_server.url)
    page.goto("/")
    footer = page.locator("footer")
    assert footer.get_by_role("link", name="Leichte Sprache").get_attribute("lang") == "de"
    assert footer.get_by_role("link", name="Gebärdensprache").count() == 0
    footer.get_by_role("link", name="Leichte Sprache").click()
    page.wait_for_url("**/leichte-sprache/")
    assert page.locator(".leichte-sprache").evaluate("e => getComputedStyle(e).fontSize") == "20px"
    check_widths(page, "/leichte-sprache/")

    webm = base64.b64decode(page.evaluate(RECORD_WEBM))
    staff = StaffFactory()
    log_in(page, staff.email, PASSWORD)
    page.goto("/admin/mentoring/signlanguagevideo/add/")
    page.locator("#id_title").fill("Die Website in Gebärdensprache")
    page.locator("#id_video").set_input_files(files=[{"name": "falsch.txt", "mimeType": "text/plain",
                                                      "buffer": b"kein Video"}])
    page.locator("#id_transcript").fill("Willkommen beim **Mentoring-Programm**.")
    page.locator("input[name=_save]").click()
    assert "ist kein erlaubter Dateityp" in page.locator(".field-video .errorlist").inner_text()
    page.locator("#id_video").set_input_files(files=[{"name": "dgs.webm", "mimeType": "video/webm",
                                                      "buffer": webm}])
    page.locator("#id_captions").set_input_files(files=[{"name": "dgs.vtt", "mimeType": "text/vtt",
                                                         "buffer": VTT}])
    page.locator("#id_published").check()
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/mentoring/signlanguagevideo/")
    assert SignLanguageVideo.objects.get().published

    page.context.clear_cookies()
    statuses = []
    page.on("response", lambda r: "/video/" in r.url and statuses.append((r.status, r.request.headers.get("range"))))
    page.goto("/")
    page.locator("footer").get_by_role("link", name="Gebärdensprache").click()
    page.wait_for_url("**/gebaerdensprache/")
    page.wait_for_function("document.querySelector('video').readyState >= 1")
    assert page.locator("video").evaluate("v => v.videoWidth") == 320
    assert any(status == 206 and byte_range for status, byte_range in statuses), statuses
    assert page.locator("video track").evaluate("t => t.track.kind") == "captions"
    assert "Mentoring-Programm" in page.locator(".markdown strong").inner_text()
    check_widths(page, "/gebaerdensprache/")
    assert watch.problems == []


def test_profile_forms_show_each_role_its_questions(browser_page, live_server):
    page = browser_page
    watch = Watch(page, live_server.url)
    page.goto("/anmeldung/")
    needs, places = page.locator("fieldset#bedarfe"), page.locator("fieldset#mentor")
    assert not needs.is_visible() and not places.is_visible()  # nothing role-specific before a choice
    page.get_by_label("Mentee (neu in der Rolle)").check()
    assert needs.is_visible() and not places.is_visible()
    page.get_by_label("Mentor*in (erfahren)").check()
    assert places.is_visible() and not needs.is_visible()
    page.get_by_label("beides").check()
    assert needs.is_visible() and places.is_visible()
    assert axe_violations(page) == []

    mentee = participant(needs=["haushalt"])
    mentor = participant(mentor=True, competences=["haushalt"])
    log_in(page, mentee.email, PASSWORD)
    page.goto("/profil/bearbeiten/")
    assert page.locator("fieldset#bedarfe").is_visible() and not page.locator("fieldset#mentor").is_visible()
    assert page.locator("#id_mentor_capacity").is_disabled()  # not even sent
    for path in ("/profil/bearbeiten/", "/profil/"):
        check_widths(page, path)
    assert "Sie sind im Matching" in page.locator("main").inner_text()

    log_in(page, mentor.email, PASSWORD)
    page.goto("/profil/bearbeiten/")
    assert page.locator("fieldset#mentor").is_visible() and not page.locator("fieldset#bedarfe").is_visible()
    # Approved: the role is the Koordination's to change, and the page says so.
    assert page.get_by_label("Mentee (neu in der Rolle)").is_disabled()
    assert "ändert die Koordination Ihre Rolle" in page.locator("main").inner_text()
    for path in ("/profil/", "/profil/bearbeiten/"):
        check_widths(page, path)

    before_approval = participant(mentor=True, competences=["haushalt"], status=Registration.Status.INTRO_DONE)
    log_in(page, before_approval.email, PASSWORD)
    page.goto("/profil/bearbeiten/")
    page.get_by_label("Mentee (neu in der Rolle)").check()  # switching role switches the questions
    assert page.locator("fieldset#bedarfe").is_visible() and not page.locator("fieldset#mentor").is_visible()
    assert watch.problems == []
