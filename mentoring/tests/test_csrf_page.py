"""A form whose security token no longer fits (it stood open across a login elsewhere, or for long) is answered
with the site's page in the reader's language and a way back to the form's page, not Django's bare page."""
import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "heading"), [("de", "Das Formular ist abgelaufen"),
                                                   ("en", "The form has expired")])
def test_a_stale_form_gets_the_site_s_page_with_the_way_back(mentee, language, heading):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    mentee.language = language
    mentee.save(update_fields=["language"])
    response = client.post("/tandem/1/anliegen/", {"text": "Hallo", "csrfmiddlewaretoken": "veraltet"},
                           HTTP_REFERER="http://testserver/tandem/1/")
    page = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{language}"' in page and heading in page and 'href="/tandem/1/"' in page
    assert 'class="navbar' in page or "<nav" in page, "the site's layout, with its navigation"
    # A Referer from another host is not followed.
    page = client.post("/profil/bearbeiten/", {}, HTTP_REFERER="https://example.net/x").content.decode()
    assert 'href="https://example.net' not in page and heading in page


@pytest.mark.parametrize("path", ["//evil.example/x", "/\\evil.example/x"])
def test_the_way_back_never_leads_to_another_host(path):
    """A Referer of this host whose path begins with two slashes (or a backslash) named another host."""
    client = Client(enforce_csrf_checks=True)
    page = client.post("/konto/login/", {"login": "x", "csrfmiddlewaretoken": "veraltet"},
                       HTTP_REFERER=f"http://testserver{path}").content.decode()
    assert "evil.example" not in page and 'href="/"' in page
