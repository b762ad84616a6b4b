"""Thin views of the Anmeldeformular and /profil/."""

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from . import rules, selectors, services
from .access import signed_in_required
from .consents import CONSENT_TEXTS
from .exports import export_download
from .forms import DeleteAccountForm, ProfileForm, RegistrationForm, WithdrawRegistrationForm
from .models import Consent, Profile, Registration
from .topic_matrix import COMPETENCES, NEEDS


def registration(request):
    if request.user.is_authenticated and hasattr(request.user, "registration"):
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        if form.filled_by_bot():
            # A bot filled the hidden field: answer like a success, store nothing.
            return redirect("accounts:registration_done")
        if form.is_valid():
            if not ratelimit.consume(request, action="anmeldung"):
                form.add_error(None, _("Von Ihrem Netzwerk kamen zu viele Anmeldungen in kurzer Zeit. "
                                       "Bitte versuchen Sie es in einer Stunde erneut."))
                return render(request, "accounts/registration.html", {"form": form}, status=429)
            data = form.cleaned_data
            services.registration_submit(
                request=request, first_name=data["first_name"], last_name=data["last_name"], email=data["email"],
                password=data["password1"], profile_data=data, organisation_data=form.organisation_data(),
                needs=form.selected(NEEDS), competences=form.selected(COMPETENCES), consent_news=data["consent_news"],
                consent_partner_sharing=data["consent_partner_sharing"], language=data["language"])
            request.session["registration_email"] = data["email"]
            return redirect("accounts:registration_done")
    return render(request, "accounts/registration.html", {"form": form})


def registration_done(request):
    return render(request, "accounts/registration_done.html",
                  {"email": request.session.get("registration_email", "")})


@signed_in_required
def profile(request):
    profile = selectors.profile_for_page(user=request.user)
    registration = Registration.objects.filter(user=request.user).first()
    consents = {c.purpose: c for c in request.user.consents.active()}
    consent_rows = [
        {"purpose": purpose, "label": purpose.label, "text": CONSENT_TEXTS[purpose].text()[1],
         "consent": consents.get(purpose)}
        for purpose in Consent.Purpose
    ]
    transitions = list(registration.transitions.all()) if registration else []
    obstacles = rules.matching_pool_obstacles(request.user)
    return render(request, "accounts/profile.html", {
        "profile": profile, "registration": registration, "consent_rows": consent_rows, "transitions": transitions,
        "may_withdraw": services.registration_may_withdraw(registration),
        "pool_obstacles": [str(o) for o in obstacles],
        "outlook": None if obstacles else selectors.matching_outlook(user=request.user),
    })


@signed_in_required
def profile_edit(request):
    profile = selectors.profile_for_page(user=request.user)
    if profile is None:
        raise Http404
    form = ProfileForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_update(profile=profile, profile_data=form.cleaned_data,
                                organisation_data=form.organisation_data(), needs=form.selected(NEEDS),
                                competences=form.selected(COMPETENCES))
        services.user_language_set(user=request.user, language=form.cleaned_data["language"])
        # The message and every page from now on speak the language just chosen.
        translation.activate(request.user.language)
        messages.success(request, _("Ihr Profil ist gespeichert."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


@signed_in_required
@require_POST
def consent_change(request, purpose):
    if purpose not in Consent.Purpose.values:
        raise Http404
    action = request.POST.get("action")
    if action == "give":
        services.consent_give(user=request.user, purpose=purpose)
        messages.success(request, _("Ihre Einwilligung ist gespeichert."))
    elif action == "withdraw":
        if purpose == Consent.Purpose.PARTNER_SHARING and request.POST.get("confirmed") != "yes":
            # It ends running Tandems for good: said first, and withdrawn only once confirmed.
            return render(request, "accounts/consent_withdraw.html", {"purpose": purpose,
                                                                      "label": Consent.Purpose(purpose).label})
        services.consent_withdraw(user=request.user, purpose=purpose)
        messages.success(request, _("Ihre Einwilligung ist widerrufen."))
    return redirect("accounts:profile")


@signed_in_required
def withdraw_registration(request):
    registration = Registration.objects.filter(user=request.user).first()
    if not services.registration_may_withdraw(registration):
        raise Http404
    form = WithdrawRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.registration_withdraw(user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Ihre Anmeldung ist zurückgezogen."))
        return redirect("accounts:profile")
    return render(request, "accounts/registration_withdraw.html", {"form": form})


@signed_in_required
def data_export(request):
    return export_download(request.user, filename=f"meine-daten-{timezone.localdate().isoformat()}.json")


@signed_in_required
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.user_delete(user=user)
        messages.success(request, _("Ihr Konto und Ihre Daten sind gelöscht."))
        return redirect("home")
    # The Zeitnachweis is a Mentor*in's; a mentee's page offered it and led to a 404.
    profile = Profile.objects.filter(user=request.user).only("role").first()
    return render(request, "accounts/account_delete.html",
                  {"form": form, "is_mentor": profile is not None and profile.is_mentor})


@require_POST
def language_set(request):
    """The header's language switch (Django's set_language); a logged-in person keeps the choice."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_language_set(user=request.user, language=language)
    return response
