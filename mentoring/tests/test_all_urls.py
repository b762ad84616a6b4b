"""Every URL of the site, with forged arguments, for each kind of user: never a 500."""
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SKIP_PREFIXES = ("admin/", "konto/", "i18n/")


def walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def forge(route: str) -> str:
    """Fill path converters with values that point at nothing."""
    route = re.sub(r"<int:\w+>", "987654", route)
    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<(?:str|slug|path):\w+>", "gibt-es-nicht", route)
    route = re.sub(r"<\w+>", "gibt-es-nicht", route)
    return "/" + route.lstrip("^").rstrip("$")


ROUTES = sorted({forge(r) for r in walk(get_resolver().url_patterns) if not r.startswith(SKIP_PREFIXES)})


@pytest.mark.django_db
@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("kind", ["anonymous", "unapproved", "mentee", "staff"])
def test_no_url_answers_500(client, path, kind, request):
    users = {"unapproved": "unapproved_user", "mentee": "mentee", "staff": "staff_user"}
    if kind in users:
        client.force_login(request.getfixturevalue(users[kind]))
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        assert response.status_code < 500, f"{method.upper()} {path} as {kind}: {response.status_code}"


def test_the_walk_finds_the_apps():
    assert "/anmeldung/" in ROUTES and "/profil/" in ROUTES
    assert any(r.startswith("/forum/") for r in ROUTES) and any(r.startswith("/tandem/") for r in ROUTES)
    assert any(r.startswith("/veranstaltungen/") for r in ROUTES)
