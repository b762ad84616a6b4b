"""Site-wide pages: start, privacy notice, the barrier report form, sign language, health check (the Impressum
and Leichte Sprache are templates only, served by TemplateView)."""
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from events.selectors import upcoming_events_for_home
from mentoring.kernel.files import ranged_file_response

from . import health, selectors
from .access import access_sign_language_video
from .forms import BarrierReportForm
from .services import barrier_report_submit
from .uploads import served_type_for_name

# The path word of each file of a sign-language video → its model field.
SIGN_LANGUAGE_FILES = {"video": "video", "vorschaubild": "poster", "untertitel": "captions"}


def home(request):
    return render(request, "pages/home.html", {"upcoming_events": upcoming_events_for_home(user=request.user)})


def datenschutz(request):
    periods = {name.lower(): getattr(settings, name) for name in (
        "OUTBOX_RETENTION_DAYS", "CLOSED_REGISTRATION_RETENTION_DAYS", "UNCONFIRMED_ACCOUNT_RETENTION_DAYS",
        "RETENTION_NOTICE_DAYS", "BARRIER_REPORT_RETENTION_DAYS", "EVENT_NOTE_RETENTION_DAYS")}
    return render(request, "pages/datenschutz.html", periods)


def barrierefreiheit(request):
    form = BarrierReportForm(request.POST or None)
    if request.method == "POST" and (form.filled_by_bot() or form.is_valid()):
        if form.filled_by_bot() or barrier_report_submit(request=request, **form.cleaned_data):
            messages.success(request, _("Danke! Ihre Meldung ist bei uns eingegangen. Wir antworten innerhalb von "
                                        "zwei Wochen.") if form.filled_by_bot() or form.cleaned_data.get("email")
                             else _("Danke! Ihre Meldung ist bei uns eingegangen. Da Sie keine E-Mail-Adresse "
                                    "angegeben haben, können wir Ihnen nicht antworten."))
            return redirect("barrierefreiheit")
        # The form again with what was typed (a redirect lost it), and the way around the limit.
        form.add_error(None, _("Zu viele Meldungen in kurzer Zeit. Bitte versuchen Sie es später erneut oder "
                               "schreiben Sie uns eine E-Mail an %(email)s.")
                       % {"email": settings.PROGRAMME_CONTACT_EMAIL})
        return render(request, "pages/barrierefreiheit.html", {"form": form}, status=429)
    return render(request, "pages/barrierefreiheit.html", {"form": form})


def gebaerdensprache(request):
    videos = list(selectors.published_sign_language_videos())
    if not videos:
        raise Http404
    return render(request, "pages/gebaerdensprache.html", {"videos": videos})


@require_safe
def sign_language_file(request, pk, kind):
    """A video's file with byte ranges (browsers seek in video); public once published, staff before."""
    if kind not in SIGN_LANGUAGE_FILES:
        raise Http404
    video = access_sign_language_video(request.user, pk)
    stored = getattr(video, SIGN_LANGUAGE_FILES[kind])
    if not stored:
        raise Http404
    return ranged_file_response(
        request, stored, content_type=served_type_for_name(stored.name),
        cache_control="public, max-age=3600" if video.published else "private, no-store")


@never_cache
@require_safe
def healthz(request):
    """200 while the database answers, 503 when it does not: a load balancer takes out only a server
    that cannot serve. Redis and the beat are reported in the body (a Redis outage degrades, the
    site still answers; a late beat delays mail) for monitoring to alert on, never to take servers out."""
    state = {"database": health.database_state()}
    if state["database"] != "ok":
        return JsonResponse(state, status=503)
    state.update(redis=health.redis_state(), beat=health.beat_state())
    return JsonResponse(state)


def csrf_failure(request, reason=""):
    """A form whose security token no longer fits (the page stood open across a login, a logout or a long pause):
    the site's page in the reader's language says what happened and leads back to the form's page, where the
    browser's back button usually still holds what was typed (Django's own page is bare and English-framed)."""
    referer = request.META.get("HTTP_REFERER", "")
    path = urlsplit(referer).path if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()) else ""
    # Only a path of this site: "//evil.example/x" or "/\evil.example" in the Referer's path leads to another host.
    back = path if url_has_allowed_host_and_scheme(path, allowed_hosts=set()) and path.startswith("/") else ""
    return render(request, "403_csrf.html", {"back": back}, status=403)
