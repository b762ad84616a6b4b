"""Participants' Tandem pages: overview, one Tandem with its meeting log, reports, time statement."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import approved_participant_required, login_redirect
from accounts.models import Profile
from mentoring.kernel.files import download
from mentoring.kernel.forms import add_service_error
from mentoring.kernel.limits import refused_too_often

from . import selectors, services
from .access import (
    access_agreement,
    access_checkin,
    access_meeting,
    access_member_tandem,
    access_problem_report,
    access_review,
    access_statement_profile,
    access_tandem,
)
from .forms import AgreementForm, CheckInForm, MeetingChangeForm, MeetingForm, NoteForm, ProblemReportForm, ReviewForm
from .models import goal_names, person_name
from .reasons import readable


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
        "ended": [t for t in tandems if not t.is_active], "time": time, "year": year,
        "mentor_only": profile is not None and profile.is_mentor and not profile.is_mentee})


def _page(request, tandem, *, meeting_form=None, report_form=None, status=200):
    own = tandem.profile_of(request.user)
    side = None if own is None else "mentee" if own.pk == tandem.mentee_id else "mentor"
    meetings = list(selectors.meetings_for_tandem(tandem=tandem, user=request.user))
    for meeting in meetings:
        meeting.actions = services.meeting_actions(meeting=meeting, user=request.user) if own else frozenset()
    partner = tandem.partner_of(own) if own else None
    contact_visible = selectors.contact_visible(tandem)
    counted = [m for m in meetings if m.state in selectors.COUNTED_STATES]
    return render(request, "matching/tandem_detail.html", {
        "tandem": tandem, "partner": partner, "side": side, "meetings": meetings,
        # Why they were matched is shared like the contact data; staff read it always.
        "reasons": readable(tandem.reasons) if contact_visible or own is None else [],
        "partner_name": person_name(partner), "is_member": own is not None, "contact_visible": contact_visible,
        "meeting_form": meeting_form or MeetingForm(initial={"date": timezone.localdate(), "format": "online"}),
        "report_form": report_form or ProblemReportForm(initial={"kind": "problem"}, tandem=tandem),
        "reports": list(selectors.reports_by(tandem=tandem, user=request.user)) if own else [],
        "counted_meetings": len(counted), "total_minutes": sum(m.duration_minutes for m in counted),
        "edit_window_days": settings.MEETING_EDIT_WINDOW_DAYS, "confirm_days": settings.MEETING_CONFIRM_DAYS,
        **_purpose(request, tandem, own),
    }, status=status)


def _purpose(request, tandem, own) -> dict:
    """The Tandem page's Vereinbarung, the member's open Kurzbefragung and closing review."""
    current, pending = services.agreement_current(tandem), services.agreement_pending(tandem)
    return {"agreement": current, "agreement_goals": current.goal_rows() if current else [],
            "pending": pending, "pending_goals": pending.goal_rows() if pending else [],
            "may_confirm": services.agreement_may_confirm(agreement=pending, user=request.user),
            **services.member_tasks(tandem=tandem, user=request.user)}


@approved_participant_required
def tandem_detail(request, pk):
    return _page(request, access_tandem(request.user, pk))


def _submit(request, pk, *, form_class, action, anchor: str, done: str, form_name: str, limit: str):
    """A member sends one of the Tandem page's forms; a refusal shows on the form, and nothing is saved. Each
    mails someone: ``limit`` names its rate (``kernel.limits``)."""
    tandem = access_member_tandem(request.user, pk)
    if request.method != "POST":
        return redirect(f"{services.tandem_path(tandem)}#{anchor}")
    form = form_class(request.POST, tandem=tandem)
    if form.is_valid() and (refusal := refused_too_often(request, limit)):
        form.add_error(None, refusal)
        return _page(request, tandem, status=429, **{form_name: form})
    if form.is_valid():
        try:
            action(tandem=tandem, by=request.user, **form.cleaned_data)
        except services.MatchingError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect(services.tandem_path(tandem))
    return _page(request, tandem, status=400, **{form_name: form})


@approved_participant_required
def meeting_create(request, pk):
    return _submit(request, pk, form_class=MeetingForm, action=services.meeting_log, anchor="treffen-eintragen",
                   form_name="meeting_form", limit="tandem_meeting",
                   done=_("Das Treffen wurde eingetragen. Ihr*e Tandempartner*in kann es jetzt bestätigen oder "
                          "korrigieren."))


def _member_meeting(request, pk, meeting_pk) -> tuple:
    tandem = access_member_tandem(request.user, pk)
    meeting = access_meeting(request.user, tandem, meeting_pk)
    meeting.actions = services.meeting_actions(meeting=meeting, user=request.user)
    return tandem, meeting


def _meeting_page(request, tandem, meeting, *, change_form=None, note_form=None, status=200):
    own_note = meeting.own_notes[0].text if meeting.own_notes else ""
    initial = {"date": meeting.date, "duration_minutes": meeting.duration_minutes, "format": meeting.format,
               "topics": [t.pk for t in meeting.topics.all()]}
    return render(request, "matching/meeting_detail.html", {
        "tandem": tandem, "meeting": meeting, "is_author": meeting.logged_by_id == request.user.pk,
        "change_form": change_form or MeetingChangeForm(initial=initial),
        "note_form": note_form or NoteForm(initial={"text": own_note}),
        "editable_until": services.meeting_editable_until(meeting),
        "confirm_until": services.meeting_counts_from(meeting),
        "edit_window_days": settings.MEETING_EDIT_WINDOW_DAYS, "confirm_days": settings.MEETING_CONFIRM_DAYS,
    }, status=status)


def _meeting_path(tandem, meeting) -> str:
    return reverse("matching:meeting_detail", args=[tandem.pk, meeting.pk])


def _submit_on_meeting(request, pk, meeting_pk, *, form_class, save, form_name: str, limit: str | None = None):
    """A member sends one of the meeting page's forms; a refusal shows on the form, and nothing is saved.

    ``save(tandem, meeting, data)`` carries it out and answers the confirmation and the page to go on to. A form
    that mails the partner names its rate, ``limit`` (``kernel.limits``).
    """
    tandem, meeting = _member_meeting(request, pk, meeting_pk)
    if request.method != "POST":
        return redirect(_meeting_path(tandem, meeting))
    form = form_class(request.POST, tandem=tandem, meeting=meeting)
    if limit and form.is_valid() and (refusal := refused_too_often(request, limit)):
        form.add_error(None, refusal)
        return _meeting_page(request, tandem, meeting, status=429, **{form_name: form})
    if form.is_valid():
        try:
            done, next_url = save(tandem, meeting, form.cleaned_data)
        except services.MatchingError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect(next_url)
    return _meeting_page(request, tandem, meeting, status=400, **{form_name: form})


@approved_participant_required
def meeting_detail(request, pk, meeting_pk):
    tandem, meeting = _member_meeting(request, pk, meeting_pk)
    return _meeting_page(request, tandem, meeting)


@approved_participant_required
def meeting_change(request, pk, meeting_pk):
    """The author edits their entry, or the partner corrects it (which confirms it as corrected)."""
    def change(tandem, meeting, data):
        if meeting.logged_by_id == request.user.pk:  # the author edits (the service says when they no longer may)
            services.meeting_edit(meeting=meeting, by=request.user, **data)
            return _("Der Eintrag wurde geändert."), services.tandem_path(tandem)
        services.meeting_correct(meeting=meeting, by=request.user, **data)
        return _("Das Treffen ist mit Ihrer Korrektur bestätigt."), services.tandem_path(tandem)

    return _submit_on_meeting(request, pk, meeting_pk, form_class=MeetingChangeForm, save=change,
                              form_name="change_form", limit="tandem_meeting")


def _decide(request, pk, meeting_pk, decide, done: str, done_after_end: str | None = None, mails: str = ""):
    """A member answers an entry with a button. An answer that mails the other member (``mails``, the action's
    name in ``meeting_actions``) counts against the rate of meeting entries while it is allowed."""
    tandem, meeting = _member_meeting(request, pk, meeting_pk)
    if request.method != "POST":
        return redirect(_meeting_path(tandem, meeting))
    if mails in meeting.actions and (refusal := refused_too_often(request, "tandem_meeting", typed=False)):
        messages.error(request, refusal)
        return _meeting_page(request, tandem, meeting, status=429)
    try:
        decide(meeting=meeting, by=request.user)
    except services.MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done if tandem.is_active or done_after_end is None else done_after_end)
    return redirect(services.tandem_path(tandem))


@approved_participant_required
def confirm_meeting(request, pk, meeting_pk):
    return _decide(request, pk, meeting_pk, services.meeting_confirm, _("Das Treffen ist bestätigt."))


@approved_participant_required
def object_to_meeting(request, pk, meeting_pk):
    return _decide(request, pk, meeting_pk, services.meeting_object, mails="object",
                   done=_("Sie haben dem Eintrag widersprochen. Er zählt nicht, bis er geändert oder bestätigt ist."),
                   done_after_end=_("Sie haben dem Eintrag widersprochen. Das Tandem ist beendet: Der Eintrag bleibt "
                                    "so und zählt nicht."))


@approved_participant_required
def delete_meeting(request, pk, meeting_pk):
    if request.method == "POST" and request.POST.get("confirmed") != "yes":
        # Gone for good with the private note on it: said first, deleted once confirmed.
        tandem, meeting = _member_meeting(request, pk, meeting_pk)
        if "delete" in meeting.actions:
            return render(request, "matching/meeting_delete.html", {"tandem": tandem, "meeting": meeting})
    return _decide(request, pk, meeting_pk, services.meeting_delete, _("Der Eintrag wurde gelöscht."), mails="delete")


@approved_participant_required
def meeting_note(request, pk, meeting_pk):
    def note(tandem, meeting, data):
        services.meeting_note_set(meeting=meeting, by=request.user, text=data["text"])
        return _("Ihre private Notiz ist gespeichert."), _meeting_path(tandem, meeting)

    return _submit_on_meeting(request, pk, meeting_pk, form_class=NoteForm, save=note, form_name="note_form")


@approved_participant_required
def send_report(request, pk):
    return _submit(request, pk, form_class=ProblemReportForm, action=services.problem_report, anchor="anliegen",
                   form_name="report_form", limit="tandem_report",
                   done=_("Ihre Nachricht ist bei der Koordination angekommen. Wir melden uns bei Ihnen."))


@approved_participant_required
def report_detail(request, pk, report_pk):
    """The reporter reads their report, its state and the Koordination's replies."""
    tandem = access_member_tandem(request.user, pk)
    report = access_problem_report(request.user, tandem, report_pk)
    return render(request, "matching/report_detail.html", {"tandem": tandem, "report": report})


@approved_participant_required
def statement_pdf(request, year):
    profile = access_statement_profile(request.user, year)
    content = services.mentoring_statement_pdf(profile=profile, year=year)
    return download(content, content_type="application/pdf", filename=f"mentoringzeit-{year}.pdf")


def _agreement_page(request, tandem, *, form=None, status=200):
    current, pending = services.agreement_current(tandem), services.agreement_pending(tandem)
    base = pending or current
    if form is None:
        initial = AgreementForm.initial_from(base) if base else {"planned_end": services.agreement_default_end(tandem),
                                                                 "frequency": "monthly", "meeting_form": "online"}
        form = AgreementForm(initial=initial, topics=services.goal_topics(tandem))
    versions = list(tandem.agreements.select_related("drafted_by", "confirmed_by").order_by("-version"))
    names = goal_names(versions)
    for version in versions:
        version.rows = version.goal_rows(names)
    return render(request, "matching/agreement.html", {
        "tandem": tandem, "form": form, "current": current, "pending": pending, "versions": versions,
        "may_draft": services.agreement_may_draft(tandem=tandem, user=request.user),
        "min_goals": services.MIN_GOALS, "max_goals": services.MAX_GOALS}, status=status)


@approved_participant_required
def agreement(request, pk):
    """Either partner drafts the Vereinbarung or an amendment; the history lists every version."""
    tandem = access_member_tandem(request.user, pk)
    if request.method != "POST":
        return _agreement_page(request, tandem)
    if not services.agreement_may_draft(tandem=tandem, user=request.user):
        # The Tandem ended while the page was open: say so (a redirect alone lost the draft without a word).
        messages.error(request, _("Das Tandem ist beendet; die Vereinbarung bleibt so, wie sie zuletzt bestätigt "
                                  "wurde. Ihr Entwurf ist nicht gespeichert."))
        return redirect(services.tandem_path(tandem) + "#vereinbarung")
    form = AgreementForm(request.POST, tandem=tandem, topics=services.goal_topics(tandem))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_draft(tandem=tandem, by=request.user, goals=data["goals"], frequency=data["frequency"],
                                     meeting_form=data["meeting_form"], planned_end=data["planned_end"],
                                     confidential=data["confidential"])
        except services.MatchingError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Der Entwurf ist gespeichert. Ihr*e Tandempartner*in bestätigt ihn."))
            return redirect(services.tandem_path(tandem) + "#vereinbarung")
    return _agreement_page(request, tandem, form=form, status=400)


@approved_participant_required
def confirm_agreement(request, pk, agreement_pk):
    tandem = access_member_tandem(request.user, pk)
    draft = access_agreement(tandem, agreement_pk)
    if request.method == "POST":
        try:
            services.agreement_confirm(agreement=draft, by=request.user)
        except services.MatchingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Die Mentoring-Vereinbarung ist bestätigt."))
    return redirect(services.tandem_path(tandem) + "#vereinbarung")


def checkin(request, pk, checkin_pk):
    """A partner's Kurzbefragung: after login for its person, or once through the mail's signed link."""
    token = request.POST.get("token") or request.GET.get("token") or ""
    if not token and not request.user.is_authenticated:
        return login_redirect(request)
    try:
        entry, by_token = access_checkin(request.user, pk, checkin_pk, token=token)
    except services.MatchingError as error:
        return render(request, "matching/checkin_done.html", {"message": str(error), "refused": True}, status=403)
    if closed := services.checkin_closed_because(entry):
        return render(request, "matching/checkin_done.html", {"message": closed, "tandem": entry.tandem})
    goals = services.checkin_goals(entry)
    form = CheckInForm(request.POST if request.method == "POST" else None, goals=goals, first=entry.number == 1)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.checkin_answer(checkin=entry, user=entry.user, rating=data["rating"], met=data["met"],
                                    progress=form.progress(), comment=data["comment"], by_token=by_token)
        except services.MatchingError as error:
            add_service_error(form, error)
        else:
            if by_token:
                return render(request, "matching/checkin_done.html", {
                    "message": _("Vielen Dank! Ihre Antworten sind bei der Koordination angekommen.")})
            messages.success(request, _("Vielen Dank! Ihre Antworten sind bei der Koordination angekommen."))
            return redirect(services.tandem_path(entry.tandem))
    return render(request, "matching/checkin.html", {"checkin": entry, "form": form, "token": token if by_token
                                                     else "", "tandem": entry.tandem, "logged_in": not by_token},
                  status=400 if form.is_bound else 200)


@approved_participant_required
def review(request, pk, review_pk):
    """A partner's closing review of an ended Tandem; only its person opens it."""
    tandem = access_member_tandem(request.user, pk)
    entry = access_review(request.user, tandem, review_pk)
    if entry.is_answered:
        return render(request, "matching/review.html", {"tandem": tandem, "review": entry, "form": None})
    form = ReviewForm(request.POST if request.method == "POST" else None, goals=services.review_goals(entry),
                      early=entry.early)
    if form.is_bound and form.is_valid():
        try:
            services.review_answer(review=entry, user=request.user, **form.answers())
        except services.MatchingError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Vielen Dank für Ihren Rückblick! Ihre Teilnahmebescheinigung können Sie "
                                        "hier herunterladen."))
            return redirect(services.tandem_path(tandem))
    return render(request, "matching/review.html", {"tandem": tandem, "review": entry, "form": form},
                  status=400 if form.is_bound else 200)


@approved_participant_required
def certificate(request, pk):
    """The certificate of participation of an ended Tandem, for each of its two partners."""
    tandem = access_member_tandem(request.user, pk)
    try:
        pdf = services.certificate_pdf(tandem=tandem, user=request.user)
    except services.MatchingError:  # the Tandem still runs: there is no certificate yet
        raise Http404 from None
    # Whose and when, so that a folder tells certificates apart (they were "teilnahmebescheinigung-tandem-16").
    ended = timezone.localdate(tandem.ended_at).isoformat()
    name = slugify(request.user.get_full_name())[:60]  # empty for a name in another script: then the date alone
    return download(pdf, content_type="application/pdf",
                    filename="-".join(filter(None, ["teilnahmebescheinigung", name, ended])) + ".pdf")
