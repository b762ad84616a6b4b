"""What a profile's list of languages may hold: codes of ``choices.LANGUAGES``, nothing else."""
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.validators import Rule

from .choices import LANGUAGES


@deconstructible(path="accounts.validators.LanguageCodes")
class LanguageCodes(Rule):
    """The profile form offers these as checkboxes; admin (or a script) writing the JSON by hand could store
    anything, which the profile page, the review page and every match run then read."""

    message = _("Bitte wählen Sie die Sprachen aus der Liste.")
    code = "languages"

    def __call__(self, value):
        known = {code for code, _label in LANGUAGES}
        if not isinstance(value, list) or not all(isinstance(c, str) and c in known for c in value):
            raise ValidationError(self.message, code=self.code)


language_codes = LanguageCodes()
