"""In a real browser, under the production Content-Security-Policy: every page an anonymous
visitor, a participant and staff can reach loads with no CSP violation and no request to
another host, and the pages whose inline code moved to static files still behave."""
import re
import time
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import ADMIN_EMAIL, DEMO_PASSWORD, STAFF_EMAIL, STAFF_PASSWORD
from conftest import axe_violations, log_in
from matching.models import MatchRun, Tandem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Files (also the sign-language video's), mail-only links and the admin's "view on site" redirect
# (to the Sites domain; the pages it leads to are crawled as a participant): not pages.
NOT_PAGES = re.compile(r"\.(pdf|ics|csv|xlsx|txt|json)(\?|$)|/export/|/anhang/|/static/|/medien/|/abbestellen/|jsi18n|"
                       r"^/admin/accounts/user/\d+/daten/|/recovery-codes/download/|^/admin/r/|^/gebaerdensprache/\d+/")
REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


class Watch:
    """Collects CSP violations (events and console) and requests to other hosts."""

    def __init__(self, page, live_url: str):
        self.host = urlsplit(live_url).netloc
        self.problems: list[str] = []
        self.url = ""
        page.context.expose_function("cspViolation", lambda text: self.problems.append(f"{self.url}: {text}"))
        page.context.add_init_script(REPORTER)
        page.on("console", self.console)
        page.on("request", self.request)

    def console(self, message):
        if "Refused to" in message.text or "Content Security Policy" in message.text:
            self.problems.append(f"{self.url}: console: {message.text[:200]}")

    def request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc != self.host:
            self.problems.append(f"{self.url}: request to another host: {request.url}")


def page_key(path: str) -> str:
    """Pages that differ only in an id, a category, a sort order or a filter are one kind of
    page (the same template): visit one of each."""
    path = re.sub(r"/kategorie/[^/]+/", "/kategorie/S/", urlsplit(path).path)
    return re.sub(r"\d+", "N", path)


def crawl(page, watch: Watch, live_url: str, start: list[str], *, within: str = "/") -> list[str]:
    """Visits the start pages and every same-site page linked from them (one per kind)."""
    queue, seen, visited = list(start), set(), []
    while queue:
        assert len(visited) < 300, "the crawl does not end: page_key() misses a kind of page"
        path = queue.pop(0)
        key = page_key(path)
        if key in seen or NOT_PAGES.search(path):
            continue
        seen.add(key)
        watch.url = path
        response = page.goto(path)
        assert response.status < 500, f"{path}: {response.status}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe" not in policy, f"{path}: {policy!r}"
        page.wait_for_load_state("load")
        visited.append(path)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urldefrag(href).url
            parts = urlsplit(url)
            if url.startswith(live_url) and parts.path.startswith(within):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return visited


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    return Tandem.objects.filter(status=Tandem.Status.ACTIVE).select_related("mentor__user").first()


def test_every_reachable_page_loads_under_the_policy(browser_page, live_server, demo):
    page = browser_page
    watch = Watch(page, live_server.url)

    # The watch itself notices an inline style, so a clean run means something.
    page.goto("/impressum/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(300)
    assert any("style-src" in problem for problem in watch.problems), watch.problems
    watch.problems.clear()

    anonymous = crawl(page, watch, live_server.url, ["/", "/anmeldung/", "/konto/login/", "/konto/password/reset/",
                                                     "/veranstaltungen/", "/barrierefreiheit/"])
    log_in(page, demo.mentor.user.email, DEMO_PASSWORD)  # a Mentor*in also sees the time statement
    participant = crawl(page, watch, live_server.url, [
        "/profil/", "/profil/bearbeiten/", "/profil/zurueckziehen/", "/profil/loeschen/", "/tandem/",
        f"/tandem/{demo.pk}/", "/forum/", "/forum/suche/?q=Hitze", "/veranstaltungen/meine/", "/konto/email/",
        "/konto/password/change/", "/konto/2fa/"], within="/")
    log_in(page, STAFF_EMAIL, STAFF_PASSWORD)
    staff = crawl(page, watch, live_server.url, ["/admin/"], within="/admin/")

    assert watch.problems == []
    for path in ("/", "/impressum/", "/datenschutz/", "/anmeldung/", "/konto/login/"):
        assert path in anonymous
    assert {"/tandem/", f"/tandem/{demo.pk}/", "/forum/", "/profil/bearbeiten/"} <= set(participant)
    assert any(re.fullmatch(r"/forum/thema/\d+/", path) for path in participant)
    assert any(re.fullmatch(r"/veranstaltungen/\d+/", path) for path in participant)
    assert any(re.fullmatch(r"/admin/\w+/\w+/\d+/change/", path) for path in staff)
    assert sum(bool(re.fullmatch(r"/admin/\w+/\w+/", path)) for path in staff) >= 10
    print(f"{len(anonymous)} anonymous, {len(participant)} participant, {len(staff)} staff pages")


def test_moved_inline_code_still_works_and_pages_stay_accessible(browser_page, live_server, demo, settings):
    from django_celery_beat.models import CrontabSchedule

    page = browser_page
    watch = Watch(page, live_server.url)
    crontab = CrontabSchedule.objects.create(minute="30", hour="6")

    page.goto("/barrierefreiheit/")
    assert axe_violations(page) == []
    # An A.2 Mentor*in also sees the time statement with its bar towards the five days.
    type(demo.mentor).objects.filter(pk=demo.mentor.pk).update(funding_line="a2")
    log_in(page, demo.mentor.user.email, DEMO_PASSWORD)
    page.goto("/tandem/")
    bar = page.locator(".progress-bar")
    assert bar.evaluate("bar => bar.style.width") == bar.get_attribute("data-width")
    assert axe_violations(page) == []
    for path in ("/profil/loeschen/", "/profil/zurueckziehen/", "/konto/2fa/"):
        page.goto(path)
        assert axe_violations(page) == [], path

    log_in(page, ADMIN_EMAIL, STAFF_PASSWORD)  # the beat schedule is the superuser's
    page.goto(reverse("admin:matching_matchrun_proposals", args=[MatchRun.objects.get().pk]))
    bars = page.locator(".match-bar")
    assert bars.count() > 0
    for index in range(bars.count()):
        assert bars.nth(index).evaluate("bar => bar.style.width") == bars.nth(index).get_attribute("data-width")
    page.goto("/admin/django_celery_beat/periodictask/add/")
    page.locator("#id_crontab").select_option(value=str(crontab.pk))  # the seeded schedules are listed too
    assert "Bedeutung: At 06:30" in page.locator(".field-crontab .help").inner_text()
    assert watch.problems == []


def test_staff_enrol_and_confirm_their_second_factor_in_the_browser(browser_page, live_server, settings):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from accounts.tests.factories import PASSWORD, StaffFactory

    settings.STAFF_REQUIRE_MFA = True
    page = browser_page
    watch = Watch(page, live_server.url)
    staff = StaffFactory(email="neu.koordination@example.org")

    log_in(page, staff.email, PASSWORD, landing="**/konto/reauthenticate/**")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/konto/2fa/totp/activate/")
    assert page.locator("main img").evaluate("img => img.naturalWidth") > 0  # the QR code, a data: image
    assert axe_violations(page) == []
    secret = page.locator("#authenticator_secret").input_value()

    def code():
        if time.time() % 30 > 25:  # never a code about to expire: no tolerance is allowed
            time.sleep(30 - time.time() % 30)
        return format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    page.fill("#id_code", code())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/konto/2fa/recovery-codes/")
    assert len(page.locator("#recovery_codes").input_value().split()) == 10
    assert axe_violations(page) == []

    page.goto("/admin/")
    page.wait_for_url("**/konto/2fa/reauthenticate/?next=%2Fadmin%2F")
    assert axe_violations(page) == []
    page.fill("#id_code", code())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("heading", name="Verwaltung").is_visible()
    assert watch.problems == []
