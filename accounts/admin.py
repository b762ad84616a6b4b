"""Staff review registrations here: filters, readable profiles, workflow actions, CSV export."""
import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mentoring.kernel import history
from mentoring.kernel.admin_inlines import RecordInline
from mentoring.kernel.admin_labels import LabelledListEditableMixin
from mentoring.kernel.csv_export import SafeWriter
from mentoring.kernel.files import download
from mentoring.kernel.forms import add_service_error
from mentoring.kernel.params import parse_id

from . import intro_calls, rules, selectors, services, signals, staff_groups
from .admin_search import person_search_fields
from .choices import LANGUAGES, Level, Role
from .errors import TransitionError
from .exports import export_download
from .models import (
    Competence,
    FederalState,
    Need,
    Organisation,
    OrganisationType,
    Profile,
    ProgrammeYear,
    Registration,
    RegistrationTransition,
    Topic,
    User,
    https_url,
)

Status = Registration.Status


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]

    def lookup_allowed(self, lookup, value, request=None):
        # Filtering the list by the password hash in the URL would read it out letter by letter.
        if lookup.split(LOOKUP_SEP)[0] == "password":
            return False
        return super().lookup_allowed(lookup, value, request)
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Name"), {"fields": ("first_name", "last_name", "language")}),
        (_("Rechte"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Daten"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    change_form_template = "admin/accounts/with_history_link.html"

    def get_fieldsets(self, request, obj=None):
        """Staff who may only read accounts see no password row: its "Passwort zurücksetzen" button
        would lead them to a page they may not open."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [(name, {**options, "fields": tuple(f for f in options["fields"] if f != "password")})
                for name, options in fieldsets]

    def get_urls(self):
        return [path("<int:pk>/verlauf/", self.admin_site.admin_view(self.person_history_view),
                     name="accounts_user_verlauf"),
                path("<int:pk>/daten/", self.admin_site.admin_view(self.person_export_view),
                     name="accounts_user_daten")] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = _history_link(request, extra_context, parse_id(object_id))
        return super().change_view(request, object_id, form_url, extra)

    def person_history_view(self, request, pk):
        """The person's history: Kennenlerngespräch, status changes, reports, Tandems, mails (each app's part)."""
        if not staff_groups.staff_may(request.user, staff_groups.VIEW_PERSON_HISTORY):
            raise PermissionDenied
        person = get_object_or_404(User, pk=pk)
        return TemplateResponse(request, "admin/accounts/user/verlauf.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": person,
            "person": person, "sections": history.sections_for(person),
            "title": _("Verlauf: %(name)s") % {"name": person}})

    def person_export_view(self, request, pk):
        """What is stored about the person, as their own export gives it (DSGVO Art. 15), for a request that
        reaches the Koordination by mail or phone; their private notes and calendar-feed key only say that
        they exist (each app's ``personal_only`` keys, ``kernel.privacy.staff_copy``). Who may read the
        history may download it."""
        if not staff_groups.staff_may(request.user, staff_groups.VIEW_PERSON_HISTORY):
            raise PermissionDenied
        person = get_object_or_404(User, pk=pk)
        # Who handed out whose data, and when, stays in the person's "Geschichte".
        self.log_change(request, person, _("Daten der Person heruntergeladen (Auskunft nach Art. 15 DSGVO)"))
        return export_download(person, filename=f"daten-{person.pk}-{timezone.localdate().isoformat()}.json",
                               for_staff=True)

    def get_deleted_objects(self, objs, request):
        # A person's places at events and the letters they received go with them (user_delete erases them).
        # Those admins refuse deleting such a row on its own, and Django would count that against erasing the
        # person: an Art. 17 request by mail could not be carried out from here.
        deleted, counts, _rights_missing, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    # Staff deleting an account erase it as completely as the person's own deletion does.
    def delete_model(self, request, obj):
        services.user_delete(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.user_delete(user=user)


@admin.register(Topic)
class TopicAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "position"]
    list_editable = ["position"]


@admin.register(FederalState)
class FederalStateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "iso"]
    filter_horizontal = ["neighbours"]


@admin.register(OrganisationType)
class OrganisationTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "position"]


def references_text(references) -> str:
    return ", ".join(f"{kind}: {n}" for kind, n in references) or _("keine Verweise")


class OrganisationChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, references, **kwargs):
        self.references = references
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return (f"{obj.name} ({obj.org_type}, {obj.federal_state}, {obj.get_size_class_display()}; "
                f"{references_text(self.references.get(obj.pk, []))})")


class OrganisationMergeForm(forms.Form):
    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"] = OrganisationChoiceField(
            label=_("Welche Organisation bleibt?"), widget=forms.RadioSelect, empty_label=None,
            queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]).select_related(
                "org_type", "federal_state"),
            references={o.pk: o.references for o in organisations},
            help_text=_("Name, Typ, Bundesland und Größenklasse dieser Organisation gelten weiter. Alle Profile "
                        "und anderen Verweise der übrigen gehen auf sie über; die übrigen werden gelöscht."))


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "org_type", "federal_state", "size_class"]
    list_filter = ["org_type", "federal_state", "size_class"]
    search_fields = ["name"]
    list_select_related = ["org_type", "federal_state"]
    actions = ["merge_organisations"]
    change_list_template = "admin/accounts/organisation/change_list.html"

    def get_urls(self):
        return [path("dubletten/", self.admin_site.admin_view(self.duplicates_view),
                     name="accounts_organisation_duplicates"), *super().get_urls()]

    def duplicates_view(self, request):
        """Organisations whose names look alike, in groups, each group ready for the merge action."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return TemplateResponse(request, "admin/accounts/organisation/duplicates.html", {
            **self.admin_site.each_context(request), "title": _("Mögliche Dubletten"), "opts": self.model._meta,
            "groups": selectors.possible_duplicate_organisations(),
            "may_merge": self.has_change_permission(request) and self.has_delete_permission(request),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })

    @admin.action(description=_("Ausgewählte Organisationen zusammenführen"), permissions=["change", "delete"])
    def merge_organisations(self, request, queryset):
        organisations = selectors.with_reference_counts(list(queryset.select_related("org_type", "federal_state")))
        if len(organisations) < 2:
            self.message_user(request, _("Bitte wählen Sie mindestens zwei Organisationen aus, um sie "
                                         "zusammenzuführen."), messages.WARNING)
            return None
        form = OrganisationMergeForm(request.POST if "apply" in request.POST else None, organisations=organisations)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            duplicates = [o for o in organisations if o.pk != keep.pk]
            try:
                services.organisation_merge(keep=keep, duplicates=duplicates, by=request.user)
            except services.OrganisationMergeError as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.message_user(request, ngettext("%(n)d Organisation mit „%(keep)s“ zusammengeführt.",
                                                "%(n)d Organisationen mit „%(keep)s“ zusammengeführt.",
                                                len(duplicates)) % {"n": len(duplicates), "keep": keep.name},
                              messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/accounts/organisation/merge.html", {
            **self.admin_site.each_context(request), "title": _("Organisationen zusammenführen"), "form": form,
            "organisations": organisations, "action": "merge_organisations", "opts": self.model._meta,
            "media": self.media + form.media, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


class TopicRowsInline(admin.TabularInline):
    """A profile's needs or competences: each row's topic list and name read once for the page, not per row."""

    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("topic")  # each row's name reads its topic

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        choices = None

        class OneTopicList(formset.form):
            def __init__(self, *args, **kwargs):
                nonlocal choices
                super().__init__(*args, **kwargs)
                field = self.fields["topic"]
                if choices is None:
                    choices = list(field.choices)  # one query for the whole formset
                field.choices = choices

        formset.form = OneTopicList
        return formset


class NeedInline(TopicRowsInline):
    model = Need


class CompetenceInline(TopicRowsInline):
    model = Competence


class ExpertSearchForm(forms.Form):
    """Who knows a topic: the fields of the admin's expert search, all optional."""

    topic = forms.ModelChoiceField(Topic.objects.all(), required=False, label=_("Kompetenz (Thema)"),
                                   empty_label=_("alle Themen"))
    min_level = forms.TypedChoiceField(label=_("Erfahrung mindestens"), choices=Level.choices, coerce=int,
                                       required=False, empty_value=Level.BASIC)
    role = forms.ChoiceField(label=_("Rolle"), required=False, choices=[("", _("alle Rollen")), *Role.choices],
                             help_text=_("Mentor*innen und Mentees schließen Personen ein, die beides sind."))
    state = forms.ModelChoiceField(FederalState.objects.all(), required=False, label=_("Bundesland"),
                                   empty_label=_("alle Bundesländer"))
    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=100,
                        help_text=_("Ein Thema (z. B. „Starkregen“) oder Name, E-Mail, Organisation."))


class ProfileAdminForm(forms.ModelForm):
    def clean_role(self):
        """A role that the person's running Tandems contradict is refused next to the field (the apps that hold
        them answer ``signals.role_change_refusal``)."""
        role = self.cleaned_data["role"]
        if self.instance.pk and role != self.instance.role:
            for _receiver, refusal in signals.role_change_refusal.send(sender=Profile, profile=self.instance,
                                                                        role=role):
                if refusal:
                    raise forms.ValidationError(refusal)
        return role


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    form = ProfileAdminForm
    list_display = ["user", "role", "organisation", "mentor_capacity", "mentor_available"]
    list_filter = ["role", "mentor_available", "funding_line", "organisation__federal_state"]
    search_fields = person_search_fields("user__", "organisation__name")
    list_select_related = ["user", "organisation"]
    # By name, so that the list and the person pickers (paged) read in one stable order.
    ordering = ["user__last_name", "user__first_name", "pk"]
    autocomplete_fields = ["organisation"]
    # Whose profile it is never changes here: moved to another account (a staff member's own, say), its
    # Tandems, meetings and consents would speak for someone else.
    readonly_fields = ["user"]
    inlines = [NeedInline, CompetenceInline]
    change_form_template = "admin/accounts/with_history_link.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "languages":
            # The languages as the profile form offers them (checkboxes of ``LANGUAGES``), not JSON to type.
            return forms.MultipleChoiceField(label=db_field.verbose_name, choices=LANGUAGES,
                                             widget=forms.CheckboxSelectMultiple)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        # Staff who see no registrations (Veranstaltungen picking speakers) see approved participants only:
        # a profile of someone who has just applied, or was turned down, would tell them of the application.
        profiles = super().get_queryset(request)
        if not staff_groups.staff_may(request.user, "accounts.view_registration"):
            profiles = profiles.filter(rules.approved_participant_q("user"))
        return profiles

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pk = parse_id(object_id)
        user_pk = Profile.objects.filter(pk=pk).values_list("user_id", flat=True).first() if pk else None
        return super().change_view(request, object_id, form_url, _history_link(request, extra_context, user_pk))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A role changed here keeps only what the new role answers, as on /profil/bearbeiten/.
        services.profile_role_answers_keep(profile=form.instance)

    def has_add_permission(self, request):
        return False  # a profile comes with its Anmeldung

    def has_delete_permission(self, request, obj=None):
        # A profile goes with its person (services.user_delete), never alone: its Tandems would lose a side.
        return False

    change_list_template = "admin/accounts/profile/change_list.html"
    experts_per_page = 50

    def get_urls(self):
        return [path("expertinnen/", self.admin_site.admin_view(self.experts_view), name="accounts_profile_experts"),
                *super().get_urls()]

    def experts_view(self, request):
        """Staff ask "wer kennt sich mit … aus?": people by competence and level, role and Bundesland."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ExpertSearchForm(request.GET)
        page = None
        if form.is_valid():
            found = selectors.experts(topic=form.cleaned_data["topic"], min_level=form.cleaned_data["min_level"],
                                      role=form.cleaned_data["role"], state=form.cleaned_data["state"],
                                      text=form.cleaned_data["q"])
            page = Paginator(found, self.experts_per_page).get_page(request.GET.get("seite"))
        query = request.GET.copy()
        query.pop("seite", None)
        return TemplateResponse(request, "admin/accounts/profile/experts.html", {
            **self.admin_site.each_context(request), "title": _("Expert*innen finden"), "opts": self.model._meta,
            "form": form, "page": page, "query": query.urlencode(),
        })


class TransitionInline(RecordInline):
    model = RegistrationTransition
    fields = ["at", "step", "by", "intro_call_from", "intro_call_to", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    @admin.display(description=_("Schritt"))
    def step(self, obj):
        return obj.label


class RoleFilter(admin.SimpleListFilter):
    title = _("Rolle")
    parameter_name = "rolle"

    def lookups(self, request, model_admin):
        from .choices import Role

        return Role.choices

    def queryset(self, request, queryset):
        return queryset.filter(user__profile__role=self.value()) if self.value() else queryset


def _history_link(request, extra_context, user_pk) -> dict:
    extra = dict(extra_context or {})
    if user_pk is not None and staff_groups.staff_may(request.user, staff_groups.VIEW_PERSON_HISTORY):
        extra["history_url"] = reverse("admin:accounts_user_verlauf", args=[user_pk])
        extra["export_url"] = reverse("admin:accounts_user_daten", args=[user_pk])
    return extra


class LabelledSplitDateTime(admin.widgets.AdminSplitDateTime):
    """Admin's date and time inputs, each with its own accessible name (the label names only the first)."""

    def __init__(self, attrs=None, *, label=""):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = format_lazy("{} – {}", label, _("Datum (TT.MM.JJJJ)"))
        self.widgets[1].attrs["aria-label"] = format_lazy("{} – {}", label, _("Uhrzeit (HH:MM)"))

    def get_context(self, name, value, attrs):
        # Django links help text and errors to single inputs only; both inputs here get them too.
        attrs = dict(attrs or {})
        if attrs.get("id"):
            described = [f"{attrs['id']}_helptext"] + ([f"{attrs['id']}_error"] if attrs.get("aria-invalid") else [])
            attrs["aria-describedby"] = " ".join(described)
        return super().get_context(name, value, attrs)


class IntroCallForm(forms.Form):
    """When the Kennenlerngespräch takes place, who holds it and where: planning and moving share it."""

    intro_call_at = forms.SplitDateTimeField(
        label=_("Kennenlerngespräch am"), help_text=_("Datum und Uhrzeit (Berliner Zeit), in der Zukunft."),
        error_messages={"required": _("Bitte geben Sie Datum und Uhrzeit des Kennenlerngesprächs an."),
                        "invalid_date": _("Bitte geben Sie ein gültiges Datum an (TT.MM.JJJJ)."),
                        "invalid_time": _("Bitte geben Sie eine gültige Uhrzeit an (HH:MM).")},
        widget=LabelledSplitDateTime(label=_("Kennenlerngespräch am")))
    intro_host = forms.ModelChoiceField(label=_("Gespräch führt"), queryset=User.objects.none(),
                                        help_text=_("Erhält die Kalendereinladung und am Vortag eine Erinnerung."))
    intro_video_url = forms.URLField(
        label=_("Videolink (freiwillig)"), required=False, max_length=500, assume_scheme="https",
        validators=[https_url], error_messages={"invalid": _("Bitte geben Sie einen gültigen Link an.")},
        help_text=_("Steht in der Einladung und im Kalendereintrag; nur https-Links."))

    def __init__(self, *args, host=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intro_host"].queryset = intro_calls.intro_hosts()
        if host is not None and "intro_host" not in self.initial:
            self.initial["intro_host"] = host.pk

    def clean_intro_call_at(self):
        value = self.cleaned_data["intro_call_at"]
        try:
            intro_calls.intro_time_check(value)
        except TransitionError as error:
            raise forms.ValidationError(str(error)) from error
        return value


class IntroMoveForm(IntroCallForm):
    reason = forms.CharField(label=_("Grund (wird der Person mitgeteilt, freiwillig)"), required=False,
                             max_length=1000, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))


class IntroCancelForm(forms.Form):
    reason = forms.CharField(label=_("Grund (wird der Person mitgeteilt)"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
                             error_messages={"required": _("Bitte geben Sie einen Grund an; die Person erfährt ihn.")})


class IntroNotesForm(forms.Form):
    notes = forms.CharField(label=_("Notizen zum Kennenlerngespräch"), required=False,
                            widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))


# A registration's next step → the list action that takes it, and the button on its page.
WORKFLOW_STEPS = [
    (Status.INTRO_SCHEDULED, "schedule_intro", _("Kennenlerngespräch planen")),
    (Status.INTRO_DONE, "record_intro", _("Kennenlerngespräch geführt")),
    (Status.APPROVED, "approve", _("Freigeben")),
    (Status.REJECTED, "reject", _("Ablehnen")),
    (Status.WITHDRAWN, "mark_withdrawn", _("Als zurückgezogen markieren")),
]


class ApproveForm(forms.Form):
    """Nothing to fill in: the page asks once more before forum and matching open for these people."""

    explanation = _("Forum, Veranstaltungen und Matching öffnen sich für diese Personen; jede erhält eine E-Mail.")


class DecisionNoteForm(forms.Form):
    note = forms.CharField(label=_("Begründung / Nachricht (wird der Person mitgeteilt)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))


CSV_COLUMNS = [
    (_("Eingang"), lambda r: date_format(timezone.localtime(r.submitted_at), "SHORT_DATETIME_FORMAT")),
    (_("Status"), lambda r: r.get_status_display()),
    (_("Vorname"), lambda r: r.user.first_name),
    (_("Nachname"), lambda r: r.user.last_name),
    (_("E-Mail"), lambda r: r.user.email),
    (_("Rolle"), lambda r: r.user.profile.get_role_display()),
    (_("Organisation"), lambda r: r.user.profile.organisation.name),
    (_("Organisationstyp"), lambda r: str(r.user.profile.organisation.org_type)),
    (_("Bundesland"), lambda r: r.user.profile.organisation.federal_state.name),
    (_("Größenklasse"), lambda r: r.user.profile.organisation.get_size_class_display()),
    (_("Förderung"), lambda r: r.user.profile.get_funding_line_display()),
    (_("Förderende"), lambda r: date_format(r.user.profile.funding_ends_on, "SHORT_DATE_FORMAT")
     if r.user.profile.funding_ends_on else ""),
    (_("Kennenlerngespräch"), lambda r: date_format(timezone.localtime(r.intro_call_at), "SHORT_DATETIME_FORMAT")
     if r.intro_call_at else ""),
    # Dates and reference data in the staff member's language, as the admin pages show them.
    (_("Bedarfe"), lambda r: "; ".join(n.topic.short_label for n in r.user.profile.needs.all())),
    (_("Kompetenzen"), lambda r: "; ".join(c.topic.short_label for c in r.user.profile.competences.all())),
]


def _summary_text(value) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list):
        value = ", ".join(value)
    return str(value) if value not in (None, "") else "–"


def _bullet_list(pairs) -> str:
    """(topic, level) pairs as a list; list items need their <ul> (WCAG 1.3.1)."""
    items = format_html_join("", "<li>{} – {}</li>", pairs)
    return format_html("<ul>{}</ul>", items) if items else "–"


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(admin.ModelAdmin):
    list_display = ["label", "opens_on", "closes_on", "is_open", "tandem_months"]
    readonly_fields = ["is_open"]
    actions = ["open_year", "close_year"]

    @admin.action(description=_("Jahrgang öffnen (der bisher offene wird geschlossen)"), permissions=["change"])
    def open_year(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Bitte genau einen Jahrgang zum Öffnen wählen."), messages.ERROR)
            return
        year = services.programme_year_open(year=queryset.get())
        self.message_user(request, _("Der Jahrgang %(year)s ist offen.") % {"year": year}, messages.SUCCESS)

    @admin.action(description=_("Jahrgang schließen"), permissions=["change"])
    def close_year(self, request, queryset):
        for year in queryset.filter(is_open=True):
            services.programme_year_close(year=year)
        self.message_user(request, _("Die gewählten Jahrgänge sind geschlossen."), messages.SUCCESS)


PROFILE_TOPICS = ("user__profile__needs__topic", "user__profile__competences__topic")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "email", "role", "organisation", "federal_state", "status", "submitted_at",
                    "intro_call_at"]
    list_filter = ["status", "programme_year", RoleFilter, "user__profile__organisation__federal_state",
                   "user__profile__funding_line", "user__profile__organisation__org_type"]
    search_fields = person_search_fields("user__")
    date_hierarchy = "submitted_at"
    # The talk's time, host and link change only through the workflow (invite, move, cancel).
    readonly_fields = ["person", "email", "status", "submitted_at", "status_changed_at", "intro_call_at",
                       "intro_host", "intro_video_url", "profile_summary", "needs_list", "competences_list"]
    fields = ["person", "email", "status", "programme_year", "submitted_at", "status_changed_at", "intro_call_at",
              "intro_host",
              "intro_video_url", "intro_call_notes", "profile_summary", "needs_list", "competences_list"]
    change_form_template = "admin/accounts/registration/change_form.html"
    inlines = [TransitionInline]
    actions = ["schedule_intro", "record_intro", "approve", "reject", "mark_withdrawn", "export_csv"]
    list_per_page = 50

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "programme_year" and formfield is not None:
            # A Jahrgang is kept on its own page: a person's registration neither adds, edits nor deletes one.
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
        return formfield

    def get_queryset(self, request):
        # The list shows no needs or competences: only one registration's page and the export read them.
        return selectors.registrations_for_admin().select_related("intro_host")

    def get_object(self, request, object_id, from_field=None):
        registration = super().get_object(request, object_id, from_field)
        if registration is not None:
            prefetch_related_objects([registration], *PROFILE_TOPICS)
        return registration

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/termin-verschieben/", view(self.intro_move_view), name="accounts_registration_intro_move"),
            path("<int:pk>/termin-absagen/", view(self.intro_cancel_view),
                 name="accounts_registration_intro_cancel"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pk = parse_id(object_id)
        registration = Registration.objects.filter(pk=pk).only("pk", "user_id", "status").first() if pk else None
        extra = _history_link(request, extra_context, registration.user_id if registration else None)
        may_change = registration is not None and self.has_change_permission(request, registration)
        if may_change and not intro_calls.intro_change_refused_because(registration):
            extra["intro_move_url"] = reverse("admin:accounts_registration_intro_move", args=[pk])
            extra["intro_cancel_url"] = reverse("admin:accounts_registration_intro_cancel", args=[pk])
        if may_change:
            # The next steps of this one registration, as buttons on its page: each opens the same
            # action (with its form or confirmation) as the list does for a selection.
            allowed = services.ALLOWED_TRANSITIONS[registration.status] - {registration.status}
            extra["workflow_steps"] = [(action, label) for status, action, label in WORKFLOW_STEPS
                                       if status in allowed]
            extra["action_checkbox_name"] = admin.helpers.ACTION_CHECKBOX_NAME
        return super().change_view(request, object_id, form_url, extra)

    def _intro_page(self, request, registration, *, form, title: str, explanation: str, button: str):
        return TemplateResponse(request, "admin/accounts/registration/intro_change.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": registration,
            "registration": registration, "form": form, "title": title, "explanation": explanation,
            "button": button, "media": self.media + form.media})

    def _intro_registration(self, request, pk) -> Registration:
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(Registration.objects.select_related("user", "intro_host"), pk=pk)

    def _intro_done(self, request, registration, message):
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:accounts_registration_change", args=[registration.pk]))

    def intro_move_view(self, request, pk):
        """"Termin verschieben": new time, host or video link; everyone concerned gets the updated invite."""
        registration = self._intro_registration(request, pk)
        if refused := intro_calls.intro_change_refused_because(registration):
            self.message_user(request, refused, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:accounts_registration_change", args=[registration.pk]))
        form = IntroMoveForm(request.POST or None, host=registration.intro_host, initial={
            "intro_call_at": timezone.localtime(registration.intro_call_at).replace(second=0, microsecond=0)
            if registration.intro_call_at else None,
            "intro_video_url": registration.intro_video_url})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                intro_calls.intro_move(registration=registration, by=request.user,
                                       starts_at=data["intro_call_at"], host=data["intro_host"],
                                       video_url=data["intro_video_url"], reason=data["reason"])
            except TransitionError as error:
                add_service_error(form, error)
            else:
                return self._intro_done(request, registration, _(
                    "Der Termin ist verschoben. Die Person und die Gesprächsführung erhalten die geänderte "
                    "Kalendereinladung."))
        return self._intro_page(
            request, registration, form=form, title=_("Termin verschieben"), button=_("Termin verschieben"),
            explanation=_("Die Person und wer das Gespräch führt erhalten eine geänderte Kalendereinladung, die den "
                          "bisherigen Termin ersetzt. Der Schritt wird mit altem und neuem Termin und dem Grund "
                          "festgehalten."))

    def intro_cancel_view(self, request, pk):
        """"Termin absagen": the registration is back to "eingegangen"; both calendars lose the appointment."""
        registration = self._intro_registration(request, pk)
        if refused := intro_calls.intro_change_refused_because(registration, cancel=True):
            self.message_user(request, refused, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:accounts_registration_change", args=[registration.pk]))
        form = IntroCancelForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                intro_calls.intro_cancel(registration=registration, by=request.user, reason=form.cleaned_data["reason"])
            except TransitionError as error:
                add_service_error(form, error)
            else:
                return self._intro_done(request, registration, _(
                    "Der Termin ist abgesagt. Die Person und die Gesprächsführung erhalten die Absage; die Anmeldung "
                    "steht wieder auf „eingegangen“."))
        return self._intro_page(
            request, registration, form=form, title=_("Termin absagen"), button=_("Termin absagen"),
            explanation=_("Die Person und wer das Gespräch führt erhalten eine Absage, die den Termin aus dem "
                          "Kalender entfernt. Die Anmeldung steht danach wieder auf „eingegangen“, bis ein neuer "
                          "Termin geplant ist."))

    def has_add_permission(self, request):
        return False  # registrations come from the Anmeldeformular

    def has_delete_permission(self, request, obj=None):
        # A registration goes with its person (Konten → löschen: services.user_delete withdraws, frees event
        # places, keeps the anonymous figures); deleted alone it would skip all of that.
        return False

    @admin.display(description=_("Name"), ordering="user__last_name")
    def person(self, obj):
        return obj.user.get_full_name()

    @admin.display(description=_("E-Mail"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("Rolle"))
    def role(self, obj):
        return obj.user.profile.get_role_display()

    @admin.display(description=_("Organisation"))
    def organisation(self, obj):
        return obj.user.profile.organisation

    @admin.display(description=_("Bundesland"))
    def federal_state(self, obj):
        return obj.user.profile.organisation.federal_state

    @admin.display(description=_("Profil"))
    def profile_summary(self, obj):
        p = obj.user.profile
        rows = [(_("Organisation"), f"{p.organisation.name} ({p.organisation.org_type}, "
                                    f"{p.organisation.federal_state}, {p.organisation.get_size_class_display()})")]
        rows += [(field.verbose_name, _summary_text(value)) for field, value in p.person_values()]
        return format_html_join("", "<p><strong>{}:</strong> {}</p>", rows)

    @admin.display(description=_("Unterstützungsbedarfe"))
    def needs_list(self, obj):
        return _bullet_list((n.topic.label, n.get_priority_display()) for n in obj.user.profile.needs.all())

    @admin.display(description=_("Kompetenzen"))
    def competences_list(self, obj):
        return _bullet_list((c.topic.label, c.get_level_display()) for c in obj.user.profile.competences.all())

    def _transition(self, request, queryset, to_status, **kwargs):
        done, failed = 0, []
        for registration in queryset:
            try:
                services.registration_transition(registration=registration, to_status=to_status, by=request.user,
                                                 **kwargs)
                done += 1
            except TransitionError as error:
                # Names repeat among hundreds of people: the address tells the two apart.
                failed.append(f"{registration.user} ({registration.user.email}): {error}")
        if done:
            self.message_user(request, ngettext("%(n)d Anmeldung: %(status)s.", "%(n)d Anmeldungen: %(status)s.", done)
                              % {"n": done, "status": Status(to_status).label}, messages.SUCCESS)
        for line in failed:
            self.message_user(request, line, messages.ERROR)

    def _with_form(self, request, queryset, form_class, title, action, apply, **form_kwargs):
        # Started from a registration's page (its step buttons): back to that page, not to the list.
        back = request.POST.get("next", "")
        if not (back.startswith("/admin/") and url_has_allowed_host_and_scheme(back, {request.get_host()})):
            back = ""
        if "apply" in request.POST:
            form = form_class(request.POST, **form_kwargs)
            if form.is_valid():
                apply(form.cleaned_data)
                return HttpResponseRedirect(back) if back else None
        else:
            form = form_class(**form_kwargs)
        return TemplateResponse(request, "admin/accounts/registration/action_form.html", {
            **self.admin_site.each_context(request), "title": title, "form": form, "queryset": queryset,
            "action": action, "opts": self.model._meta, "media": self.media + form.media,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "back": back,
        })

    @admin.action(description=_("Kennenlerngespräch planen (mit Termin)"), permissions=["change"])
    def schedule_intro(self, request, queryset):
        # One time and one host for one person: the second of two selected always clashed with the first.
        if queryset.count() > 1:
            self.message_user(request, _("Ein Kennenlerngespräch planen Sie für eine Person: Bitte wählen Sie genau "
                                         "eine Anmeldung aus."), messages.WARNING)
            return None
        return self._with_form(request, queryset, IntroCallForm, _("Kennenlerngespräch planen"),
                               "schedule_intro",
                               lambda d: self._transition(request, queryset, Status.INTRO_SCHEDULED,
                                                          intro_call_at=d["intro_call_at"],
                                                          intro_host=d["intro_host"],
                                                          intro_video_url=d["intro_video_url"]),
                               host=intro_calls.default_host(request.user))

    @admin.action(description=_("Kennenlerngespräch geführt (mit Notizen)"), permissions=["change"])
    def record_intro(self, request, queryset):
        return self._with_form(request, queryset, IntroNotesForm, _("Kennenlerngespräch geführt"), "record_intro",
                               lambda d: self._transition(request, queryset, Status.INTRO_DONE, note=d["notes"]))

    @admin.action(description=_("Freigeben (öffnet Forum und Matching)"), permissions=["change"])
    def approve(self, request, queryset):
        return self._with_form(request, queryset, ApproveForm, _("Anmeldung freigeben"), "approve",
                               lambda d: self._transition(request, queryset, Status.APPROVED))

    @admin.action(description=_("Ablehnen"), permissions=["change"])
    def reject(self, request, queryset):
        return self._with_form(request, queryset, DecisionNoteForm, _("Anmeldung ablehnen"), "reject",
                               lambda d: self._transition(request, queryset, Status.REJECTED, note=d["note"]))

    @admin.action(description=_("Als zurückgezogen markieren"), permissions=["change"])
    def mark_withdrawn(self, request, queryset):
        return self._with_form(request, queryset, DecisionNoteForm, _("Anmeldung zurückgezogen"), "mark_withdrawn",
                               lambda d: self._transition(request, queryset, Status.WITHDRAWN, note=d["note"]))

    @admin.action(description=_("Auswahl als CSV exportieren"))
    def export_csv(self, request, queryset):
        response = download("", content_type="text/csv; charset=utf-8",
                            filename=f"anmeldungen-{timezone.localdate().isoformat()}.csv")
        writer = SafeWriter(response)
        writer.writerow([str(title) for title, _value in CSV_COLUMNS])
        for registration in queryset.prefetch_related(*PROFILE_TOPICS):
            writer.writerow([value(registration) for _title, value in CSV_COLUMNS])
        return response
