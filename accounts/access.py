"""Who may enter the protected parts: the decorator for views; the rules themselves live in accounts.rules."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from . import rules


def approved_participant_required(view):
    """Anonymous visitors go to login; others not yet approved see why, with status 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rules.approved_participant(request.user):
            return render(request, "accounts/not_approved.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
