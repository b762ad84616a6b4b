"""A field people never see: bots fill it in, and the form then fails quietly."""
from django import forms
from django.utils.translation import gettext_lazy as _


class HoneypotMixin(forms.Form):
    """A field people never see; bots fill it in, and the form then fails quietly."""

    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def filled_by_bot(self) -> bool:
        """Views answer a bot as if it had succeeded and store nothing."""
        return bool(self.data.get("website"))
