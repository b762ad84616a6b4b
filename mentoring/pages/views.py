"""Site-wide pages: start, legal pages, the barrier report form, health check."""
from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from events.selectors import upcoming_events_for_home

from .forms import BarrierReportForm
from .services import barrier_report_submit


def home(request):
    return render(request, "pages/home.html", {"upcoming_events": upcoming_events_for_home(user=request.user)})


def impressum(request):
    return render(request, "pages/impressum.html")


def datenschutz(request):
    periods = {name.lower(): getattr(settings, name) for name in (
        "OUTBOX_RETENTION_DAYS", "CLOSED_REGISTRATION_RETENTION_DAYS", "UNCONFIRMED_ACCOUNT_RETENTION_DAYS",
        "RETENTION_NOTICE_DAYS", "BARRIER_REPORT_RETENTION_DAYS")}
    return render(request, "pages/datenschutz.html", periods)


def barrierefreiheit(request):
    form = BarrierReportForm(request.POST or None)
    if request.method == "POST" and (form.filled_by_bot() or form.is_valid()):
        if form.filled_by_bot() or barrier_report_submit(request=request, **form.cleaned_data):
            messages.success(request, _("Danke! Ihre Meldung ist bei uns eingegangen. Wir antworten innerhalb von "
                                        "zwei Wochen.") if form.filled_by_bot() or form.cleaned_data.get("email")
                             else _("Danke! Ihre Meldung ist bei uns eingegangen. Da Sie keine E-Mail-Adresse "
                                    "angegeben haben, können wir Ihnen nicht antworten."))
        else:
            messages.error(request, _("Zu viele Meldungen in kurzer Zeit. Bitte versuchen Sie es später erneut "
                                      "oder schreiben Sie uns eine E-Mail."))
        return redirect("barrierefreiheit")
    return render(request, "pages/barrierefreiheit.html", {"form": form})


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return HttpResponse("ok", content_type="text/plain")
