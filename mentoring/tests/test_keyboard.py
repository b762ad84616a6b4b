"""The main journeys with the keyboard alone (WCAG 2.1.1, 2.1.2, 2.4.1, 2.4.3, 2.4.7): register,
log in, log a meeting, reply in the forum, register for an event. Only key presses and typing:
no click, no fill. On every page of a journey the first Tab reaches a skip link that moves the
focus to the main content, every focused element shows a focus indicator with enough
contrast, the focus moves down the page and never back up within a column, and tabbing on
from the last element leaves the page and comes back to the top (no trap)."""
import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from accounts.models import Registration, Topic, User
from accounts.tests.factories import PASSWORD, participant
from events.models import EventRegistration
from events.tests.factories import EventFactory
from forum.models import Post
from forum.tests.factories import ThreadFactory
from matching.models import Meeting
from matching.tests.factories import TandemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the keyboard user sees of the focused element; the indicator is drawn outside the
# element, so its contrast counts against the first opaque background behind the element.
FOCUSED = """async () => {
  // The browser scrolls the focused element into view, smoothly where motion is welcome: wait for it.
  for (let last = null; last !== window.scrollY;) {
    last = window.scrollY;
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) return null;
  const style = getComputedStyle(element);
  const rect = element.getBoundingClientRect();
  let background = 'rgb(255, 255, 255)';
  for (let box = element.parentElement; box; box = box.parentElement) {
    const colour = getComputedStyle(box).backgroundColor;
    if (colour !== 'transparent' && !/, 0\\)$/.test(colour)) { background = colour; break; }
  }
  const label = element.labels && element.labels.length ? element.labels[0].textContent
    : element.getAttribute('aria-label') || element.textContent || element.value || '';
  return {
    tag: element.tagName.toLowerCase(), id: element.id, name: element.getAttribute('name') || '',
    skip: element.classList.contains('skip-link'),
    type: element.type || '', value: element.value || '', checked: !!element.checked,
    href: element.getAttribute('href') || '', label: label.trim().replace(/\\s+/g, ' ').slice(0, 80),
    selected: element.tagName === 'SELECT' && element.selectedIndex >= 0
      ? element.options[element.selectedIndex].text : '',
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor, boxShadow: style.boxShadow, background,
    top: rect.top + window.scrollY, left: rect.left + window.scrollX, right: rect.right + window.scrollX,
    width: rect.width, height: rect.height,
    inView: rect.bottom > 0 && rect.top < window.innerHeight && rect.right > 0 && rect.left < window.innerWidth,
  };
}"""
TABBABLE = """() => [...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]')].filter(
  (element) => element.tabIndex >= 0 && !element.disabled && element.getClientRects().length)"""


def rgb(colour: str) -> tuple[float, float, float, float]:
    parts = [float(x) for x in re.findall(r"[\d.]+", colour)[:4]]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def luminance(colour) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = colour[:3]
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(foreground: str, background: str) -> float:
    back = rgb(background)
    back = [back[3] * b + (1 - back[3]) * 255 for b in back[:3]] + [1.0]  # a tint over the white page
    fore = rgb(foreground)
    alpha = fore[3]
    blended = [alpha * f + (1 - alpha) * b for f, b in zip(fore[:3], back[:3], strict=True)]
    lighter, darker = sorted([luminance(blended), luminance(back)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def indicator(focus: dict) -> str | None:
    """What makes the focus visible, or None: an outline or a box-shadow ring of at least 3:1
    against the background around the element (WCAG 1.4.11)."""
    if focus["outlineStyle"] != "none" and focus["outlineWidth"] >= 1:
        ratio = contrast(focus["outlineColor"], focus["background"])
        if ratio >= 3:
            return f"outline {focus['outlineColor']} {ratio:.1f}:1"
    for ring in re.findall(r"rgba?\([^)]*\)[^,]*", focus["boxShadow"] if focus["boxShadow"] != "none" else ""):
        lengths = [float(x) for x in re.findall(r"(-?[\d.]+)px", ring)]
        spread = lengths[3] if len(lengths) > 3 else 0
        colour = re.match(r"rgba?\([^)]*\)", ring).group(0)
        if spread >= 1 and contrast(colour, focus["background"]) >= 3:
            return f"box-shadow {colour}"
    return None


class Keyboard:
    """Presses keys and checks each element the Tab key reaches."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        self.previous: dict | None = None
        self.visited = 0

    def where(self) -> str:
        return urlsplit(self.page.url).path

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        focus = self.page.evaluate(FOCUSED)
        if key in ("Tab", "Shift+Tab"):
            self.check(focus, forward=key == "Tab")
        else:
            self.previous = None  # Enter, Space and arrows may move the focus anywhere on purpose
        return focus

    def check(self, focus: dict | None, *, forward: bool) -> None:
        if focus is None:  # the focus left the page (to the browser's own controls)
            self.previous = None
            return
        self.visited += 1
        name = f"{self.where()} <{focus['tag']} {focus['name'] or focus['id']}> „{focus['label'][:40]}“"
        if focus["width"] < 2 or focus["height"] < 2 or not focus["inView"]:
            self.problems.append(f"{name}: focused but not visible on screen")
        elif indicator(focus) is None:
            self.problems.append(f"{name}: no visible focus indicator (outline {focus['outlineStyle']} "
                                 f"{focus['outlineColor']}, box-shadow {focus['boxShadow']}, "
                                 f"background {focus['background']})")
        previous = None if focus["skip"] else self.previous  # from the end of the page back to the top
        same = previous and (previous["id"], previous["name"], previous["top"], previous["left"]) == (
            focus["id"], focus["name"], focus["top"], focus["left"])
        if previous and not same:
            overlap = min(previous["right"], focus["right"]) - max(previous["left"], focus["left"])
            upward = focus["top"] < previous["top"] - 2 if forward else focus["top"] > previous["top"] + 2
            if overlap > 0 and upward:
                self.problems.append(f"{name}: the focus jumps {'up' if forward else 'down'} from "
                                     f"„{previous['label'][:40]}“ in the same column")
        self.previous = focus

    def tab_to(self, wanted, what: str, limit: int = 250) -> dict:
        for _ in range(limit):
            focus = self.press("Tab")
            if focus and wanted(focus):
                return focus
        raise AssertionError(f"{self.where()}: Tab never reaches {what}")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def arrive(self) -> None:
        """A new page: the first Tab reaches the skip link, Enter moves the focus to the main
        content, and the whole page can be tabbed through and left again (no trap)."""
        self.page.wait_for_load_state("load")
        self.previous = None
        if urlsplit(self.page.url).fragment:
            # Sent to a place on the page (a new post): the Tab key starts there, and reaches
            # the skip link after the end of the page.
            self.no_trap()
            skip = self.page.evaluate(FOCUSED)
        else:
            skip = self.press("Tab")
        assert skip is not None and skip["href"].startswith("#"), f"{self.where()}: the first Tab reaches {skip}"
        assert "Zum Inhalt" in skip["label"], skip
        target = skip["href"][1:]
        self.press("Enter")
        focus = self.page.evaluate("() => document.activeElement.id")
        assert focus == target == "inhalt", f"{self.where()}: the skip link moves the focus to #{focus}"
        assert self.page.evaluate("() => document.activeElement.tagName") == "MAIN"
        first = self.press("Tab")
        assert first is not None and self.page.evaluate(
            "() => document.getElementById('inhalt').contains(document.activeElement)"), (
            f"{self.where()}: after the skip link the next Tab is outside the main content: {first}")
        self.no_trap()

    def no_trap(self) -> None:
        """From where the focus is, Tab runs through the rest of the page, leaves it, and comes
        back at the skip link; Shift+Tab from there leaves the page at the top as well."""
        tabbable = self.page.evaluate(f"() => ({TABBABLE})().length")
        for _ in range(tabbable + 20):
            focus = self.press("Tab")
            if focus is not None and focus["skip"]:
                break
        else:
            raise AssertionError(f"{self.where()}: {tabbable + 20} Tabs never came back to the skip link: a trap")
        # Backwards the same: Shift+Tab from the skip link leaves the page or wraps to its end.
        self.previous = None
        self.page.keyboard.press("Shift+Tab")
        assert self.page.evaluate(f"() => document.activeElement === document.body || "
                                  f"document.activeElement === ({TABBABLE})().pop()"), (
            f"{self.where()}: Shift+Tab from the skip link goes to {self.page.evaluate(FOCUSED)}")
        self.previous = None
        for _ in range(5):
            if (focus := self.press("Tab")) is not None:
                break
        assert focus is not None and focus["skip"], (
            f"{self.where()}: Tab from outside the page does not come back to the skip link")
        self.previous = None

    def submit(self, key: str = "Enter") -> None:
        """Press a key that loads another page (follows a link, sends a form)."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.previous = None

    def follow(self, wanted, what: str) -> None:
        """Tab to a link and follow it with Enter."""
        self.tab_to(wanted, what)
        self.submit()
        self.arrive()

    def choose(self, focus: dict, label: str) -> None:
        """Select an option of the focused <select> with the arrow keys."""
        for _ in range(60):
            if focus["selected"] == label:
                return
            focus = self.press("ArrowDown")
        raise AssertionError(f"no option {label!r} in {focus['name']}")

    def pick(self, focus: dict, value: str) -> None:
        """Check a radio button of the focused group with the arrow keys (and Space)."""
        for _ in range(12):
            if focus["value"] == value:
                if not focus["checked"]:
                    self.press("Space")
                return
            focus = self.press("ArrowDown")
        raise AssertionError(f"no radio button {value!r} in {focus['name']}")

    def date(self, value: datetime.date) -> None:
        """Type a date into the focused date field, whichever order its segments have here."""
        month_first, day_first = value.strftime("%m%d%Y"), value.strftime("%d%m%Y")
        self.type(day_first)
        if self.page.evaluate("() => document.activeElement.value") != value.isoformat():
            self.press("Shift+Tab")
            self.press("Shift+Tab")
            self.type(month_first)
        assert self.page.evaluate("() => document.activeElement.value") == value.isoformat()


def is_link(text: str):
    return lambda focus: focus["tag"] == "a" and text in focus["label"]


def is_button(text: str):
    return lambda focus: focus["tag"] in ("button", "input") and text in focus["label"]


def is_field(name: str):
    return lambda focus: focus["name"] == name


def fill_form(keyboard: Keyboard, plan: dict, submit) -> None:
    """Tab through a form in its order and enter each planned value as it comes: text is typed,
    selects and radio groups are set with the arrow keys, check boxes with Space. Ends with
    Enter on the submit button."""
    done: set[str] = set()
    for _ in range(400):
        focus = keyboard.press("Tab")
        if focus is None:
            continue
        if submit(focus):
            missing = set(plan) - done
            assert not missing, f"the Tab key never reached {sorted(missing)}"
            keyboard.submit()
            return
        key = focus["name"] if focus["type"] != "checkbox" else f"{focus['name']}={focus['value']}"
        if key in done or key not in plan:
            continue
        value = plan[key]
        if focus["type"] == "checkbox":
            if focus["checked"] != value:
                keyboard.press("Space")
        elif focus["type"] == "radio":
            keyboard.pick(focus, value)
        elif focus["tag"] == "select":
            keyboard.choose(focus, value)
        elif focus["type"] == "date":
            keyboard.date(value)
        else:
            keyboard.type(value)
        done.add(key)
    raise AssertionError("the form has no submit button the Tab key reaches")


@pytest.fixture
def keyboard(browser_page):
    browser_page.set_viewport_size({"width": 1280, "height": 800})
    # No smooth scrolling or fading rings: each focus is checked where and as it ends up.
    browser_page.emulate_media(reduced_motion="reduce")
    return Keyboard(browser_page)


def test_register_with_the_keyboard_alone(keyboard):
    page = keyboard.page
    page.goto("/")
    keyboard.arrive()
    keyboard.follow(is_link("Jetzt registrieren"), "the link to the Anmeldeformular")
    assert keyboard.where() == "/anmeldung/"

    fill_form(keyboard, {
        "first_name": "Miriam", "last_name": "Hoffmann", "email": "miriam.hoffmann@erfurt.de",
        "password1": "Hitzeschutz-Erfurt-26", "password2": "Hitzeschutz-Erfurt-26", "role": "mentee",
        "organisation_name": "Stadt Erfurt", "org_type": "kreisfreie Stadt (Stadtkreis)", "federal_state": "Thüringen",
        "size_class": "kleinere Großstadt (100 000–500 000 Einw.)", "position": "Klimaanpassungsmanagerin",
        "role_started_on": datetime.date(2026, 8, 1), "funding_line": "a1",
        "funding_ends_on": datetime.date(2028, 7, 31), "concept_stage": "in_progress",
        "need_hitzeaktionsplan": "hoch", "needs_text": "Hitzeaktionsplan mit Kitas und Pflegeheimen.",
        "meeting_format": "both", "languages=de": True, "consent_programme=on": True,
        "consent_partner_sharing=on": True,
    }, submit=is_button("Anmeldung absenden"))

    assert keyboard.where() == "/anmeldung/danke/", page.url
    registration = Registration.objects.get(user__email="miriam.hoffmann@erfurt.de")
    assert registration.status == Registration.Status.SUBMITTED
    profile = registration.user.profile
    assert (profile.organisation.name, profile.role_started_on) == ("Stadt Erfurt", datetime.date(2026, 8, 1))
    assert profile.needs.get(topic__slug="hitzeaktionsplan").priority == 3
    assert keyboard.problems == [], "\n".join(keyboard.problems)


def test_log_in_log_a_meeting_reply_and_register_for_an_event_with_the_keyboard_alone(keyboard):
    page = keyboard.page
    mentee = participant(needs=[("haushalt", 3)], user__first_name="Jonas", user__last_name="Wagner")
    tandem = TandemFactory(mentee=mentee.profile, days_ago=30)
    thread = ThreadFactory(title="Wie binden Sie Kitas in den Hitzeaktionsplan ein?")
    event = EventFactory(title="Online-Seminar Hitzeschutz")

    # Log in.
    page.goto("/")
    keyboard.arrive()
    keyboard.follow(is_link("Anmelden"), "the login link")
    keyboard.tab_to(is_field("login"), "the e-mail field")
    keyboard.type(mentee.email)
    keyboard.tab_to(is_field("password"), "the password field")
    keyboard.type(PASSWORD)
    keyboard.submit()
    keyboard.arrive()
    assert keyboard.where() == "/profil/", page.url
    assert page.context.cookies() and User.objects.get(pk=mentee.pk).last_login is not None

    # Log a meeting in the Tandem.
    keyboard.follow(is_link("Mein Tandem"), "the Tandem link in the navigation")
    keyboard.follow(lambda focus: focus["tag"] == "a" and f"/tandem/{tandem.pk}/" in focus["href"],
                    "the link to the Tandem")
    day = timezone.localdate() - datetime.timedelta(days=2)
    haushalt = Topic.objects.get(slug="haushalt")
    fill_form(keyboard, {"date": day, "duration_minutes": "90", "format": "onsite", f"topics={haushalt.pk}": True,
                         "note": "Haushaltsplan besprochen."}, submit=is_button("Treffen speichern"))
    keyboard.arrive()
    meeting = Meeting.objects.get(tandem=tandem)
    assert (meeting.date, meeting.duration_minutes, meeting.format, meeting.logged_by) == (day, 90, "onsite", mentee)
    assert list(meeting.topics.values_list("slug", flat=True)) == ["haushalt"]

    # Reply in the forum.
    keyboard.follow(is_link("Forum"), "the forum link in the navigation")
    keyboard.follow(is_link(thread.title), "the thread")
    fill_form(keyboard, {"body": "Wir laden die Kita-Leitungen zu einem Workshop ein."},
              submit=is_button("Antwort veröffentlichen"))
    keyboard.arrive()
    reply = Post.objects.get(thread=thread, is_first=False)
    assert (reply.author, reply.body) == (mentee, "Wir laden die Kita-Leitungen zu einem Workshop ein.")

    # Register for an event.
    keyboard.follow(is_link("Veranstaltungen"), "the events link in the navigation")
    keyboard.follow(is_link(event.title), "the event")
    fill_form(keyboard, {"note": "Ich nutze nur die Tastatur."}, submit=is_button("Jetzt anmelden"))
    keyboard.arrive()
    registration = EventRegistration.objects.get(event=event, user=mentee)
    assert (registration.status, registration.note) == (EventRegistration.Status.CONFIRMED,
                                                        "Ich nutze nur die Tastatur.")
    assert keyboard.problems == [], "\n".join(keyboard.problems)
    assert keyboard.visited > 100


def test_the_menu_opens_and_works_with_the_keyboard_on_a_phone(keyboard):
    page = keyboard.page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    keyboard.arrive()
    toggler = keyboard.tab_to(lambda focus: focus["label"] == "Menü öffnen", "the menu button")
    assert toggler["tag"] == "button" and page.locator("#hauptmenue").is_hidden()
    keyboard.press("Enter")
    page.locator("#hauptmenue.show").wait_for()
    assert page.locator(".navbar-toggler").get_attribute("aria-expanded") == "true"
    # Open, the button says what it does next; Escape closes the menu and returns to the button.
    assert page.locator(".navbar-toggler").get_attribute("aria-label") == "Menü schließen"
    keyboard.press("Escape")
    page.locator("#hauptmenue:not(.show):not(.collapsing)").wait_for(state="attached")
    page.wait_for_function("document.activeElement.classList.contains('navbar-toggler')")
    assert page.locator(".navbar-toggler").get_attribute("aria-label") == "Menü öffnen"
    keyboard.press("Enter")
    page.locator("#hauptmenue.show").wait_for()
    keyboard.follow(is_link("Veranstaltungen"), "the events link in the opened menu")
    assert keyboard.where() == "/veranstaltungen/"
    assert keyboard.problems == [], "\n".join(keyboard.problems)


def test_the_checks_catch_a_missing_ring_a_jump_up_and_a_trap(keyboard):
    """The checks above can fail: a page with each fault makes them say so."""
    page = keyboard.page
    page.set_content("""<html lang="de"><body>
      <style>button { display: block; margin: 1rem } .plain:focus { outline: none }
        main { display: flex; flex-direction: column-reverse }</style>
      <a class="skip-link" href="#inhalt">Zum Inhalt</a>
      <main id="inhalt" tabindex="-1"><button>unten</button><button>oben</button>
        <button class="plain">ohne Rahmen</button></main>
      <button id="falle">Falle</button>
      <script>document.getElementById('falle').addEventListener('keydown', (event) => {
        if (event.key === 'Tab') event.preventDefault(); });</script></body></html>""")
    keyboard.press("Tab")
    keyboard.press("Enter")
    for _ in range(3):
        keyboard.press("Tab")
    assert any("jumps up" in problem for problem in keyboard.problems), keyboard.problems
    assert any("„ohne Rahmen“: no visible focus indicator" in problem for problem in keyboard.problems)
    with pytest.raises(AssertionError, match="a trap"):
        keyboard.no_trap()
