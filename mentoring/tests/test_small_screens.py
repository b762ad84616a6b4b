"""WCAG 1.4.10 Reflow in a real browser: every page a participant or a coordinator can reach
fits a 320 CSS px wide screen without scrolling sideways, and every participant page passes
axe-core at 320 and at 1280 px. The pages come from the URL resolver and the admin registry
(site_pages.py), filled with objects that carry the site's longest words."""
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .site_pages import admin_paths, build_site, participant_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
# The same rules as conftest.axe_violations; axe-core is loaded with each page instead of
# being injected for each run, which makes a run over a hundred pages take a third of the time.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
WIDE = {"width": 1280, "height": 900}

# What sticks out: the innermost elements wider than the screen that no scroll box of their
# own contains, so that a failure names the element to fix.
OVERFLOW = """() => {
  const limit = window.innerWidth + 1;
  // Inside a box that scrolls or clips? An absolutely positioned element only is when the
  // box is (or contains) its containing block: its nearest positioned ancestor.
  const scrolls = (element) => {
    let position = getComputedStyle(element).position;
    if (position === 'fixed') return false;
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (position === 'absolute') {
        if (style.position === 'static') continue;
        position = style.position;
      }
      if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) return true;
    }
    return false;
  };
  const right = (element) => {
    const rect = element.getBoundingClientRect();
    const text = getComputedStyle(element).overflowX === 'visible' ? rect.left + element.scrollWidth : rect.right;
    return Math.max(rect.right, text) + window.scrollX;
  };
  const wide = [...document.body.querySelectorAll('*')].filter(
    (element) => element.getClientRects().length && right(element) > limit && !scrolls(element));
  const innermost = wide.filter((element) => !wide.some((other) => other !== element && element.contains(other)));
  return {
    width: document.documentElement.scrollWidth,
    culprits: innermost.slice(0, 4).map((element) =>
      `<${element.tagName.toLowerCase()} class="${element.className}"> ${Math.round(right(element))}px: ` +
      (element.textContent || element.value || '').trim().replace(/\\s+/g, ' ').slice(0, 60)),
  };
}"""


def axe_violations(page) -> list[str]:
    violations = page.evaluate("options => axe.run(document, options).then(result => result.violations)",
                               AXE_OPTIONS)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})" for v in violations]


def role_page(browser, live_server, user=None, password=""):
    from axe_playwright_python import sync_playwright as axe_module

    context = browser.new_context(locale="de-DE", base_url=live_server.url, viewport=NARROW)
    context.add_init_script(path=str(Path(axe_module.__file__).with_name("axe.min.js")))
    page = context.new_page()
    page.set_default_timeout(15000)
    if user is not None:
        page.goto("/konto/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("load")
        assert "/konto/login/" not in page.url, f"{user.email} could not log in"
    return page


class Check:
    """Visits pages at 320 px and collects every page wider than the screen."""

    def __init__(self):
        self.too_wide: list[str] = []
        self.axe: list[str] = []
        self.seen: set[tuple[str, str]] = set()
        self.count = 0

    def fits(self, page, role: str, label: str) -> None:
        result = page.evaluate(OVERFLOW)
        if result["width"] > page.viewport_size["width"] + 1:
            self.too_wide.append(f"{role} {label}: {result['width']}px wide at {page.viewport_size['width']}px; "
                                 + " | ".join(result["culprits"]))

    def visit(self, page, role: str, path: str, *, accessible: bool) -> None:
        if page.request.get(path, max_redirects=0).status == 405:
            return  # a form posts here (chromium shows nothing); the page with the form is checked itself
        response = page.goto(path)
        status = response.status if response else 0
        assert status < 500, f"{role} {path}: {status}"
        # Pages that differ only in the ?next= of a redirect, and every "not found", are one page.
        landed = "404" if status == 404 else urlsplit(page.url).path
        if (role, landed) in self.seen:
            return
        self.seen.add((role, landed))
        self.count += 1
        label = path if landed == path else f"{path} → {landed}"
        self.fits(page, role, label)
        if accessible:
            self.axe += [f"{role} {label} at 320px: {v}" for v in axe_violations(page)]
            page.set_viewport_size(WIDE)
            self.axe += [f"{role} {label} at 1280px: {v}" for v in axe_violations(page)]
            page.set_viewport_size(NARROW)

    def menu_fits(self, page, role: str) -> None:
        """The collapsed navigation, opened, fits too."""
        page.goto("/")
        page.locator(".navbar-toggler").click()
        page.locator("#hauptmenue.show").wait_for()
        page.wait_for_timeout(400)  # the collapse animates its height
        self.fits(page, role, "/ (menu open)")

    @staticmethod
    def wait_for_new_page(page) -> None:
        """wait_for_function would evaluate a string, which the Content-Security-Policy refuses."""
        from playwright.sync_api import Error

        for _ in range(300):
            try:
                if page.evaluate("() => !window.previousPage && document.readyState === 'complete'"):
                    return
            except Error:  # the old page went away while asking
                pass
            page.wait_for_timeout(50)
        raise AssertionError(f"{page.url} did not load")

    def action(self, page, changelist: str, action: str, pk: int) -> None:
        """Runs an admin action on one object the way the changelist's form does; an action
        that asks something first (a date, a reason, are you sure) shows a page: check it."""
        page.goto(changelist)
        form = page.locator("#changelist-form select[name=action]")
        if not form.count():
            return  # this changelist offers no actions (it shows the one object, for instance)
        page.evaluate("window.previousPage = true")
        with page.expect_response(lambda response: response.request.method == "POST") as info:
            page.evaluate("""([action, pk]) => {
              const form = document.getElementById('changelist-form');
              form.querySelector('select[name=action]').value = action;
              const selected = document.createElement('input');
              Object.assign(selected, {type: 'hidden', name: '_selected_action', value: pk});
              form.append(selected);
              form.querySelector('button[name=index]').click();
            }""", [action, str(pk)])
        response = info.value
        assert response.status < 500, f"action {action} on {changelist}: {response.status}"
        if response.status == 200 and "text/html" in response.headers.get("content-type", ""):
            self.wait_for_new_page(page)
            self.count += 1
            self.fits(page, "staff", f"{changelist} action {action}")


@pytest.fixture
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_site()


def test_participant_pages_fit_320_px_and_pass_axe(browser, live_server, site):
    started, check = time.monotonic(), Check()
    pages = participant_paths(site)
    for role, user in [("anonymous", None), ("unapproved", site.waiting), ("mentee", site.mentee),
                       ("mentor", site.mentor)]:
        page = role_page(browser, live_server, user, site.password)
        check.menu_fits(page, role)
        for path in pages:
            check.visit(page, role, path, accessible=True)
        page.context.close()

    assert check.too_wide == [], "\n".join(check.too_wide)
    assert check.axe == [], "\n".join(check.axe)
    # The walk reached what it must, in each role.
    for role, path in [("anonymous", "/"), ("anonymous", "/anmeldung/"), ("anonymous", "/konto/login/"),
                       ("unapproved", "/profil/"), ("mentee", f"/tandem/{site.tandem.pk}/"),
                       ("mentor", f"/tandem/{site.tandem.pk}/"), ("mentee", f"/forum/thema/{site.thread.pk}/"),
                       ("mentee", f"/veranstaltungen/{site.event.pk}/"), ("mentor", "/profil/bearbeiten/")]:
        assert (role, path) in check.seen
    print(f"{check.count} participant pages at 320 px, axe at 320 and 1280 px: {time.monotonic() - started:.0f} s")


def test_coordinator_pages_fit_320_px(browser, live_server, site):
    started, check = time.monotonic(), Check()
    admin_pages, actions = admin_paths(site)
    page = role_page(browser, live_server, site.staff, site.password)
    check.menu_fits(page, "staff")
    for path in admin_pages:
        check.visit(page, "staff", path, accessible=False)
    for changelist, action, pk in actions:
        check.action(page, changelist, action, pk)
    for path in participant_paths(site):  # the last one logs out
        check.visit(page, "staff", path, accessible=False)

    assert check.too_wide == [], "\n".join(check.too_wide)
    seen = {path for role, path in check.seen}
    assert {"/admin/", "/admin/accounts/registration/", f"/admin/matching/matchrun/{site.run.pk}/vorschlaege/",
            f"/admin/matching/tandem/{site.tandem.pk}/change/", f"/forum/thema/{site.thread.pk}/"} <= seen
    assert len(seen) > 150, sorted(seen)
    print(f"{check.count} coordinator pages at 320 px: {time.monotonic() - started:.0f} s")
