"""Forms of the forum; every message German, every limit checked before anything is saved."""
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import Topic
from mentoring.kernel.params import parse_id
from mentoring.kernel.validators import single_line

from .models import (
    BODY_MAX_LENGTH,
    REPORT_REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    TITLE_TOO_SHORT,
    Category,
    NotificationSetting,
    Thread,
)
from .uploads import ALLOWED_LABEL, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_POST, validate_upload

BODY_HELP = _("Markdown ist möglich: **fett**, *kursiv*, Listen mit „-“, Links als [Text](https://…), "
              "Zitate mit „>“. HTML wird nicht ausgeführt.")


class IdChoiceField(forms.ModelChoiceField):
    """A choice by primary key that refuses a value no key can have before it reaches the database."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to five files, each checked by content and size."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS_PER_POST:
            raise ValidationError(_("Höchstens %(max)d Anhänge pro Beitrag."), params={"max": MAX_ATTACHMENTS_PER_POST})
        errors = []
        for upload in files:
            super().clean(upload, initial)
            try:
                validate_upload(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


def body_field(label=None):
    return forms.CharField(
        label=label or _("Text"), max_length=BODY_MAX_LENGTH, help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Bitte schreiben Sie einen Text."),
                        "max_length": _("Ein Beitrag hat höchstens %(limit_value)d Zeichen; dieser hat "
                                        "%(show_value)d. Teilen Sie ihn bitte auf oder hängen Sie ein Dokument "
                                        "an.")})


def attachments_field():
    return AttachmentsField(
        label=_("Anhänge"), required=False,
        # Filled in when shown: the forms build this field at import, before any reader's language is known.
        help_text=lazy(lambda: _("Bis zu %(count)d Dateien mit je höchstens %(size)d MB: %(types)s. Nach der "
                                 "Vorschau wählen Sie die Dateien bitte erneut aus.") % {
            "count": MAX_ATTACHMENTS_PER_POST, "size": MAX_ATTACHMENT_BYTES // (1024 * 1024),
            "types": ALLOWED_LABEL}, str)())


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=TITLE_MAX_LENGTH, min_length=TITLE_MIN_LENGTH,
                            validators=[single_line],
                            error_messages={"required": _("Bitte geben Sie einen Titel ein."),
                                            "min_length": TITLE_TOO_SHORT,
                                            "max_length": _("Der Titel darf höchstens %(limit_value)d Zeichen "
                                                            "lang sein.")})
    kind = forms.ChoiceField(label=_("Art des Beitrags"), choices=Thread.Kind.choices, initial=Thread.Kind.DISCUSSION,
                             widget=forms.RadioSelect)
    topics = forms.ModelMultipleChoiceField(
        label=_("Themen"), queryset=Topic.objects.order_by("position"), required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_pk_value": _("Dieses Thema gibt es nicht."),
                        "invalid_choice": _("Dieses Thema gibt es nicht.")},
        help_text=_("Dieselben Themen wie in den Profilen – so finden andere Ihren Beitrag."))
    body = body_field()
    attachments = attachments_field()

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < TITLE_MIN_LENGTH:  # spaces do not count
            raise ValidationError(TITLE_TOO_SHORT, params={"limit_value": TITLE_MIN_LENGTH})
        return title


class ReplyForm(forms.Form):
    body = body_field(_("Ihre Antwort"))
    attachments = attachments_field()


class PostEditForm(forms.Form):
    body = body_field()


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Warum melden Sie diesen Beitrag?"), max_length=REPORT_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Die Moderation liest Ihre Meldung; die verfassende Person erfährt nicht, wer gemeldet hat."),
        error_messages={"required": _("Bitte nennen Sie einen Grund für die Meldung.")})


class MoveForm(forms.Form):
    category = IdChoiceField(label=_("Verschieben nach"), queryset=Category.objects.all(),
                             error_messages={"invalid_choice": _("Diese Kategorie gibt es nicht.")})


class NotificationSettingForm(forms.Form):
    mode = forms.ChoiceField(label=_("Wie möchten Sie über neue Beiträge in abonnierten Themen und Kategorien "
                                     "informiert werden?"),
                             choices=NotificationSetting.Mode.choices, widget=forms.RadioSelect)


class QuickSelect(forms.Select):
    """A select written directly instead of through a template per option: the topic filter has many.

    The same markup as Django's ``select.html`` and ``select_option.html`` for choices without groups.
    """

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _choices, _index in context["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = mark_safe("".join(  # noqa: S308 - every part escaped by format_html
            format_html('<option value="{}"{}>{}</option>', option["value"], flatatt(option["attrs"]),
                        option["label"])
            for _group, choices, _index in context["optgroups"] for option in choices))
        return format_html('<select name="{}"{}>{}</select>', context["name"], flatatt(context["attrs"]), options)


class _ListedChoiceIterator(ModelChoiceIterator):
    """The choices from one plain read of the queryset: no COUNT first, and on PostgreSQL no server-side
    cursor (``iterator()``: DECLARE, FETCH, CLOSE), which cost three round trips for a short list."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # evaluated once per form, then from its result cache
            yield self.choice(obj)

    def __len__(self):
        return len(self.queryset) + (1 if self.field.empty_label is not None else 0)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = _ListedChoiceIterator


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=200)
    thema = ListedModelChoiceField(label=_("Thema"), queryset=Topic.objects.order_by("position"), required=False,
                                   to_field_name="slug", empty_label=_("alle Themen"), widget=QuickSelect,
                                   error_messages={"invalid_choice": _("Dieses Thema gibt es nicht.")})
    art = forms.ChoiceField(label=_("Art"), required=False, choices=[("", _("alle Arten")), *Thread.Kind.choices],
                            widget=QuickSelect,
                            error_messages={"invalid_choice": _("Diese Art gibt es nicht.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["class"] = "form-control"
        for name in ("thema", "art"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        # ``?q=`` alone (a blank or empty search): asking for a term beats "nothing found".
        if not self.errors and not ((data.get("q") or "").strip() or data.get("thema") or data.get("art")):
            self.add_error("q", _("Bitte geben Sie einen Suchbegriff ein oder wählen Sie ein Thema oder eine Art."))
        return data

    def _post_clean(self):
        """A field with an error is marked for the eye and for screen readers, and names its message.

        The search page writes its three fields itself (``forum/_search_field.html``): crispy's
        templates cost more than the rest of the page's form."""
        super()._post_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] += " is-invalid"
                attrs.update({"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-fehler"})
