"""Every URL of the site, with forged arguments, for each kind of user: never a 500."""
import pytest
from django.urls import get_resolver

from mentoring.tests.routes import forge, walk

SKIP_PREFIXES = ("admin/", "konto/", "i18n/")
ROUTES = sorted({forge(route) for route, _pattern in walk(get_resolver().url_patterns)
                 if not route.startswith(SKIP_PREFIXES)})


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
