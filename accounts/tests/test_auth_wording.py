"""allauth's pages and mails read in the programme's formal German (and in English) through locale_overrides."""
import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import allauth
import polib
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
from mentoring.kernel.models import OutboxMessage

# Mails link to the site's address (SITE_URL), whichever host the request came to.
SITE = "https://mentoring.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


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
               "Noch kein Konto?", "Registrieren"],
              ["Forgot your password?"]),
    "signup_closed": (lambda: reverse("account_signup"),
                      ["Registrierung über das Anmeldeformular", "Bitte nutzen Sie das Anmeldeformular."], []),
    "password_reset": (lambda: reverse("account_reset_password"),
                       ["Sie haben Ihr Passwort vergessen? Geben Sie Ihre E-Mail-Adresse ein.",
                        "Link zum Zurücksetzen anfordern", CONTACT_DE],
                       ["Forgotten your password? Enter your email address below", "Reset my password", CONTACT_EN]),
    "password_reset_done": (lambda: reverse("account_reset_password_done"),
                            ["Wir haben Ihnen eine E-Mail geschickt. Bitte öffnen Sie den Link darin",
                             "Keine E-Mail erhalten? Sehen Sie bitte auch im Spam-Ordner nach.", CONTACT_DE],
                            ["We have sent you an email.", CONTACT_EN]),
    "password_reset_from_key_bad": (
        lambda: reverse("account_reset_password_from_key", kwargs={"uidb36": "x", "key": "falsch"}),
        ["Link ungültig", "Dieser Link zum Zurücksetzen des Passworts ist ungültig.",
         "Bitte fordern Sie einen neuen Link an."],
        ["Invalid link", "The password reset link was invalid"]),
    "password_reset_from_key_done": (lambda: reverse("account_reset_password_from_key_done"),
                                     ["Ihr neues Passwort ist gespeichert. Sie können sich jetzt damit anmelden."],
                                     ["Your password is now changed."]),
    "verification_sent": (lambda: reverse("account_email_verification_sent"),
                          ["Bitte bestätigen Sie Ihre E-Mail-Adresse",
                           "Wir haben Ihnen eine E-Mail mit einem Bestätigungslink geschickt.", CONTACT_DE],
                          ["Verify your email address", CONTACT_EN]),
    "account_inactive": (lambda: reverse("account_inactive"),
                         ["Konto deaktiviert", "Dieses Konto ist derzeit deaktiviert. Eine Anmeldung ist deshalb "
                          "nicht möglich.", CONTACT_DE],
                         ["Account inactive", "This account is inactive."]),
    "email_confirm_invalid": (lambda: reverse("account_confirm_email", args=["falsch"]),
                              ["E-Mail-Adresse bestätigen", "Dieser Bestätigungslink ist abgelaufen oder ungültig."],
                              ["This email confirmation link expired or is invalid."]),
}

SIGNED_IN_PAGES = {
    "logout": (lambda: reverse("account_logout"), ["Abmelden", "Möchten Sie sich wirklich abmelden?"],
               ["Are you sure you want to sign out?"]),
    "password_change": (lambda: reverse("account_change_password"), ["Passwort ändern", "Aktuelles Passwort"],
                        ["Change password", "Current password", "New password (again)"]),
    "email": (lambda: reverse("account_email"),
              ["Mit Ihrem Konto sind folgende E-Mail-Adressen verknüpft:", "E-Mail-Adresse hinzufügen"], []),
    "reauthenticate": (lambda: reverse("account_reauthenticate"),
                       ["Zugriff bestätigen", "Zum Schutz Ihres Kontos bestätigen Sie bitte noch einmal, dass Sie "
                        "es sind.", "Bitte geben Sie dazu Ihr Passwort ein."],
                       ["Confirm access", "Please reauthenticate to safeguard your account."]),
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
def test_password_set_and_reset_form_pages_in_english(client):
    """The programme's own lines on these pages come in English too; allauth's words stay allauth's."""
    use(client, "en")
    user = UserFactory(language="en")  # once signed in, pages follow the stored language
    page = text(client.get(reset_key_url(user), follow=True))
    assert "Change password" in page and "Please enter your new password twice." in page and "Cancel" in page
    assert "Your password is now changed." in text(client.get(reverse("account_reset_password_from_key_done")))
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    page = text(client.get(reverse("account_set_password")))
    assert "Your account has no password set up. Please enter your new password twice." in page


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
    ("en", "Enter sign-in code", "The code expires shortly, so please enter it soon."),
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
                            "Öffnen Sie dazu bitte diesen Link:\n\nhttps://mentoring.example.org/konto/confirm-email/K/\n\n"
                            "Auf der Seite klicken Sie dann auf „Bestätigen“."]),
    "email_confirmation_signup": ({"activate_url": "http://testserver/konto/confirm-email/K/"},
                                  "Bitte bestätigen Sie Ihre E-Mail-Adresse",
                                  ["vielen Dank für Ihre Anmeldung zum Mentoring-Programm Klimaanpassung!",
                                   "Danach können Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort anmelden."]),
    "password_reset_key": ({"password_reset_url": "http://testserver/konto/password/reset/key/1-x/"},
                           "Passwort zurücksetzen",
                           ["Über diesen Link können Sie ein neues Passwort festlegen:\n\n"
                            "https://mentoring.example.org/konto/password/reset/key/1-x/",
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
                         "melden Sie sich bitte über das Anmeldeformular an:\n\n"
                         "https://mentoring.example.org/anmeldung/"]),
    "account_already_exists": ({"password_reset_url": "http://testserver/konto/password/reset/",
                                "signup_url": "http://testserver/konto/signup/"},
                               "Für diese E-Mail-Adresse besteht bereits ein Konto",
                               ["Mit dieser Adresse besteht aber bereits ein Konto.",
                                "Falls Sie Ihr Passwort vergessen haben, können Sie hier ein neues festlegen:\n\n"
                                "https://mentoring.example.org/konto/password/reset/"]),
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


CHANGED_EN = "the following change was just made to your account with the Climate Adaptation Mentoring Programme:"
MAILS_EN = {
    "email_confirmation": ("Please confirm your email address",
                           ["this email address was given for an account with the Climate Adaptation Mentoring "
                            "Programme. Please confirm that it is yours.",
                            "Please open this link:\n\nhttps://mentoring.example.org/konto/confirm-email/K/"]),
    "password_reset_key": ("Reset your password",
                           ["This link lets you set a new password:\n\n"
                            "https://mentoring.example.org/konto/password/reset/key/1-x/",
                            "your password stays as it is"]),
    "password_changed": ("Your password has been changed", [CHANGED_EN, "Your password has been changed.",
                                                            "- IP address: 192.0.2.1"]),
    "email_changed": ("Your email address has been changed", [CHANGED_EN]),
    "unknown_account": ("No account with this email address",
                        ["We have no account with this address.",
                         "please register with the registration form:\n\nhttps://mentoring.example.org/anmeldung/"]),
    "account_already_exists": ("An account with this email address already exists",
                               ["An account with this address already exists.",
                                "you can set a new one here:\n\nhttps://mentoring.example.org/konto/password/reset/"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", MAILS_EN)
def test_allauth_mails_in_english_speak_for_the_programme(name):
    """Not allauth's stock English ("Hello from …!", signed with the bare domain): the programme's words."""
    subject, sentences = MAILS_EN[name]
    message = send(name, MAILS[name][0], lang="en")
    assert message.subject == f"[Mentoring Klimaanpassung] {subject}"
    assert message.body_text.startswith("Hello,\n\n") and "Hello from" not in message.body_text
    assert message.body_text.endswith("Kind regards\nThe team of the Climate Adaptation Mentoring Programme")
    assert "\ntestserver" not in message.body_text and "/konto/signup/" not in message.body_text
    for sentence in sentences:
        assert sentence in message.body_text


@pytest.mark.django_db
def test_password_reset_journey_mails_and_messages_in_german(client, mailoutbox):
    user = UserFactory(email="reset@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
    assert response.status_code == 302
    mail = OutboxMessage.objects.get(to="reset@example.org")
    assert mail.subject == "[Mentoring Klimaanpassung] Passwort zurücksetzen"
    link = re.search(r"https://mentoring.example.org(/konto/password/reset/key/\S+)", mail.body_text).group(1)
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
    assert "https://mentoring.example.org/anmeldung/" in mail.body_text and "/konto/signup/" not in mail.body_text


@pytest.mark.django_db
def test_login_error_and_message_in_formal_german(client):
    user = UserFactory(first_name="Ada", last_name="Muster")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True)
    assert "Sie sind jetzt als Ada Muster angemeldet." in text(response)


def test_every_override_still_names_an_allauth_message_or_a_line_of_our_templates():
    # An allauth upgrade that rewords a msgid would silently bring back its "du" wording; a line
    # of the programme's own (or a context) that no template of ours uses any more is dead.
    ours = Path(settings.BASE_DIR) / "locale_overrides" / "de" / "LC_MESSAGES" / "django.mo"
    theirs = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.mo"
    with ours.open("rb") as f:
        overrides = {k for k in gettext.GNUTranslations(f)._catalog if k}
    with theirs.open("rb") as f:
        allauth_msgids = set(gettext.GNUTranslations(f)._catalog)
    templates = " ".join(path.read_text() for path in (Path(settings.BASE_DIR) / "templates" / "account").rglob("*.*"))
    # Django's own admin and auth strings its German catalogue lacks (Django 5.1/5.2) are in the file too.
    import django
    import polib

    django_msgids = {entry.msgid for app in ("contrib/admin", "contrib/auth", "conf")
                     for entry in polib.pofile(str(Path(django.__file__).parent / app / "locale" / "en"
                                                   / "LC_MESSAGES" / "django.po"))}
    assert overrides
    for key in overrides:
        key = key[0] if isinstance(key, tuple) else key  # a plural entry: (msgid, form)
        context, _, msgid = key.rpartition("\x04")
        if context:
            assert msgid in allauth_msgids and f'"{msgid}" context "{context}"' in templates, key
        else:
            assert msgid in allauth_msgids or msgid in django_msgids or f'"{msgid}"' in templates, key



def test_every_english_override_names_an_allauth_message():
    # The English overrides put allauth's Title Case ("Change Password") into the site's sentence case.
    ours = polib.pofile(str(Path(settings.BASE_DIR) / "locale_overrides" / "en" / "LC_MESSAGES" / "django.po"))
    import django

    theirs = {entry.msgid for entry in
              polib.pofile(str(Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"))}
    # Django's own length messages on every form are put in the programme's words too.
    theirs |= {entry.msgid for entry in polib.pofile(str(Path(django.__file__).parent / "conf" / "locale" / "en"
                                                         / "LC_MESSAGES" / "django.po"))}
    assert len(ours) > 10
    for entry in ours:
        assert entry.msgid in theirs and entry.msgstr != entry.msgid, entry.msgid


# Words the English pages may capitalise inside a heading, button or label: names, not Title Case.
PROPER = {"Mentoring-Programm", "Klimaanpassung", "Deutsch", "English", "I"}
SHOWN = re.compile(r"<(title|h1|h2|h3|button|label|legend)\b[^>]*>(.*?)</\1>", re.DOTALL)


def title_cased(page: str) -> list[str]:
    found = []
    for _, inner in SHOWN.findall(page):
        words = text(inner).split(" – ")[0].split()
        if any("@" in word for word in words):
            continue  # an address with its badges ("Confirmed", "Primary address")
        if any(word[:1].isupper() and word not in PROPER for word in words[1:]):
            found.append(" ".join(words))
    return found


@pytest.mark.django_db
def test_english_account_pages_write_sentence_case_like_the_rest_of_the_site(client):
    user = UserFactory(language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages = [url for url, _, _ in ANONYMOUS_PAGES.values()]
    for url in pages:
        assert title_cased(client.get(url(), follow=True).content.decode()) == [], url()
    client.force_login(user)
    for url in [*(url for url, _, _ in SIGNED_IN_PAGES.values()), lambda: reverse("mfa_index")]:
        page = client.get(url(), follow=True).content.decode()
        assert title_cased(page) == [], url()
    page = text(client.get(reverse("account_logout")))
    assert "Log out" in page and "Sign Out" not in page


@pytest.mark.parametrize("name", ["account/email/account_already_exists", "account/email/email_changed",
                                  "account/email/email_confirmation", "account/email/email_deleted",
                                  "account/email/password_changed", "account/email/password_reset",
                                  "account/email/password_reset_key", "account/email/password_set",
                                  "account/email/unknown_account", "mfa/email/recovery_codes_generated",
                                  "mfa/email/totp_activated", "mfa/email/totp_deactivated"])
def test_english_account_mail_subjects_write_sentence_case(name):
    with translation.override("en"):
        subject = " ".join(render_to_string(f"{name}_subject.txt", {}).split())
    words = subject.split()
    assert subject and not any(word[:1].isupper() for word in words[1:]), subject

def test_override_wins_over_allauths_own_catalogue():
    with translation.override("de"):
        assert translation.gettext("Are you sure you want to sign out?") == "Möchten Sie sich wirklich abmelden?"
        assert translation.gettext("Forgot your password?") == "Passwort vergessen?"
    with translation.override("en"):
        assert translation.gettext("Are you sure you want to sign out?") == "Are you sure you want to sign out?"


# --- Each page in the German people read before the copied templates gave way to allauth's own ---
# (commit b2094a8): title and heading, the lines around the form, its buttons, and whether the
# page names the Koordinationsstelle with its address (only where people get stuck: a reset, a
# confirmation, an inactive account; not on every account page).


@dataclass
class Before:
    url: Callable[[], str]
    heading: str
    lines: list[str] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)
    contact: bool = False
    who: str = "anonymous"  # or "signed_in", "without_password"
    title: str = ""  # when the window title is not the heading
    absent: list[str] = field(default_factory=list)


def confirmation_url(email: str) -> str:
    address = EmailAddress.objects.get(user=UserFactory(email=email, verified_email=False))
    return reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])


def taken_address_confirmation_url() -> str:
    UserFactory(email="vergeben@example.org")
    late = UserFactory(email="spaeter@example.org", verified_email=False)
    address = EmailAddress.objects.create(user=late, email="vergeben@example.org", verified=False)
    return reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])


BAD_CONFIRMATION = lambda: reverse("account_confirm_email", args=["falsch"])  # noqa: E731
RESET_INTRO = ("Sie haben Ihr Passwort vergessen? Geben Sie Ihre E-Mail-Adresse ein. Wir schicken Ihnen dann eine "
               "E-Mail mit einem Link, über den Sie ein neues Passwort festlegen können.")
NO_MAIL = "Keine E-Mail erhalten? Sehen Sie bitte auch im Spam-Ordner nach."
BEFORE = {
    "login": Before(lambda: reverse("account_login"), "Anmelden", [
        "Melden Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort an.", "Passwort vergessen?", "Noch kein Konto?",
        # Issue 10 made "registrieren" and "anmelden" distinct words on purpose.
        "Ein Konto erhalten Sie, wenn Sie sich für das Programm registrieren. Bitte nutzen Sie dafür das "
        "Anmeldeformular."],
        ["Anmelden", "Registrieren"]),
    "signup": Before(lambda: reverse("account_signup"), "Registrierung über das Anmeldeformular", [
        "Ein Konto entsteht, wenn Sie sich für das Programm registrieren. Bitte nutzen Sie das Anmeldeformular."],
        ["Registrieren"], title="Registrierung"),
    "logout": Before(lambda: reverse("account_logout"), "Abmelden", ["Möchten Sie sich wirklich abmelden?"],
                     ["Abmelden"], who="signed_in"),
    "password_reset": Before(lambda: reverse("account_reset_password"), "Passwort zurücksetzen", [RESET_INTRO],
                             ["Link zum Zurücksetzen anfordern"], contact=True),
    "password_reset_signed_in": Before(lambda: reverse("account_reset_password"), "Passwort zurücksetzen", [
        "Hinweis: Sie sind bereits als Ada Muster angemeldet.", RESET_INTRO], ["Link zum Zurücksetzen anfordern"],
        contact=True, who="signed_in"),
    "password_reset_done": Before(lambda: reverse("account_reset_password_done"), "Passwort zurücksetzen", [
        "Wir haben Ihnen eine E-Mail geschickt. Bitte öffnen Sie den Link darin, um ein neues Passwort festzulegen.",
        # Its own window title (WCAG 2.4.2): the form's page and this one are told apart.
        NO_MAIL], contact=True, title="E-Mail zum Zurücksetzen verschickt"),
    "password_reset_from_key": Before(lambda: reset_key_url(UserFactory()), "Neues Passwort festlegen", [
        "Bitte geben Sie Ihr neues Passwort zweimal ein.", "Neues Passwort (Wiederholung)"],
        ["Passwort speichern", "Abbrechen"]),
    "password_reset_from_key_bad": Before(
        lambda: reverse("account_reset_password_from_key", kwargs={"uidb36": "x", "key": "falsch"}), "Link ungültig", [
            "Dieser Link zum Zurücksetzen des Passworts ist ungültig. Vermutlich wurde er bereits verwendet oder er "
            "ist abgelaufen.", "Bitte fordern Sie einen neuen Link an."]),
    "password_reset_from_key_done": Before(
        lambda: reverse("account_reset_password_from_key_done"), "Passwort geändert",
        ["Ihr neues Passwort ist gespeichert. Sie können sich jetzt damit anmelden."], ["Zur Anmeldung"]),
    "password_reset_from_key_done_signed_in": Before(
        lambda: reverse("account_reset_password_from_key_done"), "Passwort geändert",
        ["Ihr neues Passwort ist gespeichert."], ["Zu Ihrem Profil"], who="signed_in",
        absent=["Sie können sich jetzt damit anmelden.", "Zur Anmeldung"]),
    "email_confirm": Before(lambda: confirmation_url("neu@example.org"), "E-Mail-Adresse bestätigen", [
        "Bitte bestätigen Sie, dass die E-Mail-Adresse neu@example.org zu Ihrem Konto gehört."], ["Bestätigen"]),
    "email_confirm_taken": Before(taken_address_confirmation_url, "E-Mail-Adresse bestätigen", [
        "Die E-Mail-Adresse vergeben@example.org kann nicht bestätigt werden, weil sie bereits zu einem anderen Konto "
        "gehört."], contact=True),
    "email_confirm_bad": Before(BAD_CONFIRMATION, "E-Mail-Adresse bestätigen", [
        "Dieser Bestätigungslink ist abgelaufen oder ungültig.",
        "Ist Ihre E-Mail-Adresse schon bestätigt? Dann können Sie sich einfach anmelden. Falls nicht, melden Sie sich "
        "trotzdem mit Ihrer E-Mail-Adresse und Ihrem Passwort an – wir schicken Ihnen dann automatisch einen neuen "
        "Bestätigungslink."], ["Zur Anmeldung"]),
    "email_confirm_bad_signed_in": Before(BAD_CONFIRMATION, "E-Mail-Adresse bestätigen", [
        "Dieser Bestätigungslink ist abgelaufen oder ungültig.",
        "Einen neuen Bestätigungslink können Sie auf der Seite E-Mail-Adressen anfordern."], who="signed_in",
        absent=["Zur Anmeldung"]),
    "verification_sent": Before(lambda: reverse("account_email_verification_sent"),
                                "Bitte bestätigen Sie Ihre E-Mail-Adresse", [
        "Wir haben Ihnen eine E-Mail mit einem Bestätigungslink geschickt. Bitte öffnen Sie den Link, um Ihre "
        "E-Mail-Adresse zu bestätigen. Danach können Sie sich anmelden.", NO_MAIL], contact=True),
    "account_inactive": Before(lambda: reverse("account_inactive"), "Konto deaktiviert", [
        "Dieses Konto ist derzeit deaktiviert. Eine Anmeldung ist deshalb nicht möglich."], contact=True),
    "email": Before(lambda: reverse("account_email"), "E-Mail-Adressen", [
        "Mit Ihrem Konto sind folgende E-Mail-Adressen verknüpft:", "Bestätigt", "Primäre Adresse",
        "Zurück zu Ihrem Profil"],
        ["Als primäre Adresse festlegen", "Bestätigungs-E-Mail erneut senden", "Entfernen",
         "E-Mail-Adresse hinzufügen"], who="signed_in"),
    "password_change": Before(lambda: reverse("account_change_password"), "Passwort ändern", [
        "Bitte geben Sie Ihr aktuelles Passwort und anschließend zweimal Ihr neues Passwort ein.",
        "Aktuelles Passwort", "Neues Passwort (Wiederholung)"], ["Passwort ändern", "Abbrechen"], who="signed_in"),
    "password_set": Before(lambda: reverse("account_set_password"), "Passwort festlegen", [
        "Für Ihr Konto ist noch kein Passwort festgelegt. Bitte geben Sie Ihr neues Passwort zweimal ein."],
        ["Passwort festlegen"], who="without_password"),
    "reauthenticate": Before(lambda: reverse("account_reauthenticate"), "Zugriff bestätigen", [
        "Zum Schutz Ihres Kontos bestätigen Sie bitte noch einmal, dass Sie es sind.",
        "Bitte geben Sie dazu Ihr Passwort ein."], ["Bestätigen"], who="signed_in"),
    "mfa_index": Before(lambda: reverse("mfa_index"), "Zwei-Faktor-Authentifizierung", [
        "Authenticator-App", "Es ist keine Authenticator-App aktiv.", "Wiederherstellungs-Codes",
        "Es wurden keine Wiederherstellungscodes eingerichtet."], ["Aktivieren"], who="signed_in"),
}


def main_and_buttons(response) -> tuple[str, str, list[str]]:
    """The window title, the text of <main> and the labels of its buttons and button links."""
    html = response.content.decode()
    title = text(re.search(r"<title>(.*?)</title>", html, flags=re.DOTALL).group(1))
    main = re.search(r"<main\b.*?</main>", html, flags=re.DOTALL).group(0)
    buttons = [text(label) for label in re.findall(r"<button\b[^>]*>(.*?)</button>", main, flags=re.DOTALL)]
    buttons += [text(label) for label in re.findall(r'<a\b[^>]*class="[^"]*\bbtn\b[^"]*"[^>]*>(.*?)</a>', main,
                                                    flags=re.DOTALL)]
    return title, text(main), buttons


@pytest.mark.django_db
@pytest.mark.parametrize("name", BEFORE)
def test_allauth_pages_say_in_german_what_they_said_before(client, name):
    page = BEFORE[name]
    if page.who != "anonymous":
        user = UserFactory(first_name="Ada", last_name="Muster")
        if page.who == "without_password":
            user.set_unusable_password()
            user.save()
        client.force_login(user)
    response = client.get(page.url(), follow=True)
    assert response.status_code == 200
    title, main, buttons = main_and_buttons(response)
    assert title == f"{page.title or page.heading} – Mentoring-Programm Klimaanpassung"
    assert re.search(r"<h1\b[^>]*>\s*" + re.escape(page.heading) + r"\s*</h1>", response.content.decode())
    for line in page.lines:
        assert line in main, line
    assert set(page.buttons) <= set(buttons), buttons
    for line in page.absent:
        assert line not in main and line not in buttons, line
    assert (f"{CONTACT_DE}: {settings.PROGRAMME_CONTACT_EMAIL}." in main) == page.contact
    assert not INFORMAL.search(main), INFORMAL.search(main)
