"""Forms of the site pages."""
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.honeypot import HoneypotMixin
from mentoring.kernel.validators import single_line


class BarrierReportForm(HoneypotMixin):
    # autocomplete names the purpose of the inputs about the person (WCAG 1.3.5), as the Anmeldung does.
    name = forms.CharField(label=_("Ihr Name (freiwillig)"), max_length=150, required=False, validators=[single_line],
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Ihre E-Mail-Adresse für eine Antwort"), max_length=254,
                             required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             help_text=_("Ohne Adresse nehmen wir Ihre Meldung genauso auf, können Ihnen aber nicht "
                                         "antworten."))
    page = forms.CharField(label=_("Auf welcher Seite ist die Barriere?"), max_length=300, required=False,
                           validators=[single_line])
    description = forms.CharField(label=_("Beschreibung der Barriere"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  error_messages={"required": _("Bitte beschreiben Sie kurz, was Sie behindert hat.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> carries the token
        self.helper.layout = Layout("name", "email", "page", "description",
                                    Div("website", css_class="hp-field", aria_hidden="true"))
