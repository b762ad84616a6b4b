"""Every page of the site answers only the methods it offers: a PUT, PATCH or DELETE gets 405, never the
page or a file (and never a 500), whoever asks."""
import re

import pytest
from django.urls import reverse

from mentoring.tests.site_pages import build_site, participant_paths

pytestmark = pytest.mark.django_db

OTHER_METHODS = ("put", "patch", "delete")


def _downloads(site) -> list[str]:
    return [reverse("accounts:data_export"), reverse("events:ics", args=[site.event.pk]),
            reverse("matching:certificate", args=[site.ended_tandem.pk]),
            reverse("matching:statement_pdf", args=[site.tandem.started_at.year])]


def test_no_page_answers_a_method_it_does_not_offer(client):
    site = build_site()
    client.force_login(site.mentee)
    served = []
    for path in [*participant_paths(site)[:-1], *_downloads(site)]:
        for method in OTHER_METHODS:
            status = getattr(client, method)(path).status_code
            assert status < 500, f"{method.upper()} {path}: {status}"
            if 200 <= status < 300:
                served.append(f"{method.upper()} {path}: {status}")
    assert not served, "\n".join(served)


def test_two_writes_at_once_on_the_embedded_database_wait_for_each_other(tmp_path, django_db_blocker):
    """A double click on the embedded default (SQLite in a file, ``make run``): requests that read and
    then write at the same moment each get their turn; none fails with "database is locked" and no
    write is lost (with SQLite's deferred transactions all but one failed)."""
    import threading
    import time

    from django.db import connections, transaction

    database = connections.settings["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL takes row locks; this is about SQLite's single writer")
    alias = "embedded_file"
    connections.settings[alias] = {**database, "NAME": str(tmp_path / "db.sqlite3"), "TEST": {}}
    errors = []

    def add_one():
        try:
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                count = cursor.fetchone()[0]
                time.sleep(0.05)  # the request's work between reading and writing
                cursor.execute("UPDATE counter SET n = %s", [count + 1])
        except Exception as error:  # noqa: BLE001 - collected and shown by the assertion below
            errors.append(error)
        finally:
            connections[alias].close()

    try:
        with django_db_blocker.unblock():
            with connections[alias].cursor() as cursor:
                cursor.execute("CREATE TABLE counter (n integer)")
                cursor.execute("INSERT INTO counter VALUES (0)")
            connections[alias].close()
            threads = [threading.Thread(target=add_one) for _ in range(6)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                assert (errors, cursor.fetchone()[0]) == ([], 6)
    finally:
        connections[alias].close()
        del connections.settings[alias]


@pytest.mark.django_db
def test_files_beyond_what_any_form_takes_are_refused_before_the_body_is_read(client, settings, monkeypatch):
    """The limits per file stood only after the whole upload was on disk; now a too large request is answered 413
    with a German page, and nothing reads its form."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.http.request import HttpRequest

    settings.UPLOAD_MAX_BYTES = 4000
    read = []
    original = HttpRequest._load_post_and_files
    monkeypatch.setattr(HttpRequest, "_load_post_and_files", lambda self: read.append(self.path) or original(self))
    big = client.post("/barrierefreiheit/", {"description": "x", "datei": SimpleUploadedFile("a.pdf", b"%PDF" * 2000)})
    assert big.status_code == 413 and "Die Dateien sind zusammen zu groß" in big.content.decode()
    assert read == []
    small = client.post("/barrierefreiheit/", {"description": "", "datei": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert small.status_code != 413


def test_every_page_and_download_that_answers_get_answers_head_the_same(client):
    """Load balancers probe the health check with HEAD, calendar apps and link checkers ask feeds and pages:
    whatever GET serves, HEAD serves with the same status and no body."""
    from events.services import calendar_feed_for

    site = build_site()
    feed = reverse("events:feed", args=[calendar_feed_for(user=site.mentee).token])
    anonymous = [reverse("healthz"), reverse("events:list"), reverse("events:detail", args=[site.event.pk]), feed]
    for path in anonymous:
        get, head = client.get(path).status_code, client.head(path).status_code
        assert head == get == 200, f"HEAD {path}: {head}"
    client.force_login(site.mentee)
    for path in [*participant_paths(site)[:-1], *_downloads(site)]:
        get, head = client.get(path).status_code, client.head(path).status_code
        assert head == get, f"HEAD {path}: {head}, GET: {get}"


def test_an_address_that_only_takes_a_form_opened_directly_says_so_and_leads_to_the_page_above(client):
    """After logging in again, a bookmark, an old link: the browser opens a form's address with GET. It answered an
    empty page (405 without a word); now every such address explains it, in the reader's language, with a way on."""
    site = build_site()
    client.force_login(site.mentee)
    form_only = []
    for path in participant_paths(site)[:-1]:
        response = client.get(path)
        if response.status_code != 405:
            continue
        form_only.append(path)
        page = response.content.decode()
        assert "Diese Adresse nimmt nur ein Formular an" in page, path
        assert response["Allow"] and "POST" in response["Allow"], path
        back = re.search(r'<a href="([^"]+)">Zur Seite</a>', page).group(1)
        assert path.startswith(back) and back != path and client.get(back, follow=True).status_code == 200, (path, back)
    assert reverse("events:register", args=[site.event.pk]) in form_only
    assert len(form_only) >= 8, form_only
    site.mentee.language = "en"
    site.mentee.save()
    page = client.get(reverse("events:register", args=[site.event.pk])).content.decode()
    assert "This address only takes a form" in page and 'lang="en"' in page


def test_a_form_sent_after_the_session_ended_leads_through_login_back_to_its_page(client):
    """The form's POST cannot be repeated after logging in: the way back is the page the form was on (the address
    of the form itself answered 405 after the login)."""
    site = build_site()
    event_page = reverse("events:detail", args=[site.event.pk])
    register = reverse("events:register", args=[site.event.pk])
    response = client.post(register, HTTP_REFERER=f"http://testserver{event_page}")
    assert response.status_code == 302 and response["Location"] == f"{reverse('account_login')}?next={event_page}"
    # A form that posts to its own page comes back to it.
    edit = reverse("accounts:profile_edit")
    response = client.post(edit, {"position": "x"}, HTTP_REFERER=f"http://testserver{edit}")
    assert response["Location"] == f"{reverse('account_login')}?next={edit}"
    # Without a Referer (privacy settings), or with another site's, the form's address: after the login it says
    # that it only takes a form and links the page above (the test above).
    for referer in ({}, {"HTTP_REFERER": "https://elsewhere.example/phish/"}):
        response = client.post(register, **referer)
        assert response["Location"] == f"{reverse('account_login')}?next={register}"
