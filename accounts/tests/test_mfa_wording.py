"""allauth's second-factor pages read in formal German ("Sie"): its own catalogue says "du" on some of them."""
import gettext
import re
import time
from pathlib import Path

import allauth
import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags

from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

INFORMAL = re.compile(r"\b(du|dein\w*|dich|dir)\b", re.IGNORECASE)
# Words a reader also meets outside the text: a button's label, a field's placeholder, a page's title.
ATTRIBUTES = re.compile(r'\b(?:aria-label|placeholder|title|alt)="([^"]*)"')


def code(secret: str) -> str:
    """The code an authenticator app shows now (never one about to expire)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def readable(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.DOTALL)
    return " ".join([*strip_tags(html).split(), *ATTRIBUTES.findall(html)])


def page(client, url, *, secret=None):
    """The page as the signed-in person sees it, confirming their password or code when allauth asks again."""
    response = client.get(url)
    if response.status_code == 302 and "reauthenticate" in response.url:
        reauthenticate = client.get(response.url)
        assert reauthenticate.status_code == 200
        assert_formal(reauthenticate)
        client.post(response.url, {"code": code(secret)} if secret else {"password": PASSWORD})
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    return response


def assert_formal(response):
    found = INFORMAL.findall(readable(response))
    assert not found, (response.request["PATH_INFO"], found)


def test_second_factor_pages_say_sie_from_enrolment_to_the_next_login(client, mentee):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert client.post(reverse("account_login"), {"login": mentee.email, "password": PASSWORD}).status_code == 302

    overview = page(client, reverse("mfa_index"))
    assert_formal(overview)
    assert "Zwei-Faktor-Authentifizierung" in readable(overview)

    activate = page(client, reverse("mfa_activate_totp"))
    assert_formal(activate)
    assert "scannen Sie den unten stehenden QR-Code mit Ihrer Authenticator-App" in readable(activate)
    secret = activate.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": code(secret)})
    assert response.status_code == 302 and response.url == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=mentee, type=Authenticator.Type.TOTP).exists()

    recovery_codes = page(client, reverse("mfa_view_recovery_codes"), secret=secret)
    assert_formal(recovery_codes)
    assert "Unbenutzte Codes" in readable(recovery_codes)

    overview = page(client, reverse("mfa_index"), secret=secret)
    assert_formal(overview)
    assert "Die Authentifizierung mit einer Authenticator-App ist aktiv." in readable(overview)

    generate = page(client, reverse("mfa_generate_recovery_codes"), secret=secret)
    assert_formal(generate)
    assert "Sie sind dabei, neue Wiederherstellungscodes für Ihr Konto zu erzeugen." in readable(generate)

    deactivate = page(client, reverse("mfa_deactivate_totp"), secret=secret)
    assert_formal(deactivate)
    assert ("Sie sind dabei, die Anmeldung mit der Authenticator-App zu deaktivieren. Sind Sie sicher?"
            in readable(deactivate))

    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": mentee.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    authenticate = page(client, reverse("mfa_authenticate"))
    assert_formal(authenticate)
    assert "Ihr Konto ist mit einem zweiten Faktor geschützt." in readable(authenticate)


def test_allauths_own_german_for_these_pages_is_informal():
    # Without locale_overrides these sentences would reach the pages above in allauth's "du".
    with (Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.mo").open("rb") as f:
        theirs = gettext.GNUTranslations(f)
    for msgid in ("You are about to generate a new set of recovery codes for your account.",
                  "You are about to deactivate authenticator app based authentication. Are you sure?"):
        assert INFORMAL.search(theirs.gettext(msgid)), msgid
