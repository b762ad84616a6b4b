"""The letter form in admin: the group as check boxes, the versions, the reason for essential letters."""
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import FundingLine, Role
from accounts.models import FederalState, Registration
from events.models import Event

from .models import Letter

EARLIEST_YEAR, LATEST_YEAR = 2020, 2100


def _choices_field(label, choices, help_text="") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices, required=False,
                                     widget=forms.CheckboxSelectMultiple, help_text=help_text)


class EventChoiceField(forms.ModelChoiceField):
    """Events named with their day (and a cancelled one as such): two of one title are told apart."""

    def label_from_instance(self, event):
        day = date_format(timezone.localtime(event.starts_at), "SHORT_DATE_FORMAT")
        if event.status == Event.Status.CANCELLED:
            return gettext("%(title)s (%(day)s, abgesagt)") % {"title": event.title, "day": day}
        return gettext("%(title)s (%(day)s)") % {"title": event.title, "day": day}


class LetterForm(forms.ModelForm):
    roles = _choices_field(_("Rollen"), Role.choices, _("Keine Auswahl: alle Rollen."))
    statuses = _choices_field(_("Status der Anmeldung"), Registration.Status.choices,
                              _("Keine Auswahl: jeder Status."))
    funding_lines = _choices_field(_("Förderlinien"), FundingLine.choices, _("Keine Auswahl: alle Förderlinien."))
    federal_states = forms.ModelMultipleChoiceField(
        label=_("Bundesländer"), queryset=FederalState.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Keine Auswahl: alle Bundesländer."))
    event = EventChoiceField(
        label=_("angemeldet zur Veranstaltung"), required=False, empty_label=_("keine Einschränkung"),
        queryset=Event.objects.order_by("-starts_at"))
    a2_behind_year = forms.IntegerField(
        label=Letter._meta.get_field("a2_behind_year").verbose_name, required=False, min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR, help_text=Letter._meta.get_field("a2_behind_year").help_text)

    class Meta:
        model = Letter
        fields = ["kind", "reason", "roles", "statuses", "federal_states", "funding_lines", "event", "event_waitlist",
                  "a2_behind_year", "subject_de", "body_de", "subject_en", "body_en"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2}), "body_de": forms.Textarea(attrs={"rows": 14}),
                   "body_en": forms.Textarea(attrs={"rows": 10})}

    # Set per request by LetterAdmin.get_form: the criteria this staff member may not choose people by
    # (letters.selectors.criteria_withheld) and whether they may send essential letters.
    withheld: frozenset = frozenset()
    essential_allowed = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.withheld:
            self.fields.pop(name, None)
        if not self.instance.pk:
            self.initial.setdefault("statuses", [Registration.Status.APPROVED])
        if not self.essential_allowed and self.instance.kind != Letter.Kind.ESSENTIAL and "kind" in self.fields:
            self.fields["kind"].choices = [(Letter.Kind.NEWS.value, Letter.Kind.NEWS.label)]
            self.fields.pop("reason", None)
