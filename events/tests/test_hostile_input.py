"""Garbage in every events URL, query and form field answers 400, 404 or a normal page, never 500."""
from urllib.parse import quote

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from events import urls as event_urls
from events.services import calendar_feed_for
from mentoring.tests.routes import url_names

from .factories import EventFactory, EventRegistrationFactory

pytestmark = pytest.mark.django_db

# A NUL byte (PostgreSQL refuses it in a query), a digit str.isdigit() accepts but int() does not,
# Arabic-Indic digits int() does accept, numbers beyond every integer column, and plain nonsense.
GARBAGE = ["\x00", "1\x00", "²", "١٢", "9" * 30, str(2**63), "-1", "0", "abc", "%00", "ä" * 300, ""]
EVENT_PARAMS = ["seite", "kind", "format", "topic", "federal_state"]
ROLES = ["anonymous", "mentee", "staff_user"]
# Each events URL with the GET/POST fields it reads; ``pk`` and ``token`` are filled per case.
URLS = {
    "list": ("get", EVENT_PARAMS),
    "archive": ("get", EVENT_PARAMS),
    "mine": ("get", ["seite"]),
    "feed_renew": ("post", ["token"]),
    "feed": ("get", []),
    "detail": ("get", []),
    "register": ("post", ["note"]),
    "cancel": ("post", ["note"]),
    "ics": ("get", []),
}
ADMIN_CHANGELIST_PARAMS = {
    "events_event": ["q", "p", "o", "status__exact", "kind__exact", "format__exact", "visibility__exact",
                     "federal_state__id__exact", "starts_at__year", "starts_at__month", "starts_at__day", "e"],
    "events_eventregistration": ["q", "p", "o", "status__exact", "attended__exact", "event__kind__exact"],
}


def feed_url(token: str) -> str:
    """The feed URL for any token, also one the URL pattern would refuse to build."""
    return reverse("events:feed", args=["x"]).replace("/x.ics", f"/{quote(token)}.ics")


def answer(client, method: str, url: str, data: dict) -> int:
    response = getattr(client, method)(url, data)
    assert response.status_code < 500, (method, url, data)
    return response.status_code


def test_every_events_url_is_covered():
    assert url_names(event_urls) == set(URLS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(URLS))
def test_events_pages_survive_garbage(name, role, client_as, request):
    client = client_as(role)
    event = EventFactory()
    EventRegistrationFactory(event=event)
    method, params = URLS[name]
    if name == "feed":
        token = calendar_feed_for(user=request.getfixturevalue("mentee")).token
        urls = [feed_url(value) for value in [*GARBAGE, token + "\x00", token + "²", token]]
    elif name in ("detail", "register", "cancel", "ics"):
        urls = [reverse(f"events:{name}", args=[pk]) for pk in (event.pk, 10**30, 2**63, 2**31)]
    else:
        urls = [reverse(f"events:{name}")]
    for url in urls:
        answer(client, method, url, {})
        for param in params:
            for value in GARBAGE:
                answer(client, method, url, {param: value})
        for value in GARBAGE:
            answer(client, method, url, dict.fromkeys(params, value))


@pytest.mark.parametrize("raw", ["/veranstaltungen/kalender/%00.ics", "/veranstaltungen/kalender/%C2%B2.ics",
                                 "/veranstaltungen/%C2%B2/", "/veranstaltungen/%00/kalender.ics",
                                 "/veranstaltungen/?seite=%00&kind=%00&topic=%C2%B2&federal_state=" + "9" * 30])
def test_raw_urls_with_nul_and_superscript(raw, client):
    assert client.get(raw).status_code in (200, 400, 404)


def test_nul_byte_in_the_feed_token_is_refused(client, mentee):
    token = calendar_feed_for(user=mentee).token
    assert client.get(feed_url(token + "\x00")).status_code == 400
    assert client.get(feed_url("\x00")).status_code == 400
    assert client.get(feed_url(token + "²")).status_code == 404
    assert client.get(reverse("events:feed", args=[token])).status_code == 200


@pytest.mark.parametrize("model", sorted(ADMIN_CHANGELIST_PARAMS))
def test_admin_pages_survive_garbage(model, client, staff_user):
    client.force_login(staff_user)
    registration = EventRegistrationFactory()
    changelist = reverse(f"admin:{model}_changelist")
    for param in ADMIN_CHANGELIST_PARAMS[model]:
        for value in GARBAGE:
            answer(client, "get", changelist, {param: value})
    for value in GARBAGE:
        for action in ("export_participants", "cancel_events", "mark_attended", "cancel_registrations"):
            answer(client, "post", changelist, {"action": action, ACTION_CHECKBOX_NAME: [value]})
        if value and "/" not in value:
            for view in ("change", "delete", "history"):
                answer(client, "get", reverse(f"admin:{model}_{view}", args=[value]), {})
    for view in ("change", "history"):
        pk = registration.pk if model == "events_eventregistration" else registration.event.pk
        for value in GARBAGE:
            answer(client, "get", reverse(f"admin:{model}_{view}", args=[pk]), {"_changelist_filters": value})
