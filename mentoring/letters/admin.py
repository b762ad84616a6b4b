"""Staff write letters in admin: a draft, its preview with a test mail to themselves, then one send.

The views only parse the request and call ``services``; what may be sent, to whom and how
often is decided there.
"""
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.staff_groups import SEND_ESSENTIAL_LETTER, staff_may

from . import selectors, services
from .access import access_letter
from .forms import LetterForm
from .models import DELIVERY_LABELS, Letter, LetterRecipient

LANGUAGES = ("de", "en")
# The mail's own inline styles, nothing else: no script, no request to another host, no form.
PREVIEW_FRAME_CSP = {"default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "img-src": ["'self'", "data:"],
                     "script-src": ["'none'"], "connect-src": ["'none'"], "font-src": ["'none'"],
                     "object-src": ["'none'"], "frame-ancestors": ["'self'"], "form-action": ["'none'"],
                     "base-uri": ["'none'"]}
GROUP_FIELDS = ["roles", "statuses", "federal_states", "funding_lines", "event", "event_waitlist", "a2_behind_year"]
RECORD_FIELDS = ["status", "created_by", "created_at", "sent_by", "sending_started_at", "sent_at",
                 "recipient_count", "delivery"]


def _being_written(obj: Letter | None) -> bool:
    """A new letter, or a draft (``Letter.is_draft``): its form can be changed; one that went out is read only."""
    return obj is None or obj.is_draft


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    form = LetterForm
    list_display = ["subject_de", "kind", "status", "recipient_count", "created_by", "sent_by", "sending_started_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject_de", "subject_en"]
    list_select_related = ["created_by", "sent_by"]
    actions = None
    change_form_template = "admin/letters/letter/change_form.html"

    def get_queryset(self, request):
        return selectors.letters_for(request.user, super().get_queryset(request))

    def _essential_allowed(self, request, obj) -> bool:
        return staff_may(request.user, SEND_ESSENTIAL_LETTER) or (obj is not None and obj.is_essential)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"withheld": frozenset(selectors.criteria_withheld(request.user)),
                                             "essential_allowed": self._essential_allowed(request, obj)})

    def get_fieldsets(self, request, obj=None):
        versions = [(_("Deutsche Fassung"), {"fields": ["subject_de", "body_de"]}),
                    (_("Englische Fassung (freiwillig)"), {"fields": ["subject_en", "body_en"]})]
        if _being_written(obj):
            withheld = selectors.criteria_withheld(request.user)
            kind = ["kind", "reason"] if self._essential_allowed(request, obj) else ["kind"]
            return [
                (_("Art des Schreibens"), {"fields": kind}),
                (_("Empfänger*innen"), {"fields": [name for name in GROUP_FIELDS if name not in withheld],
                                        "description": _(
                    "Alle gewählten Kriterien gelten zusammen; ein Kriterium ohne Auswahl schließt niemanden aus. "
                    "Es zählen nur Personen mit einer Anmeldung zum Programm.")}),
                *versions,
                *([(_("Verlauf"), {"fields": RECORD_FIELDS})] if obj else []),
            ]
        return [(_("Art und Empfänger*innen"), {"fields": ["group", "reason"]}), *versions,
                (_("Verlauf"), {"fields": RECORD_FIELDS})]

    def get_readonly_fields(self, request, obj=None):
        if _being_written(obj):
            return RECORD_FIELDS
        return ["group", "reason", "subject_de", "body_de", "subject_en", "body_en", *RECORD_FIELDS]

    def _others_essential(self, request, obj) -> bool:
        """A "Wichtige Information" only the Koordination sends: the others read its draft, never rewrite its text
        or its group (the Koordination would send their words, to their group, under its own name)."""
        return obj is not None and obj.is_essential and not staff_may(request.user, SEND_ESSENTIAL_LETTER)

    def has_change_permission(self, request, obj=None):
        # A letter that went out stays as it was sent: its page is read only.
        if not _being_written(obj) or self._others_essential(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A letter that went out is the record of who got what; only drafts can go.
        if not _being_written(obj) or self._others_essential(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            letter = self.get_object(request, unquote(object_id))
            # Sent by a colleague since the form was opened: the edit is refused with the reason, not with 403.
            if letter is not None and not letter.is_draft and super().has_change_permission(request, letter):
                self.message_user(request, services.SENT_MEANWHILE, messages.ERROR)
                return HttpResponseRedirect(request.path)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        services.letter_draft_save(letter=obj, by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return HttpResponseRedirect(reverse("admin:letters_letter_preview", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return HttpResponseRedirect(reverse("admin:letters_letter_preview", args=[obj.pk]))
        return super().response_change(request, obj)

    @admin.display(description=_("Empfänger*innen"))
    def group(self, obj):
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>",
                                                           selectors.group_description(obj)))

    @admin.display(description=_("Zustellung"))
    def delivery(self, obj):
        counts = selectors.delivery_counts(obj)
        if not counts:
            return "–"
        link = reverse("admin:letters_letterrecipient_changelist") + f"?letter__id__exact={obj.pk}"
        return format_html("{} <a href=\"{}\">{}</a>",
                           "; ".join(f"{number} {DELIVERY_LABELS[state]}" for state, number in counts.items()),
                           link, _("Liste der Empfänger*innen"))

    # Preview, test mail and send -------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/vorschau/", view(self.preview_view), name="letters_letter_preview"),
            path("<int:pk>/vorschau/<str:language>.html", view(self.preview_frame_view),
                 name="letters_letter_preview_frame"),
            path("<int:pk>/testmail/", view(self.test_mail_view), name="letters_letter_test_mail"),
            path("<int:pk>/senden/", view(self.send_view), name="letters_letter_send"),
        ] + super().get_urls()

    def _letter(self, request, pk, *, change: bool = False) -> Letter:
        """The letter, if the staff member may see it (``access_letter``: a letter that chooses people by what
        they may not see answers 404, as a missing one does). ``change``: they may write letters at all; whether
        this one may still be sent is the service's question, answered in German."""
        allowed = self.has_change_permission(request) if change else self.has_view_permission(request)
        if not allowed:
            raise PermissionDenied
        return access_letter(request.user, pk)

    def _context(self, request, letter, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "original": letter,
                "letter": letter, "title": title, **extra}

    def preview_view(self, request, pk):
        letter = self._letter(request, pk)
        preview = services.letter_preview(letter=letter, viewer=request.user)
        return TemplateResponse(request, "admin/letters/letter/preview.html", self._context(
            request, letter, _("Vorschau: %(subject)s") % {"subject": letter.subject_de}, preview=preview,
            group=selectors.group_description(letter), may_change=self.has_change_permission(request)))

    def preview_frame_view(self, request, pk, language):
        letter = self._letter(request, pk)
        html = services.letter_preview_html(letter=letter, viewer=request.user, language=language) \
            if language in LANGUAGES else None
        if html is None:
            raise Http404
        response = HttpResponse(html)
        response._csp_replace = PREVIEW_FRAME_CSP  # read by django-csp's middleware for this response only
        response.headers["X-Frame-Options"] = "SAMEORIGIN"  # the preview page frames it; others may not
        return response

    def test_mail_view(self, request, pk):
        letter = self._letter(request, pk, change=True)
        if request.method == "POST":
            sent = services.letter_test_send(letter=letter, to=request.user)
            messages.success(request, ngettext(
                "Die Testmail ist an %(email)s unterwegs (%(count)d Fassung).",
                "Die Testmail ist an %(email)s unterwegs (%(count)d Fassungen: deutsch und englisch).",
                len(sent)) % {"email": request.user.email, "count": len(sent)})
        return HttpResponseRedirect(reverse("admin:letters_letter_preview", args=[letter.pk]))

    def send_view(self, request, pk):
        letter = self._letter(request, pk, change=True)
        error = None
        if request.method == "POST":
            try:
                letter = services.letter_send(letter=letter, by=request.user)
            except services.LetterError as refusal:
                error = str(refusal)
            else:
                messages.success(request, ngettext(
                    "Das Rundschreiben geht an %(count)d Person; den Stand der Zustellung sehen Sie hier.",
                    "Das Rundschreiben geht an %(count)d Personen; den Stand der Zustellung sehen Sie hier.",
                    letter.recipient_count) % {"count": letter.recipient_count})
                return HttpResponseRedirect(reverse("admin:letters_letter_change", args=[letter.pk]))
        group = selectors.letter_group(letter)
        return TemplateResponse(request, "admin/letters/letter/send.html", self._context(
            request, letter, _("Rundschreiben senden"), count=group.count(), sample=selectors.group_sample(group),
            group=selectors.group_description(letter),
            refusal=error or services.letter_may_send(letter=letter, by=request.user)),
            status=400 if error else 200)


class DeliveryFilter(admin.SimpleListFilter):
    title = _("Zustellung")
    parameter_name = "zustellung"

    def lookups(self, request, model_admin):
        return list(DELIVERY_LABELS.items())

    def queryset(self, request, queryset):
        state = selectors.delivery_states().get(self.value())
        return queryset if state is None else queryset.filter(state)


@admin.register(LetterRecipient)
class LetterRecipientAdmin(admin.ModelAdmin):
    """Who got which letter and where their mail is; read only, the outbox holds the mail itself."""

    list_display = ["user", "letter", "language", "delivery_state", "queued_at"]
    list_filter = [DeliveryFilter, "language"]
    search_fields = ["user__last_name", "user__first_name", "user__email", "letter__subject_de"]
    list_select_related = ["user", "letter", "outbox_message"]

    def get_queryset(self, request):
        letters = selectors.letters_for(request.user, Letter.objects.all())
        return super().get_queryset(request).filter(letter__in=letters)
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Zustellung"))
    def delivery_state(self, obj):
        return obj.delivery_label
