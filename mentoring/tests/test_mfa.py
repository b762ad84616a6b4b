"""Staff reach the admin only with a second factor (allauth TOTP, recovery codes); participants are not forced."""
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from accounts.tests.factories import PASSWORD
from mentoring.tests.production import production_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_mfa_required")]

ACTIVATE = "/konto/2fa/totp/activate/"


@pytest.fixture
def _mfa_required(settings):
    settings.STAFF_REQUIRE_MFA = True


def code(secret: str) -> str:
    """The code an authenticator app shows now (never one about to expire: no tolerance is allowed)."""
    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, user):
    return client.post("/konto/login/", {"login": user.email, "password": PASSWORD})


def open_enrolment(client):
    """allauth asks for the password once more before an authenticator is added."""
    response = client.get(ACTIVATE)
    assert response.status_code == 302
    assert response.url == "/konto/reauthenticate/?next=%2Fkonto%2F2fa%2Ftotp%2Factivate%2F"
    response = client.post(response.url, {"password": PASSWORD})
    assert response.status_code == 302 and response.url == ACTIVATE
    return client.get(ACTIVATE)


def enrol(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_staff_without_authenticator_is_sent_to_enrolment_and_kept_out_of_admin(client, staff_user):
    response = log_in(client, staff_user)
    assert response.status_code == 302 and response.url == ACTIVATE
    page = open_enrolment(client)
    assert page.status_code == 200
    assert "Authenticator-App" in page.content.decode()
    for path in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{staff_user.pk}/change/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == ACTIVATE


def test_enrolment_shows_recovery_codes_and_the_next_login_asks_for_the_code(client, staff_user):
    log_in(client, staff_user)
    page = open_enrolment(client)
    secret = page.context["form"].secret
    assert client.post(ACTIVATE, {"code": "000000" if code(secret) != "000000" else "111111"}).status_code == 200
    assert not Authenticator.objects.filter(user=staff_user).exists()
    response = client.post(ACTIVATE, {"code": code(secret)})
    assert response.status_code == 302 and response.url == "/konto/2fa/recovery-codes/"
    recovery = client.get(response.url).content.decode()
    codes = Authenticator.objects.get(user=staff_user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    assert len(codes) == 10 and all(c in recovery for c in codes)

    client.post("/konto/logout/")
    response = log_in(client, staff_user)
    assert response.status_code == 302 and response.url == "/konto/2fa/authenticate/"
    assert "Wiederherstellungscodes" in client.get(response.url).content.decode()
    assert client.get("/admin/").status_code == 302  # password alone does not sign in
    response = client.post("/konto/2fa/authenticate/", {"code": code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_enrolled_staff_signed_in_without_the_code_must_confirm_one_before_admin(client, staff_user):
    secret = enrol(staff_user)
    client.force_login(staff_user)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response.url == "/konto/2fa/reauthenticate/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    response = client.post(response.url, {"code": "123456" if code(secret) != "123456" else "654321"})
    assert response.status_code == 200 and client.get("/admin/").status_code == 302
    response = client.post("/konto/2fa/reauthenticate/?next=%2Fadmin%2Faccounts%2Fuser%2F", {"code": code(secret)})
    assert response.status_code == 302 and response.url == "/admin/accounts/user/"
    assert client.get("/admin/accounts/user/").status_code == 200


def test_a_recovery_code_replaces_a_lost_device_at_login(client, staff_user):
    log_in(client, staff_user)
    secret = open_enrolment(client).context["form"].secret
    client.post(ACTIVATE, {"code": code(secret)})
    recovery_code = Authenticator.objects.get(user=staff_user, type=Authenticator.Type.RECOVERY_CODES) \
        .wrap().get_unused_codes()[0]
    client.post("/konto/logout/")
    log_in(client, staff_user)
    client.post("/konto/2fa/authenticate/", {"code": recovery_code})
    assert client.get("/admin/").status_code == 200


def test_admin_login_goes_through_allauth_and_its_second_factor(client, staff_user):
    secret = enrol(staff_user)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url.startswith("/konto/login/")
    response = client.post("/konto/login/?next=/admin/", {"login": staff_user.email, "password": PASSWORD,
                                                          "next": "/admin/"})
    assert response.url == "/konto/2fa/authenticate/"
    response = client.post("/konto/2fa/authenticate/", {"code": code(secret)})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_participants_are_not_forced_to_enrol(client, mentee):
    response = log_in(client, mentee)
    assert response.status_code == 302 and response.url == "/profil/"
    assert client.get("/profil/").status_code == 200
    assert client.get("/tandem/").status_code == 200
    assert client.get("/admin/").url == "/admin/login/?next=/admin/"  # the admin's own refusal, no enrolment


def test_without_the_setting_staff_reach_admin_with_the_password(client, staff_user, settings):
    settings.STAFF_REQUIRE_MFA = False
    response = log_in(client, staff_user)
    assert response.url == "/profil/"
    assert client.get("/admin/").status_code == 200


def test_production_settings_require_mfa_for_staff():
    # Production ignores an attempt to switch it off from the environment.
    found = production_settings("STAFF_REQUIRE_MFA", "MIDDLEWARE", "MFA_SUPPORTED_TYPES", STAFF_REQUIRE_MFA="false")
    assert found["STAFF_REQUIRE_MFA"] is True
    assert "accounts.mfa.StaffMFAMiddleware" in found["MIDDLEWARE"]
    assert found["MFA_SUPPORTED_TYPES"] == ["totp", "recovery_codes"]


def test_staff_powers_outside_the_admin_wait_for_the_second_factor_too(client, staff_user):
    """A staff password alone opened every Tandem's page, forum moderation and the data export: only paths under
    /admin/ asked for the code."""
    from django.urls import reverse

    from forum.tests.factories import ThreadFactory
    from matching.tests.factories import TandemFactory

    tandem = TandemFactory()
    thread = ThreadFactory()
    log_in(client, staff_user)
    for path in ("/", "/forum/", reverse("matching:tandem_detail", args=[tandem.pk]), "/profil/export/",
                 reverse("forum:thread", args=[thread.pk]), "/veranstaltungen/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == ACTIVATE, path
    response = client.post(reverse("forum:post_moderate", args=[thread.posts.get().pk]), {"aktion": "ausblenden"})
    assert response.status_code == 302 and response.url == ACTIVATE
    assert not thread.posts.get().is_hidden
    # What the set-up needs stays open: the account pages, static files, the health check.
    assert client.get("/healthz").status_code == 200
    assert client.get(ACTIVATE).url.startswith("/konto/reauthenticate/")
    assert client.post("/konto/logout/").status_code == 302
