"""Staff run events in /admin/: edit, see places and waitlist, export, attendance, cancel."""
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import rules
from accounts.admin_search import person_search_fields
from accounts.models import Profile, User
from accounts.selectors import experts
from mentoring.kernel.admin_inlines import RecordInline
from mentoring.kernel.files import download

from . import services
from .export import participants_csv
from .forms import EventAdminForm, EventCancelForm, RegistrationCancelForm
from .models import Event, EventRegistration, EventSpeaker
from .selectors import with_places

Status = EventRegistration.Status
SPEAKER_CHOICES_PER_PAGE = 20  # as many as Django's own autocomplete sends at once


class ExpertSelect(AutocompleteSelect):
    """Picks a speaker's profile through the admin's expert search: a topic finds who knows it."""

    def get_url(self):
        return reverse("admin:events_event_speaker_search")


def speaker_label(profile) -> str:
    """Name, organisation and the competences the search matched, so staff see why someone is offered."""
    label = f"{profile.user} – {profile.organisation.name} ({profile.organisation.federal_state.name})"
    competences = ", ".join(f"{c.topic.short_label}: {c.get_level_display()}" for c in profile.matching_competences)
    return f"{label} · {competences}" if competences else label


class EventSpeakerInline(admin.TabularInline):
    model = EventSpeaker
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "participant":
            kwargs["widget"] = ExpertSelect(db_field, self.admin_site)
            # Only whom the picker offers: a forged id of an applicant would put their name and competences
            # on the event page.
            kwargs["queryset"] = User.objects.filter(rules.approved_participant_q(), profile__isnull=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EventRegistrationInline(RecordInline):
    """Places and waitlist in the order they were taken; changes go through the actions."""

    model = EventRegistration
    fields = ["user", "status", "note", "created_at", "confirmed_at", "attended"]
    verbose_name_plural = _("Anmeldungen und Warteliste (in der Reihenfolge der Anmeldung)")

    def get_queryset(self, request):
        # Each row's name (EventRegistration.__str__) reads the user and the event: both in the one query.
        return super().get_queryset(request).exclude(status=Status.CANCELLED).select_related("user", "event")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["title", "kind", "format", "starts_at", "status", "visibility", "places", "waiting"]
    list_filter = ["status", "kind", "format", "visibility", "federal_state"]
    search_fields = ["title", "organiser"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["topics"]
    inlines = [EventSpeakerInline, EventRegistrationInline]
    readonly_fields = ["cancellation_message", "revision", "created_at", "updated_at", "former_places",
                       "former_attended", "former_no_shows"]
    actions = ["export_participants", "cancel_events"]
    fieldsets = [
        (None, {"fields": ["title", "kind", "format", "visibility", "status", "description", "topics"]}),
        (_("Zeit und Ort"), {"fields": ["starts_at", "ends_at", "registration_deadline", "venue", "federal_state",
                                        "online_url", "organiser"]}),
        (_("Plätze"), {"fields": ["capacity", "former_places", "former_attended", "former_no_shows"]}),
        (_("Verlauf"), {"fields": ["cancellation_message", "revision", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return with_places(super().get_queryset(request))

    def get_urls(self):
        return [path("referentinnen-suche/", self.admin_site.admin_view(self.speaker_search_view),
                     name="events_event_speaker_search"), *super().get_urls()]

    def speaker_search_view(self, request):
        """The speaker picker's answers (select2's JSON), from the same search as "Expert*innen finden"."""
        profiles_admin = self.admin_site._registry.get(Profile)
        if not (self.has_add_permission(request) or self.has_change_permission(request)) or not (
                profiles_admin and profiles_admin.has_view_permission(request)):
            raise PermissionDenied
        page = Paginator(experts(text=request.GET.get("term", "")[:100]), SPEAKER_CHOICES_PER_PAGE).get_page(
            request.GET.get("page"))
        return JsonResponse({
            "results": [{"id": str(profile.user_id), "text": speaker_label(profile)} for profile in page.object_list],
            "pagination": {"more": page.has_next()},
        })

    def has_delete_permission(self, request, obj=None):
        # Events people registered for are cancelled (with a message to them), never silently deleted.
        if obj is not None and obj.registrations.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("belegt / Plätze"))
    def places(self, obj):
        return f"{obj.confirmed_count + obj.former_places} / {obj.capacity}"

    @admin.display(description=_("Warteliste"), ordering="waitlist_count")
    def waiting(self, obj):
        return obj.waitlist_count

    def save_model(self, request, obj, form, change):
        # A registration between the form's check and saving is refused under the event's lock: the page
        # says so and nothing is saved (kernel.admin_refusals).
        told = services.event_save(event=obj, changed_fields=form.changed_data, by=request.user)
        if told:  # staff see whom the save reached, not only that it was saved
            self.message_user(request, ngettext(
                "%(count)d angemeldete Person hat eine E-Mail zu dieser Änderung erhalten.",
                "%(count)d angemeldete Personen haben eine E-Mail zu dieser Änderung erhalten.", told)
                % {"count": told})

    @admin.action(description=_("Teilnehmendenliste als CSV exportieren"))
    def export_participants(self, request, queryset):
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        return download(participants_csv(queryset), content_type="text/csv; charset=utf-8",
                        filename=f"teilnehmende-{stamp}.csv")

    @admin.action(description=_("Veranstaltung absagen (mit Nachricht an alle Angemeldeten)"), permissions=["change"])
    def cancel_events(self, request, queryset):
        form = EventCancelForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            cancelled = 0
            for event in queryset:
                try:
                    services.event_cancel(event=event, message=form.cleaned_data["message"], by=request.user)
                except services.EventRegistrationError as error:
                    day = date_format(timezone.localtime(event.starts_at), "SHORT_DATE_FORMAT")
                    self.message_user(request, f"{event} ({day}): {error}", messages.ERROR)
                else:
                    cancelled += 1
            if cancelled:
                self.message_user(request, ngettext("%(n)d Veranstaltung abgesagt; alle Angemeldeten werden "
                                                    "benachrichtigt.",
                                                    "%(n)d Veranstaltungen abgesagt; alle Angemeldeten werden "
                                                    "benachrichtigt.", cancelled) % {"n": cancelled},
                                  messages.SUCCESS)
            return None
        return render(request, "events/admin_cancel.html", {
            **self.admin_site.each_context(request), "title": _("Veranstaltung absagen"), "events": queryset,
            "form": form, "opts": self.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


@admin.register(EventRegistration)
class EventRegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "status", "created_at", "attended"]
    list_filter = ["status", "attended", "event__kind", ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = [*person_search_fields("user__"), "event__title"]
    list_select_related = ["user", "event"]
    autocomplete_fields = ["event", "user"]
    readonly_fields = ["event", "user", "status", "note", "created_at", "confirmed_at", "cancelled_at",
                       "reminded_at", "attended"]
    actions = ["mark_attended", "mark_absent", "cancel_registrations"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _mark(self, request, queryset, attended: bool):
        count = services.event_attendance_mark(registrations=queryset, attended=attended, by=request.user)
        skipped = queryset.count() - count
        if count:
            self.message_user(request, ngettext("Teilnahme bei %(n)d Anmeldung eingetragen.",
                                                "Teilnahme bei %(n)d Anmeldungen eingetragen.", count) % {"n": count},
                              messages.SUCCESS)
        if skipped:
            # Nothing recorded at all is a failure of the action, not a note beside a success.
            self.message_user(request, ngettext(
                "%(n)d Anmeldung übersprungen: nur bestätigte Plätze von Veranstaltungen, die begonnen haben.",
                "%(n)d Anmeldungen übersprungen: nur bestätigte Plätze von Veranstaltungen, die begonnen haben.",
                skipped) % {"n": skipped}, messages.WARNING if count else messages.ERROR)

    @admin.action(description=_("Teilnahme: war da"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, True)

    @admin.action(description=_("Teilnahme: war nicht da"), permissions=["change"])
    def mark_absent(self, request, queryset):
        self._mark(request, queryset, False)

    @admin.action(description=_("Abmelden (mit E-Mail an die Person; Warteliste rückt nach)"), permissions=["change"])
    def cancel_registrations(self, request, queryset):
        form = RegistrationCancelForm(request.POST if "apply" in request.POST else None)
        if not (form.is_bound and form.is_valid()):
            return render(request, "events/admin_cancel_registrations.html", {
                **self.admin_site.each_context(request), "title": _("Personen von Veranstaltungen abmelden"),
                "registrations": queryset.select_related("event", "user"), "form": form,
                "opts": self.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME})
        done = 0
        for registration in queryset.select_related("event", "user"):
            try:
                services.event_registration_cancel(registration=registration, by=request.user,
                                                   enforce_deadline=False, notify=True,
                                                   reason=form.cleaned_data["reason"])
            except services.EventRegistrationError as error:
                # Names repeat among hundreds of people: the address tells namesakes apart.
                self.message_user(request, f"{registration.user} ({registration.user.email}), {registration.event}: "
                                           f"{error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, ngettext("%(n)d Anmeldung abgemeldet; die Person erhält eine E-Mail.",
                                                "%(n)d Anmeldungen abgemeldet; jede Person erhält eine E-Mail.",
                                                done) % {"n": done}, messages.SUCCESS)
        return None
