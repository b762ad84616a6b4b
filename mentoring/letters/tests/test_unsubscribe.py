"""The unsubscribe link of news letters: GET asks, POST and RFC 8058 one-click withdraw the news consent."""
import re

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Consent
from mentoring.kernel.models import OutboxMessage
from mentoring.letters import services
from mentoring.letters.services.unsubscribe import UNSUBSCRIBE_SALT

from .factories import LetterFactory, StaffFactory, news_consent, participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    person = participant()
    news_consent(person)
    return person


@pytest.fixture
def link(reader):
    """The link as it stands in the person's news letter (the site path of List-Unsubscribe)."""
    letter = services.letter_send(letter=LetterFactory(), by=StaffFactory())
    mail = OutboxMessage.objects.get(key=f"letter:{letter.pk}:{reader.pk}")
    url = mail.headers["List-Unsubscribe"][1:-1]
    assert url in mail.body_text
    return url.removeprefix(settings.SITE_URL)


def news_active(person) -> bool:
    return Consent.objects.filter(user=person, purpose=Consent.Purpose.NEWS, withdrawn_at__isnull=True).exists()


def news_row(html: str) -> str:
    """The news consent's entry on /profil/."""
    return re.search(r"Veranstaltungs- und Programmhinweise</p>.*?</li>", html, re.S).group(0)


def test_get_only_asks(client, reader, link):
    response = client.get(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ja, keine Neuigkeiten mehr" in html and '<form method="post">' in html
    assert news_active(reader), "a link scanner's GET withdraws nothing"


def test_the_button_withdraws_the_consent_and_the_profile_shows_it(reader, link):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(link)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = browser.post(link, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "Ihre Einwilligung in Veranstaltungs- und Programmhinweise ist widerrufen." in response.content.decode()
    assert not news_active(reader)
    withdrawn = Consent.objects.get(user=reader, purpose=Consent.Purpose.NEWS)
    assert withdrawn.withdrawn_at is not None
    browser.force_login(reader)
    row = news_row(browser.get("/profil/").content.decode())
    assert "nicht erteilt" in row and "Einwilligen" in row


def test_a_mail_programs_one_click_post_withdraws_at_once(reader, link):
    """RFC 8058: a POST without cookies or CSRF token, body "List-Unsubscribe=One-Click"."""
    response = Client(enforce_csrf_checks=True).post(link, "List-Unsubscribe=One-Click",
                                                     content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not news_active(reader)
    again = Client(enforce_csrf_checks=True).post(link, "List-Unsubscribe=One-Click",
                                                  content_type="application/x-www-form-urlencoded")
    assert again.status_code == 200, "a second click does no harm"


def test_after_unsubscribing_news_stop_and_essential_letters_still_arrive(reader, link, client):
    client.post(link)
    staff = StaffFactory()
    with pytest.raises(services.LetterError, match="niemand"):
        services.letter_send(letter=LetterFactory(), by=staff)
    essential = services.letter_send(letter=LetterFactory(essential=True), by=staff)
    assert OutboxMessage.objects.filter(key=f"letter:{essential.pk}:{reader.pk}").exists()


@pytest.mark.parametrize("token", ["gibt-es-nicht", "vorschau", "eyJ1IjoxfQ:1x:abc", "²", "%ff"])
def test_a_forged_or_preview_link_answers_400_in_german(client, reader, token):
    for method in (client.get, client.post):
        response = method(f"/rundschreiben/abbestellen/{token}/")
        assert response.status_code == 400
        assert "Dieser Abmeldelink ist ungültig." in response.content.decode()
    assert news_active(reader)


def test_a_link_from_another_purpose_is_refused(client, reader):
    from django.core import signing

    programme = signing.dumps({"u": reader.pk, "p": "programme"}, salt=UNSUBSCRIBE_SALT, compress=True)
    forum = signing.dumps({"u": reader.pk, "p": "news"}, salt="forum.unsubscribe", compress=True)
    for token in (programme, forum):
        assert client.post(f"/rundschreiben/abbestellen/{token}/").status_code == 400
    assert news_active(reader)


def test_the_link_of_an_erased_account_is_invalid(client, reader, link):
    from accounts.services import user_delete

    user_delete(user=reader)
    assert client.post(link).status_code == 400
