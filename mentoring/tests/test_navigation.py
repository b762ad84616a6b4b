"""The main navigation names registering and logging in with two different words, in German and English."""
import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="navbar[^"]*" aria-label="[^"]*">(.*?)</nav>', re.DOTALL)
ENTRY = re.compile(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>|<form [^>]*action="([^"]*)"[^>]*>.*?'
                   r'<button type="submit"[^>]*>(.*?)</button>', re.DOTALL)


def nav_entries(client, path="/") -> dict[str, str]:
    """Target URL → visible label of each link and form button in the main navigation."""
    page = client.get(path).content.decode()
    [nav] = NAV.findall(page)
    entries = {}
    for link_href, link_text, form_action, button_text in ENTRY.findall(nav):
        label = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", link_text or button_text)).split())
        entries[link_href or form_action] = label
    return entries


def stem(label: str) -> str:
    return label.lower()[:6]


def test_guest_sees_registrieren_and_anmelden(client):
    entries = nav_entries(client)
    assert entries[reverse("accounts:registration")] == "Registrieren"
    assert entries[reverse("account_login")] == "Anmelden"
    labels = " ".join(entries.values())
    assert "Anmeldung" not in labels and "Login" not in labels


@pytest.mark.parametrize("path", ["/", "/anmeldung/", "/konto/login/", "/veranstaltungen/"])
@pytest.mark.parametrize("language", ["de", "en"])
def test_register_and_log_in_never_share_a_word(client, path, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    entries = nav_entries(client, path)
    register, log_in = entries[reverse("accounts:registration")], entries[reverse("account_login")]
    assert stem(register) != stem(log_in), (register, log_in)
    assert not set(register.lower().split()) & set(log_in.lower().split()), (register, log_in)


def test_english_guest_navigation_says_log_in(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert nav_entries(client)[reverse("account_login")] == "Log in"


@pytest.mark.parametrize("language, log_out", [("de", "Abmelden"), ("en", "Log out")])
def test_participant_sees_abmelden_and_no_entrance(client, mentee, language, log_out):
    mentee.language = language  # a signed-in person's pages follow their stored language
    mentee.save(update_fields=["language"])
    client.force_login(mentee)
    entries = nav_entries(client)
    assert entries[reverse("account_logout")] == log_out
    assert reverse("account_login") not in entries and reverse("accounts:registration") not in entries


def test_home_page_buttons_use_the_same_words(client):
    page = client.get("/").content.decode()
    hero = page[page.index('<section class="hero'):]
    hero = hero[:hero.index("</section>")]
    assert f'href="{reverse("accounts:registration")}">Jetzt registrieren</a>' in hero
    assert f'href="{reverse("account_login")}">Als Teilnehmer*in anmelden</a>' in hero


def test_login_page_sends_newcomers_to_register(client):
    page = client.get(reverse("account_login")).content.decode()
    assert re.search(rf'<a [^>]*href="{reverse("accounts:registration")}"[^>]*>\s*Registrieren\s*</a>', page)
