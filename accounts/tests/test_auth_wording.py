"""allauth's pages and mails read in the programme's formal German (and in English) through locale_overrides."""
import gettext
import re
from pathlib import Path

import allauth
import pytest
from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from accounts.tests.factories import PASSWORD, UserFactory
from mentoring.models import OutboxMessage

CONTACT_DE = "Bei Fragen oder Problemen hilft Ihnen die Koordinationsstelle gern weiter"
CONTACT_EN = "the coordination team will be happy to help"
# allauth's own German catalogue says "du"; none of it may reach a page or a mail.
INFORMAL = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deiner|bist|hast|kannst|gib|lass)\b", re.IGNORECASE)


def text(response_or_html) -> str:
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return " ".join(strip_tags(html).split())


def use(client, lang):
    # The header's language switch: a cookie for a guest, the stored language for a logged-in person.
    client.post(reverse("set_language"), {"language": lang, "next": "/"})


def reset_key_url(user) -> str:
    return reverse("account_reset_password_from_key",
                   kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)})


ANONYMOUS_PAGES = {
    "login": (lambda: reverse("account_login"),
              ["Melden Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort an.", "Passwort vergessen?",
               "Noch kein Konto?", "Registrieren", CONTACT_DE],
              ["Forgot your password?", CONTACT_EN]),
    "signup_closed": (lambda: reverse("account_signup"),
                      ["Registrierung über das Anmeldeformular", "Bitte nutzen Sie das Anmeldeformular."], []),
    "password_reset": (lambda: reverse("account_reset_password"),
                       ["Sie haben Ihr Passwort vergessen? Geben Sie Ihre E-Mail-Adresse ein.",
                        "Link zum Zurücksetzen anfordern", CONTACT_DE],
                       ["Forgotten your password? Enter your email address below", "Reset My Password", CONTACT_EN]),
    "password_reset_done": (lambda: reverse("account_reset_password_done"),
                            ["Wir haben Ihnen eine E-Mail geschickt. Bitte öffnen Sie den Link darin",
                             "Keine E-Mail erhalten? Sehen Sie bitte auch im Spam-Ordner nach.", CONTACT_DE],
                            ["We have sent you an email.", CONTACT_EN]),
    "password_reset_from_key_bad": (
        lambda: reverse("account_reset_password_from_key", kwargs={"uidb36": "x", "key": "falsch"}),
        ["Link ungültig", "Dieser Link zum Zurücksetzen des Passworts ist ungültig.",
         "Bitte fordern Sie einen neuen Link an."],
        ["Bad Token", "The password reset link was invalid"]),
    "password_reset_from_key_done": (lambda: reverse("account_reset_password_from_key_done"),
                                     ["Ihr neues Passwort ist gespeichert. Sie können sich jetzt damit anmelden."],
                                     ["Your password is now changed."]),
    "verification_sent": (lambda: reverse("account_email_verification_sent"),
                          ["Bitte bestätigen Sie Ihre E-Mail-Adresse",
                           "Wir haben Ihnen eine E-Mail mit einem Bestätigungslink geschickt.", CONTACT_DE],
                          ["Verify Your Email Address", CONTACT_EN]),
    "account_inactive": (lambda: reverse("account_inactive"),
                         ["Konto deaktiviert", "Dieses Konto ist derzeit deaktiviert. Eine Anmeldung ist deshalb "
                          "nicht möglich.", CONTACT_DE],
                         ["Account Inactive", "This account is inactive."]),
    "email_confirm_invalid": (lambda: reverse("account_confirm_email", args=["falsch"]),
                              ["E-Mail-Adresse bestätigen", "Dieser Bestätigungslink ist abgelaufen oder ungültig."],
                              ["This email confirmation link expired or is invalid."]),
}

SIGNED_IN_PAGES = {
    "logout": (lambda: reverse("account_logout"), ["Abmelden", "Möchten Sie sich wirklich abmelden?"],
               ["Are you sure you want to sign out?"]),
    "password_change": (lambda: reverse("account_change_password"), ["Passwort ändern", "Aktuelles Passwort"],
                        ["Change Password"]),
    "email": (lambda: reverse("account_email"),
              ["Mit Ihrem Konto sind folgende E-Mail-Adressen verknüpft:", "E-Mail-Adresse hinzufügen"], []),
    "reauthenticate": (lambda: reverse("account_reauthenticate"),
                       ["Zugriff bestätigen", "Zum Schutz Ihres Kontos bestätigen Sie bitte noch einmal, dass Sie "
                        "es sind.", "Bitte geben Sie dazu Ihr Passwort ein."],
                       ["Confirm Access", "Please reauthenticate to safeguard your account."]),
}


def assert_formal_german_and_english(client, url, german, english):
    page = text(client.get(url()))
    for sentence in german:
        assert sentence in page
    assert not INFORMAL.search(page), INFORMAL.search(page)
    use(client, "en")
    page = text(client.get(url()))
    for sentence in english:
        assert sentence in page


@pytest.mark.django_db
@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_allauth_pages_read_formally_in_german_and_in_english(client, name):
    assert_formal_german_and_english(client, *ANONYMOUS_PAGES[name])


@pytest.mark.django_db
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_allauth_pages_read_formally_in_german_and_in_english(client, name):
    client.force_login(UserFactory())
    assert_formal_german_and_english(client, *SIGNED_IN_PAGES[name])


@pytest.mark.django_db
def test_password_set_and_reset_form_pages(client):
    user = UserFactory()
    page = text(client.get(reset_key_url(user), follow=True))
    assert "Passwort ändern" in page and "Abbrechen" in page and "Neues Passwort" in page
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    page = text(client.get(reverse("account_set_password")))
    assert "Passwort festlegen" in page and not INFORMAL.search(page)


@pytest.mark.django_db
def test_email_confirmation_page(client):
    address = EmailAddress.objects.get(user=UserFactory(verified_email=False))
    page = text(client.get(reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])))
    assert f"Bitte bestätigen Sie, dass die E-Mail-Adresse {address.email} zu Ihrem Konto gehört." in page


@pytest.mark.django_db
def test_already_signed_in_note_on_password_reset(client):
    user = UserFactory(first_name="Ada", last_name="Muster")
    client.force_login(user)
    page = text(client.get(reverse("account_reset_password")))
    assert "Hinweis: Sie sind bereits als Ada Muster angemeldet." in page


class _CodeForm(forms.Form):
    code = forms.CharField(label="Code")


@pytest.mark.django_db
@pytest.mark.parametrize("lang, heading, sentence", [
    ("de", "Anmeldecode eingeben", "Der Code ist nur kurz gültig – bitte geben Sie ihn bald ein."),
    ("en", "Enter Sign-In Code", "The code expires shortly, so please enter it soon."),
])
def test_login_code_pages(lang, heading, sentence):
    # Sign-in by code is off in the programme's settings; the pages are rendered directly.
    request = RequestFactory().get("/")
    request.user, request.session = AnonymousUser(), SessionStore()
    with translation.override(lang), allauth_context.request_context(request):
        confirm = text(render_to_string("account/confirm_login_code.html", {
            "verify_form": _CodeForm(), "email": "a@example.org", "can_resend": True}, request=request))
        ask = text(render_to_string("account/request_login_code.html", {
            "form": _CodeForm(), "request_login_code_url": "/", "login_url": "/"}, request=request))
    assert heading in confirm and sentence in confirm
    if lang == "de":
        assert "Neuen Code anfordern" in confirm and "Abbrechen" in confirm
        assert "Sie erhalten per E-Mail einen Code, mit dem Sie sich ohne Passwort anmelden können." in ask


@pytest.mark.django_db
def test_verified_email_required_page():
    request = RequestFactory().get("/")
    request.user, request.session = UserFactory(), SessionStore()
    page = text(render_to_string("account/verified_email_required.html", {}, request=request))
    assert "Für diesen Bereich müssen wir sicherstellen, dass die E-Mail-Adresse Ihres Kontos wirklich" in page
    assert "Hinweis: Sie können Ihre E-Mail-Adresse auch noch ändern." in page and CONTACT_DE in page


NOTICE = {"ip": "192.0.2.1", "user_agent": "Firefox", "timestamp": "26.11.2026 10:00"}
CHANGED = "an Ihrem Konto beim Mentoring-Programm Klimaanpassung wurde gerade Folgendes geändert:"
MAILS = {
    "email_confirmation": ({"activate_url": "http://testserver/konto/confirm-email/K/"},
                           "Bitte bestätigen Sie Ihre E-Mail-Adresse",
                           ["diese E-Mail-Adresse wurde für ein Konto beim Mentoring-Programm Klimaanpassung "
                            "angegeben. Bitte bestätigen Sie, dass sie Ihnen gehört.",
                            "Öffnen Sie dazu bitte diesen Link:\n\nhttp://testserver/konto/confirm-email/K/\n\n"
                            "Auf der Seite klicken Sie dann auf „Bestätigen“."]),
    "email_confirmation_signup": ({"activate_url": "http://testserver/konto/confirm-email/K/"},
                                  "Bitte bestätigen Sie Ihre E-Mail-Adresse",
                                  ["vielen Dank für Ihre Anmeldung zum Mentoring-Programm Klimaanpassung!",
                                   "Danach können Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort anmelden."]),
    "password_reset_key": ({"password_reset_url": "http://testserver/konto/password/reset/key/1-x/"},
                           "Passwort zurücksetzen",
                           ["Über diesen Link können Sie ein neues Passwort festlegen:\n\n"
                            "http://testserver/konto/password/reset/key/1-x/",
                            "Ihr bisheriges Passwort bleibt dann gültig."]),
    "password_changed": (NOTICE, "Ihr Passwort wurde geändert", [CHANGED, "Ihr Passwort wurde geändert."]),
    "password_reset": (NOTICE, "Ihr Passwort wurde zurückgesetzt.", [CHANGED, "Ihr Passwort wurde zurückgesetzt."]),
    "password_set": (NOTICE, "Ihr Passwort wurde festgelegt", [CHANGED, "Für Ihr Konto wurde ein Passwort"]),
    "email_changed": ({"from_email": "alt@example.org", "to_email": "neu@example.org", **NOTICE},
                      "Ihre E-Mail-Adresse wurde geändert",
                      [CHANGED, "Ihre E-Mail-Adresse wurde von alt@example.org zu neu@example.org geändert."]),
    "email_confirm": (NOTICE, "Ihre E-Mail-Adresse ist bestätigt", [CHANGED, "Ihre E-Mail-Adresse wurde bestätigt."]),
    "email_deleted": ({"deleted_email": "alt@example.org", **NOTICE}, "E-Mail-Adresse entfernt",
                      [CHANGED, "Die E-Mail-Adresse alt@example.org wurde aus Ihrem Konto entfernt."]),
    "unknown_account": ({"signup_url": "http://testserver/konto/signup/"}, "Kein Konto zu dieser E-Mail-Adresse",
                        ["Zu dieser Adresse gibt es bei uns aber kein Konto.",
                         "melden Sie sich bitte über das Anmeldeformular an:\n\nhttp://testserver/anmeldung/"]),
    "account_already_exists": ({"password_reset_url": "http://testserver/konto/password/reset/",
                                "signup_url": "http://testserver/konto/signup/"},
                               "Für diese E-Mail-Adresse besteht bereits ein Konto",
                               ["Mit dieser Adresse besteht aber bereits ein Konto.",
                                "Falls Sie Ihr Passwort vergessen haben, können Sie hier ein neues festlegen:\n\n"
                                "http://testserver/konto/password/reset/"]),
    "login_code": ({"code": "ABC123"}, "Ihr Anmeldecode",
                   ["Ihr Anmeldecode steht unten. Bitte geben Sie ihn in dem noch geöffneten Browserfenster ein."
                    "\n\nABC123"]),
}


def send(name, context, lang="de") -> OutboxMessage:
    request = RequestFactory().get("/")
    request.user, request.session = AnonymousUser(), SessionStore()
    with translation.override(lang), allauth_context.request_context(request):
        get_adapter().send_mail(f"account/email/{name}", "person@example.org",
                                 {"user": UserFactory(language=lang), **context})
    return OutboxMessage.objects.get(key__startswith=f"allauth:{name}:")


@pytest.mark.django_db
@pytest.mark.parametrize("name", MAILS)
def test_allauth_mails_reach_the_outbox_in_formal_german(name):
    context, subject, sentences = MAILS[name]
    message = send(name, context)
    assert message.subject == f"[Mentoring Klimaanpassung] {subject}"
    assert message.body_text.startswith("Guten Tag,\n\n")
    assert message.body_text.endswith("Viele Grüße\nIhr Team des Mentoring-Programms Klimaanpassung")
    for sentence in sentences:
        assert sentence in message.body_text
    assert not INFORMAL.search(message.body_text), INFORMAL.search(message.body_text)
    assert "Guten Tag," in message.body_html and sentences[0].split("\n")[0] in text(message.body_html)


@pytest.mark.django_db
def test_allauth_mails_in_english_come_from_allauth():
    message = send("unknown_account", MAILS["unknown_account"][0], lang="en")
    assert message.subject == "[Mentoring Klimaanpassung] Unknown Account"
    assert "tried to access an account with email person@example.org" in message.body_text
    assert "http://testserver/anmeldung/" in message.body_text and "/konto/signup/" not in message.body_text
    message = send("password_changed", NOTICE, lang="en")
    assert "Your password has been changed." in message.body_text and "- IP address: 192.0.2.1" in message.body_text


@pytest.mark.django_db
def test_password_reset_journey_mails_and_messages_in_german(client, mailoutbox):
    user = UserFactory(email="reset@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
    assert response.status_code == 302
    mail = OutboxMessage.objects.get(to="reset@example.org")
    assert mail.subject == "[Mentoring Klimaanpassung] Passwort zurücksetzen"
    link = re.search(r"http://testserver(/konto/password/reset/key/\S+)", mail.body_text).group(1)
    form_url = client.get(link).url
    response = client.post(form_url, {"password1": "Ganz-neues-Passwort-91", "password2": "Ganz-neues-Passwort-91"},
                           follow=True)
    assert "Ihr neues Passwort ist gespeichert." in text(response)
    notice = OutboxMessage.objects.get(to="reset@example.org", key__startswith="allauth:password_reset:")
    assert notice.subject == "[Mentoring Klimaanpassung] Ihr Passwort wurde zurückgesetzt."
    client.post(reverse("account_login"), {"login": user.email, "password": "Ganz-neues-Passwort-91"})
    response = client.post(reverse("account_logout"), follow=True)
    assert "Sie haben sich abgemeldet." in text(response)


@pytest.mark.django_db
def test_unknown_address_gets_the_anmeldeformular_link(client):
    client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    mail = OutboxMessage.objects.get(to="niemand@example.org")
    assert "http://testserver/anmeldung/" in mail.body_text and "/konto/signup/" not in mail.body_text


@pytest.mark.django_db
def test_login_error_and_message_in_formal_german(client):
    user = UserFactory(first_name="Ada", last_name="Muster")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True)
    assert "Sie sind jetzt als Ada Muster angemeldet." in text(response)


def test_every_override_still_names_an_allauth_message():
    # An allauth upgrade that rewords a msgid would silently bring back its "du" wording.
    ours = Path(settings.BASE_DIR) / "locale_overrides" / "de" / "LC_MESSAGES" / "django.mo"
    theirs = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.mo"
    with ours.open("rb") as f:
        overrides = {k for k in gettext.GNUTranslations(f)._catalog if k}
    with theirs.open("rb") as f:
        allauth_msgids = set(gettext.GNUTranslations(f)._catalog)
    assert overrides and not overrides - allauth_msgids


def test_override_wins_over_allauths_own_catalogue():
    with translation.override("de"):
        assert translation.gettext("Are you sure you want to sign out?") == "Möchten Sie sich wirklich abmelden?"
        assert translation.gettext("Forgot your password?") == "Passwort vergessen?"
    with translation.override("en"):
        assert translation.gettext("Are you sure you want to sign out?") == "Are you sure you want to sign out?"
