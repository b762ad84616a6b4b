"""Forms of the events app: list filter, registration note, cancellation by staff."""
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import FederalState, Topic

from . import services
from .models import AT_LEAST_ONE_PLACE, Event


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art"), required=False, choices=[("", _("alle Arten"))] + Event.Kind.choices)
    format = forms.ChoiceField(label=_("Format"), required=False,
                               choices=[("", _("alle Formate"))] + Event.Format.choices)
    topic = forms.ModelChoiceField(label=_("Thema"), required=False, queryset=Topic.objects.all(),
                                   empty_label=_("alle Themen"))
    federal_state = forms.ModelChoiceField(label=_("Bundesland"), required=False,
                                           queryset=FederalState.objects.all(), empty_label=_("alle Bundesländer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        """The chosen filters; an invalid value (a hand-edited URL) simply filters nothing."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


class EventRegistrationForm(forms.Form):
    note = forms.CharField(
        label=_("Hinweis an die Koordination (optional)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Zum Beispiel Hinweise zur Barrierefreiheit, Gebärdensprachdolmetschung oder Ernährung."))


class EventCancelForm(forms.Form):
    message = forms.CharField(
        label=_("Begründung der Absage"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Geht per E-Mail an alle Angemeldeten und Wartenden und steht auf der Veranstaltungsseite."))


class RegistrationCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Nachricht an die abgemeldeten Personen (optional)"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Steht in der E-Mail, mit der jede Person von ihrer Abmeldung erfährt."))


class EventAdminForm(forms.ModelForm):
    """Staff edit events; cancelling goes through its own action so that everyone is told why."""

    online_url = forms.URLField(label=Event._meta.get_field("online_url").verbose_name, required=False,
                                assume_scheme="https", help_text=Event._meta.get_field("online_url").help_text)

    class Meta:
        model = Event
        fields = ["title", "kind", "format", "visibility", "status", "description", "topics", "starts_at", "ends_at",
                  "registration_deadline", "venue", "federal_state", "online_url", "organiser", "capacity"]
        # A negative number fails the column's own check first: the same words as for 0.
        error_messages = {"capacity": {"min_value": AT_LEAST_ONE_PLACE}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" not in self.fields:
            return
        if self.instance.pk and self.instance.status == Event.Status.CANCELLED:
            self.fields["status"].disabled = True
        else:
            self.fields["status"].choices = [(value, label) for value, label in Event.Status.choices
                                             if value != Event.Status.CANCELLED]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if refused := services.draft_refused(self.instance, status):
            raise forms.ValidationError(refused)
        return status

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        # An end before the start is the model's message; this one is for a whole event moved into the past.
        if starts_at and ends_at and ends_at > starts_at and (refused := services.past_move_refused(self.instance,
                                                                                                   ends_at)):
            self.add_error("ends_at", refused)
        return data
