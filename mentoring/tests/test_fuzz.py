"""No input ever answers 500: hostile values in every URL argument, query parameter and form field.

Every URL pattern of the resolver (admin and allauth included) is requested as anonymous, as a
participant and as staff: each path argument replaced by each hostile value, every query
parameter the code reads set to each hostile value, and every form on every page posted with
hostile values, all at once and one field at a time (Django admin's generic pages, the same
code for every model, get a rotating sample of the values). Each request runs in a savepoint that is
rolled back, so one form cannot delete what the next page needs. Run it on PostgreSQL too:
only PostgreSQL refuses NUL bytes in text.
"""
import copy
import datetime
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import Resolver404, get_resolver, resolve

from accounts.models import Consent, Profile
from events.models import Event
from events.tests.factories import EventFactory, EventRegistrationFactory
from forum.models import Attachment, Category, Post, Thread
from forum.tests.factories import PostFactory, ThreadFactory
from matching.models import Tandem
from matching.tests.factories import MatchRunFactory, ProposalFactory, TandemFactory
from mentoring.models import SignLanguageVideo
from mentoring.tests.routes import walk

LONG = "Ä" + "x" * 3000
# "%ff" is sent as it is: after percent-decoding it is not valid UTF-8.
HOSTILE = ["\x00", "²", "٣", "-1", "99999999999999999999", "' OR 1=1", LONG, "%ff", "abc"]
ROLES = ["anonymous", "participant", "staff"]
# Forms that would end the role's session or delete the page's object; their fields are
# fuzzed elsewhere (the same views answer GET and POST with the path fuzz).
UNSAFE_ACTIONS = re.compile(r"/konto/logout/|/delete/$")
SOURCE_APPS = ["accounts", "mentoring", "matching", "forum", "events"]


def encode(value: str) -> str:
    return value if value == "%ff" else quote(value, safe="")


def query_string(pairs) -> str:
    return "&".join(f"{encode(key)}={encode(value)}" for key, value in pairs)


ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")
# Regex routes (the admin's) lose their anchors, so that every route can be filled alike.
ROUTE_NAMES = {route.replace("^", "").replace("$", "").replace("\\Z", ""): pattern.name or ""
               for route, pattern in walk(get_resolver().url_patterns)}
ROUTES = sorted(ROUTE_NAMES)
# Django admin's own pages, the same code for every model; the project's admin views (match runs,
# proposals, ending a Tandem) are not among them and get every hostile value.
GENERIC_ADMIN = re.compile(r"_(changelist|add|change|delete|history)$|^(index|login|logout|password_change"
                           r"|password_change_done|autocomplete|jsi18n|view_on_site|app_list)?$")


def arguments(route: str) -> list[str]:
    return [match[2] or match[3] for match in ARGUMENT.finditer(route)]


def fill(route: str, values: dict) -> str:
    return "/" + ARGUMENT.sub(lambda m: encode(values[m[2] or m[3]]), route)


def code_parameters() -> list[str]:
    """Every GET parameter the project's code reads by name."""
    read = re.compile(r"request\.GET(?:\.get(?:list)?\(|\[)\s*[\"'](\w+)[\"']")
    names = set()
    for app in SOURCE_APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "tests" not in path.parts:
                names.update(read.findall(path.read_text()))
    return sorted(names)


class Forms(HTMLParser):
    """The forms of a page: method, action and their fields with the values a browser sends."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action") or "",
                               "fields": {}})
        elif not self.forms or not attrs.get("name"):
            return
        fields = self.forms[-1]["fields"] if self.forms else {}
        name = attrs.get("name")
        if tag == "input" and attrs.get("type") not in ("file", "image", "reset"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                fields.setdefault(name, None)
            else:
                fields.setdefault(name, attrs.get("value") or "")
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            fields.setdefault(name, attrs.get("value") or "")
        elif tag == "select":
            self._select = name
            fields.setdefault(name, None)
        elif tag == "option" and self._select and (fields.get(self._select) is None or "selected" in attrs):
            fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            fields.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


@pytest.fixture
def world(db, mentee, mentor, staff_user, settings, tmp_path):
    """One object of each kind the URLs point at, visible to the participant (the mentee)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    video = SignLanguageVideo(title="DGS", transcript="Text", published=True)
    video.video.save("dgs.mp4", ContentFile(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), save=False)
    video.save()
    tandem = TandemFactory(mentee=mentee.profile, mentor=mentor.profile)
    run = MatchRunFactory()
    ProposalFactory(run=run, mentee=mentee.profile, mentor=mentor.profile)
    thread = ThreadFactory(author=mentee)
    post = PostFactory(thread=thread, author=mentee)
    event = EventFactory()
    EventRegistrationFactory(event=event, user=mentee)
    return {"users": {"participant": mentee, "staff": staff_user}, "objects": [tandem, run, thread, post, event, video],
            "slug": Category.objects.filter(threads=thread).values_list("slug", flat=True)[0]}


# Path arguments whose real value is a secret or a one-time key: only hostile values reach them.
UNGUESSABLE = {"token", "key", "uidb36", "filename", "url"}
# Which model a numeric path argument names, by the route in front of it (admin: its model).
MODEL_OF_ROUTE = {"tandem/": Tandem, "forum/thema/": Thread, "forum/beitrag/": Post, "veranstaltungen/": Event,
                  "forum/anhang/": Attachment, "admin/r/": Event, "gebaerdensprache/": SignLanguageVideo}


def model_of(route: str, name: str):
    if name == "profile_pk":
        return Profile
    if route.startswith("admin/") and not route.startswith("admin/r/"):
        return apps.get_model(*route.split("/")[1:3])
    return next(model for prefix, model in MODEL_OF_ROUTE.items() if route.startswith(prefix))


def real_values(route: str, world) -> dict:
    """Values that point at existing objects, so that the hostile value is the only thing wrong."""
    values = {}
    for name in arguments(route):
        if name in UNGUESSABLE:
            values[name] = "gibt-es-nicht"
        elif name == "slug":
            values[name] = world["slug"]
        elif name == "year":
            values[name] = str(datetime.date.today().year)
        elif name == "purpose":
            values[name] = Consent.Purpose.NEWS
        elif name == "kind":
            values[name] = "video"
        elif name == "content_type_id":
            values[name] = str(ContentType.objects.get_for_model(Event).pk)
        elif name == "app_label":
            values[name] = "accounts"
        else:
            instance = model_of(route, name)._default_manager.first()
            values[name] = str(instance.pk) if instance else "987654"
    return values


class Fuzzer:
    def __init__(self, client, role, world):
        self.client, self.role, self.failures = client, role, []
        client.raise_request_exception = False
        if role != "anonymous":
            client.force_login(world["users"][role])
        self.cookies = copy.deepcopy(client.cookies)

    def request(self, method: str, path: str, query: str = "", body: str | None = None):
        """One request in a savepoint that is rolled back, with the role's login restored."""
        self.client.cookies = copy.deepcopy(self.cookies)
        with transaction.atomic():
            if method == "get":
                response = self.client.get(path, QUERY_STRING=query)
            else:
                response = self.client.generic("POST", path, (body or "").encode(),
                                               content_type="application/x-www-form-urlencoded",
                                               QUERY_STRING=query)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            shown = (body or "")[:160]
            self.failures.append(f"{method.upper()} {path[:160]}?{query[:160]} {shown} as {self.role}: "
                                 f"{response.status_code}")
        return response

    def assert_no_failures(self):
        assert not self.failures, f"{len(self.failures)} requests answered 500:\n" + "\n".join(self.failures[:60])


def sample(index: int, count: int) -> list[str]:
    """``count`` hostile values, a different choice for each index, so every value gets its turn."""
    step = len(HOSTILE) // count
    return [HOSTILE[(index + n * step) % len(HOSTILE)] for n in range(count)]


def admin(path_or_route: str) -> bool:
    """Whether this is one of Django admin's generic pages (a route, or a path that resolves)."""
    if not path_or_route.lstrip("/").startswith("admin/"):
        return False
    if path_or_route in ROUTE_NAMES:
        return bool(GENERIC_ADMIN.search(ROUTE_NAMES[path_or_route]))
    try:
        return bool(GENERIC_ADMIN.search(resolve(urlsplit(path_or_route).path).url_name or ""))
    except Resolver404:
        return True


# The site's own views get every hostile value; Django admin's many generic pages (about 160
# URLs) get a rotating sample so the test stays fast, most of it as staff, the role admin serves.
def values_for(path: str, index: int, role: str) -> list[str]:
    if not admin(path):
        return HOSTILE
    return sample(index, 2) if role == "staff" else sample(index, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_hostile_path_arguments(client, world, role):
    fuzzer = Fuzzer(client, role, world)
    for route_index, route in enumerate(ROUTES):
        real = real_values(route, world)
        for index, name in enumerate(arguments(route)):
            values = values_for(route, route_index + index, role)
            for number, value in enumerate(values):
                path = fill(route, {**real, name: value})
                fuzzer.request("get", path)
                if number % 3 == index % 3:  # POST a third of the values, a different third per argument
                    fuzzer.request("post", path, body=query_string([("x", value)]))
    fuzzer.assert_no_failures()


def pages(world, role):
    """Every URL with real arguments, without the ones whose arguments are secrets."""
    return [fill(route, real_values(route, world)) for route in ROUTES
            if not UNGUESSABLE & set(arguments(route)) and "(?P<url>" not in route
            and (role == "staff" or not route.startswith("admin/"))]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_hostile_query_parameters(client, world, role):
    fuzzer = Fuzzer(client, role, world)
    names = code_parameters()
    assert {"seite", "zitat"} <= set(names), names
    for index, path in enumerate(pages(world, role)):
        page_names = set(names)
        for form in forms_of(fuzzer.request("get", path)):
            if form["method"] == "get":
                page_names.update(form["fields"])
        for value in HOSTILE if not admin(path) else sample(index, 1):
            fuzzer.request("get", path, query=query_string((name, value) for name in sorted(page_names)))
    fuzzer.assert_no_failures()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_hostile_form_fields(client, world, role):
    fuzzer = Fuzzer(client, role, world)
    seen, posted = set(), 0
    for path in pages(world, role):
        for form in forms_of(fuzzer.request("get", path)):
            action = urlsplit(form["action"]).path or path
            key = (action, tuple(sorted(form["fields"])))
            if form["method"] != "post" or key in seen or UNSAFE_ACTIONS.search(action):
                continue
            seen.add(key)
            cache.clear()  # rate limits would soon answer 429 before the form is read
            fields = form["fields"]
            defaults = {name: value for name, value in fields.items() if value is not None}
            # Every field hostile at once, then (the site's forms) one field at a time.
            for value in HOSTILE if not admin(action) else sample(posted, 2):
                fuzzer.request("post", action, body=query_string((name, value) for name in fields))
            one_at_a_time = [] if admin(action) else enumerate(fields)
            for index, name in one_at_a_time:
                data = {**defaults, name: HOSTILE[index % len(HOSTILE)]}
                fuzzer.request("post", action, body=query_string(data.items()))
            fuzzer.request("post", action, body=query_string(defaults.items()))
            posted += 1
    assert posted >= {"anonymous": 3, "participant": 10, "staff": 20}[role], "the forms were found"
    fuzzer.assert_no_failures()


def forms_of(response) -> list[dict]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = Forms()
    parser.feed(response.content.decode())
    return parser.forms


@pytest.mark.django_db
def test_the_walk_covers_every_kind_of_url(world):
    assert len(ROUTES) > 200 and "anmeldung/" in ROUTES
    assert any(r.startswith("admin/matching/tandem/") for r in ROUTES) and any(r.startswith("konto/") for r in ROUTES)
    with_arguments = [route for route in ROUTES if arguments(route)]
    assert len(with_arguments) > 50
    for route in with_arguments:
        assert "<" not in fill(route, real_values(route, world)), route
