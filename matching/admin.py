"""Staff run the matching here: weights, runs with proposals and reasons, decisions, Tandems, reports."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_search import person_search_fields
from accounts.models import Profile, topic_names
from accounts.staff_groups import staff_may
from mentoring.kernel.admin_inlines import CaseAdmin, RecordInline
from mentoring.kernel.files import download
from mentoring.kernel.params import parse_id
from mentoring.kernel.privacy import FORMER_PARTICIPANT

from . import selectors, services
from .access import access_tandem
from .forms import ConfirmForm, EndForm, RejectForm
from .models import (
    Agreement,
    CheckIn,
    ClosingReview,
    MatchingSettings,
    MatchRun,
    Meeting,
    PairRule,
    ProblemReport,
    Progress,
    Proposal,
    Tandem,
    person_name,
)
from .reasons import Labels, Sentences, readable

PROPOSALS_PER_PAGE = 200


def proposal_rows(run: MatchRun, rows) -> list[dict]:
    """One page of a run's proposals (dicts of ``selectors.PROPOSAL_PAGE_FIELDS``) ready to show:
    names, figures, status and reasons as text in the active language, made once per page in
    Python so that the template only prints them."""
    rows = list(rows)
    if not rows:
        return []
    name = selectors.user_label
    profile_ids = [r["mentee_id"] for r in rows] + [r["mentor_id"] for r in rows]
    people = {pk: (name(p["user__first_name"], p["user__last_name"], p["user__email"]),
                   f"{p['organisation__name']}, {p['organisation__federal_state__name']}")
              for pk, p in selectors.people_rows(profile_ids).items()}
    sentences = Sentences(Labels.load())
    statuses = {value: str(label) for value, label in Proposal.Status.choices}
    select = gettext("%(mentee)s mit %(mentor)s auswählen")
    # The options page of a mentee is .../mentee/<profile pk>/: reversed once, not once a row.
    options_prefix = reverse("admin:matching_matchrun_options", args=[run.pk, 0]).removesuffix("0/")
    for row in rows:
        (mentee, mentee_place), (mentor, mentor_place) = people[row["mentee_id"]], people[row["mentor_id"]]
        is_open = row["status"] == Proposal.Status.OPEN
        decided = ""
        if row["decided_by__email"] is not None:
            when = date_format(localtime(row["decided_at"]), "SHORT_DATETIME_FORMAT") if row["decided_at"] else ""
            by = name(row["decided_by__first_name"], row["decided_by__last_name"], row["decided_by__email"])
            decided = f"{by}, {when}"
        row.update(
            mentee=mentee, mentor=mentor, mentee_place=mentee_place, mentor_place=mentor_place, is_open=is_open,
            select_label=select % {"mentee": mentee, "mentor": mentor}, decided=decided,
            score_text=sentences.figure(row["score"]), status_text=statuses.get(row["status"], row["status"]),
            reason_items=sentences.items(row["reasons"]),
            options_url=f"{options_prefix}{row['mentee_id']}/" if is_open else "")
    return rows


@admin.display(description=_("Gründe"))
def reason_list(obj):
    """The stored reasons of a Proposal or Tandem, as one line."""
    return "; ".join(r["text"] for r in readable(obj.reasons))


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(admin.ModelAdmin):
    """One settings object: the list page leads straight to it."""

    fieldsets = (
        (_("Gewichte der Kriterien"), {"fields": ("topics", "organisation", "size", "region", "meeting_format",
                                                  "language", "funding")}),
        (_("Lauf"), {"fields": ("slot_penalty", "sync_limit")}),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = MatchingSettings.load()
        return HttpResponseRedirect(reverse("admin:matching_matchingsettings_change", args=[obj.pk]))


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "progress", "mentee_count", "mentor_count", "matched_count",
                    "created_by", "duration_ms"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    change_list_template = "admin/matching/matchrun/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("starten/", view(self.start_view), name="matching_matchrun_start"),
            path("<int:pk>/vorschlaege/", view(self.proposals_view), name="matching_matchrun_proposals"),
            path("<int:pk>/mentee/<int:profile_pk>/", view(self.options_view), name="matching_matchrun_options"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._may_see(request)
        pk = parse_id(object_id)
        if pk is None:
            raise Http404
        return HttpResponseRedirect(reverse("admin:matching_matchrun_proposals", args=[pk]))

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

    def _may_see(self, request):
        """The proposals and options name mentees and mentors: only for who may read match runs."""
        if not self.has_view_permission(request):
            raise PermissionDenied

    def start_view(self, request):
        if not staff_may(request.user, "matching.add_tandem"):
            raise PermissionDenied
        if request.method != "POST":
            return TemplateResponse(request, "admin/matching/matchrun/start.html", self._context(
                request, _("Matching starten"), config=MatchingSettings.load(),
                replaced=selectors.open_proposals_counts()))
        run = services.match_run_start(by=request.user)
        if run.status == MatchRun.Status.FAILED:
            messages.error(request, _("Der Lauf ist fehlgeschlagen: %s") % run.error)
        elif run.status == MatchRun.Status.DONE:
            messages.success(request, _("%(matched)d von %(total)d Mentees haben einen Vorschlag.")
                             % {"matched": run.matched_count, "total": run.mentee_count})
        else:
            messages.info(request, _("Der Lauf ist groß und wird im Hintergrund berechnet."))
        return HttpResponseRedirect(reverse("admin:matching_matchrun_proposals", args=[run.pk]))

    def proposals_view(self, request, pk):
        self._may_see(request)
        run = get_object_or_404(MatchRun, pk=pk)
        confirm_form, reject_form = ConfirmForm(), RejectForm()
        if request.method == "POST":
            if not staff_may(request.user, "matching.add_tandem"):
                raise PermissionDenied
            selected = [pk for pk in map(parse_id, request.POST.getlist("proposal")) if pk is not None]
            chosen = list(selectors.proposals_for_run(run=run).filter(pk__in=selected, status=Proposal.Status.OPEN))
            if not chosen and selected and MatchRun.objects.filter(pk__gt=run.pk).exists():
                # A tab left open on an older run: its proposals were superseded by the newer one.
                messages.warning(request, _("Dieser Lauf ist durch einen neueren ersetzt. Bitte entscheiden Sie im "
                                            "neuesten Lauf."))
            elif not chosen and selected:
                messages.warning(request, _("Über die gewählten Vorschläge ist inzwischen entschieden; die Liste zeigt "
                                            "wie."))
            elif not chosen:
                messages.warning(request, _("Bitte wählen Sie mindestens einen offenen Vorschlag aus."))
            elif "reject" in request.POST:
                reject_form = RejectForm(request.POST)
                if reject_form.is_valid():
                    rejected, errors = services.proposals_reject(
                        proposals=chosen, by=request.user, note=reject_form.cleaned_data["note"])
                    if rejected:
                        messages.success(request, ngettext(
                            "%(n)d Vorschlag abgelehnt; dieses Paar wird nicht wieder vorgeschlagen.",
                            "%(n)d Vorschläge abgelehnt; diese Paare werden nicht wieder vorgeschlagen.",
                            len(rejected)) % {"n": len(rejected)})
                    for error in errors:
                        messages.error(request, error)
                    return HttpResponseRedirect(request.path)
            else:
                confirm_form = ConfirmForm(request.POST)
                if confirm_form.is_valid():
                    tandems, errors = services.proposals_confirm(
                        proposals=chosen, by=request.user, message=confirm_form.cleaned_data["message"])
                    if tandems:
                        messages.success(request, ngettext(
                            "%(n)d Tandem bestätigt; beide Seiten erhalten eine E-Mail.",
                            "%(n)d Tandems bestätigt; beide Seiten jedes Tandems erhalten eine E-Mail.",
                            len(tandems)) % {"n": len(tandems)})
                    for error in errors:
                        messages.error(request, error)
                    return HttpResponseRedirect(request.path)
        page = Paginator(selectors.proposal_page_rows(run=run), PROPOSALS_PER_PAGE).get_page(request.GET.get("seite"))
        proposals = proposal_rows(run, page.object_list)
        summary = run.summary or {}
        # Names are looked up now, not stored, so an erased account shows as a former participant.
        unmatched = summary.get("unmatched") or []
        names = {p.pk: str(p.user) for p in Profile.objects.filter(
            pk__in=[item["mentee"] for item in unmatched]).select_related("user")}
        summary = {**summary, "unmatched": [
            {**item, "name": names.get(item["mentee"], str(FORMER_PARTICIPANT)), "exists": item["mentee"] in names}
            for item in unmatched], "skipped_pins": skipped_pins_in_words(summary.get("skipped_pins") or [])}
        return TemplateResponse(request, "admin/matching/matchrun/proposals.html", self._context(
            request, str(run), run=run, proposals=proposals, page=page, summary=summary,
            confirm_form=confirm_form, reject_form=reject_form,
            running=run.status in (MatchRun.Status.PENDING, MatchRun.Status.RUNNING),
            weights=[(MatchingSettings._meta.get_field(name).verbose_name, value)
                     for name, value in run.weights.items()]))

    def options_view(self, request, pk, profile_pk):
        self._may_see(request)
        run = get_object_or_404(MatchRun, pk=pk)
        mentee = get_object_or_404(Profile.objects.select_related("user", "organisation"), pk=profile_pk)
        if not mentee.is_mentee:  # only a mentee has Mentor*innen to choose from
            raise Http404
        if request.method == "POST":
            if not staff_may(request.user, "matching.add_tandem"):
                raise PermissionDenied
            mentor = get_object_or_404(Profile, pk=parse_id(request.POST.get("mentor")) or 0)
            try:
                services.proposal_choose(run=run, mentee=mentee, mentor=mentor, by=request.user)
            except services.MatchingError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("%(mentor)s ist jetzt der Vorschlag für %(mentee)s. Bitte bestätigen "
                                            "Sie ihn in der Liste.") % {"mentor": mentor.user, "mentee": mentee.user})
                others = services.open_proposals_of(run=run, mentors=[mentor], besides=mentee).get(mentor.pk, 0)
                free = services.capacity_left(mentor)
                if others >= free:
                    messages.warning(request, ngettext(
                        "%(mentor)s ist in diesem Lauf noch für %(others)s andere Person vorgeschlagen (freie "
                        "Plätze: %(free)s): Bestätigt werden können nur so viele, wie Plätze frei sind.",
                        "%(mentor)s ist in diesem Lauf noch für %(others)s andere Personen vorgeschlagen (freie "
                        "Plätze: %(free)s): Bestätigt werden können nur so viele, wie Plätze frei sind.",
                        others) % {"mentor": mentor.user, "free": free, "others": others})
                return HttpResponseRedirect(reverse("admin:matching_matchrun_proposals", args=[run.pk]))
        current = run.proposals.filter(mentee=mentee).exclude(status=Proposal.Status.SUPERSEDED).first()
        try:
            options = services.mentor_options(mentee=mentee)
            labels = Labels.load()
            proposed = services.open_proposals_of(run=run, mentors=[o["mentor"] for o in options], besides=mentee)
            for option in options:
                option["reasons"] = readable(option["reasons"], labels)
                option["proposed_elsewhere"] = proposed.get(option["mentor"].pk, 0)
        except services.MatchingError as error:
            messages.error(request, str(error))
            options = None
        return TemplateResponse(request, "admin/matching/matchrun/options.html", self._context(
            request, _("Mentor*innen für %(name)s") % {"name": mentee.user}, run=run, mentee=mentee,
            current=current, options=options,
            choose_refused=services.proposal_choose_refused_because(run=run, current=current)))


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "score", "status", "manual", "run", "decided_by", "decided_at"]
    list_filter = ["status", "manual"]
    search_fields = [*person_search_fields("mentee__user__", "mentee__organisation__name"),
                     *person_search_fields("mentor__user__", "mentor__organisation__name")]
    list_select_related = ["mentee__user", "mentor__user", "run", "decided_by"]
    readonly_fields = ["run", "mentee", "mentor", "score", reason_list, "manual", "status", "decided_by",
                       "decided_at", "decision_note"]
    exclude = ["reasons"]

    def has_add_permission(self, request):
        return False


PIN_REASONS = {
    "mentee_out": _("die Mentee ist nicht im Matching (nicht freigegeben, ohne Einwilligung oder schon "
                    "im Tandem)"),
    "mentor_out": _("der*die Mentor*in hat keinen freien Platz oder ist nicht verfügbar"),
    "rule": _("eine feste Regel schließt das Paar aus (Sprache, Format, gleiche Organisation oder "
              "Ausschluss)"),
    "full": _("alle Plätze als Mentor*in sind durch andere Festlegungen belegt"),
}


def skipped_pins_in_words(skipped: list[dict]) -> list[dict]:
    """Each Festlegung a run could not follow, with both names (looked up now) and why."""
    names = {p.pk: str(p.user) for p in Profile.objects.filter(
        pk__in=[pk for item in skipped for pk in (item["mentee"], item["mentor"])]).select_related("user")}
    return [{"mentee": names.get(item["mentee"], str(FORMER_PARTICIPANT)),
             "mentor": names.get(item["mentor"], str(FORMER_PARTICIPANT)),
             "why": str(PIN_REASONS.get(item.get("why"), _("nicht möglich")))} for item in skipped]


class PairRuleForm(forms.ModelForm):
    """A pin is checked like a confirmation, inside the admin's transaction; the error shows on the form."""

    class Meta:
        model = PairRule
        fields = ["mentee", "mentor", "kind", "note"]

    def clean(self):
        cleaned = super().clean()
        mentee, mentor, kind = cleaned.get("mentee"), cleaned.get("mentor"), cleaned.get("kind")
        # The same person on both sides is the model's own check (pair_rule_not_self): said once.
        if mentee and mentor and kind and mentee.pk != mentor.pk:
            try:
                services.pair_rule_check(mentee=mentee, mentor=mentor, kind=kind)
            except services.MatchingError as error:
                raise forms.ValidationError(str(error)) from error
        return cleaned


@admin.register(PairRule)
class PairRuleAdmin(admin.ModelAdmin):
    form = PairRuleForm
    list_display = ["mentee", "mentor", "kind", "note", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = [*person_search_fields("mentee__user__", "mentee__organisation__name"),
                     *person_search_fields("mentor__user__", "mentor__organisation__name")]
    # Found by name, organisation or e-mail as staff type (ProfileAdmin.search_fields), not by number.
    autocomplete_fields = ["mentee", "mentor"]
    list_select_related = ["mentee__user", "mentor__user", "created_by"]

    def save_model(self, request, obj, form, change):
        # The service checks again under the people's row locks and replaces the edited rule.
        rule = services.pair_rule_set(mentee=obj.mentee, mentor=obj.mentor, kind=obj.kind, by=request.user,
                                      note=obj.note, replacing=PairRule(pk=obj.pk) if change else None)
        obj.pk, obj.created_by, obj.created_at = rule.pk, rule.created_by, rule.created_at


class QuietFilter(admin.SimpleListFilter):
    title = _("Aktivität")
    parameter_name = "ruhig"

    def lookups(self, request, model_admin):
        return [("8", _("seit 8 Wochen nichts eingetragen"))]

    def queryset(self, request, queryset):
        if self.value() == "8":
            return queryset.filter(pk__in=selectors.quiet_tandems(days=selectors.QUIET_FLAG_DAYS).values("pk"))
        return queryset


class AgreementFilter(admin.SimpleListFilter):
    title = _("Mentoring-Vereinbarung")
    parameter_name = "vereinbarung"

    def lookups(self, request, model_admin):
        return [("fehlt", _("nach zwei Wochen noch nicht bestätigt"))]

    def queryset(self, request, queryset):
        if self.value() == "fehlt":
            return queryset.filter(pk__in=services.tandems_without_agreement().values("pk"))
        return queryset


def _page_topic_names(inline) -> dict[int, str]:
    """Every topic's name, read once per page: admin makes its inlines anew for each request, and the
    rows of a Tandem's agreements and check-ins name a handful of the few topics (no query per row)."""
    if not hasattr(inline, "_names"):
        inline._names = topic_names()
    return inline._names


class AgreementInline(RecordInline):
    model = Agreement
    fields = ["version", "goals_text", "frequency", "meeting_form", "planned_end", "drafted_at", "confirmed_at"]

    @admin.display(description=_("Ziele"))
    def goals_text(self, obj):
        return "; ".join(f"{goal['name']}: {goal['text']}" for goal in obj.goal_rows(_page_topic_names(self)))


class CheckInInline(RecordInline):
    """Each partner's answers: staff read them here, the partner never does."""

    model = CheckIn
    fields = ["number", "user", "due_on", "answered_at", "rating", "met", "progress_text", "comment"]

    @admin.display(description=_("Stand der Ziele"))
    def progress_text(self, obj):
        names, labels = _page_topic_names(self), dict(Progress.choices)
        return "; ".join(f"{names.get(int(topic), topic)}: {labels.get(state, state)}"
                         for topic, state in obj.progress.items()) or "–"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "tandem")


class ReviewInline(RecordInline):
    model = ClosingReview
    fields = ["user", "is_mentee", "early", "answered_at", "nps", "early_end_reason", "helped"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class MeetingInline(RecordInline):
    model = Meeting
    fields = ["date", "duration_minutes", "format", "status", "logged_by", "reviewed_by"]  # notes stay private

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("logged_by", "reviewed_by")


class ReportInline(RecordInline):
    model = ProblemReport
    fields = ["created_at", "kind", "reported_by", "text", "status", "assignee"]

    def get_queryset(self, request):
        # Each row shows the report's name, which names the Tandem and its two people.
        return super().get_queryset(request).select_related("reported_by", "assignee", "tandem__mentee__user",
                                                            "tandem__mentor__user")


@admin.register(Tandem)
class TandemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "started_at", "last_activity_at", "quiet", "open_reports"]
    list_filter = ["status", "programme_year", QuietFilter, AgreementFilter]
    search_fields = [*person_search_fields("mentee__user__", "mentee__organisation__name"),
                     *person_search_fields("mentor__user__", "mentor__organisation__name")]
    readonly_fields = ["mentee_side", "mentor_side", "status", "programme_year", "proposal", reason_list, "message",
                       "confirmed_by",
                       "started_at", "last_activity_at", "ended_at", "ended_by", "end_cause", "end_reason",
                       # Set by the action "neu ausstellen" (the service), never typed in by hand.
                       "certificate_issue", "certificate_issued_at"]
    exclude = ["reasons", "mentee", "mentor"]
    inlines = [AgreementInline, CheckInInline, ReviewInline, MeetingInline, ReportInline]
    actions = ["reissue_certificates"]

    @admin.action(description=_("Teilnahmebescheinigung neu ausstellen"), permissions=["change"])
    def reissue_certificates(self, request, queryset):
        done = running = 0
        for tandem in queryset:
            try:
                services.certificate_reissue(tandem=tandem, by=request.user)
                done += 1
            except services.MatchingError:  # the service's rule: only an ended Tandem has a certificate
                running += 1
        if done:
            self.message_user(request, _("Neu ausgestellt: %(count)d; beide Partner*innen laden die neue Fassung "
                                         "auf der Tandem-Seite herunter.") % {"count": done}, messages.SUCCESS)
        if running:
            self.message_user(request, ngettext(
                "%(count)d Tandem läuft noch und hat keine Teilnahmebescheinigung.",
                "%(count)d Tandems laufen noch und haben keine Teilnahmebescheinigung.", running) % {"count": running},
                messages.WARNING)

    @admin.display(description=_("Mentee"))
    def mentee_side(self, obj):
        return person_name(obj.mentee)

    @admin.display(description=_("Mentor*in"))
    def mentor_side(self, obj):
        return person_name(obj.mentor)

    def get_queryset(self, request):
        return selectors.tandems_for_admin()

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("ruhig?"))
    def quiet(self, obj):
        if obj.is_quiet:
            weeks = (timezone.now() - obj.last_activity_at).days // 7
            text = _("seit %(weeks)d Wochen nichts eingetragen") % {"weeks": weeks}
            return format_html("<strong>⚠ {}</strong>", text)
        return "–"

    @admin.display(description=_("offene Meldungen"), ordering="open_reports")
    def open_reports(self, obj):
        return obj.open_reports

    def get_urls(self):
        return [path("<int:pk>/beenden/", self.admin_site.admin_view(self.end_view),
                     name="matching_tandem_end"),
                path("<int:pk>/bescheinigung/<str:side>.pdf", self.admin_site.admin_view(self.certificate_view),
                     name="matching_tandem_certificate")] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pk = parse_id(object_id)
        if pk is not None:
            extra_context = {**(extra_context or {}), "end_url": reverse("admin:matching_tandem_end", args=[pk])}
        return super().change_view(request, object_id, form_url, extra_context)

    def end_view(self, request, pk):
        if not staff_may(request.user, "matching.change_tandem"):
            raise PermissionDenied
        tandem = get_object_or_404(selectors.tandems_for_admin(), pk=pk)
        if not tandem.is_active:
            messages.error(request, _("Dieses Tandem ist bereits beendet."))
            return HttpResponseRedirect(reverse("admin:matching_tandem_change", args=[tandem.pk]))
        form = EndForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.tandem_end(tandem=tandem, by=request.user, reason=form.cleaned_data["reason"])
            except services.MatchingError as refusal:  # a colleague ended it in the meantime
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("Das Tandem ist beendet; die*der Mentee ist wieder im Matching-Pool."))
            return HttpResponseRedirect(reverse("admin:matching_tandem_change", args=[tandem.pk]))
        return TemplateResponse(request, "admin/matching/tandem/end.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "tandem": tandem, "form": form,
            "title": _("Tandem beenden")})


    def certificate_view(self, request, pk, side):
        """Staff download either side's certificate of an ended Tandem (to send it again)."""
        if not staff_may(request.user, "matching.view_tandem"):
            raise Http404
        tandem = access_tandem(request.user, parse_id(pk))
        profile = {"mentee": tandem.mentee, "mentor": tandem.mentor}.get(side)
        if profile is None:
            raise Http404
        try:
            pdf = services.certificate_pdf(tandem=tandem, user=profile.user)
        except services.MatchingError:  # the Tandem still runs: there is no certificate yet
            raise Http404 from None
        return download(pdf, content_type="application/pdf",
                        filename=f"teilnahmebescheinigung-{tandem.pk}-{side}.pdf")


@admin.register(ProblemReport)
class ProblemReportAdmin(CaseAdmin):
    """A report is a case: status, assignee, internal notes, replies mailed to the reporter."""

    list_display = ["created_at", "kind", "tandem", "reported_by", "status", "assignee", "age"]
    list_filter = ["status", "kind", ("assignee", admin.RelatedOnlyFieldListFilter)]
    search_fields = [*person_search_fields("tandem__mentee__user__", "tandem__mentee__organisation__name"),
                     *person_search_fields("tandem__mentor__user__", "tandem__mentor__organisation__name"), "text"]
    list_select_related = ["tandem__mentee__user", "tandem__mentor__user", "reported_by", "assignee"]
    readonly_fields = ["tandem_link", "reported_by", "kind", "text", "created_at", "resolved_at", "resolved_by",
                       "notes_list", "replies_list"]
    fieldsets = (
        (_("Meldung"), {"fields": ("tandem_link", "reported_by", "kind", "text", "created_at")}),
        (_("Bearbeitung"), {"fields": ("status", "assignee", "resolved_at", "resolved_by")}),
        (_("Interne Notizen"), {"fields": ("notes_list", "note")}),
        (_("Antworten an die meldende Person"), {"fields": ("replies_list", "reply")}),
    )
    actions = ["take_over", "resolve"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "tandem__mentee__user", "tandem__mentor__user", "reported_by", "assignee", "resolved_by")

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.problem_report_handle(report=obj, by=request.user, status=data["status"],
                                       assignee=data["assignee"], note=data["note"], reply=data["reply"])
        if obj.reported_by_id and (data["reply"].strip() or "status" in form.changed_data):
            self.message_user(request, _("Die meldende Person erhält eine E-Mail mit dem Stand und Ihrer Antwort.")
                              if data["reply"].strip() else
                              _("Die meldende Person erhält eine E-Mail mit dem neuen Stand."), messages.INFO)

    @admin.display(description=_("offen seit (Tagen)"))
    def age(self, obj):
        return "–" if obj.status == ProblemReport.Status.DONE else (timezone.now() - obj.created_at).days

    @admin.display(description=_("Tandem"))
    def tandem_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:matching_tandem_change", args=[obj.tandem_id]),
                           obj.tandem)

    @admin.action(description=_("Übernehmen (mir zuweisen, in Bearbeitung)"), permissions=["change"])
    def take_over(self, request, queryset):
        taken = services.reports_take_over(reports=queryset, by=request.user)
        if taken:
            messages.success(request, ngettext(
                "%(n)d Meldung übernommen; die meldende Person erhält eine E-Mail.",
                "%(n)d Meldungen übernommen; die meldenden Personen erhalten eine E-Mail.", taken) % {"n": taken})
        else:
            messages.warning(request, _("Keine Meldung übernommen: Die gewählten sind erledigt oder schon bei Ihnen "
                                        "in Bearbeitung."))

    @admin.action(description=_("Als erledigt markieren"), permissions=["change"])
    def resolve(self, request, queryset):
        count = services.reports_resolve(reports=queryset, by=request.user)
        messages.success(request, ngettext("%(n)d Meldung als erledigt markiert.",
                                           "%(n)d Meldungen als erledigt markiert.", count) % {"n": count})
