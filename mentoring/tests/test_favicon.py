"""Every kind of page names the site's icon, so a browser never asks for a /favicon.ico the site does
not have (a 404 in every admin visit's console): the site's pages, admin, and the 400 and 500 pages,
which stand alone without the base template."""
import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

ICON = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'


@pytest.mark.django_db
def test_site_admin_and_error_pages_name_the_icon(client, staff_user):
    assert ICON in client.get("/").content.decode()
    assert ICON in client.get("/admin/login/", follow=True).content.decode()
    bad = client.get("/veranstaltungen/", {"seite": "2\x00"})
    assert bad.status_code == 400 and ICON in bad.content.decode()
    assert ICON in server_error(RequestFactory().get("/")).content.decode()
    client.force_login(staff_user)
    assert ICON in client.get("/admin/", follow=True).content.decode()
