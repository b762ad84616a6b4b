"""A logged-in person's pages and downloads stay theirs: no shared cache keeps them, no download is stored."""
import pytest
from django.utils.cache import get_max_age

from accounts.tests.factories import participant
from matching.tests.factories import TandemFactory

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_pages_and_downloads_of_a_logged_in_person_are_private(client):
    mentor = participant(mentor=True, competences=["haushalt"])
    tandem = TandemFactory(mentor=mentor.profile)
    assert "private" not in directives(client.get("/"))
    client.force_login(mentor)
    for page in ("/", "/profil/", f"/tandem/{tandem.pk}/"):
        response = client.get(page)
        assert response.status_code == 200
        assert {"private", "no-cache"} <= directives(response), page
        assert "Cookie" in response["Vary"]
    for download in ("/profil/export/", "/tandem/zeitnachweis/2026.pdf"):
        response = client.get(download)
        assert response.status_code == 200 and response.has_header("Content-Disposition"), download
        assert {"private", "no-store"} <= directives(response), download
        assert get_max_age(response) in (None, 0)


def test_a_page_opened_by_a_link_that_stands_in_for_a_login_is_private_too(client):
    """A Kurzbefragung opened from its mail shows the Tandem's goals without a login; the unsubscribe page names
    the thread; allauth's links carry keys. None of them may be kept by a shared cache, valid link or not."""
    tandem = TandemFactory()
    for page in (f"/tandem/{tandem.pk}/kurzbefragung/1/?token=abc", "/forum/abbestellen/abc/",
                 "/konto/confirm-email/abc/", "/konto/password/reset/key/1-abc/"):
        response = client.get(page)
        assert {"private", "no-cache"} <= directives(response), (page, response.status_code)
    assert "private" not in directives(client.get("/veranstaltungen/"))


def test_a_page_sent_back_to_a_form_that_carries_the_token_is_private(client):
    """The Kurzbefragung sends its token in a hidden field; the page that comes back with errors carries it again
    and had no Cache-Control."""
    tandem = TandemFactory()
    response = client.post(f"/tandem/{tandem.pk}/kurzbefragung/1/", {"token": "abc"})
    assert {"private", "no-cache"} <= directives(response), response.status_code
