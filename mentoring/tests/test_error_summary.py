"""Every participant form that comes back with errors starts them with the same summary: it names each
wrong field and links to it (site.js moves the focus there), wherever the form sits on its page."""
import re

import pytest

from accounts.tests.factories import participant
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _summary_links(html: str) -> list[str]:
    summary = re.search(r'<div class="alert alert-danger" role="alert" tabindex="-1" id="fehlerliste">(.*?)</div>',
                        html, re.S)
    assert summary, "no error summary"
    targets = re.findall(r'<a href="#([\w-]+)">', summary.group(1))
    assert all(f'id="{target}"' in html for target in targets), "each link leads to its field"
    return targets


@pytest.mark.parametrize(("who", "path", "data", "field"), [
    ("anonymous", "/barrierefreiheit/", {"description": ""}, "id_description"),
    ("participant", "/forum/einstellungen/", {"mode": "manchmal"}, "id_mode_0"),
    ("participant", "event", {"note": "x" * 1001}, "id_note"),
])
def test_the_form_s_errors_are_summed_up_with_a_link_to_each_field(client, who, path, data, field):
    if who == "participant":
        client.force_login(participant())
    if path == "event":
        path = f"/veranstaltungen/{EventFactory().pk}/anmelden/"
    response = client.post(path, data)
    assert response.status_code in (200, 400)
    assert field in _summary_links(response.content.decode())


def test_no_form_sends_to_an_address_with_a_fragment():
    """A form's answer that jumps to a fragment scrolls there after site.js focused the error summary: the focus
    was lost (the barrier report form posted to #barriere-melden)."""
    from pathlib import Path

    from django.conf import settings

    forms = re.compile(r"<form\b[^>]*\baction=\"[^\"]*#", re.S)
    offenders = [str(path) for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
                 if forms.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.parametrize(("path", "data", "field"), [
    ("/konto/login/", {"login": "niemand@example.org", "password": "falsch"}, None),
    ("/konto/password/reset/", {"email": "keine Adresse"}, "id_email"),
])
def test_allauth_s_forms_sum_up_their_errors_too(client, path, data, field):
    """The login, reset and password forms showed an alert that was there on load (screen readers seldom announce
    it) and kept the focus at the top of the page."""
    html = client.post(path, data).content.decode()
    links = _summary_links(html)
    if field:
        assert field in links


def test_a_choice_across_a_list_of_topics_is_named_by_the_list_in_the_summary(client):
    """It linked to the first topic under that topic's name ("Einstieg & die ersten 100 Tage: Mindestens ein
    Bedarf …"), as if only that topic were missing."""
    from accounts.tests.test_registration import URL, form_data

    data = {key: value for key, value in form_data().items() if not key.startswith("need_")}
    html = client.post(URL, data).content.decode()
    summary = html.split('id="fehlerliste"')[1].split("</div>")[0]
    assert ">Unterstützungsbedarfe</a>: Mindestens ein Bedarf ist nötig" in summary
