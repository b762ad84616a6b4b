"""Who may enter the protected parts: approved participants and staff."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from .models import Registration


def is_approved_participant(user) -> bool:
    """Approved registration (after the Kennenlerngespräch); staff count as approved."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    registration = getattr(user, "registration", None)
    return registration is not None and registration.status == Registration.Status.APPROVED


def is_mentor(user) -> bool:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile is not None and profile.is_mentor


def approved_participant_required(view):
    """Anonymous visitors go to login; others not yet approved see why, with status 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_approved_participant(request.user):
            return render(request, "accounts/not_approved.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper

