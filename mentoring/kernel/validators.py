"""Text that is shown on one line stays on one line.

A name, an organisation, a title or a subject is written into mails to staff and participants, into
admin lists and calendar entries. Typed in a browser such a field never holds a line break or a control
character; sent by a script it could ("Eve\\r\\nBcc: …", a fake line "Zur Prüfung: http://…" in a staff
mail). ``single_line`` refuses them with a German message next to the field.
"""
import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# C0 controls (tab and line breaks included), DEL, C1 controls and Unicode's line and paragraph separators.
LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

single_line = RegexValidator(LINE_BREAKING, inverse_match=True, code="single_line",
                             message=_("Bitte ohne Zeilenumbrüche und Steuerzeichen eingeben."))
