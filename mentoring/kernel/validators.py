"""Text that is shown on one line stays on one line, and reads as it was typed.

A name, an organisation, a title or a subject is written into mails to staff and participants, into
admin lists and calendar entries. Typed in a browser such a field never holds a line break or a control
character; sent by a script it could ("Eve\\r\\nBcc: …", a fake line "Zur Prüfung: http://…" in a staff
mail). Nor does it need Unicode's controls of writing direction, which make a text display other than
it reads ("\\u202eProjektleitung" shows reversed to the Tandem partner). ``single_line`` refuses them
all with a German message next to the field.
"""
import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 controls (tab and line breaks included), DEL, C1 controls, Unicode's line and paragraph separators,
# its embeddings, overrides, isolates and marks of writing direction, and the invisible zero-width space and
# byte-order mark ("Pa\u200bula" looks like "Paula"). Joiners stay: emoji and some scripts need them.
LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\ufeff]")
PHONE = re.compile(r"\+?[0-9 ()/.\-]+")
# What makes a name a link or an address in a mail program: a scheme, "www.", an at sign, or a lower-case
# domain under a common top-level domain ("boese.de", "paypal-login.at", "bit.ly/x"). Capitalised abbreviations
# with dots stay ("Abt.Org.", "Energie.Info e.V.", "Dr.de Vries", "St. Ingbert"): a link would be written in lower case.
SCHEME_LIKE = re.compile(r"://|www\.|@", re.IGNORECASE)
TOP_LEVEL = ("de|com|org|net|eu|info|io|biz|app|online|site|link|xyz|top|ru|cn|at|ch|co|me|ly|us|uk|fr|it|nl|pl|"
             "es|be|dk|se|no|fi|cz|cc|tv|ws|to|gg|li|lu|tk|ml|ga|cf|gq|shop|store|club|live")
DOMAIN_LIKE = re.compile(r"(?<![\w-])[a-z0-9][a-z0-9-]+\.(?:" + TOP_LEVEL + r")(?![\w])")
PHONE_MIN_DIGITS = 5


class Rule:
    """A validator that migrations name by its class, not by its pattern or message: a change to what it refuses
    needs no migration. Two of one class are equal."""

    message = ""
    code = ""

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(self.code)


@deconstructible(path="mentoring.kernel.validators.SingleLine")
class SingleLine(Rule):
    """One line, read as it was typed (``LINE_BREAKING``)."""

    message = _("Bitte ohne Zeilenumbrüche, Steuer- und Richtungszeichen eingeben.")
    code = "single_line"

    def __call__(self, value):
        if LINE_BREAKING.search(str(value)):
            raise ValidationError(self.message, code=self.code)


single_line = SingleLine()


@deconstructible(path="mentoring.kernel.validators.NoAddress")
class NoAddress(Rule):
    """A name, an organisation or a position, as mails write them: no web or mail address in it. The Anmeldung
    mails what was typed to the address typed with it, so a "name" like "Ihr Konto wird gesperrt: boese.example"
    would reach anyone under the programme's sender."""

    message = _("Bitte ohne Web- oder E-Mail-Adresse eingeben.")
    code = "no_address"

    def __call__(self, value):
        if SCHEME_LIKE.search(str(value)) or DOMAIN_LIKE.search(str(value)):
            raise ValidationError(self.message, code=self.code)


no_address = NoAddress()


@deconstructible(path="mentoring.kernel.validators.PhoneNumber")
class PhoneNumber(Rule):
    """A telephone number as people write it: digits with spaces, ``+``, brackets, ``/``, ``-`` or ``.``."""

    message = _("Bitte geben Sie eine Telefonnummer aus Ziffern an, zum Beispiel 0561 123456 oder +49 561 123456.")
    code = "phone"

    def __call__(self, value):
        if not PHONE.fullmatch(value) or sum(c in "0123456789" for c in value) < PHONE_MIN_DIGITS:
            raise ValidationError(self.message, code=self.code)


phone_number = PhoneNumber()
