"""The Anmeldeformular and the profile form; both share the profile sections."""
import copy

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.honeypot import HoneypotMixin
from mentoring.kernel.validators import no_address, single_line

from . import rules
from .adapter import EMAIL_MAX_LENGTH
from .choices import LANGUAGES, MENTEE_ROLES, MENTOR_ROLES, ConceptStage, FundingLine, MeetingFormat, Role, SizeClass
from .consents import consent_language, consent_text_lazy
from .models import Consent, FederalState, Organisation, OrganisationType, Profile, Topic, User
from .organisations import normalise_organisation_name
from .topic_matrix import COMPETENCES, NEEDS, TopicMatrix

# The page's field names for the organisation → the organisation's own fields.
ORGANISATION_FIELDS = {"organisation_name": "name", "org_type": "org_type", "federal_state": "federal_state",
                       "size_class": "size_class"}


def consents_intro() -> str:
    """The line above the consents, with the Datenschutzerklärung one click away (in a new tab, so the
    form keeps what was typed)."""
    link = format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', reverse("datenschutz"),
                       _("Datenschutzerklärung (öffnet in einem neuen Tab)"))
    text = _("Jede Einwilligung ist einzeln und freiwillig; Sie können sie jederzeit im Profil widerrufen. "
             "Näheres in der %(link)s.")
    return format_html('<p class="form-text">{}</p>', mark_safe(conditional_escape(text) % {"link": link}))  # noqa: S308 - escaped text, built link


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganisationForm(forms.ModelForm):
    """An organisation as a participant names it; the profile pages embed its fields."""

    name = forms.CharField(
        label=_("Name der Kommune oder Einrichtung"), max_length=Organisation._meta.get_field("name").max_length,
        validators=[single_line, no_address],
        help_text=_("Ist Ihre Organisation schon auf der Plattform, gelten deren gespeicherter Organisationstyp und "
                    "ihre Größenklasse; diese pflegt die Koordination für alle Teilnehmer*innen der Organisation."))
    org_type = forms.ModelChoiceField(label=_("Organisationstyp"), queryset=OrganisationType.objects.all(),
                                      empty_label=_("Bitte wählen"))
    federal_state = forms.ModelChoiceField(label=_("Bundesland"), queryset=FederalState.objects.all(),
                                           empty_label=_("Bitte wählen"))
    size_class = forms.ChoiceField(label=_("Größenklasse (Einwohner*innen)"),
                                   choices=[("", _("Bitte wählen"))] + SizeClass.choices)

    class Meta:
        model = Organisation
        fields = tuple(ORGANISATION_FIELDS.values())


def _radio(label, choices):
    # Declared rather than generated: the model's choices would add an empty "---------" radio.
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect)


class ProfileSectionsForm(forms.ModelForm):
    """Organisation, funding, needs, competences and preferences: asked at registration
    and edited later on /profil/."""

    role = forms.ChoiceField(
        label=_("Ich melde mich an als"), choices=Role.choices, widget=forms.RadioSelect,
        help_text=_("Das Formular fragt nur, was Ihre Rolle betrifft: Mentees nach ihrem Unterstützungsbedarf, "
                    "Mentor*innen nach ihren freien Plätzen."))
    funding_line = _radio(_("Förderung der Stelle"), FundingLine.choices)
    concept_stage = _radio(_("Stand des Klimaanpassungskonzepts"), ConceptStage.choices)
    meeting_format = _radio(_("Wie möchte ich mich treffen?"), MeetingFormat.choices)
    languages = forms.MultipleChoiceField(label=_("Sprachen, in denen ich mich austauschen kann"),
                                          choices=LANGUAGES, widget=forms.CheckboxSelectMultiple,
                                          initial=["de"])
    mentor_capacity = forms.TypedChoiceField(
        label=_("Wie viele Mentees kann ich höchstens gleichzeitig begleiten?"), coerce=int, required=False,
        empty_value=0, choices=[(n, str(n)) for n in range(1, 6)], initial=1)
    mentor_available = forms.BooleanField(label=_("Ich bin derzeit als Mentor*in verfügbar."), required=False,
                                          initial=True)

    class Meta:
        model = Profile
        fields = Profile.PERSON_FIELDS
        labels = {
            "phone": _("Telefon (freiwillig)"),
            "role_started_on": _("In dieser Rolle seit"),
            "competences_text": _("Was kann ich anderen weitergeben?"),
            "prefers_same_state": _("Ich bevorzuge jemanden aus meinem Bundesland."),
            "prefers_similar_organisation": _("Ich bevorzuge jemanden aus einer ähnlichen Organisation."),
        }
        error_messages = {name: {"invalid": _("Bitte geben Sie ein gültiges Datum an (TT.MM.JJJJ).")}
                          for name in ("role_started_on", "funding_ends_on")}
        help_texts = {"position": _("z. B. Klimaanpassungsmanagerin"),
                      "funding_ends_on": _("Wenn die Stelle gefördert ist.")}
        widgets = {"role_started_on": DateInput(), "funding_ends_on": DateInput(),
                   "needs_text": forms.Textarea(attrs={"rows": 4}),
                   "competences_text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, instance: Profile | None = None, **kwargs):
        if instance is None:
            # A new profile starts from what the form suggests, not from the model's defaults.
            kwargs["initial"] = {**{name: field.initial for name, field in self.base_fields.items()
                                    if field.initial is not None}, **kwargs.get("initial", {})}
        else:
            # Validation writes into the instance; the stored profile stays as it is until the service saves.
            instance = copy.copy(instance)
        super().__init__(*args, instance=instance, **kwargs)
        for page_name, name in ORGANISATION_FIELDS.items():
            self.fields[page_name] = copy.deepcopy(OrganisationForm.base_fields[name])
        self.topics = list(Topic.objects.all())
        for matrix in (NEEDS, COMPETENCES):
            matrix.add_fields(self, self.topics)

    def order_as_laid_out(self) -> None:
        """Fields (and so the error summary above the form) in the order the page shows them: the layout's."""
        self.order_fields([pointer.name for pointer in self.helper.layout.get_field_names()])

    def clean_role_started_on(self):
        started = self.cleaned_data["role_started_on"]
        if started > timezone.localdate():
            raise forms.ValidationError(_("Das Datum darf nicht in der Zukunft liegen."))
        if started.year < 1990:
            raise forms.ValidationError(_("Bitte prüfen Sie das Jahr."))
        return started

    def clean(self):
        data = super().clean()
        started, ends = data.get("role_started_on"), data.get("funding_ends_on")
        if started and ends and ends <= started:
            self.add_error("funding_ends_on",
                           _("Das Ende des Förderzeitraums muss nach dem Beginn in der Rolle liegen."))
        if ends and ends.year > timezone.localdate().year + 10:
            self.add_error("funding_ends_on", _("Bitte prüfen Sie das Jahr."))
        role = data.get("role")
        if role in Role.values:
            # The other role's questions are hidden and never stored: what was posted there cannot fail.
            for name in self.other_role_fields(role):
                self._errors.pop(name, None)
                data.pop(name, None)
        # A choice across the whole list of topics: said once, at its first topic, which the summary links to under
        # the list's name.
        self.summary_labels = {names[0]: label for names, label in (
            (NEEDS.field_names(self.topics), _("Unterstützungsbedarfe")),
            (COMPETENCES.field_names(self.topics), _("Kompetenzen und Erfahrungen"))) if names}
        if role in MENTEE_ROLES and not self.selected(NEEDS):
            self.add_error(NEEDS.field_names(self.topics)[0],
                           _("Mindestens ein Bedarf ist nötig: Bitte wählen Sie bei diesem oder einem der folgenden "
                             "Themen, wie wichtig Ihnen Unterstützung ist."))
        if role in MENTOR_ROLES:
            if not self.selected(COMPETENCES):
                self.add_error(COMPETENCES.field_names(self.topics)[0],
                               _("Mindestens eine Kompetenz ist nötig: Bitte wählen Sie bei diesem oder einem der "
                                 "folgenden Themen Ihre Erfahrung."))
            if not data.get("mentor_capacity"):
                self.add_error("mentor_capacity", _("Bitte geben Sie an, wie viele Mentees Sie begleiten können."))
        return data

    def other_role_fields(self, role: str) -> list[str]:
        """The fields of the role the person does not take (``Profile.*_ONLY_FIELDS``, needs per topic)."""
        names = []
        if role not in MENTOR_ROLES:
            names += list(Profile.MENTOR_ONLY_FIELDS)
        if role not in MENTEE_ROLES:
            names += [*Profile.MENTEE_ONLY_FIELDS, *NEEDS.field_names(self.topics)]
        return names

    def role_shown(self) -> str | None:
        """The role whose questions the page shows now: as posted, else as stored; None while unknown."""
        role = self.data.get("role") if self.is_bound and not self.fields["role"].disabled else self.initial.get("role")
        return role if role in Role.values else None

    def role_section(self, roles) -> dict:
        """Attributes of a fieldset only ``roles`` answer: static/js/site.js shows it when one of them is
        chosen; the server already hides and disables it for another known role (also without script)."""
        attrs = {"data_roles": " ".join(roles)}
        role = self.role_shown()
        if role is not None and role not in roles:
            attrs.update(hidden=True, disabled=True)
        return attrs

    def selected(self, matrix: TopicMatrix) -> dict[int, int]:
        """topic id → priority (needs) or level (competences)"""
        return matrix.selected(self.cleaned_data, self.topics)

    def organisation_data(self) -> dict:
        """The organisation as entered, under the organisation's own field names."""
        return {name: self.cleaned_data.get(page_name) for page_name, name in ORGANISATION_FIELDS.items()}

    def organisation_layout(self) -> list:
        return [
            Row(Column("organisation_name", css_class="col-md-6"), Column("org_type", css_class="col-md-6")),
            Row(Column("federal_state", css_class="col-md-6"), Column("size_class", css_class="col-md-6")),
        ]

    def profile_layout(self):
        def topic_grid(matrix):
            return Row(*[Column(name, css_class="col-md-6 col-xl-4") for name in matrix.field_names(self.topics)])

        return [
            Fieldset(_("Rolle im Programm"), "role"),
            Fieldset(
                _("Organisation und Stelle"),
                *self.organisation_layout(),
                Row(Column("position", css_class="col-md-6"), Column("department", css_class="col-md-6")),
                Row(Column("role_started_on", css_class="col-md-6")),
            ),
            Fieldset(
                _("Förderung"),
                "funding_line",
                Row(Column("funding_ends_on", css_class="col-md-6")),
                "concept_stage",
            ),
            Fieldset(
                _("Unterstützungsbedarfe"),
                HTML('<p class="form-text">{}</p>'.format(
                    _("Wählen Sie die Themen, bei denen Sie Unterstützung suchen, und wie dringend sie sind. "
                      "Mentees wählen mindestens ein Thema."))),
                topic_grid(NEEDS),
                "needs_text",
                css_id="bedarfe",
                **self.role_section(MENTEE_ROLES),
            ),
            Fieldset(
                _("Kompetenzen und Erfahrungen"),
                HTML('<p class="form-text">{}</p>'.format(
                    _("Auch wer neu ist, bringt Erfahrung mit. Mentor*innen wählen mindestens ein Thema."))),
                topic_grid(COMPETENCES),
                "competences_text",
                css_id="kompetenzen",
            ),
            Fieldset(
                _("Wünsche für das Tandem"),
                "meeting_format",
                "languages",
                "prefers_same_state",
                "prefers_similar_organisation",
            ),
            Fieldset(
                _("Für Mentor*innen"),
                Row(Column("mentor_capacity", css_class="col-md-6")),
                "mentor_available",
                css_id="mentor",
                **self.role_section(MENTOR_ROLES),
            ),
        ]


def language_field() -> forms.ChoiceField:
    """German or English for every page after login and every mail; each language named in itself."""
    return forms.ChoiceField(
        label=_("Sprache für die Website und E-Mails an Sie"), widget=forms.RadioSelect, required=False,
        choices=[(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES],
        help_text=_("Sie können sie jederzeit im Profil ändern."))


class RegistrationForm(HoneypotMixin, ProfileSectionsForm):
    """The Anmeldeformular: account, profile sections and the separate consents."""

    first_name = forms.CharField(label=_("Vorname"), max_length=150, validators=[single_line, no_address])
    last_name = forms.CharField(label=_("Nachname"), max_length=150, validators=[single_line, no_address])
    email = forms.EmailField(label=_("Dienstliche E-Mail-Adresse"), max_length=EMAIL_MAX_LENGTH,
                             help_text=_("Sie erhalten eine E-Mail, um die Adresse zu bestätigen."))
    language = language_field()
    password1 = forms.CharField(label=_("Passwort"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("Mindestens 10 Zeichen, nicht nur Ziffern."))
    password2 = forms.CharField(label=_("Passwort wiederholen"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    consent_programme = forms.BooleanField(
        label=format_lazy("{} {}", consent_text_lazy(Consent.Purpose.PROGRAMME), _("(erforderlich)")), required=True,
        error_messages={"required": _("Ohne diese Einwilligung können wir Ihre Anmeldung nicht bearbeiten.")})
    # Freely given (Art. 7 (4) DSGVO): taking part needs only the programme's consent; without this one
    # the person uses forum and events and is matched once they give it on their profile page.
    consent_partner_sharing = forms.BooleanField(
        label=format_lazy("{} {}", consent_text_lazy(Consent.Purpose.PARTNER_SHARING),
                          _("(freiwillig)")),
        required=False,
        help_text=_("Ohne diese Einwilligung können Sie Forum und Veranstaltungen nutzen; ein Tandem vermitteln wir "
                    "Ihnen, sobald Sie sie in Ihrem Profil erteilen."))
    consent_news = forms.BooleanField(label=consent_text_lazy(Consent.Purpose.NEWS), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page's own language is the natural choice: the person is reading it.
        self.fields["language"].initial = consent_language()
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["position"].widget.attrs["autocomplete"] = "organization-title"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> carries the token
        self.helper.layout = Layout(
            Fieldset(
                _("Über Sie"),
                Row(Column("first_name", css_class="col-md-6"), Column("last_name", css_class="col-md-6")),
                Row(Column("email", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
                "language",
                Row(Column("password1", css_class="col-md-6"), Column("password2", css_class="col-md-6")),
            ),
            *self.profile_layout(),
            Fieldset(
                _("Einwilligungen"),
                HTML(consents_intro()),
                "consent_programme", "consent_partner_sharing", "consent_news",
            ),
            Div("website", css_class="hp-field", aria_hidden="true"),
            Submit("submit", _("Anmeldung absenden"), css_class="btn-lg mt-3"),
        )
        self.order_as_laid_out()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_language(self):
        return self.cleaned_data["language"] or consent_language()

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif p1:
            probe = User(email=data.get("email", ""), first_name=data.get("first_name", ""),
                         last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProfileForm(ProfileSectionsForm):
    """Edit needs, competences, preferences, mentor availability and the language on /profil/."""

    language = language_field()

    def __init__(self, *args, profile: Profile, **kwargs):
        super().__init__(*args, instance=profile, **kwargs)
        self.initial["language"] = profile.user.language
        organisation = profile.organisation
        self.initial.update({"organisation_name": organisation.name, "federal_state": organisation.federal_state_id,
                             "mentor_capacity": profile.mentor_capacity or 1})
        self.stored_organisation = organisation
        # Type and size belong to the organisation, not to the person: asked only for a new one.
        for name, label in (("org_type", _("Organisationstyp – nur für eine neue Organisation")),
                            ("size_class", _("Größenklasse – nur für eine neue Organisation"))):
            self.fields[name].required = False
            self.fields[name].label = label
        for matrix in (NEEDS, COMPETENCES):
            self.initial.update(matrix.initial(profile, self.topics))
        if not rules.role_changeable_by_self(profile):
            self.fields["role"].disabled = True
            self.fields["role"].help_text = rules.ROLE_FIXED
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> carries the token
        layout = self.profile_layout()
        layout.insert(1, Fieldset(_("Kontakt"), Row(Column("phone", css_class="col-md-6")), "language"))
        self.helper.layout = Layout(*layout, Submit("submit", _("Profil speichern"), css_class="mt-3"))
        self.order_as_laid_out()

    def clean_language(self):
        return self.cleaned_data["language"] or self.initial["language"]

    def organisation_layout(self) -> list:
        return [
            Row(Column("organisation_name", css_class="col-md-6"), Column("federal_state", css_class="col-md-6")),
            HTML('{% include "accounts/_organisation_stored.html" %}'),
            Row(Column("org_type", css_class="col-md-6"), Column("size_class", css_class="col-md-6")),
        ]

    def clean(self):
        data = super().clean()
        name, federal_state = data.get("organisation_name"), data.get("federal_state")
        if not (name and federal_state):
            return data
        existing = Organisation.objects.filter(name_normalised=normalise_organisation_name(name),
                                               federal_state=federal_state).first()
        if existing:
            data["org_type"], data["size_class"] = existing.org_type, existing.size_class
            return data
        if not data.get("org_type"):
            self.add_error("org_type", _("Ihre Organisation ist neu auf der Plattform: Bitte wählen Sie ihren "
                                         "Organisationstyp."))
        if not data.get("size_class"):
            self.add_error("size_class", _("Ihre Organisation ist neu auf der Plattform: Bitte wählen Sie ihre "
                                           "Größenklasse."))
        return data


class WithdrawRegistrationForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, ich ziehe meine Anmeldung zurück. Laufende Tandems werden beendet."), required=True,
        error_messages={"required": _("Bitte bestätigen Sie, dass Sie die Anmeldung zurückziehen möchten.")})
    reason = forms.CharField(label=_("Grund (freiwillig)"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Zur Bestätigung: Ihr Passwort"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("Das Passwort stimmt nicht."))
        return ""
