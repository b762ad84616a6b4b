"""Staff reach the site only with a second factor used in this session (STAFF_REQUIRE_MFA)."""
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .staff_groups import is_staff_member


def staff_needs_enrolment(user) -> bool:
    """A staff member who has not yet set up an authenticator app (while MFA is required)."""
    return bool(settings.STAFF_REQUIRE_MFA and is_staff_member(user)
                and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


def mfa_used_in_session(request) -> bool:
    # allauth records every step of the sign-in in the session; a code from the app or a
    # recovery code (at login or on re-authentication) leaves a record of method "mfa".
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def _open_without_second_factor(path: str) -> bool:
    """What staff reach before their second factor: the account pages (sign-in, the app's set-up, the code,
    sign-out), static files, the health check and the language switch."""
    account_root = reverse("account_login").rsplit("/", 2)[0] + "/"  # /konto/
    return path.startswith((account_root, settings.STATIC_URL, reverse("healthz").rstrip("/"),
                            reverse("set_language")))


class StaffMFAMiddleware:
    """Sends staff without an authenticator app to set one up, and staff who signed in
    without their code (for example before they set it up) to confirm one, before any staff page.

    Staff powers reach beyond the admin (every Tandem's page, forum moderation, the data export), so a
    staff member's password alone opens nothing but the account pages: the whole site waits for the code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (settings.STAFF_REQUIRE_MFA and is_staff_member(user)
                and not _open_without_second_factor(request.path)):
            if staff_needs_enrolment(user):
                messages.info(request, _("Für die Koordination brauchen Sie einen zweiten Faktor: Bitte richten "
                                         "Sie jetzt eine Authenticator-App ein."))
                return redirect("mfa_activate_totp")
            if not mfa_used_in_session(request):
                messages.info(request, _("Bitte bestätigen Sie Ihre Anmeldung mit einem Code aus Ihrer "
                                         "Authenticator-App."))
                return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
