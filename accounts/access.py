"""Who may enter the protected parts: the decorator for views; the rules themselves live in accounts.rules."""
from functools import wraps
from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from . import rules


def login_redirect(request):
    """To login, and back after it: to the page itself; for a form sent after the session ended (a POST the
    login cannot repeat), to the page the form was on (the Referer on this host). Without one, to the form's
    address: a page that posts to itself opens again, and an address that only takes a form says so and links
    the page above (``FormOnlyAddressMiddleware``)."""
    if request.method in ("GET", "HEAD"):
        return redirect_to_login(request.get_full_path())
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        parts = urlsplit(referer)
        return redirect_to_login(parts.path + (f"?{parts.query}" if parts.query else ""))
    return redirect_to_login(request.path)


def signed_in_required(view):
    """Django's ``login_required``, with ``login_redirect``'s way back."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return login_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


def approved_participant_required(view):
    """Anonymous visitors go to login; others not yet approved see why, with status 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return login_redirect(request)
        if not rules.approved_participant(request.user):
            return render(request, "accounts/not_approved.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
