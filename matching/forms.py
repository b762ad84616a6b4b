"""Forms of the matching app: meeting log, problem report, staff decisions."""
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Topic
from mentoring.kernel.validators import single_line

from .models import MEETING_MAX_MINUTES, MEETING_MIN_MINUTES, Agreement, ClosingReview, Meeting, ProblemReport, Progress
from .services.agreements import CONFIDENTIAL_MISSING, agreement_refusals
from .services.meetings import meeting_date_refusal
from .services.tandems import END_REQUEST_AFTER_END

DATE_INVALID = _("Bitte geben Sie ein gültiges Datum an (TT.MM.JJJJ).")


class TandemForm(forms.Form):
    """A form of a Tandem's pages; ``tandem`` (and ``meeting``, on a meeting's page) let its checks ask what
    only the Tandem knows."""

    def __init__(self, *args, tandem=None, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tandem, self.meeting = tandem, meeting


class MeetingChangeForm(TandemForm):
    """What a meeting is: the author enters or changes it, the partner corrects it."""

    date = forms.DateField(label=_("Datum des Treffens"),
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": _("Bitte geben Sie an, wann Sie sich getroffen haben."),
                                           "invalid": DATE_INVALID})
    duration_minutes = forms.IntegerField(
        label=_("Dauer in Minuten"), min_value=MEETING_MIN_MINUTES, max_value=MEETING_MAX_MINUTES,
        help_text=_("zwischen 5 Minuten und 10 Stunden (600 Minuten)"),
        error_messages={"required": _("Bitte geben Sie an, wie viele Minuten das Treffen gedauert hat."),
                        "invalid": _("Bitte geben Sie die Dauer als ganze Zahl von Minuten an."),
                        "min_value": _("Ein Treffen dauert mindestens 5 Minuten."),
                        "max_value": _("Ein Treffen dauert höchstens 10 Stunden (600 Minuten).")})
    format = forms.ChoiceField(label=_("Format"), choices=Meeting.Format.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("Bitte wählen Sie, wie Sie sich getroffen haben.")})
    topics = forms.ModelMultipleChoiceField(label=_("Themen"), queryset=Topic.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def clean_date(self):
        """The service's rules (a day still to come, before the Tandem began, or one that has an entry already),
        said next to the field together with the form's other errors."""
        value = self.cleaned_data["date"]
        if refusal := meeting_date_refusal(value, tandem=self.tandem, meeting=self.meeting):
            raise forms.ValidationError(refusal)
        return value


class MeetingForm(MeetingChangeForm):
    """A new entry, with the author's private note."""

    note = forms.CharField(label=_("Private Notiz"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Nur Sie sehen diese Notiz, auch Ihr*e Tandempartner*in nicht."))


class NoteForm(TandemForm):
    text = forms.CharField(label=_("Ihre private Notiz"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Nur Sie sehen diese Notiz, auch Ihr*e Tandempartner*in nicht. Leer "
                                       "speichern löscht sie."))


class ProblemReportForm(TandemForm):
    kind = forms.ChoiceField(label=_("Anliegen"), choices=ProblemReport.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Bitte wählen Sie, worum es geht.")})
    text = forms.CharField(label=_("Beschreibung"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": _("Bitte beschreiben Sie Ihr Anliegen in ein paar Sätzen.")},
                           help_text=_("Die Koordination liest Ihre Nachricht vertraulich und meldet sich bei Ihnen."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.tandem is not None and not self.tandem.is_active:  # an ended Tandem takes no end request
            self.fields["kind"].choices = [(ProblemReport.Kind.PROBLEM, ProblemReport.Kind.PROBLEM.label)]
            self.fields["kind"].error_messages["invalid_choice"] = END_REQUEST_AFTER_END


class ConfirmForm(forms.Form):
    message = forms.CharField(label=_("Persönliche Nachricht an beide (optional)"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Begründung (intern, optional)"), max_length=500, required=False)


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Grund für das Ende"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AgreementForm(TandemForm):
    """The Mentoring-Vereinbarung: per need of the mentee a tick and what exactly is the goal."""

    frequency = forms.ChoiceField(label=_("Wie oft treffen Sie sich?"), choices=Agreement.Frequency.choices,
                                  widget=forms.RadioSelect)
    meeting_form = forms.ChoiceField(label=_("Wie treffen Sie sich?"), choices=Agreement.Form.choices,
                                     widget=forms.RadioSelect)
    planned_end = forms.DateField(label=_("Geplantes Ende"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  error_messages={"invalid": DATE_INVALID},
                                  help_text=_("Vorschlag der Koordination; Sie können es gemeinsam ändern."))
    confidential = forms.BooleanField(
        label=_("Was wir im Tandem besprechen, bleibt unter uns. Nur was wir beide wollen, geben wir weiter."),
        error_messages={"required": CONFIDENTIAL_MISSING})

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = list(topics)
        goal_fields = {}
        for topic in self.topics:
            goal_fields[f"goal_{topic.pk}"] = forms.BooleanField(
                label=_("Ziel zum Thema „%(topic)s“") % {"topic": topic.label}, required=False)
            goal_fields[f"text_{topic.pk}"] = forms.CharField(
                label=_("Was genau wollen Sie zu „%(topic)s“ erreichen?") % {"topic": topic.label}, max_length=300,
                # A goal is one line in the partner's mail, the PDF and the check-in; read as it was typed.
                required=False, validators=[single_line])
        self.fields = {**goal_fields, **self.fields}

    def clean(self):
        data = super().clean()
        goals = []
        for topic in self.topics:
            text = (data.get(f"text_{topic.pk}") or "").strip()
            if data.get(f"goal_{topic.pk}"):
                if not text and f"text_{topic.pk}" not in self.errors:  # a text too long has its own message
                    self.add_error(f"text_{topic.pk}", _("Bitte beschreiben Sie das Ziel in einem Satz."))
                goals.append((topic.pk, text))
        data["goals"] = goals
        if self.tandem is not None:
            # The service's rules, shown together with the form's own errors: everything in one round.
            refusals = agreement_refusals(tandem=self.tandem, goals=goals, planned_end=data.get("planned_end"),
                                          frequency=data.get("frequency"), meeting_form=data.get("meeting_form"))
            for field, message in refusals.items():
                if self._placed(field) not in self.errors:
                    self.add_error(field, message)
        return data

    # The choice of goals is the fieldset of ticks: its message stands at the first tick, which the error
    # summary links to (a service's refusal on "goals" lands there too: ``kernel.forms.add_service_error``).
    field_aliases = ("goals",)

    def _placed(self, field):
        if field == "goals":
            return f"goal_{self.topics[0].pk}" if self.topics else None
        return field

    def add_error(self, field, error):
        super().add_error(self._placed(field), error)

    def goal_pairs(self) -> list[tuple]:
        """(tick, free text) bound fields per topic, for the template."""
        return [(self[f"goal_{topic.pk}"], self[f"text_{topic.pk}"]) for topic in self.topics]

    @classmethod
    def initial_from(cls, agreement) -> dict:
        initial = {"frequency": agreement.frequency, "meeting_form": agreement.meeting_form,
                   "planned_end": agreement.planned_end, "confidential": agreement.confidential}
        for goal in agreement.goals:
            initial[f"goal_{goal['topic']}"] = True
            initial[f"text_{goal['topic']}"] = goal["text"]
        return initial


EXPERIENCE_MISSING = _("Bitte wählen Sie, wie viel Erfahrung Sie in diesem Thema haben.")


class CheckInForm(forms.Form):
    """The Kurzbefragung: how well it works, whether they met, each goal's progress, a note for staff."""

    RATINGS = [(5, _("5 – sehr gut")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 – gar nicht gut"))]

    rating = forms.TypedChoiceField(label=_("Wie gut funktioniert Ihr Tandem?"), choices=RATINGS, coerce=int,
                                    widget=forms.RadioSelect,
                                    error_messages={"required": _("Bitte wählen Sie eine Bewertung von 1 bis 5.")})
    met = forms.TypedChoiceField(label=_("Haben Sie sich seit der letzten Kurzbefragung getroffen?"),
                                 choices=[("yes", _("ja")), ("no", _("nein"))], coerce=lambda value: value == "yes",
                                 widget=forms.RadioSelect,
                                 error_messages={"required": _("Bitte wählen Sie „ja“ oder „nein“.")})
    comment = forms.CharField(label=_("Hinweis an die Koordination (freiwillig)"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Nur die Koordination liest das, Ihr*e Tandempartner*in nicht."))

    def __init__(self, *args, goals=(), first: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        if first:  # there is no earlier Kurzbefragung to count from
            self.fields["met"].label = _("Haben Sie sich seit dem Beginn Ihres Tandems getroffen?")
        progress = {f"goal_{goal['topic']}": forms.ChoiceField(
            label=_("Ziel „%(topic)s“: %(text)s") % {"topic": goal["name"], "text": goal["text"]},
            choices=Progress.choices, widget=forms.RadioSelect,
            error_messages={"required": _("Bitte geben Sie an, wie weit Sie mit diesem Ziel sind.")})
            for goal in self.goals}
        rating, met, comment = self.fields["rating"], self.fields["met"], self.fields["comment"]
        self.fields = {"rating": rating, "met": met, **progress, "comment": comment}

    def progress(self) -> dict[int, str]:
        return {goal["topic"]: self.cleaned_data[f"goal_{goal['topic']}"] for goal in self.goals}


class ReviewForm(forms.Form):
    """The closing review: per goal reached or not and competence then and now, what helped, NPS, early-end reason."""

    helped = forms.CharField(label=_("Was hat Ihnen im Tandem geholfen? (freiwillig)"), max_length=2000,
                             required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Nur die Koordination liest das; es wird nie mit Namen weitergegeben."))
    nps = forms.TypedChoiceField(
        label=_("Wie wahrscheinlich ist es, dass Sie das Mentoring-Programm einer Kollegin oder einem Kollegen "
                "empfehlen? (0 = gar nicht, 10 = sehr wahrscheinlich)"),
        choices=[(n, str(n)) for n in range(11)], coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie einen Wert von 0 bis 10.")})
    early_end_reason = forms.ChoiceField(label=_("Warum endet das Tandem früher als geplant?"),
                                         choices=ClosingReview.EarlyEnd.choices, widget=forms.RadioSelect,
                                         error_messages={"required": _("Bitte wählen Sie einen Grund.")})

    def __init__(self, *args, goals=(), early: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        levels = ClosingReview.Competence.choices
        per_goal = {}
        for goal in self.goals:
            pk = goal["topic"]
            per_goal[f"reached_{pk}"] = forms.TypedChoiceField(
                label=_("Ziel „%(topic)s“ erreicht?") % {"topic": goal["name"]},
                choices=[("yes", _("ja")), ("no", _("nein"))], coerce=lambda value: value == "yes",
                widget=forms.RadioSelect, error_messages={"required": _("Bitte wählen Sie „ja“ oder „nein“.")})
            per_goal[f"then_{pk}"] = forms.TypedChoiceField(
                label=_("Ihre Erfahrung in „%(topic)s“ zu Beginn") % {"topic": goal["name"]}, choices=levels,
                coerce=int, initial=goal.get("level", 0), error_messages={"required": EXPERIENCE_MISSING})
            per_goal[f"now_{pk}"] = forms.TypedChoiceField(
                label=_("Ihre Erfahrung in „%(topic)s“ heute") % {"topic": goal["name"]}, choices=levels, coerce=int,
                # Starts where "zu Beginn" starts: an untouched form never reports a loss of experience.
                initial=goal.get("level", 0), error_messages={"required": EXPERIENCE_MISSING})
        rest = dict(self.fields)
        if not early:
            rest.pop("early_end_reason")
        self.fields = {**per_goal, **rest}

    def goal_fields(self) -> list[tuple]:
        return [(goal, self[f"reached_{goal['topic']}"], self[f"then_{goal['topic']}"], self[f"now_{goal['topic']}"])
                for goal in self.goals]

    def answers(self) -> dict:
        data = self.cleaned_data
        return {"goals_reached": {g["topic"]: data[f"reached_{g['topic']}"] for g in self.goals},
                "competence": {g["topic"]: (data[f"then_{g['topic']}"], data[f"now_{g['topic']}"])
                               for g in self.goals},
                "helped": data["helped"], "nps": data["nps"], "early_end_reason": data.get("early_end_reason", "")}
