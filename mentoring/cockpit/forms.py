"""The overview's filter (a GET form that works without JavaScript) and the funder report's year."""
from django import forms
from django.db.models import Min
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import FundingLine
from accounts.models import FederalState, ProgrammeYear, Registration
from accounts.staff_groups import staff_may

from .models import ErasedFigure
from .scope import Scope, local_day


def years() -> list[int]:
    """From the programme's first registration (kept figures included) to this year, newest first."""
    this_year = timezone.localdate().year
    first = Registration.objects.aggregate(first=Min("submitted_at"))["first"]
    kept = ErasedFigure.objects.aggregate(first=Min("period"))["first"]
    candidates = [this_year, local_day(first).year if first else this_year, kept.year if kept else this_year]
    return list(range(this_year, min(candidates) - 1, -1))


class OverviewFilter(forms.Form):
    jahr = forms.TypedChoiceField(label=_("Jahr"), coerce=int, required=False)
    land = forms.ModelChoiceField(label=_("Bundesland"), queryset=FederalState.objects.order_by("name"),
                                  to_field_name="code", required=False, empty_label=_("alle Bundesländer"))
    foerderung = forms.ChoiceField(label=_("Förderlinie"), required=False,
                                   choices=[("", _("alle Förderlinien")), *FundingLine.choices])
    jahrgang = forms.ModelChoiceField(label=_("Jahrgang"), queryset=ProgrammeYear.objects.all(), required=False,
                                      empty_label=_("alle Jahrgänge"))

    def __init__(self, *args, year_choices: list[int], user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jahr"].choices = [(year, str(year)) for year in year_choices]
        if user is not None and not staff_may(user, "accounts.view_registration"):
            # Who belongs to which Jahrgang is registration data: counts narrowed to one would tell it to staff
            # who see no registrations (Veranstaltungen and Moderation, with their own small lists beside them).
            del self.fields["jahrgang"]

    def scope(self) -> Scope:
        """What to show: the valid choices, and for a wrong one (its error shown beside it) the default."""
        this_year = timezone.localdate().year
        if not self.is_bound:
            return Scope(year=this_year)
        self.is_valid()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-fehler"})
        data = getattr(self, "cleaned_data", {})
        return Scope(year=data.get("jahr") or this_year, state=data.get("land"),
                     funding_line=data.get("foerderung") or None, cohort=data.get("jahrgang"))

    def query(self, scope: Scope) -> str:
        """The scope as a query string, for the download links."""
        params = QueryDict(mutable=True)
        params["jahr"] = str(scope.year)
        if scope.state is not None:
            params["land"] = scope.state.code
        if scope.funding_line:
            params["foerderung"] = scope.funding_line
        if scope.cohort is not None:
            params["jahrgang"] = str(scope.cohort.pk)
        return params.urlencode()


class FunderReportForm(forms.Form):
    FORMATS = [("xlsx", _("Excel")), ("pdf", _("PDF"))]

    jahr = forms.TypedChoiceField(label=_("Berichtsjahr"), coerce=int)
    jahrgang = forms.ModelChoiceField(label=_("Jahrgang"), queryset=ProgrammeYear.objects.all(), required=False,
                                      empty_label=_("alle Jahrgänge"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="xlsx")

    def __init__(self, *args, year_choices: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jahr"].choices = [(year, str(year)) for year in year_choices]
