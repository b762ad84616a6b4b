"""Request input that must not reach the database: NUL bytes and ids that are no plain number answer 400."""
from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# The largest value of a bigint primary key; beyond it no row can match.
MAX_PK = 2**63 - 1


def is_pk(value: str) -> bool:
    """A primary key as a form sends it: ASCII digits (not "²" or "١"), within the bigint range."""
    return value.isascii() and value.isdigit() and int(value) <= MAX_PK


def reject_nul_bytes(request) -> None:
    """PostgreSQL refuses NUL in any query text; such input is never a real request."""
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest(_("Die Anfrage enthält ungültige Zeichen."))
