"""Fixtures shared by every app's tests: users in each role, browser, service checks."""
import importlib
import os

import pytest
from django.core.cache import cache
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def missing(reason: str):
    """In CI a missing service fails the run; on a developer's machine the test skips."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


# Data migrations whose rows every test may rely on. A transactional test (live server,
# threads) ends with a flush that empties every table, so they are loaded again.
REFERENCE_DATA = [
    ("accounts.migrations.0002_reference_data", "load"),
    ("forum.migrations.0002_default_categories_and_search_index", "create_categories"),
    ("mentoring.migrations.0005_beat_schedule", "create_missing"),
    ("accounts.migrations.0008_staff_groups", "create_groups"),
    ("accounts.migrations.0011_staff_group_permissions", "grant_permissions"),
]
DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _reference_data(request):
    if not (request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames)):
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    from django.apps import apps

    from accounts.models import Topic

    with blocker.unblock():
        if not Topic.objects.exists():
            for module_name, function in REFERENCE_DATA:
                getattr(importlib.import_module(module_name), function)(apps, None)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language. A request leaves the language it activated
    (the person's, the cookie's) on the thread, so a test after an English request read English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # allauth's rate limits live in the cache
    yield
    cache.clear()


@pytest.fixture
def require_postgres(db):
    if connection.vendor != "postgresql":
        missing("this test needs PostgreSQL (set DATABASE_URL)")


def run_at_once(calls) -> list:
    """Run each call in its own thread and database connection, released together by a barrier; each result is
    what the call returned or the exception it raised."""
    import threading

    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def at_once(require_postgres, transactional_db):
    """``at_once(calls)``: the calls at the same moment on PostgreSQL (``run_at_once``)."""
    return run_at_once


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        missing("this test needs Redis (set REDIS_URL)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        missing(f"Redis at {url} does not answer: {error}")
    return url


@pytest.fixture
def browser(live_server, monkeypatch):
    """A headless Debian chromium driven by Playwright, with the live server running; a test that
    plays several roles opens one context (its own cookies) per role."""
    if not os.path.exists(CHROMIUM):
        missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM must still work here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 - report why chromium did not start
            missing(f"chromium does not start: {error}")
        yield browser
        browser.close()


@pytest.fixture
def browser_page(browser, live_server):
    """A page of that chromium, pointed at the live server."""
    context = browser.new_context(locale="de-DE", base_url=live_server.url,
                                  viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, email: str, password: str | None = None, *, landing: str = "**/profil/") -> None:
    """Log in through the site's login form, as a person does, and wait for the page it leads to."""
    from accounts.tests.factories import PASSWORD

    page.context.clear_cookies()
    page.goto("/konto/login/")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Passwort").fill(password or PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(landing)


def axe_violations(page) -> list[str]:
    """WCAG 2.0/2.1 A and AA violations axe-core finds on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    # Only violations are collected: asking axe for passes and incomplete checks doubles its time.
    wcag_aa = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": wcag_aa}, "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
            for v in result.response["violations"]]


@pytest.fixture
def staff_user(db):
    from accounts.tests.factories import StaffFactory

    return StaffFactory(email="staff@example.org")


@pytest.fixture
def mentee(db):
    from accounts.tests.factories import participant

    return participant(needs=[("haushalt", 3), ("steuerungskreis", 2)], competences=["beteiligung"])


@pytest.fixture
def mentor(db):
    from accounts.tests.factories import participant

    return participant(mentor=True, competences=[("haushalt", 3), ("steuerungskreis", 2), ("oeffentlichkeit", 2)])


@pytest.fixture
def unapproved_user(db):
    from accounts.models import Registration
    from accounts.tests.factories import participant

    return participant(status=Registration.Status.SUBMITTED, needs=["einstieg"])
