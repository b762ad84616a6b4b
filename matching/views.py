"""Participants' Tandem pages: overview, one Tandem with its meeting log, reports, time statement."""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import approved_participant_required
from accounts.models import Profile

from . import selectors, services
from .forms import MeetingForm, ProblemReportForm


def _profile(user) -> Profile | None:
    return Profile.objects.filter(user=user).select_related("organisation").first()


@approved_participant_required
def tandem_list(request):
    profile = _profile(request.user)
    tandems = list(selectors.tandems_for_user(user=request.user))
    year = timezone.localdate().year
    time = services.mentoring_time(profile=profile, year=year) if profile and profile.is_mentor else None
    return render(request, "matching/tandem_list.html", {
        "active": [t for t in tandems if t.is_active],
        "ended": [t for t in tandems if not t.is_active], "time": time, "year": year})


def _partner(tandem, user) -> Profile | None:
    """The other member of the Tandem, or None when ``user`` is not one of the two (staff reading)."""
    if user.pk == tandem.mentee.user_id:
        return tandem.mentor
    if user.pk == tandem.mentor.user_id:
        return tandem.mentee
    return None


def _page(request, tandem, *, meeting_form=None, report_form=None, status=200):
    partner = _partner(tandem, request.user)
    meetings = list(selectors.meetings_for_tandem(tandem=tandem))
    return render(request, "matching/tandem_detail.html", {
        "tandem": tandem, "partner": partner, "meetings": meetings,
        "is_member": partner is not None,
        "meeting_form": meeting_form or MeetingForm(initial={"date": timezone.localdate(), "format": "online"}),
        "report_form": report_form or ProblemReportForm(initial={"kind": "problem"}),
        "total_minutes": sum(m.duration_minutes for m in meetings),
    }, status=status)


@approved_participant_required
def tandem_detail(request, pk):
    return _page(request, selectors.tandem_for_user(user=request.user, pk=pk))


def _member_tandem(request, pk):
    tandem = selectors.tandem_for_user(user=request.user, pk=pk)
    if _partner(tandem, request.user) is None:
        raise Http404  # staff read Tandems in admin; only members write here
    return tandem


@approved_participant_required
def meeting_create(request, pk):
    tandem = _member_tandem(request, pk)
    if request.method != "POST":
        return redirect(f"{services.tandem_path(tandem)}#treffen-eintragen")
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_log(tandem=tandem, by=request.user, **form.cleaned_data)
        except services.MatchingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Das Treffen wurde eingetragen."))
            return redirect(services.tandem_path(tandem))
    return _page(request, tandem, meeting_form=form, status=400)


@approved_participant_required
def report_create(request, pk):
    tandem = _member_tandem(request, pk)
    if request.method != "POST":
        return redirect(f"{services.tandem_path(tandem)}#anliegen")
    form = ProblemReportForm(request.POST)
    if form.is_valid():
        try:
            services.problem_report(tandem=tandem, by=request.user, **form.cleaned_data)
        except services.MatchingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ihre Nachricht ist bei der Koordination angekommen. Wir melden uns bei "
                                        "Ihnen."))
            return redirect(services.tandem_path(tandem))
    return _page(request, tandem, report_form=form, status=400)


@approved_participant_required
def statement_pdf(request, year):
    profile = _profile(request.user)
    if profile is None or not profile.is_mentor or not 2020 <= year <= timezone.localdate().year:
        raise Http404
    content = services.mentoring_statement_pdf(profile=profile, year=year)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mentoringzeit-{year}.pdf"'
    return response
