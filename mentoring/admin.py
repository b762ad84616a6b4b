"""Staff see the outbox (what waits, what failed and why; send again), barrier reports as cases, crontab
schedules, and upload the sign-language video."""
import json

from celery.schedules import ParseException
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.db.models import BLANK_CHOICE_DASH
from django.db.models.constants import LOOKUP_SEP
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat.admin import (
    CrontabScheduleAdmin,
    PeriodicTaskAdmin,
    PeriodicTaskForm,
    TaskChoiceField,
    TaskSelectWidget,
)
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from .kernel.admin_inlines import CaseAdmin
from .kernel.mail import outbox_retry
from .models import BarrierReport, OutboxMessage, SignLanguageVideo
from .pages.services import barrier_report_handle, barrier_reports_mark_handled
from .pages.uploads import max_video_bytes


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at", "next_attempt_at", "purged_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "key"]
    readonly_fields = [*(f.name for f in OutboxMessage._meta.fields), "sealed_content"]
    actions = ["send_again"]

    def get_fields(self, request, obj=None):
        fields = [f.name for f in OutboxMessage._meta.fields]
        if obj is not None and obj.purge_after_send:
            # A mail that carries the key to an account (a reset or confirmation link, a code) or that must not
            # outlive its delivery: staff see that it exists and where it stands, not what it says.
            hidden = {"body_text", "body_html", "attachments", "headers"}
            fields = [name for name in fields if name not in hidden] + ["sealed_content"]
        return fields

    def lookup_allowed(self, lookup, value, request=None):
        # The list filters by any field of the model named in the URL: content, headers and attachments would
        # answer "is this text in it?" about a sealed mail, letter by letter (a reset key in ~40 requests).
        if lookup.split(LOOKUP_SEP)[0] in {"body_text", "body_html", "headers", "attachments"}:
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("Inhalt"))
    def sealed_content(self, obj):
        return _("Diese E-Mail enthält einen Zugangs-Link oder -Code oder darf ihren Versand nicht überdauern; "
                 "ihr Inhalt wird hier nicht gezeigt und nach dem Versand gelöscht.")

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Jetzt (erneut) senden"), permissions=["change"])
    def send_again(self, request, queryset):
        sent = outbox_retry(message_pks=queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(n)d E-Mail(s) versendet.") % {"n": sent}, messages.INFO)


@admin.register(BarrierReport)
class BarrierReportAdmin(CaseAdmin):
    """A barrier report is a case: status, assignee, internal notes, replies mailed to the given address."""

    list_display = ["created_at", "page", "email", "status", "assignee", "handled_at"]
    list_filter = ["status", ("assignee", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["page", "description", "email", "name"]
    list_select_related = ["assignee"]
    readonly_fields = ["created_at", "page", "description", "name", "email", "user", "handled_at", "handled_by",
                       "notes_list", "replies_list"]
    actions = ["mark_handled"]

    def get_fieldsets(self, request, obj=None):
        reply = ("replies_list", "reply") if obj is not None and obj.email else ("replies_list",)
        return (
            (_("Meldung"), {"fields": ("created_at", "page", "description", "name", "email", "user")}),
            (_("Bearbeitung"), {"fields": ("status", "assignee", "handled_at", "handled_by")}),
            (_("Interne Notizen"), {"fields": ("notes_list", "note")}),
            (_("Antworten an die meldende Person"), {
                "fields": reply,
                "description": "" if obj is not None and obj.email else _(
                    "Die meldende Person hat keine E-Mail-Adresse angegeben: Eine Antwort kann nicht zugestellt "
                    "werden.")}),
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "assignee", "handled_by")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        # Without an address the form offers no reply; one posted anyway has nowhere to go.
        barrier_report_handle(report=obj, by=request.user, status=data["status"], assignee=data["assignee"],
                              note=data["note"], reply=data.get("reply", "") if obj.email else "")
        if obj.email and (data.get("reply", "").strip() or "status" in form.changed_data):
            self.message_user(request, _("Die meldende Person erhält eine E-Mail mit dem Stand der Meldung."),
                              messages.INFO)

    @admin.action(description=_("Als erledigt markieren"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = barrier_reports_mark_handled(reports=queryset, by=request.user)
        self.message_user(request, ngettext("%(n)d Meldung als erledigt markiert.",
                                            "%(n)d Meldungen als erledigt markiert.", count) % {"n": count},
                          messages.SUCCESS)


class _StoredFile:
    """What admin's file input shows as the current file: its name, linked to the site's own view."""

    def __init__(self, name: str, url: str):
        self.name, self.url = name, url

    def __str__(self):
        return self.name


class SiteServedFileWidget(AdminFileWidget):
    """Admin's file input whose "Aktuell" link goes through the site, never to the storage's address.

    Django links the storage's URL: under MEDIA_URL no server answers, and object storage would
    hand staff's browser a signed address on the storage host.
    """

    def __init__(self, url: str = "", attrs=None):
        self.url = url
        super().__init__(attrs)

    def is_initial(self, value):
        return bool(value and getattr(value, "name", "") and self.url)

    def format_value(self, value):
        return _StoredFile(value.name, self.url) if self.is_initial(value) else None


# The file fields of a sign-language video → the word naming them in the site's file address.
SIGN_LANGUAGE_FILE_WORDS = {"video": "video", "poster": "vorschaubild", "captions": "untertitel"}


@admin.register(SignLanguageVideo)
class SignLanguageVideoAdmin(admin.ModelAdmin):
    """BITV 2.0: the site explained in Deutsche Gebärdensprache, served by the site itself on /gebaerdensprache/."""

    list_display = ["title", "published", "position", "updated_at"]
    list_filter = ["published"]
    fields = ["title", "video", "preview", "poster", "captions", "transcript", "published", "position", "updated_at"]
    readonly_fields = ["preview", "updated_at"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["video"].help_text = _(
            "%(help)s Höchstens %(max)s; ein längeres Video bitte kleiner speichern (z. B. 720p).") % {
            "help": SignLanguageVideo._meta.get_field("video").help_text, "max": filesizeformat(max_video_bytes())}
        for field, word in SIGN_LANGUAGE_FILE_WORDS.items():
            url = reverse("sign_language_file", args=[obj.pk, word]) if obj and obj.pk else ""
            widget = SiteServedFileWidget(url=url)
            widget.is_required = form.base_fields[field].required
            form.base_fields[field].widget = widget
        return form

    @admin.display(description=_("Vorschau"))
    def preview(self, obj):
        if not (obj and obj.pk and obj.video):
            return _("Nach dem Speichern zu sehen.")
        return format_html('<video controls preload="metadata" width="480" src="{}"></video>',
                           reverse("sign_language_file", args=[obj.pk, "video"]))


admin.site.unregister(CrontabSchedule)


@admin.register(CrontabSchedule)
class CheckedCrontabScheduleAdmin(CrontabScheduleAdmin):
    """django-celery-beat's crontab form, but an invalid field shows its error instead of a 500.

    Its read-only description parses the posted fields with Celery, which raises ParseException
    (e.g. for "-1") that the admin does not catch.
    """

    fields = ("description", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("description",)
    list_display = ("__str__", "description")

    @admin.display(description=_("Beschreibung"))
    def description(self, obj):
        try:
            return obj.human_readable
        except ParseException:
            return "–"


class LabelledTaskSelectWidget(TaskSelectWidget):
    """django-celery-beat's list of registered tasks, whose empty first option HTML requires to have a label."""

    def tasks_as_choices(self):
        return (*BLANK_CHOICE_DASH, *super().tasks_as_choices()[1:])


BEAT_MODEL_MESSAGES = {
    "One of clocked, interval, crontab, or solar must be set": _(
        "Bitte wählen Sie einen Zeitplan: Zeitpunkt, Intervall, Crontab oder Sonnenstand."),
    "Only one of clocked, interval, crontab, or solar must be set": _(
        "Bitte wählen Sie nur einen Zeitplan: Zeitpunkt, Intervall, Crontab oder Sonnenstand."),
    "clocked must be one off, one_off must set True": _(
        "Eine Aufgabe zu einem Zeitpunkt läuft einmal: Bitte setzen Sie „Einmalige Aufgabe“."),
}


class LabelledPeriodicTaskForm(PeriodicTaskForm):
    """Beat reads args, kwargs and headers as JSON of one shape: anything else dropped the task from the schedule
    or stopped beat itself, so each is checked here, with the reason next to its field."""

    regtask = TaskChoiceField(label=PeriodicTaskForm.base_fields["regtask"].label, required=False,
                              widget=LabelledTaskSelectWidget)

    def _json_of(self, name: str, kind: type, message: str):
        value = self.cleaned_data.get(name) or ""
        if not value.strip():
            return json.dumps(kind())  # empty is none: beat reads "[]" or "{}" (the model stores empty headers as NULL)
        try:
            parsed = json.loads(value)
        except ValueError:
            raise forms.ValidationError(message) from None
        if not isinstance(parsed, kind):
            raise forms.ValidationError(message)
        return value

    def clean_args(self):
        return self._json_of("args", list, _("Bitte als JSON-Liste angeben, zum Beispiel [] oder [1, \"a\"]."))

    def clean_kwargs(self):
        return self._json_of("kwargs", dict, _("Bitte als JSON-Objekt angeben, zum Beispiel {} oder {\"tage\": 7}."))

    def clean_headers(self):
        return self._json_of("headers", dict, _("Bitte als JSON-Objekt angeben, zum Beispiel {}."))

    def clean(self):
        if self.cleaned_data.get("task") is None and not self.cleaned_data.get("regtask"):
            return self.cleaned_data  # the task's own error is shown (the library's clean read it and raised KeyError)
        return super().clean()

    def _update_errors(self, errors):
        """The model's checks of the schedule speak English only (the library does not translate them)."""
        def said(messages):
            return [str(BEAT_MODEL_MESSAGES.get(message.rstrip("."), message)) for message in messages]

        if hasattr(errors, "error_dict"):
            errors = forms.ValidationError({field: said(messages) for field, messages in errors.message_dict.items()})
        else:
            errors = forms.ValidationError(said(errors.messages))
        super()._update_errors(errors)


admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class LabelledPeriodicTaskAdmin(PeriodicTaskAdmin):
    form = LabelledPeriodicTaskForm
